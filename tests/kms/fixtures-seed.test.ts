import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createCipheriv, randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateGrantCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EncryptCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  ListResourceTagsCommand,
} from "@aws-sdk/client-kms";
import { CreateDBClusterCommand, NeptuneClient } from "@aws-sdk/client-neptune";
import { readSeedPaths, readSeedText, SeedFileError } from "../../src/domain/kms/seed-file.js";
import { inProcess, REGION, rejection } from "../helpers/harness.js";
import { serve } from "../helpers/serve-process.js";

const DUMMY = { accessKeyId: "test", secretAccessKey: "test" };
const KEY_ID = "bc436485-5092-42b8-92a3-0aa8b93536dc";
const MATERIAL_HEX = "5cdaead27fe7da2de47945d73cd6d79e36494e73802f3cd3869f1d2cb0b5d7a9";
const OTHER_HEX = "34743777217a25432a46294a404e635266556a586e3272357538782f413f4428";

/** local-kms's README seed, with an ECC key Trident skips. */
function seedFile(material = MATERIAL_HEX, extra = ""): string {
  const dir = mkdtempSync(join(tmpdir(), "trident-seed-"));
  const file = join(dir, "seed.yaml");
  writeFileSync(
    file,
    `${extra}Keys:
  Symmetric:
    Aes:
      - Metadata:
          KeyId: ${KEY_ID}
          Description: fixture key
        NextKeyRotation: "2031-09-12T15:19:21+00:00"
        BackingKeys:
          - ${material}
  Asymmetric:
    Ecc:
      - Metadata:
          KeyId: 800d5768-3fd7-4edd-a4b8-4c81c3e4c147
          KeyUsage: SIGN_VERIFY
        PrivateKeyPem: |
          -----BEGIN EC PRIVATE KEY-----
          -----END EC PRIVATE KEY-----
Aliases:
  - AliasName: alias/testing
    TargetKeyId: ${KEY_ID}
  - AliasName: alias/ecc
    TargetKeyId: 800d5768-3fd7-4edd-a4b8-4c81c3e4c147
`,
  );
  return file;
}

/** A `trident serve --relaxed-auth` started with these flags, and a KMS client with the dummy key. */
async function served(args: string[]) {
  const server = serve(["--relaxed-auth", ...args]);
  const endpoint = await server.ready;
  await server.printed(/^Ready\.$/m);
  const config = { region: REGION, endpoint, credentials: DUMMY, maxAttempts: 1 };
  return { server, endpoint, kms: new KMSClient(config), neptune: new NeptuneClient(config) };
}

const encrypt = async (kms: KMSClient, KeyId: string, text: string) =>
  (await kms.send(new EncryptCommand({ KeyId, Plaintext: Buffer.from(text) }))).CiphertextBlob!;

