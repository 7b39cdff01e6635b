import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { evaluatePolicy } from "../../src/policy/evaluate.js";
import { wildcardMatch } from "../../src/policy/wildcard.js";
import { A, policy, request, user } from "./fixtures.js";
import { seededRandom } from "../helpers/random.js";

describe("wildcardMatch", () => {
  const cases: [string, string, boolean, boolean][] = [
    ["*", "", false, true],
    ["*", "anything", false, true],
    ["a?c", "abc", false, true],
    ["a?c", "ac", false, false],
    ["a*b*c", "aXXbYYc", false, true],
    ["a*b*c", "aXXbYY", false, false],
    ["**", "x", false, true],
    ["kms:reencrypt*", "kms:ReEncryptFrom", true, true],
    ["kms:reencrypt*", "kms:ReEncryptFrom", false, false],
    ["a*a*a*a*a*a*a*a*b", "a".repeat(200), false, false],
  ];
  for (const [pattern, value, ignoreCase, expected] of cases) {
    test(`${pattern} ~ ${value.slice(0, 20)} (ignoreCase ${ignoreCase}) → ${expected}`, () => {
      assert.equal(wildcardMatch(pattern, value, ignoreCase), expected);
    });
  }
});

/** The definition, by dynamic programming over (pattern prefix, value prefix): slow, obviously right. */
function reference(pattern: string, value: string): boolean {
  let row = new Array<boolean>(value.length + 1).fill(false);
  row[0] = true;
  for (const p of pattern) {
    const next = new Array<boolean>(value.length + 1).fill(false);
    if (p === "*") {
      for (let j = 0; j <= value.length; j++) next[j] = row[j]! || (j > 0 && next[j - 1]!);
    } else {
      for (let j = 1; j <= value.length; j++) next[j] = row[j - 1]! && (p === "?" || p === value[j - 1]);
    }
    row = next;
  }
  return row[value.length]!;
}

describe("wildcardMatch agrees with the definition", () => {
  test("20,000 seeded random patterns and values over a small alphabet", () => {
    const { next } = seededRandom(20261129);
    const pick = (alphabet: string, length: number) =>
      Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join("");
    for (let i = 0; i < 20_000; i++) {
      const pattern = pick("ab*?", Math.floor(next() * 9));
      const value = pick("ab", Math.floor(next() * 12));
      assert.equal(wildcardMatch(pattern, value, false), reference(pattern, value), `${pattern} ~ ${value}`);
    }
  });

  test("segments with '?' longer than one 32-bit word", () => {
    const segment = "a?".repeat(40); // 80 positions: three words
    assert.equal(wildcardMatch(`*${segment}b*`, "x" + "ab".repeat(40) + "b", false), true);
    assert.equal(wildcardMatch(`*${segment}b*`, "x" + "ab".repeat(39) + "b", false), false);
    assert.equal(wildcardMatch(`*${segment}*`, "c".repeat(100) + "a".repeat(80), false), true);
  });
});

describe("wildcardMatch in linear time against a 400 KB value", () => {
  const value = "a".repeat(400_000);
  const cases: [name: string, pattern: string, expected: boolean][] = [
    ["2,000 stars", "*a".repeat(2000) + "*b", false],
    ["a 5,000-character literal segment", `*${"a".repeat(5000)}b*`, false],
    ["a 4,000-character segment of '?'", `*${"a?".repeat(2000)}b*`, false],
    ["a long pattern that matches at the very end", `*${"a".repeat(5000)}`, true],
    ["'?' segments that match", `${"?".repeat(1000)}*${"a?".repeat(1000)}*a`, true],
  ];
  for (const [name, pattern, expected] of cases) {
    test(`${name} → ${expected}`, () => {
      assert.equal(wildcardMatch(pattern, value, false), expected);
    });
  }

  test("a key-policy StringLike with a long wildcard pattern against a 400 KB context value is decided", () => {
    const document = policy({
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: "*",
      Condition: { StringLike: { "kms:EncryptionContext:big": "*a".repeat(2000) + "*b" } },
    });
    const context = { "kms:EncryptionContext:big": value };
    assert.equal(
      evaluatePolicy(document, request(user(A, "alice"), "kms:Decrypt", context), "identity").decision,
      "NotApplicable",
    );
    const matching = { "kms:EncryptionContext:big": value + "b" };
    assert.equal(
      evaluatePolicy(document, request(user(A, "alice"), "kms:Decrypt", matching), "identity").decision,
      "Allow",
    );
  });
});
