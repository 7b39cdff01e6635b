import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_CREDENTIALS } from "../../src/config/defaults.js";
import { A, B } from "../helpers/harness.js";
import { denyKeysOfA, seedConfig } from "../helpers/seed.js";
import { MAIN } from "../helpers/serve-process.js";

/**
 * The "Done when": the seed's whole procedure as a shell script with the AWS CLI against a real
 * `trident serve` (its own process, a free port, the demo delays so every transition is waited for), proving each
 * of R1–R11 by the code and message of the refused variants. The script is tests/cli/seed-procedure.sh.
 */

// Compiled to dist/tests/cli/; the script stays in the source tree.
const SCRIPT = fileURLToPath(new URL("../../../tests/cli/seed-procedure.sh", import.meta.url));

const B_DENIED = { accessKeyId: "AKIABSEEDDENIED00001", secretAccessKey: "b-seed-denied-secret" };

// B's IAM half of R10: this caller's own policy denies A's keys.
const CONFIG = seedConfig({ [B]: [{ name: "denied", ...B_DENIED, policy: denyKeysOfA() }] });

function startServe(config: string): Promise<{ child: ChildProcess; endpoint: string }> {
  const child = spawn(
    process.execPath,
    [MAIN, "serve", "--port", "0", "--quiet", "--delays", "demo", "--config", config],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+) /.exec(output);
      if (match) resolve({ child, endpoint: match[1]! });
    });
    child.once("exit", (code) => reject(new Error(`trident serve exited with ${code}: ${output}`)));
  });
}

function runScript(env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile("bash", [SCRIPT], { env, timeout: 240_000, maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe("the seed procedure with the AWS CLI against trident serve", () => {
  let dir: string;
  let server: { child: ChildProcess; endpoint: string };
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "trident-seed-"));
    const config = join(dir, "accounts.json");
    writeFileSync(config, JSON.stringify(CONFIG));
    server = await startServe(config);
  });
  after(() => {
    server?.child.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  });

  test(
    "A shares an encrypted snapshot, B copies, restores and starts an instance; R1–R11 each refused as AWS does",
    { timeout: 300_000 },
    async () => {
      const result = await runScript({
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        TRIDENT_ENDPOINT: server.endpoint,
        A_ACCESS_KEY_ID: DEFAULT_CREDENTIALS[A].accessKeyId,
        A_SECRET_ACCESS_KEY: DEFAULT_CREDENTIALS[A].secretAccessKey,
        B_ACCESS_KEY_ID: DEFAULT_CREDENTIALS[B].accessKeyId,
        B_SECRET_ACCESS_KEY: DEFAULT_CREDENTIALS[B].secretAccessKey,
        B_DENIED_ACCESS_KEY_ID: B_DENIED.accessKeyId,
        B_DENIED_SECRET_ACCESS_KEY: B_DENIED.secretAccessKey,
      });
      assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
      assert.match(result.stdout, /seed procedure: passed\n$/);
      for (let rule = 1; rule <= 11; rule++)
        assert.match(result.stdout, new RegExp(`ok: R${rule}\\b`), `R${rule} not proved`);
      assert.match(result.stdout, /ok: R10 \(target key None; source key refused by B's IAM policy\)/);
      assert.match(
        result.stdout,
        /ok: R11 \(seed-restored and seed-restored-1 available, encrypted with arn:aws:kms:us-east-1:222222222222:key\//,
      );
    },
  );
});
