import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";

const MAIN = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));

/** Starts `trident serve` as users do, waits for its "listening" line and returns the endpoint. */
function serve(args: string[]) {
  const child = spawn(process.execPath, [MAIN, "serve", "--port", "0", ...args], { stdio: ["ignore", "pipe", "pipe"] });
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
  return { child, ready, exited, output: () => output, errors: () => errors };
}

describe("trident serve", () => {
  test("takes accounts and users from --config, logs each request, and stops cleanly on SIGTERM", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trident-"));
    const config = join(dir, "accounts.json");
    writeFileSync(
      config,
      JSON.stringify({
        accounts: {
          "333333333333": { users: [{ name: "ops", accessKeyId: "AKIA3333333333OPS001", secretAccessKey: "s3cret" }] },
        },
      }),
    );
    const server = serve(["--config", config]);
    const endpoint = await server.ready;
    const sts = new STSClient({
      region: "eu-west-1",
      endpoint,
      credentials: { accessKeyId: "AKIA3333333333OPS001", secretAccessKey: "s3cret" },
    });
    const id = await sts.send(new GetCallerIdentityCommand({}));
    assert.equal(id.Arn, "arn:aws:iam::333333333333:user/ops");
    server.child.kill("SIGTERM");
    assert.equal(await server.exited, 0);
    assert.match(server.output(), /GetCallerIdentity account=333333333333 status=200 /);
    assert.match(server.output(), /SIGTERM, shutting down/);
  });

  test("a config that is not valid stops it with a clear message and exit code 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trident-"));
    const config = join(dir, "bad.json");
    writeFileSync(config, JSON.stringify({ accounts: { "12345": {} } }));
    const server = serve(["--config", config]);
    assert.equal(await server.exited, 2);
    assert.match(server.errors(), /invalid config .*account id '12345' is not 12 digits/);
  });
});
