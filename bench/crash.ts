import { runCrashLoad } from "../tests/state/crash-load.js";
import { benchOptions } from "./lib/options.js";

/**
 * The long crash test: the normal suite's crash load (tests/state/crash-load.ts) with more kills and more writes.
 * `trident serve --data-dir` is SIGKILLed at seeded random points with requests in flight and checked after each
 * restart; the first broken promise stops the run with what it found.
 * Usage: node dist/bench/crash.js [--kills 50] [--writes 200] [--concurrency 8] [--seed N]
 */
const values = benchOptions({
  kills: { type: "string", default: "50" },
  writes: { type: "string", default: "200" },
  concurrency: { type: "string", default: "8" },
  seed: { type: "string", default: String(Date.now() % 1_000_000) },
});
const started = performance.now();
const report = await runCrashLoad({
  seed: Number(values.seed),
  rounds: Number(values.kills),
  writesPerRound: Number(values.writes),
  concurrency: Number(values.concurrency),
  log: (line) => console.log(line),
});
console.log(
  `survived ${report.kills} kills (seed ${values.seed}) in ${((performance.now() - started) / 1000).toFixed(1)}s: ` +
    `${report.acknowledged} acknowledged writes all present, ${report.inFlightAtKills} requests in flight at the kills ` +
    `each all-or-nothing, ${report.ciphertextsChecked} ciphertext decryptions, ${report.copiesRestored} copies restored`,
);
