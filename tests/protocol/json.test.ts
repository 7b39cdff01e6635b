import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { loadModel } from "../../src/protocol/model.js";
import { deserializeJsonInput, parseJsonBody, serializeJsonOutput } from "../../src/protocol/json.js";
import { AwsError } from "../../src/protocol/errors.js";

const kms = loadModel("kms");

describe("awsJson1_1", () => {
  test("blobs arrive as base64 and maps as objects", () => {
    const input = deserializeJsonInput(kms, "EncryptRequest", {
      KeyId: "alias/x",
      Plaintext: Buffer.from("hello").toString("base64"),
      EncryptionContext: { purpose: "test" },
    });
    assert.ok(Buffer.isBuffer(input.Plaintext));
    assert.equal((input.Plaintext as Buffer).toString(), "hello");
    assert.deepEqual(Object.entries(input.EncryptionContext as object), [["purpose", "test"]]);
  });

  test("a value of the wrong type is SerializationException", () => {
    assert.throws(
      () => deserializeJsonInput(kms, "ScheduleKeyDeletionRequest", { KeyId: "k", PendingWindowInDays: "7" }),
      (e: unknown) => e instanceof AwsError && e.code === "SerializationException" && e.status === 400,
    );
    for (const huge of [2 ** 31, 1e308])
      assert.throws(
        () => deserializeJsonInput(kms, "GenerateRandomRequest", { NumberOfBytes: huge }),
        (e: unknown) =>
          e instanceof AwsError &&
          e.code === "SerializationException" &&
          e.message === "Unexpected value type for NumberOfBytes: expected an integer.",
      );
    assert.throws(
      () => parseJsonBody(Buffer.from("{not json")),
      (e: unknown) => e instanceof AwsError && e.code === "SerializationException",
    );
  });

  test("timestamps go out as epoch seconds, blobs as base64, undefined members are left out", () => {
    const out = JSON.parse(
      serializeJsonOutput(kms, "DescribeKeyResponse", {
        KeyMetadata: {
          KeyId: "k",
          CreationDate: new Date("2026-01-01T00:00:00.500Z"),
          Description: undefined,
          Enabled: true,
        },
      }).toString(),
    );
    assert.deepEqual(out, { KeyMetadata: { KeyId: "k", CreationDate: 1767225600.5, Enabled: true } });
    const blob = JSON.parse(
      serializeJsonOutput(kms, "GenerateRandomResponse", { Plaintext: Buffer.from([1, 2, 3]) }).toString(),
    );
    assert.equal(blob.Plaintext, "AQID");
  });
});

describe("KMS error statuses", () => {
  test("modelled client errors are 400; KMS's server faults are 5xx and Receiver faults", async () => {
    const { kmsFault } = await import("../../src/domain/kms/errors.js");
    assert.deepEqual(
      ["NotFoundException", "KMSInternalException", "KeyUnavailableException", "DependencyTimeoutException"].map(
        (shape) => {
          const error = kmsFault(shape as "NotFoundException", "m");
          return [error.code, error.status, error.sender];
        },
      ),
      [
        ["NotFoundException", 400, true],
        ["KMSInternalException", 500, false],
        ["KeyUnavailableException", 500, false],
        ["DependencyTimeoutException", 503, false],
      ],
    );
  });
});
