import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KMSClient } from "@aws-sdk/client-kms";
import { NeptuneClient } from "@aws-sdk/client-neptune";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { A, ADMIN, B, REGION, type Clients, type Credentials } from "../helpers/harness.js";
import { serve } from "../helpers/serve-process.js";
import { buildRehearsal, describeRehearsal, PLAINTEXT, useRehearsal } from "./rehearsal.js";

function clientsAt(endpoint: string, credentials: Credentials): Clients {
  const config = { region: REGION, endpoint, credentials, maxAttempts: 1 };
  return { sts: new STSClient(config), kms: new KMSClient(config), neptune: new NeptuneClient(config) };
}

describe("trident serve --data-dir", () => {
  test("a rehearsal survives a stop and a start: identical Describe output, ciphertexts, sessions, copies", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "trident-serve-")), "created-on-start");
    const first = serve(["--data-dir", dir, "--delays", "instant"]);
    const endpoint = await first.ready;
    await first.printed(new RegExp(`trident: state lives in ${dir}\n`));
    const [a, b] = [clientsAt(endpoint, ADMIN[A]!), clientsAt(endpoint, ADMIN[B]!)];
    const rehearsal = await buildRehearsal(a, b, () => undefined);
    const before = await describeRehearsal(a, b, rehearsal);
    first.child.kill("SIGTERM");
    assert.equal(await first.exited, 0);

    // The same directory through the environment variable this time.
    const second = serve(["--delays", "instant"], { TRIDENT_DATA_DIR: dir });
    try {
      const again = await second.ready;
      const [a2, b2] = [clientsAt(again, ADMIN[A]!), clientsAt(again, ADMIN[B]!)];
      assert.deepEqual(await describeRehearsal(a2, b2, rehearsal), before);
      const used = await useRehearsal(a2, b2, rehearsal, clientsAt(again, rehearsal.temporary).sts);
      assert.deepEqual(used, { plaintext: PLAINTEXT, caller: `arn:aws:iam::${A}:user/admin`, restored: "available" });
    } finally {
      second.child.kill("SIGTERM");
    }
    assert.equal(await second.exited, 0);
  });

  test("a second server on a directory in use refuses to start, with a clear message, and the first is unharmed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trident-serve-"));
    const owner = serve(["--data-dir", dir]);
    const endpoint = await owner.ready;
    try {
      const intruder = serve(["--data-dir", dir]);
      assert.equal(await intruder.exited, 1);
      assert.equal(
        intruder.errors(),
        `trident serve: ${dir} is in use by another Trident process (its database is locked)\n`,
      );
      const caller = await clientsAt(endpoint, ADMIN[A]!).sts.send(new GetCallerIdentityCommand({}));
      assert.equal(caller.Account, A);
    } finally {
      owner.child.kill("SIGKILL");
    }
    await owner.exited;
    // The OS released the lock with the process: no stale lock to clean up.
    const next = serve(["--data-dir", dir]);
    await next.ready;
    next.child.kill("SIGTERM");
    assert.equal(await next.exited, 0);
  });
});
