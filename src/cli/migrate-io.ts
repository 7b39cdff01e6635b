import type { NeptuneClientConfig } from "@aws-sdk/client-neptune";
import { EXIT, MigrateError } from "../migrate/errors.js";

/** Where the command reads and writes; tests pass their own, and an in-process request handler. */
export interface MigrateIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Interactive confirmation; absent when stdin is not a terminal. */
  ask?: (question: string) => Promise<string>;
  /** Bars on a terminal; lines otherwise. */
  stderrStream?: NodeJS.WriteStream;
  requestHandler?: NeptuneClientConfig["requestHandler"];
  env?: NodeJS.ProcessEnv;
  /** Milliseconds, for a fleet's durations (tests pass their manual clock); default Date.now. */
  now?: () => number;
}

/** Asks once (`--yes`: doesn't); without a terminal to ask, refuses with the way to confirm. */
export async function confirmation(io: MigrateIo, yes: boolean, question: string): Promise<boolean> {
  if (yes) return true;
  if (!io.ask)
    throw new MigrateError(
      "this changes live resources and there is no terminal to ask",
      "re-run with --yes to confirm",
      EXIT.declined,
    );
  const answer = await io.ask(`${question} [y/N] `);
  return /^y(es)?$/i.test(answer.trim());
}