describe("KMS seed files (--seed, local-kms's YAML)", () => {
  test("the seed's key, alias and rotation are there; what Trident cannot hold is skipped with a warning", async () => {
    const { server, kms } = await served(["--seed", seedFile()]);
    const key = (await kms.send(new DescribeKeyCommand({ KeyId: "alias/testing" }))).KeyMetadata!;
    assert.equal(key.KeyId, KEY_ID);
    assert.equal(key.Arn, `arn:aws:kms:us-east-1:000000000000:key/${KEY_ID}`);
    assert.equal(key.Description, "fixture key");
    assert.equal(key.KeyState, "Enabled");
    const rotation = await kms.send(new GetKeyRotationStatusCommand({ KeyId: KEY_ID }));
    assert.equal(rotation.KeyRotationEnabled, true);
    assert.equal(rotation.NextRotationDate!.toISOString(), "2031-09-12T15:19:21.000Z");
    const ecc = await rejection(() => kms.send(new DescribeKeyCommand({ KeyId: "alias/ecc" })));
    assert.equal(ecc.name, "NotFoundException");
    assert.match(server.output(), /skipped Ecc key 800d5768-3fd7-4edd-a4b8-4c81c3e4c147: Trident's KMS has symmetric/);
    assert.match(server.output(), /skipped alias\/ecc: its key 800d5768-3fd7-4edd-a4b8-4c81c3e4c147 was skipped/);
    server.child.kill("SIGTERM");
    await server.exited;
  });

  test("two servers seeded with the same file decrypt each other's ciphertexts; other material cannot", async () => {
    const one = await served(["--seed", seedFile()]);
    const two = await served(["--seed", seedFile()]);
    const other = await served(["--seed", seedFile(OTHER_HEX)]);
    const blob = await encrypt(one.kms, "alias/testing", "made on one");
    const back = await two.kms.send(new DecryptCommand({ CiphertextBlob: blob }));
    assert.equal(Buffer.from(back.Plaintext!).toString(), "made on one");
    assert.equal(back.KeyId, `arn:aws:kms:us-east-1:000000000000:key/${KEY_ID}`);
    const reverse = await one.kms.send(
      new DecryptCommand({ CiphertextBlob: await encrypt(two.kms, KEY_ID, "made on two") }),
    );
    assert.equal(Buffer.from(reverse.Plaintext!).toString(), "made on two");
    // The same key id with other material: the material really is the key.
    const refused = await rejection(() => other.kms.send(new DecryptCommand({ CiphertextBlob: blob })));
    assert.equal(refused.name, "InvalidCiphertextException");
    for (const { server } of [one, two, other]) server.child.kill("SIGTERM");
  });

  test("a file's Account and Region place its keys; a reset puts the seed back", async () => {
    const file = seedFile(MATERIAL_HEX, "Account: '123456789012'\nRegion: eu-west-2\n");
    const { server, endpoint } = await served(["--seed", file]);
    const kms = new KMSClient({
      region: "eu-west-2",
      endpoint,
      credentials: { ...DUMMY, accessKeyId: "123456789012" },
    });
    const key = (await kms.send(new DescribeKeyCommand({ KeyId: "alias/testing" }))).KeyMetadata!;
    assert.equal(key.Arn, `arn:aws:kms:eu-west-2:123456789012:key/${KEY_ID}`);
    assert.equal((await fetch(`${endpoint}/_localstack/state/reset`, { method: "POST" })).status, 200);
    const again = (await kms.send(new DescribeKeyCommand({ KeyId: "alias/testing" }))).KeyMetadata!;
    assert.equal(again.KeyId, KEY_ID);
    server.child.kill("SIGTERM");
  });

  test("with a data directory a seed never overwrites: a seeded key disabled stays disabled across a restart", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "trident-data-"));
    const file = seedFile();
    const first = await served(["--seed", file, "--data-dir", dataDir]);
    await first.kms.send(new DisableKeyCommand({ KeyId: KEY_ID }));
    first.server.child.kill("SIGTERM");
    assert.equal(await first.server.exited, 0);
    const second = await served(["--seed", file, "--data-dir", dataDir]);
    assert.match(second.server.output(), /KMS seed: 1 keys in 000000000000\/us-east-1 \(0 keys and 0 aliases put now/);
    const kept = (await second.kms.send(new DescribeKeyCommand({ KeyId: KEY_ID }))).KeyMetadata!;
    assert.equal(kept.KeyState, "Disabled");
    // A reset clears the key; the seed puts it back as the file says.
    assert.equal((await fetch(`${second.endpoint}/_trident/reset?service=kms`, { method: "POST" })).status, 200);
    const again = (await second.kms.send(new DescribeKeyCommand({ KeyId: KEY_ID }))).KeyMetadata!;
    assert.equal(again.KeyState, "Enabled");
    second.server.child.kill("SIGTERM");
    await second.server.exited;
  });

  test("a seed file that is not right stops the start: one line naming the file and the entry, exit 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trident-seed-"));
    const bad = join(dir, "bad.yaml");
    writeFileSync(
      bad,
      `Keys:\n  Symmetric:\n    Aes:\n      - Metadata: {KeyId: ${KEY_ID}}\n        BackingKeys: [abc]\n`,
    );
    const server = serve(["--seed", bad]);
    assert.equal(await server.exited, 2);
    assert.match(
      server.errors(),
      /--seed .*bad\.yaml: Keys\.Symmetric\.Aes\[0\]\.BackingKeys\[0\] must be 256 bits in hex/,
    );
  });

  test("a directory: each .yaml/.yml file in name order, each in its own account; one key in two files is refused, across --seed paths too", () => {
    const dir = mkdtempSync(join(tmpdir(), "trident-seeds-"));
    const aes = (id: string) =>
      `Keys: {Symmetric: {Aes: [{Metadata: {KeyId: ${id}}, BackingKeys: ["${MATERIAL_HEX}"]}]}}\n`;
    writeFileSync(join(dir, "b.yml"), `Account: "222222222222"\n${aes(KEY_ID)}`);
    writeFileSync(join(dir, "a.yaml"), aes("00000000-0000-4000-8000-000000000001"));
    writeFileSync(join(dir, "notes.txt"), "not a seed");
    const defaults = { accountId: "123456789012", region: "us-east-1" };
    const { seeds, warnings } = readSeedPaths([dir], defaults);
    assert.deepEqual(
      seeds.map((seed) => [seed.source.slice(dir.length + 1), seed.accountId, seed.keys[0]!.keyId]),
      [
        ["a.yaml", "123456789012", "00000000-0000-4000-8000-000000000001"],
        ["b.yml", "222222222222", KEY_ID],
      ],
    );
    assert.deepEqual(warnings, []);
    // Also across --seed paths.
    const other = join(mkdtempSync(join(tmpdir(), "trident-seeds-")), "c.yaml");
    writeFileSync(other, `Account: "222222222222"\n${aes(KEY_ID)}`);
    assert.throws(
      () => readSeedPaths([dir, other], defaults),
      (error: unknown) =>
        error instanceof SeedFileError && /c\.yaml: key .* is seeded by .*b\.yml too/.test(error.message),
    );
  });

  for (const [name, text, message] of [
    ["not YAML", "Keys: [", /not YAML/],
    [
      "a key id that is no UUID",
      `Keys: {Symmetric: {Aes: [{Metadata: {KeyId: "0xabc"}, BackingKeys: ["${MATERIAL_HEX}"]}]}}`,
      /KeyId '0xabc' is not a KMS key id/,
    ],
    [
      "an alias to no key of the file",
      "Aliases: [{AliasName: alias/x, TargetKeyId: " + KEY_ID + "}]",
      /targets .* which is not a key of this file/,
    ],
    [
      "an AWS alias",
      `Keys: {Symmetric: {Aes: [{Metadata: {KeyId: ${KEY_ID}}, BackingKeys: ["${MATERIAL_HEX}"]}]}}\nAliases: [{AliasName: alias/aws/rds, TargetKeyId: ${KEY_ID}}]`,
      /not an alias name a customer may use/,
    ],
    ["an account of 11 digits", "Account: '12345678901'", /Account must be a 12-digit account id/],
    ["an unknown field", "Version: 2", /unknown field 'Version'/],
  ] as const) {
    test(`refused: ${name}`, () => {
      assert.throws(
        () => readSeedText(text, "f.yaml", { accountId: "000000000000", region: "us-east-1" }),
        (error: unknown) => error instanceof SeedFileError && message.test(error.message),
      );
    });
  }
});

