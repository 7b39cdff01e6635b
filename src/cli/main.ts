#!/usr/bin/env node
import { ConfigError } from "../config/config.js";
import { StateDirError } from "../state/state-dir-error.js";
import { serveCommand } from "./serve.js";
import { migrateCommand } from "./migrate.js";
import { demoCommand } from "./demo.js";
import { UsageError } from "./flags.js";
import { stateCommand } from "./state.js";
import { routeProcessWarnings } from "./warnings.js";
import { envCommand } from "./env.js";

const USAGE = `Usage: trident <command> [options]

Commands:
  serve     run the local AWS (Neptune, KMS, STS) on a port
  migrate   move a Neptune cluster to another account: plan, apply, cleanup
  demo      the seed scenario on the embedded local AWS: plan and apply from 111111111111 to 222222222222
  state     export or import the whole state of a running local AWS (a prepared rehearsal, to share)
  env       print the shell exports that point the AWS CLI, SDKs and Terraform at a local AWS
  help      show this text

Run 'trident <command> --help' for a command's options.`;

/** A command resolves to its exit code (0 when it returns nothing); bad options throw UsageError (exit 2). */
const commands: Record<string, (argv: string[]) => Promise<number | void>> = {
  serve: serveCommand,
  migrate: migrateCommand,
  demo: demoCommand,
  state: stateCommand,
  env: envCommand,
};

async function main(argv: string[]): Promise<number> {
  routeProcessWarnings(argv.includes("--debug"));
  const [command, ...rest] = argv;
  if (!command || command === "help" || command === "--help" || command === "-h") {
    console.log(USAGE);
    return 0;
  }
  const run = Object.hasOwn(commands, command) ? commands[command] : undefined;
  if (!run) {
    console.error(`trident: unknown command '${command}'\n\n${USAGE}`);
    return 2;
  }
  try {
    return (await run(rest)) ?? 0;
  } catch (error) {
    // One line naming the flag and what it takes, no stack: the user's to fix (exit 2).
    if (error instanceof UsageError || error instanceof ConfigError) {
      console.error(`trident ${command}: ${error.message} (see 'trident ${command} --help')`);
      return 2;
    }
    // A data directory that cannot be used as asked (owned by another server, newer, wrong master key): one line.
    if (error instanceof StateDirError) {
      console.error(`trident ${command}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exit(code);
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
