import { after } from "node:test";
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The CLI as users run it: the bundle `npm run build` links (scripts/build-cli.mjs). */
export const MAIN = fileURLToPath(new URL("../../cli/trident.js", import.meta.url));
/** The CLI as tsc compiled it, one module per source file: for tests that look at which modules a process loads. */
export const MAIN_MODULES = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));

/** Every server a test file started, so that one a failed test left running is stopped. */
const children: ChildProcess[] = [];
after(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

/**
 * Starts `trident serve` as users do (on a free port, `env` added to this process's environment); `ready` resolves
 * to the endpoint once its "listening" line is out, `printed` once a line matching a pattern is.
 */
export function serve(args: string[], env: NodeJS.ProcessEnv = {}, entry = MAIN) {
  const child = spawn(process.execPath, [entry, "serve", "--port", "0", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
  });
  children.push(child);
  let output = "";
  let errors = "";
  child.stderr.on("data", (d: Buffer) => (errors += d.toString()));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (d: Buffer) => {
      output += d.toString();
      const match = /listening on (http:\/\/\S+) /.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once("exit", (code) => reject(new Error(`serve exited with ${code}: ${errors}`)));
  });
  ready.catch(() => undefined); // a test that expects the server to fail reads `exited` instead
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const printed = (pattern: RegExp) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (pattern.test(output)) {
          child.stdout.off("data", check);
          resolve();
        }
      };
      child.stdout.on("data", check);
      check();
    });
  return { child, ready, exited, printed, output: () => output, errors: () => errors };
}
