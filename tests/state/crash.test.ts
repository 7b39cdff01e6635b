import { test } from "node:test";
import assert from "node:assert/strict";
import { runCrashLoad } from "./crash-load.js";

test("crash safety: SIGKILLed 5 times under a mixed write load, every acknowledged write survives, nothing half", async () => {
  const report = await runCrashLoad({ seed: 20261129, rounds: 5, writesPerRound: 25, concurrency: 4 });
  assert.equal(report.kills, 5);
  assert.ok(report.acknowledged >= 5, "writes were acknowledged before the kills");
  assert.ok(report.inFlightAtKills > 0, "some kills landed with requests in flight");
  assert.ok(report.ciphertextsChecked > 0 && report.copiesRestored > 0, JSON.stringify(report));
});
