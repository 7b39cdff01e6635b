import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { loadModel } from "../../src/protocol/model.js";
import { deserializeJsonInput, serializeJsonOutput } from "../../src/protocol/json.js";
import { AwsError } from "../../src/protocol/errors.js";

const kms = loadModel("kms");

const plaintextOf = (text: string) =>
  deserializeJsonInput(kms, "EncryptRequest", { KeyId: "alias/x", Plaintext: text }).Plaintext as Buffer;

describe("awsJson1_1, compiled per shape", () => {
  test("a blob is standard base64: base64url's - and _, which Node's decoder would take, are refused", () => {
    for (const text of ["ab-_", "a-b=", "__8="]) {
      assert.throws(
        () => plaintextOf(text),
        (e: unknown) => e instanceof AwsError && e.code === "SerializationException",
        text,
      );
    }
  });

  test("a blob whose last character carries bits the bytes do not use is read, as the grammar reads it", () => {
    assert.deepEqual([...plaintextOf("QR==")], [0x41]);
    assert.deepEqual([...plaintextOf("QUJ=")], [0x41, 0x42]);
    assert.deepEqual([...plaintextOf("")], []);
  });

  test("lists keep their order and write null for an absent item; maps and nested structures are written", () => {
    const out = serializeJsonOutput(kms, "ListKeysResponse", {
      Keys: [{ KeyId: "a", KeyArn: "arn:a", Unknown: "dropped" }, undefined, { KeyId: "b" }],
      Truncated: false,
    }).toString();
    assert.equal(out, '{"Keys":[{"KeyId":"a","KeyArn":"arn:a"},null,{"KeyId":"b"}],"Truncated":false}');
    // A blob that is a view into a larger buffer is written from its own bytes only.
    const view = new Uint8Array([9, 1, 2, 9]).subarray(1, 3);
    const key = serializeJsonOutput(kms, "GetPublicKeyResponse", { KeyId: 'quote"d', PublicKey: view }).toString();
    assert.equal(key, '{"KeyId":"quote\\"d","PublicKey":"AQI="}');
  });
});
