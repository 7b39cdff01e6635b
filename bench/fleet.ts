import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_CREDENTIALS, SOURCE_ACCOUNT, TARGET_ACCOUNT } from "../src/config/defaults.js";
import { Emulator } from "../src/emulator.js";
import { createMigrationClients, destroyClients } from "../src/migrate/clients.js";
import { runFleetApply } from "../src/migrate/fleet-apply.js";
import { DEFAULT_TARGET_KEY } from "../src/migrate/plan.js";
import { buildSeed } from "../src/migrate/seed.js";
import { InProcessHandler } from "../src/server/inprocess.js";
import { DELAY_PROFILES } from "../src/state/delays.js";
import { benchOptions } from "./lib/options.js";

/**
 * What `--parallel` buys a fleet: N encrypted clusters (each under its own CMK) moved from A to B by
 * `runFleetApply` on the in-process local AWS with the demo's delays (a snapshot or copy takes 0.8 s, a restore
 * 0.6 s, an instance 0.5 s, on the real clock), once per parallelism. Prints each run's wall time and clusters per
 * minute. Waiting dominates, as against AWS, so the figures show the scheduler, not the emulator's speed.
 * Usage: node dist/bench/fleet.js [--clusters 6] [--parallel 1,3,6] [--poll-ms 100]
 */

const values = benchOptions({
  clusters: { type: "string", default: "6" },
  parallel: { type: "string", default: "1,3,6" },
  "poll-ms": { type: "string", default: "100" },
});
const count = Number(values.clusters);
const pollMs = Number(values["poll-ms"]);
const region = "us-east-1";
const ids = Array.from({ length: count }, (_, index) => `graph-${index + 1}`);

async function run(parallel: number): Promise<number> {
  const emulator = new Emulator({ delays: DELAY_PROFILES.demo });
  const endpoint = "http://trident.local";
  const source = { ...DEFAULT_CREDENTIALS[SOURCE_ACCOUNT], endpoint };
  const target = { ...DEFAULT_CREDENTIALS[TARGET_ACCOUNT], endpoint };
  const clients = createMigrationClients(source, target, {
    region,
    requestHandler: new InProcessHandler(emulator),
    maxAttempts: 1,
  });
  const journalDir = mkdtempSync(join(tmpdir(), "trident-bench-fleet-"));
  try {
    await Promise.all(ids.map((clusterId) => buildSeed(clients.source, SOURCE_ACCOUNT, { clusterId, pollMs })));
    const started = performance.now();
    const result = await runFleetApply({
      inputs: { source, target, region },
      clients,
      selection: {
        members: ids.map((id) => ({
          source,
          target,
          region,
          sourceCluster: id,
          targetCluster: id,
          targetKmsKey: DEFAULT_TARGET_KEY,
        })),
      },
      journalDir,
      parallel,
      wait: { intervalMs: pollMs },
    });
    const elapsed = performance.now() - started;
    const done = result.outcomes.filter((outcome) => outcome.state === "done").length;
    if (done !== count) throw new Error(`only ${done} of ${count} clusters done: ${JSON.stringify(result.outcomes)}`);
    return elapsed;
  } finally {
    destroyClients(clients);
    rmSync(journalDir, { recursive: true, force: true });
  }
}

console.log(`fleet of ${count} encrypted clusters, demo delays, polling every ${pollMs} ms`);
for (const parallel of values.parallel.split(",").map(Number)) {
  const ms = await run(parallel);
  console.log(
    `  --parallel ${String(parallel).padEnd(2)}  ${(ms / 1000).toFixed(2).padStart(6)} s  ${((count * 60_000) / ms).toFixed(1).padStart(6)} clusters/min`,
  );
}