describe("LocalStack's _custom_id_ and _custom_key_material_ tags on CreateKey", () => {
  const material = Buffer.from(MATERIAL_HEX, "hex").toString("base64");
  const tags = (id: string, value = material) => [
    { TagKey: "_custom_id_", TagValue: id },
    { TagKey: "_custom_key_material_", TagValue: value },
    { TagKey: "team", TagValue: "graph" },
  ];

  test("fix the id and the material: a key made so decrypts what a seeded server encrypted", async () => {
    const seeded = await served(["--seed", seedFile()]);
    const blob = await encrypt(seeded.kms, KEY_ID, "from the seeded server");
    const { clientsFor } = inProcess({ relaxedAuth: true });
    const { kms } = clientsFor(DUMMY);
    const key = (await kms.send(new CreateKeyCommand({ Tags: tags(KEY_ID) }))).KeyMetadata!;
    assert.equal(key.KeyId, KEY_ID);
    const back = await kms.send(new DecryptCommand({ CiphertextBlob: blob }));
    assert.equal(Buffer.from(back.Plaintext!).toString(), "from the seeded server");
    // _custom_id_ stays a visible tag (as LocalStack keeps it); the material is never one.
    const listed = await kms.send(new ListResourceTagsCommand({ KeyId: KEY_ID }));
    assert.deepEqual(listed.Tags, [
      { TagKey: "_custom_id_", TagValue: KEY_ID },
      { TagKey: "team", TagValue: "graph" },
    ]);
    seeded.server.child.kill("SIGTERM");
  });

  test("a ciphertext LocalStack made decrypts once the key has the same id and material", async () => {
    // LocalStack's frame, as its services/kms/models.py and utils/crypto.py write it: key id | IV (16) | tag | AES-GCM
    // of the PKCS#7-padded plaintext, the context's sorted keys and values concatenated as additional data.
    const localstack = (plaintext: string, context: Record<string, string>) => {
      const iv = randomBytes(16);
      const cipher = createCipheriv("aes-256-gcm", Buffer.from(MATERIAL_HEX, "hex"), iv);
      cipher.setAAD(
        Buffer.from(
          Object.keys(context)
            .sort()
            .map((key) => key + context[key])
            .join(""),
        ),
      );
      const pad = 16 - (Buffer.byteLength(plaintext) % 16);
      const body = Buffer.concat([
        cipher.update(Buffer.concat([Buffer.from(plaintext), Buffer.alloc(pad, pad)])),
        cipher.final(),
      ]);
      return Buffer.concat([Buffer.from(KEY_ID), iv, cipher.getAuthTag(), body]);
    };
    const { clientsFor } = inProcess({ relaxedAuth: true });
    const { kms } = clientsFor(DUMMY);
    const recorded = localstack("recorded on LocalStack", { tenant: "a", app: "orders" });
    // Before the key exists: the blob names a key of the caller's account and region, which is not there.
    const missing = await rejection(() =>
      kms.send(new DecryptCommand({ CiphertextBlob: recorded, EncryptionContext: { app: "orders", tenant: "a" } })),
    );
    assert.equal(missing.name, "NotFoundException");
    await kms.send(new CreateKeyCommand({ Tags: tags(KEY_ID) }));
    const back = await kms.send(
      new DecryptCommand({ CiphertextBlob: recorded, EncryptionContext: { app: "orders", tenant: "a" } }),
    );
    assert.equal(Buffer.from(back.Plaintext!).toString(), "recorded on LocalStack");
    assert.equal(back.KeyId, `arn:aws:kms:us-east-1:000000000000:key/${KEY_ID}`);
    const wrongContext = await rejection(() =>
      kms.send(new DecryptCommand({ CiphertextBlob: recorded, EncryptionContext: { app: "other", tenant: "a" } })),
    );
    assert.equal(wrongContext.name, "InvalidCiphertextException");
    const tampered = Buffer.from(recorded);
    tampered[tampered.length - 1]! ^= 1;
    assert.equal(
      (await rejection(() => kms.send(new DecryptCommand({ CiphertextBlob: tampered })))).name,
      "InvalidCiphertextException",
    );
  });

  test("the material is not held to the 256-character tag value limit: a long value is refused as material", async () => {
    const { raw, emulator } = inProcess({ relaxedAuth: true });
    const before = [...emulator.store.rows()].length; // IAM's seed of the configuration
    const long = Buffer.alloc(300, 7).toString("base64");
    const refused = await raw({
      service: "kms",
      target: "CreateKey",
      json: { Tags: [{ TagKey: "_custom_key_material_", TagValue: long }] },
      credentials: DUMMY,
    });
    assert.equal(refused.status, 400);
    assert.equal(refused.code, "ValidationException");
    assert.equal(
      refused.message,
      "The _custom_key_material_ tag must be 32 bytes of key material in base64 (a SYMMETRIC_DEFAULT key); got 300 bytes.",
    );
    // Any other tag keeps AWS's limit.
    const other = await raw({
      service: "kms",
      target: "CreateKey",
      json: { Tags: [{ TagKey: "note", TagValue: long }] },
      credentials: DUMMY,
    });
    assert.equal(other.code, "ValidationException");
    assert.match(
      other.message!,
      /at 'tags\.1\.member\.tagValue' failed to satisfy constraint: Member must have length less than or equal to 256/,
    );
    assert.equal([...emulator.store.rows()].length, before);
  });

  test("refused: an id that is no key id, an id in use, a spec Trident has not (before the material)", async () => {
    const { clientsFor, emulator } = inProcess({ relaxedAuth: true });
    const { kms } = clientsFor(DUMMY);
    const notUuid = await rejection(() =>
      kms.send(new CreateKeyCommand({ Tags: [{ TagKey: "_custom_id_", TagValue: "my-key" }] })),
    );
    assert.equal(notUuid.name, "ValidationException");
    assert.equal(notUuid.message, "The _custom_id_ tag must be a KMS key id (a UUID), not 'my-key'.");
    await kms.send(new CreateKeyCommand({ Tags: tags(KEY_ID) }));
    const before = [...emulator.store.rows()].length;
    const taken = await rejection(() => kms.send(new CreateKeyCommand({ Tags: tags(KEY_ID) })));
    assert.equal(taken.name, "AlreadyExistsException");
    assert.equal(taken.message, `A key with the id ${KEY_ID} already exists.`);
    const rsa = await rejection(() =>
      kms.send(new CreateKeyCommand({ KeySpec: "SM2", Tags: tags("00000000-0000-0000-0000-000000000001", "x") })),
    );
    assert.equal(rsa.name, "UnsupportedOperationException");
    assert.equal([...emulator.store.rows()].length, before);
  });

  test("a _custom_id_ key keeps its id across a restart (data directory) and a reset of another service", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "trident-data-"));
    const first = await served(["--data-dir", dataDir]);
    await first.kms.send(new CreateKeyCommand({ Tags: tags(KEY_ID) }));
    const blob = await encrypt(first.kms, KEY_ID, "kept");
    first.server.child.kill("SIGTERM");
    assert.equal(await first.server.exited, 0);

    const second = await served(["--data-dir", dataDir]);
    assert.equal((await fetch(`${second.endpoint}/_localstack/state/neptune/reset`, { method: "POST" })).status, 200);
    assert.equal((await fetch(`${second.endpoint}/_trident/reset?service=sts`, { method: "POST" })).status, 200);
    const key = (await second.kms.send(new DescribeKeyCommand({ KeyId: KEY_ID }))).KeyMetadata!;
    assert.equal(key.KeyId, KEY_ID);
    const back = await second.kms.send(new DecryptCommand({ CiphertextBlob: blob }));
    assert.equal(Buffer.from(back.Plaintext!).toString(), "kept");
    second.server.child.kill("SIGTERM");
    await second.server.exited;
  });
});

