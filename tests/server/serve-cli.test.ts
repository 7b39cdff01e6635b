import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { serve } from "../helpers/serve-process.js";

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
