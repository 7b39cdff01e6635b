import assert from "node:assert/strict";
import { test } from "node:test";
import { randomBytes } from "node:crypto";
import { decodeRecord, encodeRecord } from "../../src/state/codec.js";
import { seal, SealError, unseal } from "../../src/state/sealing.js";
import { isSecretTable } from "../../src/state/tables.js";
import { MemoryStore } from "../../src/state/store.js";

test("the record codec keeps Buffers, Dates, nesting and plain objects", () => {
  const record = {
    Material: Buffer.from([0, 1, 2, 255]),
    expiration: new Date("2026-03-04T05:06:07.089Z"),
    nested: { list: [Buffer.from("x"), { a: 1 }], one: { only: "key" } },
    n: 3,
    s: "text",
  };
  const back = decodeRecord<typeof record>(encodeRecord(record));
  assert.ok(Buffer.isBuffer(back.Material));
  assert.deepEqual([...back.Material], [0, 1, 2, 255]);
  assert.ok(back.expiration instanceof Date);
  assert.equal(back.expiration.toISOString(), "2026-03-04T05:06:07.089Z");
  assert.ok(Buffer.isBuffer(back.nested.list[0]));
  assert.deepEqual(back.nested.one, { only: "key" });
  assert.equal(back.n, 3);
  assert.equal(back.s, "text");
});

test("the record codec gives back a caller's own objects that look like its tags, and __proto__ keys", () => {
  // JSON.parse makes `__proto__` an own key, as a caller's encryption context or tag may.
  const record = JSON.parse(
    '{"context":{"$buffer":"abcd"},"when":{"$date":"not a date"},"literal":{"$literal":{"$buffer":"x"}},' +
      '"proto":{"__proto__":"x"},"two":{"$buffer":"a","b":1}}',
  ) as Record<string, unknown>;
  const back = decodeRecord<Record<string, unknown>>(encodeRecord({ ...record, material: Buffer.from("k") }));
  assert.deepEqual(back.context, { $buffer: "abcd" });
  assert.deepEqual(back.when, { $date: "not a date" });
  assert.deepEqual(back.literal, { $literal: { $buffer: "x" } });
  assert.deepEqual(back.two, { $buffer: "a", b: 1 });
  assert.ok(Object.hasOwn(back.proto as object, "__proto__"), "an own __proto__ key stays a key");
  assert.equal(Object.getPrototypeOf(back.proto), Object.prototype);
  assert.ok(Buffer.isBuffer(back.material));
});

test("the memory store lists every row and clears the tables it is asked to", () => {
  const store = new MemoryStore();
  store.table("kms.keys", "111111111111", "us-east-1").put("k1", { a: 1 });
  store.table("neptune.clusters", "222222222222", "eu-west-1").put("c1", { b: 2 });
  assert.deepEqual([...store.rows()].map((row) => `${row.table}/${row.accountId}/${row.region}/${row.id}`).sort(), [
    "kms.keys/111111111111/us-east-1/k1",
    "neptune.clusters/222222222222/eu-west-1/c1",
  ]);
  store.clear((name) => name.startsWith("kms."));
  assert.deepEqual(
    [...store.rows()].map((row) => row.id),
    ["c1"],
  );
  store.clear();
  assert.equal([...store.rows()].length, 0);
});

test("sealed rows open only with their key and at their place", () => {
  const key = randomBytes(32);
  const sealed = seal(key, "kms.keys/111111111111/us-east-1/k1", Buffer.from("material"));
  assert.equal(unseal(key, "kms.keys/111111111111/us-east-1/k1", sealed).toString(), "material");
  assert.throws(() => unseal(key, "kms.keys/222222222222/us-east-1/k1", sealed), SealError);
  assert.throws(() => unseal(randomBytes(32), "kms.keys/111111111111/us-east-1/k1", sealed), SealError);
  const tampered = Buffer.from(sealed);
  tampered[14]! ^= 1;
  assert.throws(() => unseal(key, "kms.keys/111111111111/us-east-1/k1", tampered), SealError);
  assert.ok(isSecretTable("kms.keys") && isSecretTable("sts.temporaryCredentials") && !isSecretTable("neptune.tags"));
});