describe("--seed-random N: the same ids for the same calls", () => {
  /** One suite's calls; the ids they gave. */
  async function run(args: string[]) {
    const { server, kms, neptune } = await served(args);
    // Polling health in between takes request ids, never key ids.
    for (let i = 0; i < (args.includes("43") ? 1 : 3); i++) await fetch(`${await server.ready}/_localstack/health`);
    const first = await kms.send(new CreateKeyCommand({}));
    const second = await kms.send(new CreateKeyCommand({}));
    const grant = await kms.send(
      new CreateGrantCommand({
        KeyId: first.KeyMetadata!.KeyId,
        GranteePrincipal: "arn:aws:iam::000000000000:root",
        Operations: ["Decrypt"],
      }),
    );
    const cluster = await neptune.send(
      new CreateDBClusterCommand({ DBClusterIdentifier: "graph", Engine: "neptune", StorageEncrypted: false }),
    );
    server.child.kill("SIGTERM");
    await server.exited;
    return {
      keys: [first.KeyMetadata!.KeyId, second.KeyMetadata!.KeyId],
      requestId: first.$metadata.requestId,
      grant: grant.GrantId,
      resource: cluster.DBCluster!.DbClusterResourceId,
    };
  }

  test("two processes with the same N give the same key, grant and resource ids; another N others", async () => {
    const one = await run(["--seed-random", "42"]);
    const two = await run(["--seed-random", "42"]);
    assert.deepEqual(two.keys, one.keys);
    assert.equal(two.grant, one.grant);
    assert.equal(two.resource, one.resource);
    assert.equal(two.requestId, one.requestId);
    assert.match(one.keys[0]!, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.match(one.resource!, /^cluster-[A-Z2-7]{26}$/);
    assert.notEqual(one.keys[0], one.keys[1]);
    const other = await run(["--seed-random", "43"]);
    assert.notEqual(other.keys[0], one.keys[0]);
    assert.notEqual(other.grant, one.grant);
    const unseeded = await run([]);
    assert.notEqual(unseeded.keys[0], one.keys[0]);
  });
});
