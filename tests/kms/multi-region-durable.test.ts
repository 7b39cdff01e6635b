import { test } from "node:test";
import assert from "node:assert/strict";
import { constants, createPublicKey, publicEncrypt, randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GetKeyLastUsageCommand,
  GetParametersForImportCommand,
  ImportKeyMaterialCommand,
  ListKeyRotationsCommand,
  ReplicateKeyCommand,
  RotateKeyOnDemandCommand,
} from "@aws-sdk/client-kms";
import { openDurableStore } from "../../src/state/durable-store.js";
import { A, ADMIN, inProcess } from "../helpers/harness.js";

const WEST = "eu-west-1";

/** The emulator on a data directory; `close` releases it so that the next one can open it. */
function onDisk(dir: string) {
  const env = inProcess({ store: openDurableStore(dir, {}) });
  return { ...env, west: env.clientsFor(ADMIN[A]!, WEST), close: () => env.emulator.store.close() };
}

test("multi-Region keys, rotations, imported material, import parameters and last usage survive a restart", async () => {
  const dir = mkdtempSync(join(tmpdir(), "trident-kms-life-"));
  const first = onDisk(dir);
  const { KeyMetadata: mrk } = await first.a.kms.send(new CreateKeyCommand({ MultiRegion: true }));
  await first.a.kms.send(new ReplicateKeyCommand({ KeyId: mrk!.KeyId, ReplicaRegion: WEST }));
  const before = await first.a.kms.send(new EncryptCommand({ KeyId: mrk!.KeyId, Plaintext: Buffer.from("before") }));
  await first.a.kms.send(new RotateKeyOnDemandCommand({ KeyId: mrk!.KeyId }));

  const { KeyMetadata: external } = await first.a.kms.send(new CreateKeyCommand({ Origin: "EXTERNAL" }));
  const parameters = await first.a.kms.send(
    new GetParametersForImportCommand({
      KeyId: external!.KeyId,
      WrappingAlgorithm: "RSAES_OAEP_SHA_256",
      WrappingKeySpec: "RSA_2048",
    }),
  );
  const described = await first.a.kms.send(new DescribeKeyCommand({ KeyId: mrk!.KeyId }));
  first.close();

  const second = onDisk(dir);
  const again = await second.a.kms.send(new DescribeKeyCommand({ KeyId: mrk!.KeyId }));
  assert.deepEqual(again.KeyMetadata, described.KeyMetadata);
  const inWest = await second.west.kms.send(new DecryptCommand({ CiphertextBlob: before.CiphertextBlob }));
  assert.equal(Buffer.from(inWest.Plaintext!).toString(), "before");
  const { Rotations } = await second.west.kms.send(new ListKeyRotationsCommand({ KeyId: mrk!.KeyId }));
  assert.deepEqual(
    Rotations!.map((entry) => [entry.RotationType, entry.KeyMaterialId]),
    [["ON_DEMAND", described.KeyMetadata!.CurrentKeyMaterialId]],
  );
  const usage = await second.a.kms.send(new GetKeyLastUsageCommand({ KeyId: mrk!.KeyId }));
  assert.equal(usage.KeyLastUsage!.Operation, "Encrypt");

  // The wrapping key pair handed out before the restart still unwraps.
  const material = randomBytes(32);
  const publicKey = createPublicKey({ key: Buffer.from(parameters.PublicKey!), format: "der", type: "spki" });
  await second.a.kms.send(
    new ImportKeyMaterialCommand({
      KeyId: external!.KeyId,
      ImportToken: parameters.ImportToken,
      ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE",
      EncryptedKeyMaterial: publicEncrypt(
        { key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" },
        material,
      ),
    }),
  );
  const blob = await second.a.kms.send(new EncryptCommand({ KeyId: external!.KeyId, Plaintext: Buffer.from("x") }));
  second.close();

  const third = onDisk(dir);
  assert.equal(
    (await third.a.kms.send(new DescribeKeyCommand({ KeyId: external!.KeyId }))).KeyMetadata!.KeyState,
    "Enabled",
  );
  const { Plaintext } = await third.a.kms.send(new DecryptCommand({ CiphertextBlob: blob.CiphertextBlob }));
  assert.equal(Buffer.from(Plaintext!).toString(), "x");
  third.close();
});
