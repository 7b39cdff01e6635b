import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateKeyCommand, DecryptCommand, EncryptCommand, GetKeyLastUsageCommand } from "@aws-sdk/client-kms";
import { CreateDBClusterCommand } from "@aws-sdk/client-neptune";
import { openDurableStore } from "../../src/state/durable-store.js";
import { inProcess, type Clients } from "../helpers/harness.js";
import { copySnapshot, createKey, createSnapshot, restoreFromSnapshot, world } from "../neptune/snapshots-fixtures.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function lastUsage(clients: Clients, keyId: string) {
  return (await clients.kms.send(new GetKeyLastUsageCommand({ KeyId: keyId }))).KeyLastUsage;
}

describe("KMS GetKeyLastUsage: the uses Neptune makes of a key on a caller's behalf", () => {
  test("creating an encrypted cluster is its key's GenerateDataKey, under a KMS request id of its own", async () => {
    const w = world();
    const key = await createKey(w.a);
    assert.equal(await lastUsage(w.a, key.KeyId!), undefined);
    w.clock.advance(60_000);
    const created = await w.a.neptune.send(
      new CreateDBClusterCommand({
        DBClusterIdentifier: "encrypted",
        Engine: "neptune",
        StorageEncrypted: true,
        KmsKeyId: key.Arn,
      }),
    );
    const used = await lastUsage(w.a, key.KeyId!);
    // The data key of the cluster's storage (CreateGrant and DescribeKey are not tracked operations).
    assert.equal(used?.Operation, "GenerateDataKey");
    assert.equal(used?.Timestamp?.getTime(), w.clock.now().getTime());
    assert.match(used?.KmsRequestId ?? "", UUID);
    assert.notEqual(used?.KmsRequestId, created.$metadata.requestId);
  });

  test("a copy under another key is a ReEncrypt of both keys; a restore from the snapshot a Decrypt of its key", async () => {
    const w = world();
    const [source, target] = [await createKey(w.a), await createKey(w.a)];
    await w.a.neptune.send(
      new CreateDBClusterCommand({ DBClusterIdentifier: "src", Engine: "neptune", KmsKeyId: source.Arn }),
    );
    w.clock.advance(w.emulator.delays.clusterCreateMs);
    await createSnapshot(w.a.neptune, "src", "snap1");
    w.clock.advance(w.emulator.delays.snapshotMs + 60_000);

    await copySnapshot(w.a.neptune, {
      SourceDBClusterSnapshotIdentifier: "snap1",
      TargetDBClusterSnapshotIdentifier: "copy",
      KmsKeyId: target.Arn,
    });
    const copiedAt = w.clock.now().getTime();
    const [fromSource, toTarget] = [await lastUsage(w.a, source.KeyId!), await lastUsage(w.a, target.KeyId!)];
    assert.deepEqual([fromSource?.Operation, toTarget?.Operation], ["ReEncrypt", "ReEncrypt"]);
    assert.deepEqual([fromSource?.Timestamp?.getTime(), toTarget?.Timestamp?.getTime()], [copiedAt, copiedAt]);
    assert.equal(fromSource?.KmsRequestId, toTarget?.KmsRequestId, "one ReEncrypt request used both keys");

    w.clock.advance(60_000);
    await restoreFromSnapshot(w.a.neptune, { DBClusterIdentifier: "restored", SnapshotIdentifier: "snap1" });
    const restored = await lastUsage(w.a, source.KeyId!);
    assert.equal(restored?.Operation, "Decrypt");
    assert.equal(restored?.Timestamp?.getTime(), w.clock.now().getTime());
    assert.equal((await lastUsage(w.a, target.KeyId!))?.Timestamp?.getTime(), copiedAt, "the target was not used");
  });
});

/** The emulator on a data directory, with its clock at `start`; `close` releases it for the next one. */
function onDisk(dir: string, start: number) {
  const env = inProcess({ store: openDurableStore(dir, {}) });
  env.clock.set(start);
  return { ...env, close: () => env.emulator.store.close() };
}

test("uses within one clock second: the last is answered; the store keeps the second's first; a later second is kept", async () => {
  const dir = mkdtempSync(join(tmpdir(), "trident-kms-usage-"));
  const second = Math.ceil(Date.now() / 1000) * 1000; // a whole second of the clock
  const first = onDisk(dir, second);
  const { KeyMetadata: key } = await first.a.kms.send(new CreateKeyCommand({}));
  const encrypted = await first.a.kms.send(new EncryptCommand({ KeyId: key!.KeyId, Plaintext: Buffer.from("x") }));
  first.clock.advance(400);
  const decrypted = await first.a.kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }));
  let used = await lastUsage(first.a, key!.KeyId!);
  assert.deepEqual(
    [used?.Operation, used?.Timestamp?.getTime(), used?.KmsRequestId],
    ["Decrypt", second + 400, decrypted.$metadata.requestId],
  );
  first.close();

  // *Decided* (key-last-usage.ts): a row per key per clock second, so a restart answers the second's first use.
  const again = onDisk(dir, second + 5_000);
  used = await lastUsage(again.a, key!.KeyId!);
  assert.deepEqual(
    [used?.Operation, used?.Timestamp?.getTime(), used?.KmsRequestId],
    ["Encrypt", second, encrypted.$metadata.requestId],
  );
  const later = await again.a.kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }));
  again.close();

  const third = onDisk(dir, second + 10_000);
  used = await lastUsage(third.a, key!.KeyId!);
  assert.deepEqual(
    [used?.Operation, used?.Timestamp?.getTime(), used?.KmsRequestId],
    ["Decrypt", second + 5_000, later.$metadata.requestId],
  );
  third.close();
});
