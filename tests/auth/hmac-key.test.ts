import { test } from "node:test";
import assert from "node:assert/strict";
import { createHmac, randomBytes } from "node:crypto";
import { HmacKey } from "../../src/auth/hmac-key.js";

test("HmacKey signs as createHmac does: short, long and non-ASCII messages, short and long keys, again and again", () => {
  const messages = [
    "",
    "AWS4-HMAC-SHA256\n20260101T120000Z\n20260101/us-east-1/sts/aws4_request\n" + "e3b0".repeat(16),
    "x".repeat(149),
    "x".repeat(150), // 450 bytes at three per unit would not fit: the long path
    "é".repeat(200), // two bytes each in UTF-8
    "🐳".repeat(100), // a surrogate pair each: four bytes per two units
    "lone \ud800 surrogate", // written as U+FFFD by both
    "y".repeat(5000),
  ];
  for (const key of [randomBytes(32), randomBytes(64), randomBytes(65), Buffer.alloc(0)]) {
    const hmac = new HmacKey(key);
    // Twice over: a shared buffer left dirty by a longer message must not change a shorter one's HMAC.
    for (const message of [...messages, ...[...messages].reverse()])
      assert.equal(
        hmac.hex(message),
        createHmac("sha256", key).update(message).digest("hex"),
        `key of ${key.length} bytes, message of ${message.length} units`,
      );
  }
});
