import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";
import { MAIN } from "../helpers/serve-process.js";

/** Runs the real binary; resolves with its exit code and output (it never gets far enough to listen). */
function trident(args: string[], env: NodeJS.ProcessEnv = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [MAIN, ...args], { env: { ...process.env, ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
  });
}

const BYTES = "takes a whole number of bytes from 1 to 1073741824";
const PORT = "takes a port number from 0 to 65535 \\(0: any free port\\)";

/** [arguments, the one line expected on stderr (after "trident <command>: ")]. */
const REFUSALS: [string[], string][] = [
  [["serve", "--max-body", "abc"], `--max-body ${BYTES}, not 'abc'`],
  [["serve", "--max-body", "-1"], `--max-body ${BYTES}, not '-1'`],
  [["serve", "--max-body", "0"], `--max-body ${BYTES}, not '0'`],
  [["serve", "--max-body=1e3"], `--max-body ${BYTES}, not '1e3'`],
  [["serve", "--port", "abc"], `--port ${PORT}, not 'abc'`],
  [["serve", "--port", "70000"], `--port ${PORT}, not '70000'`],
  [["serve", "--port"], `--port needs a value: a port number from 0 to 65535 \\(0: any free port\\)`],
  [["serve", "--delays", "foo"], "--delays takes one of instant, demo, realistic, not 'foo'"],
  [["serve", "--drain-timeout", "0"], "--drain-timeout takes a number of seconds above 0, not '0'"],
  [["serve", "--frobnicate"], "unknown option '--frobnicate'"],
  [["serve", "--quiet=yes"], "--quiet takes no value"],
  [["serve", "stray"], "unexpected argument 'stray'"],
  [["demo", "--fast=1"], "--fast takes no value"],
  [["demo", "--nope"], "unknown option '--nope'"],
  [["migrate", "plan", "--poll-interval", "soon"], "--poll-interval takes a number of seconds above 0, not 'soon'"],
  [["migrate", "plan", "--instance-count", "1.5"], "--instance-count takes a whole number, 1 or more, not '1.5'"],
  [["migrate", "plan", "--output", "yaml"], "--output takes one of text, json, not 'yaml'"],
  [
    ["migrate", "plan", "--endpoint-url", "localhost:4599"],
    "--endpoint-url takes an http:// or https:// URL, not 'localhost:4599'",
  ],
  [
    ["state", "export", "f.json", "--endpoint-url", "ftp://x"],
    "--endpoint-url takes an http:// or https:// URL, not 'ftp://x'",
  ],
  [["state", "export"], "give the file to export: trident state export FILE"],
  [["state", "send", "f.json"], "unknown subcommand 'send' \\(export or import\\)"],
  [["state", "export", "f.json"], "set TRIDENT_STATE_PASSPHRASE: the document's secrets are sealed under it"],
];

describe("every flag of every command is checked", { concurrency: true }, () => {
  for (const [args, expected] of REFUSALS) {
    test(`trident ${args.join(" ")}: exit 2, one line naming the flag`, async () => {
      const { code, stdout, stderr } = await trident(args, { TRIDENT_STATE_PASSPHRASE: "" });
      assert.equal(code, 2, stderr);
      assert.equal(stdout, "");
      assert.match(stderr, new RegExp(`^trident ${args[0]}: ${expected} \\(see 'trident ${args[0]} --help'\\)\\n$`));
    });
  }

  test("a --host or --port that cannot be listened on is one line too, exit 2", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      const inUse = await trident(["serve", "--port", String(port)]);
      assert.equal(inUse.code, 2);
      assert.equal(
        inUse.stderr,
        `trident serve: cannot listen on --host 127.0.0.1 --port ${port}: EADDRINUSE (see 'trident serve --help')\n`,
      );
    } finally {
      taken.close();
    }
    const unknownHost = await trident(["serve", "--host", "no-such-host.invalid", "--port", "0"]);
    assert.equal(unknownHost.code, 2);
    assert.match(
      unknownHost.stderr,
      /^trident serve: cannot listen on --host no-such-host\.invalid --port 0: (ENOTFOUND|EAI_AGAIN) /,
    );
  });

  test("--help of each command exits 0 and says where state lives", async () => {
    for (const command of ["serve", "demo", "migrate", "state"]) {
      const { code, stdout } = await trident([command, "--help"]);
      assert.equal(code, 0, command);
      assert.match(stdout, new RegExp(`^Usage: trident ${command}`));
    }
    const serveHelp = (await trident(["serve", "--help"])).stdout;
    assert.match(
      serveHelp,
      /Without --data-dir, state lives in memory: everything created is lost when the server stops/,
    );
    assert.match(serveHelp, /--data-dir DIR {7}keep all state in DIR/);
  });
});
