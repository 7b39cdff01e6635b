import { basename } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";

type Options = NonNullable<ParseArgsConfig["options"]>;
type Values<T extends Options> = ReturnType<typeof parseArgs<{ options: T }>>["values"];

/**
 * A bench's command-line options (node:util parseArgs). Benches are run by hand: `--help` lists the options with
 * their defaults, and a mistyped or unknown option is refused in one line with that list, not with parseArgs'
 * stack trace. What each option means is in the comment at the top of the bench's source.
 */
export function benchOptions<const T extends Options>(options: T): Values<T> {
  const args = process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) {
    console.log(usage(options));
    process.exit(0);
  }
  try {
    return parseArgs({ options, args }).values as Values<T>;
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage(options)}`);
    process.exit(2);
  }
}

function usage(options: Options): string {
  const bench = basename(process.argv[1] ?? "bench", ".js");
  const lines = Object.entries(options).map(([name, option]) => {
    const value = option.type === "string" ? ` ${name.toUpperCase().replaceAll("-", "_")}` : "";
    const repeatable = option.multiple ? " (repeatable)" : "";
    const fallback = option.default;
    const shown = Array.isArray(fallback) ? fallback.join(",") : fallback;
    const defaults = shown === undefined || shown === "" || shown === false ? "" : ` (default ${String(shown)})`;
    return `  --${name}${value}${repeatable}${defaults}`;
  });
  return [`usage: node dist/bench/${bench}.js [options]`, ...lines, `(what each one does: bench/${bench}.ts)`].join(
    "\n",
  );
}
