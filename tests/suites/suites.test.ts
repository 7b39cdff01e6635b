import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "../helpers/serve-process.js";

/** The Python suites live beside this file's source (tests/suites/), not in dist. */
const SUITES = fileURLToPath(new URL("../../../tests/suites/", import.meta.url));

/** Runs one Python unittest file against an endpoint; its exit code and output. */
function python(file: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("python3", ["-m", "unittest", "-v", file], {
      cwd: SUITES,
      // No __pycache__ beside the sources.
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PYTHONDONTWRITEBYTECODE: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, output }));
  });
}

/** A config that gives moto's account one role its root may assume. */
function motoConfig(): string {
  const file = join(mkdtempSync(join(tmpdir(), "trident-suite-")), "accounts.json");
  const trust = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "sts:AssumeRole" }],
  };
  writeFileSync(
    file,
    JSON.stringify({ accounts: { "123456789012": { roles: [{ name: "fixture-role", trustPolicy: trust }] } } }),
  );
  return file;
}

describe("suites written for other emulators run unchanged (Python, boto3, unittest)", () => {
  test("moto server mode: TEST_SERVER_MODE, dummy keys, account 123456789012, /moto-api/reset", async () => {
    const server = serve([
      "--relaxed-auth",
      "--default-account",
      "123456789012",
      "--delays",
      "instant",
      "--config",
      motoConfig(),
      "--quiet",
    ]);
    const endpoint = await server.ready;
    const { code, output } = await python("moto_style_test.py", {
      TEST_SERVER_MODE: "true",
      TEST_SERVER_MODE_ENDPOINT: endpoint,
      AWS_ACCESS_KEY_ID: "testing",
      AWS_SECRET_ACCESS_KEY: "testing",
    });
    server.child.kill("SIGTERM");
    await server.exited;
    assert.equal(code, 0, output);
    assert.match(output, /^Ran 11 tests in /m);
    assert.match(output, /^OK$/m);
  });

  test("LocalStack: health wait, /_localstack/state/reset, key test, account 000000000000", async () => {
    const server = serve(["--relaxed-auth", "--delays", "instant", "--quiet"]);
    const endpoint = await server.ready;
    const { code, output } = await python("localstack_style_test.py", { LOCALSTACK_ENDPOINT: endpoint });
    server.child.kill("SIGTERM");
    await server.exited;
    assert.equal(code, 0, output);
    assert.match(output, /^Ran 5 tests in /m);
    assert.match(output, /^OK$/m);
  });
});
