#!/usr/bin/env node
import { ConfigError } from "../config/config.js";
import { StateDirError } from "../state/state-dir-error.js";
import { UsageError } from "./flags.js";
import { routeProcessWarnings } from "./warnings.js";

const USAGE = `Usage: trident <command> [options]

Commands:
  serve     run the local AWS (Neptune, KMS, STS) on a port
  migrate   move a Neptune cluster to another account: plan, apply, cleanup
  demo      the seed scenario on the embedded local AWS: plan and apply from 111111111111 to 222222222222
  state     export or import the whole state of a running local AWS (a prepared rehearsal, to share)
  env       print the shell exports that point the AWS CLI, SDKs and Terraform at a local AWS
  help      show this text

Run 'trident <command> --help' for a command's options.`;

/**
 * A command resolves to its exit code (0 when it returns nothing); bad options throw UsageError (exit 2). Each is
 * loaded only when run: `serve` then never loads the AWS SDK clients that migrate and demo use, which halves the
 * time from start to the first answered request and the idle memory (bench/scale.ts).
 */
type Command = (argv: string[]) => Promise<number | void>;
const commands: Record<string, () => Promise<Command>> = {
  serve: async () => (await import("./serve.js")).serveCommand,
  migrate: async () => (await import("./migrate.js")).migrateCommand,
  demo: async () => (await import("./demo.js")).demoCommand,
  state: async () => (await import("./state.js")).stateCommand,
  env: async () => (await import("./env.js")).envCommand,
};

async function main(argv: string[]): Promise<number> {
  routeProcessWarnings(argv.includes("--debug"));
  const [command, ...rest] = argv;
  if (!command || command === "help" || command === "--help" || command === "-h") {
    console.log(USAGE);
    return 0;
  }
  const load = Object.hasOwn(commands, command) ? commands[command] : undefined;
  if (!load) {
    console.error(`trident: unknown command '${command}'\n\n${USAGE}`);
    return 2;
  }
  const run = await load();
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
