import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { payloadSha256Hex } from "../../src/auth/payload-hash.js";

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

test("a body's payload hash is its SHA-256, whether it was seen before or not", () => {
  const bodies = [
    Buffer.alloc(0),
    Buffer.from("Action=GetCallerIdentity&Version=2011-06-15"),
    Buffer.from("Action=GetCallerIdentity&Version=2011-06-16"), // as long, one byte apart
    Buffer.from("Action=DescribeDBClusters&Version=2014-10-31"),
    Buffer.from('{"KeyId":"alias/app"}'),
    Buffer.from("é".repeat(40)),
    randomBytes(8 * 1024), // the longest remembered
    randomBytes(8 * 1024 + 1), // hashed every time
  ];
  // In turn, backwards, then each twice in a row: more bodies than are remembered, hits and misses alike.
  for (const body of [...bodies, ...[...bodies].reverse(), ...bodies.flatMap((b) => [b, b])])
    assert.equal(payloadSha256Hex(body), sha256(body), `a body of ${body.length} bytes`);
});

test("a remembered body is a copy: the same Buffer changed in place is hashed anew", () => {
  const body = Buffer.from("Action=GetCallerIdentity&Version=2011-06-15");
  const before = payloadSha256Hex(body);
  body[0] = "B".charCodeAt(0); // the read buffer a body was a view of, reused
  assert.notEqual(payloadSha256Hex(body), before);
  assert.equal(payloadSha256Hex(body), sha256(body));
});

test("a view of a larger buffer is hashed for its own bytes only", () => {
  const read = Buffer.from("Action=GetCallerIdentity&Version=2011-06-15Action=GetCallerIdentity&Version=2011-06-15");
  const first = read.subarray(0, 43);
  const second = read.subarray(43, 86);
  assert.equal(payloadSha256Hex(first), sha256(Buffer.from("Action=GetCallerIdentity&Version=2011-06-15")));
  assert.equal(payloadSha256Hex(second), payloadSha256Hex(first));
  assert.equal(payloadSha256Hex(read), sha256(read));
});
