import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { CreateKeyCommand, DecryptCommand, EncryptCommand } from "@aws-sdk/client-kms";
import { applyKmsSeeds } from "../../src/domain/kms/seeding.js";
import { readSeedText } from "../../src/domain/kms/seed-file.js";
import { encodeRecord } from "../../src/state/codec.js";
import { A, inProcess, REGION } from "../helpers/harness.js";

/**
 * The bytes of the KMS data path that its speed work must not change: ciphertexts made by an earlier Trident still
 * decrypt, and the blob members' base64 is read as strictly as before.
 */

const KEY_ID = "bc436485-5092-42b8-92a3-0aa8b93536dc";
const MATERIAL_HEX = "5cdaead27fe7da2de47945d73cd6d79e36494e73802f3cd3869f1d2cb0b5d7a9";
const PLAINTEXT = "made before the change";
const CONTEXT = { tenant: "t-0042", purpose: "bench", "a key": "ä value" };

/** Sealed by Trident before the KMS data path was reworked (commit 80e9aab), under the seed key below. */
const MADE_BEFORE = {
  noContext:
    "VEtNUwIAS2Fybjphd3M6a21zOnVzLWVhc3QtMToxMTExMTExMTExMTE6a2V5L2JjNDM2NDg1LTUwOTItNDJiOC05MmEzLTBhYThiOTM1MzZkY2SPwS" +
    "+hH5HM/KN3Oxmb0B2rOHKMgVcMXMLYMnegWe2bPz+u+nkiH3yKljS2TEVCZGjOaLWuq4hH3nLEdNV848xViXAEz6aVOqSaVlEhI6p6g2s=",
  withContext:
    "VEtNUwIAS2Fybjphd3M6a21zOnVzLWVhc3QtMToxMTExMTExMTExMTE6a2V5L2JjNDM2NDg1LTUwOTItNDJiOC05MmEzLTBhYThiOTM1MzZkY2SPwS" +
    "+hH5HM/KN3Oxmb0B2rOHKMgVcMXMLYMnegWe2b7DsMUWDy0H1FhHdssX00VYzMxPbO3KaN2FZY9agxI1EuNmO1q2rbwkkpwhnhBrirbV4=",
};

async function seeded() {
  const env = inProcess();
  const text = `Keys:\n  Symmetric:\n    Aes:\n      - Metadata:\n          KeyId: ${KEY_ID}\n        BackingKeys:\n          - ${MATERIAL_HEX}\n`;
  const { seed } = readSeedText(text, "seed.yaml", { accountId: A, region: REGION });
  await env.emulator.store.transact(
    async () => applyKmsSeeds(env.emulator, [seed]),
    () => true,
  );
  return env;
}

const decrypt = (env: Awaited<ReturnType<typeof seeded>>, blob: string, context?: Record<string, string>) =>
  env.a.kms.send(new DecryptCommand({ CiphertextBlob: Buffer.from(blob, "base64"), EncryptionContext: context }));

