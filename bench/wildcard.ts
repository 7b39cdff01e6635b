import { performance } from "node:perf_hooks";
import { wildcardMatch } from "../src/policy/wildcard.js";

/**
 * The policy engine's wildcard matcher (StringLike, ArnLike, Action and Resource patterns) against adversarial
 * patterns and values up to 400 KB: milliseconds per match, to show the cost grows with the value, not with
 * value × pattern. Usage: node dist/bench/wildcard.js
 */
const PATTERNS: [name: string, make: () => string][] = [
  ["2,000 stars (*a*a…*b*)", () => "*a".repeat(2000) + "*b*"],
  ["5,000-char literal segment (*aaa…ab*)", () => `*${"a".repeat(5000)}b*`],
  ["4,000-char '?' segment (*a?a?…b*)", () => `*${"a?".repeat(2000)}b*`],
];

console.log("pattern".padEnd(42) + ["50 KB", "100 KB", "200 KB", "400 KB"].map((s) => s.padStart(10)).join(""));
for (const [name, make] of PATTERNS) {
  const pattern = make();
  const cells: string[] = [];
  for (const kb of [50, 100, 200, 400]) {
    const value = "a".repeat(kb * 1000);
    wildcardMatch(pattern, value, false); // warm up
    const start = performance.now();
    const runs = 5;
    for (let i = 0; i < runs; i++) wildcardMatch(pattern, value, false);
    cells.push(`${((performance.now() - start) / runs).toFixed(2)} ms`.padStart(10));
  }
  console.log(name.padEnd(42) + cells.join(""));
}
