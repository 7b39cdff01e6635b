import { parseArgs, type ParseArgsConfig } from "node:util";

/**
 * The one flag parser of every command: a typed table of flags, parsed by node:util's parseArgs (strict), then
 * each value checked against its kind. Anything wrong is a UsageError with one line that names the flag and what
 * it accepts; main.ts prints it and exits 2. No command validates a flag by hand.
 */

export type FlagKind =
  | "boolean"
  /** Any non-empty text (a name, a file, a key). */
  | "text"
  /** A TCP port: 0 (any free port) to 65535. */
  | "port"
  /** An inclusive range of TCP ports, `FIRST-LAST`, 1 to 65535. */
  | "port-range"
  /** A whole number of bytes, 1 to 1 GiB. */
  | "bytes"
  /** A whole number, 1 or more. */
  | "count"
  /** A number of seconds above 0. */
  | "seconds"
  /** One of `choices`. */
  | "choice"
  /** An http:// or https:// URL. */
  | "url"
  /** A 12-digit AWS account id. */
  | "account-id";

export interface FlagSpec {
  kind: FlagKind;
  short?: string;
  /** text only: the flag may be given more than once. */
  multiple?: boolean;
  /** choice only. */
  choices?: readonly string[];
}

export type FlagTable = Record<string, FlagSpec>;

type NumericKind = "port" | "bytes" | "count" | "seconds";
type ValueOf<S extends FlagSpec> = S["kind"] extends "boolean"
  ? boolean
  : S["kind"] extends NumericKind
    ? number | undefined
    : S["kind"] extends "port-range"
      ? readonly [number, number] | undefined
      : S["multiple"] extends true
        ? string[] | undefined
        : string | undefined;

/** Parsed values: booleans are always there (false when absent); the others are undefined when not given. */
export type FlagValues<T extends FlagTable> = { [K in keyof T]: ValueOf<T[K]> };

export class UsageError extends Error {}

export const MAX_BODY_LIMIT = 1024 * 1024 * 1024;

/** What a kind accepts, as the error message says it. */
function accepts(spec: FlagSpec): string {
  switch (spec.kind) {
    case "boolean":
      return "no value";
    case "text":
      return "a value";
    case "port":
      return "a port number from 0 to 65535 (0: any free port)";
    case "port-range":
      return "a range of ports FIRST-LAST, from 1 to 65535, FIRST not above LAST";
    case "bytes":
      return `a whole number of bytes from 1 to ${MAX_BODY_LIMIT}`;
    case "count":
      return "a whole number, 1 or more";
    case "seconds":
      return "a number of seconds above 0";
    case "choice":
      return `one of ${spec.choices!.join(", ")}`;
    case "url":
      return "an http:// or https:// URL";
    case "account-id":
      return "a 12-digit AWS account id";
  }
}

const WHOLE = /^\d+$/;

const PORT_RANGE = /^(\d{1,5})-(\d{1,5})$/;

const ACCOUNT_ID = /^\d{12}$/;

/** The value of a flag of a kind, or a UsageError naming it. */
function convert(name: string, spec: FlagSpec, raw: string): string | number | readonly [number, number] {
  const refuse = (): never => {
    throw new UsageError(`--${name} takes ${accepts(spec)}, not '${raw}'`);
  };
  switch (spec.kind) {
    case "port":
    case "bytes":
    case "count": {
      if (!WHOLE.test(raw)) return refuse();
      const value = Number(raw);
      const [min, max] = spec.kind === "port" ? [0, 65535] : spec.kind === "bytes" ? [1, MAX_BODY_LIMIT] : [1, 1e9];
      return value >= min && value <= max ? value : refuse();
    }
    case "port-range": {
      const match = PORT_RANGE.exec(raw);
      const [first, last] = match ? [Number(match[1]), Number(match[2])] : [NaN, NaN];
      return first >= 1 && last <= 65535 && first <= last ? ([first, last] as const) : refuse();
    }
    case "seconds": {
      const value = raw.trim() === "" ? NaN : Number(raw);
      return Number.isFinite(value) && value > 0 && value <= 1e9 ? value : refuse();
    }
    case "choice":
      return spec.choices!.includes(raw) ? raw : refuse();
    case "url": {
      let protocol: string | undefined;
      try {
        protocol = new URL(raw).protocol;
      } catch {
        return refuse();
      }
      return protocol === "http:" || protocol === "https:" ? raw : refuse();
    }
    case "account-id":
      return ACCOUNT_ID.test(raw) ? raw : refuse();
    default:
      return raw === "" ? refuse() : raw;
  }
}

/** parseArgs's own errors, as one line in the same words as ours. */
function usageFrom(error: { code?: string; message: string }, table: FlagTable, argv: string[]): UsageError {
  const flag = /'(-{1,2}[^', ]+)/.exec(error.message)?.[1] ?? "";
  const name = flag.replace(/^-+/, "");
  const spec = table[name] ?? Object.entries(table).find(([, s]) => s.short === name)?.[1];
  switch (error.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return new UsageError(`unknown option '${flag}'`);
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE": {
      if (spec?.kind === "boolean") return new UsageError(`${flag} takes no value`);
      // "ambiguous": the next word starts with '-' (`--max-body -1`); say what was given, as for any bad value.
      const next = argv[argv.indexOf(flag) + 1];
      const given = /ambiguous/.test(error.message) && next !== undefined ? `, not '${next}'` : "";
      return new UsageError(
        `${flag} ${given ? "takes" : "needs a value:"} ${spec ? accepts(spec) : "a value"}${given}`,
      );
    }
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return new UsageError(`unexpected argument '${/'([^']*)'/.exec(error.message)?.[1] ?? ""}'`);
    default:
      return new UsageError(error.message);
  }
}

/**
 * Parses `argv` against `table`; at most `maxPositionals` arguments that are not flags (a subcommand, a file).
 * Throws UsageError for an unknown flag, a missing or wrong value, or an extra argument.
 */
export function parseFlags<T extends FlagTable>(
  argv: string[],
  table: T,
  maxPositionals = 0,
): { values: FlagValues<T>; positionals: string[] } {
  const options: NonNullable<ParseArgsConfig["options"]> = {};
  for (const [name, spec] of Object.entries(table)) {
    options[name] = {
      type: spec.kind === "boolean" ? "boolean" : "string",
      ...(spec.short ? { short: spec.short } : {}),
      ...(spec.multiple ? { multiple: true } : {}),
    };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: maxPositionals > 0, strict: true });
  } catch (error) {
    throw usageFrom(error as { code?: string; message: string }, table, argv);
  }
  if (parsed.positionals.length > maxPositionals)
    throw new UsageError(`unexpected argument '${parsed.positionals[maxPositionals]}'`);
  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(table)) {
    const raw = parsed.values[name];
    if (spec.kind === "boolean") values[name] = raw === true;
    else if (Array.isArray(raw)) values[name] = raw.map((item) => convert(name, spec, String(item)));
    else if (raw !== undefined) values[name] = convert(name, spec, String(raw));
  }
  return { values: values as FlagValues<T>, positionals: parsed.positionals };
}