describe("KMS ciphertexts of an earlier Trident", () => {
  test("decrypt, with and without an encryption context (given in any order)", async () => {
    const env = await seeded();
    const plain = await decrypt(env, MADE_BEFORE.noContext);
    assert.equal(Buffer.from(plain.Plaintext!).toString(), PLAINTEXT);
    const reordered = { "a key": CONTEXT["a key"], purpose: CONTEXT.purpose, tenant: CONTEXT.tenant };
    const bound = await decrypt(env, MADE_BEFORE.withContext, reordered);
    assert.equal(Buffer.from(bound.Plaintext!).toString(), PLAINTEXT);
    assert.equal(bound.KeyId, `arn:aws:kms:${REGION}:${A}:key/${KEY_ID}`);
  });

  test("a ciphertext made now decrypts only with its own context, as before", async () => {
    const env = await seeded();
    const made = await env.a.kms.send(
      new EncryptCommand({ KeyId: KEY_ID, Plaintext: Buffer.from(PLAINTEXT), EncryptionContext: CONTEXT }),
    );
    const blob = Buffer.from(made.CiphertextBlob!).toString("base64");
    assert.equal(blob.slice(0, 140), MADE_BEFORE.withContext.slice(0, 140)); // the same header: magic, ARN, material
    assert.equal(Buffer.from((await decrypt(env, blob, CONTEXT)).Plaintext!).toString(), PLAINTEXT);
    const wrongs: (Record<string, string> | undefined)[] = [
      undefined,
      {},
      { ...CONTEXT, tenant: "t-0043" },
      { tenant: "t-0042", purpose: "bench" },
    ];
    for (const wrong of wrongs) {
      await assert.rejects(decrypt(env, blob, wrong), { name: "InvalidCiphertextException" });
      await assert.rejects(decrypt(env, MADE_BEFORE.withContext, wrong), { name: "InvalidCiphertextException" });
    }
    await assert.rejects(decrypt(env, MADE_BEFORE.noContext, CONTEXT), { name: "InvalidCiphertextException" });
  });
});

describe("KMS blob members are standard base64", () => {
  test("characters Node's decoder would read anyway are SerializationException (400), and change nothing", async () => {
    const { raw, a, emulator } = inProcess();
    const { KeyMetadata } = await a.kms.send(new CreateKeyCommand({}));
    const before = [...emulator.store.rows()].map((row) => encodeRecord(row));
    // Ł is U+0141: Node reads its low byte, "A". Á is U+00C1, outside ASCII. `=` ends the text only at its end.
    for (const blob of ["QUJŁ", "QUJÁ", "QU=J", "QQ==QUJD", "QUJD====", "QUJD QUJ", "ab+-"]) {
      const result = await raw({
        service: "kms",
        target: "Encrypt",
        body: JSON.stringify({ KeyId: KeyMetadata!.KeyId, Plaintext: blob }),
      });
      assert.equal(result.status, 400, blob);
      assert.equal(result.code, "SerializationException", blob);
      assert.equal(result.message, "Value of Plaintext is not valid base64.", blob);
    }
    assert.deepEqual(
      [...emulator.store.rows()].map((row) => encodeRecord(row)),
      before,
    );
  });

  test("padded base64 of any length is read, also a last character with bits the bytes do not use", async () => {
    const { raw, a } = inProcess();
    const { KeyMetadata } = await a.kms.send(new CreateKeyCommand({}));
    for (const [blob, bytes] of [
      ["QQ==", "A"],
      ["QR==", "A"],
      ["QUI=", "AB"],
      ["QUJ=", "AB"],
      ["QUJD", "ABC"],
      ["QUJDRA==", "ABCD"],
      ["+/+/", "\u00fb\u00ff\u00bf"],
    ] as const) {
      const encrypted = await raw({
        service: "kms",
        target: "Encrypt",
        body: JSON.stringify({ KeyId: KeyMetadata!.KeyId, Plaintext: blob }),
      });
      assert.equal(encrypted.status, 200, `${blob}: ${encrypted.body}`);
      const { CiphertextBlob } = JSON.parse(encrypted.body) as { CiphertextBlob: string };
      const decrypted = await raw({ service: "kms", target: "Decrypt", body: JSON.stringify({ CiphertextBlob }) });
      assert.equal(decrypted.status, 200, decrypted.body);
      const { Plaintext } = JSON.parse(decrypted.body) as { Plaintext: string };
      assert.equal(Buffer.from(Plaintext, "base64").toString("latin1"), bytes, blob);
    }
  });
});

