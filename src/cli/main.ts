#!/usr/bin/env node
import { ConfigError } from "../config/config.js";
import { StateDirError } from "../state/state-dir-error.js";
import { serveCommand } from "./serve.js";
import { migrateCommand } from "./migrate.js";
import { demoCommand } from "./demo.js";

const USAGE = `Usage: trident <command> [options]

Commands:
  serve     run the local AWS (Neptune, KMS, STS) on a port
  migrate   move a Neptune cluster to another account: plan, apply, cleanup
  demo      the seed scenario on the embedded local AWS: plan and apply from 111111111111 to 222222222222
  help      show this text

Run 'trident <command> --help' for a command's options.`;

const commands: Record<string, (argv: string[]) => Promise<void>> = {
  serve: serveCommand,
  migrate: migrateCommand,
  demo: demoCommand,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === "help" || command === "--help" || command === "-h") {
    console.log(USAGE);
    return 0;
  }
  const run = commands[command];
  if (!run) {
    console.error(`trident: unknown command '${command}'\n\n${USAGE}`);
    return 2;
  }
  await run(rest);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exit(code);
  },
  (error: unknown) => {
    if (error instanceof ConfigError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`trident: ${(error as Error).message}`);
      process.exit(2);
    }
    if (error instanceof StateDirError) {
      console.error(`trident: ${error.message}`);
      process.exit(1);
    }
    console.error(error);
    process.exit(1);
  },
);