describe("KMS request bodies read from their bytes read as JSON reads them", () => {
  const PARSE_ERROR = "Start of structure or map found where not expected.";

  async function encrypting() {
    const env = inProcess();
    const { KeyMetadata } = await env.a.kms.send(new CreateKeyCommand({}));
    const send = (body: string) => env.raw({ service: "kms", target: "Encrypt", body });
    /** Encrypts with `body`, then decrypts the answer: the plaintext read, or the refusal. */
    const roundTrip = async (body: string, context?: Record<string, string>) => {
      const encrypted = await send(body);
      if (encrypted.status !== 200)
        return { status: encrypted.status, code: encrypted.code, message: encrypted.message };
      const { CiphertextBlob } = JSON.parse(encrypted.body) as { CiphertextBlob: string };
      const decrypted = await env.raw({
        service: "kms",
        target: "Decrypt",
        body: JSON.stringify({ CiphertextBlob, EncryptionContext: context }),
      });
      assert.equal(decrypted.status, 200, decrypted.body);
      return {
        status: 200,
        plaintext: Buffer.from(JSON.parse(decrypted.body).Plaintext as string, "base64").toString(),
      };
    };
    return { ...env, keyId: KeyMetadata!.KeyId!, roundTrip };
  }

  test("whitespace around tokens, a repeated member (the last counts), escapes, other members", async () => {
    const { keyId, roundTrip } = await encrypting();
    const ok = { status: 200, plaintext: "ABC" };
    assert.deepEqual(await roundTrip(` \n{ "KeyId" :\t"${keyId}" ,\r\n "Plaintext" : "QUJD" } \n`), ok);
    assert.deepEqual(await roundTrip(`{"KeyId":"${keyId}","Plaintext":"not base64!","Plaintext":"QUJD"}`), ok);
    assert.deepEqual(await roundTrip(`{"Key\\u0049d":"${keyId}","Plaintext":"QUJ\\u0044"}`), ok);
    assert.deepEqual(await roundTrip(`{"KeyId":"${keyId}","Plaintext":"QUJD","Unknown":[1,{"a":null}]}`), ok);
    assert.deepEqual(
      await roundTrip(`{"KeyId":"${keyId}","Plaintext":"QUJD","EncryptionContext":{"a":"b"}}`, { a: "b" }),
      ok,
    );
    assert.deepEqual(await roundTrip(`{"KeyId":"${keyId}","Plaintext":"QUJD","DryRun":false}`), ok);
  });

  test("what JSON refuses is refused as before: SerializationException (400) with the parse error's text", async () => {
    const { keyId, roundTrip } = await encrypting();
    const refused = { status: 400, code: "SerializationException", message: PARSE_ERROR };
    for (const body of [
      `{"KeyId":"${keyId}","Plaintext":"QUJD"} x`,
      `{"KeyId":"${keyId}","Plaintext":"QU\u0001JD"}`,
      `{"KeyId":"${keyId}\u0009","Plaintext":"QUJD"}`,
      `{"KeyId":"${keyId}","Plaintext":"QUJD",}`,
      `{"KeyId":"${keyId}" "Plaintext":"QUJD"}`,
      `\ufeff{"KeyId":"${keyId}","Plaintext":"QUJD"}`,
      `{"KeyId":"${keyId}","Plaintext":"QUJD"`,
    ]) {
      assert.deepEqual(await roundTrip(body), refused, JSON.stringify(body));
    }
  });

  test("a member of the wrong type, or a KeyId outside ASCII, gets the same answer as before", async () => {
    const { keyId, roundTrip } = await encrypting();
    assert.deepEqual(await roundTrip(`{"KeyId":"${keyId}","Plaintext":4}`), {
      status: 400,
      code: "SerializationException",
      message: "Unexpected value type for Plaintext: expected a blob.",
    });
    assert.deepEqual(await roundTrip(`{"KeyId":"alias/\u00e4","Plaintext":"QUJD"}`), {
      status: 400,
      code: "NotFoundException",
      message: `Alias arn:aws:kms:${REGION}:${A}:alias/\u00e4 is not found.`,
    });
  });
});
