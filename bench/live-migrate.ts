import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { clusterGraph } from "../src/cli/demo-data.js";
import { enableStreams } from "../src/cli/demo-live.js";
import { SeededWriter } from "../src/cli/demo-writer.js";
import { DEFAULT_CREDENTIALS, DEFAULT_REGION, SOURCE_ACCOUNT, TARGET_ACCOUNT } from "../src/config/defaults.js";
import { Emulator } from "../src/emulator.js";
import { runApply } from "../src/migrate/apply.js";
import { createMigrationClients, destroyClients } from "../src/migrate/clients.js";
import { readJournal } from "../src/migrate/journal.js";
import { runCutover } from "../src/migrate/live-cutover.js";
import { buildSeed } from "../src/migrate/seed.js";
import type { MigrateInputs } from "../src/migrate/types.js";
import { realSleep } from "../src/migrate/waiters.js";
import { startServer } from "../src/server/http.js";
import { DELAY_PROFILES } from "../src/state/delays.js";
import { benchOptions } from "./lib/options.js";

/**
 * Live migration on the local AWS, over real sockets (control plane and both clusters' endpoints):
 * 1. replay throughput: a seeded writer makes --writes writes on A's cluster after the target is restored, then the
 *    replay step applies them all; records/s is the records applied over the replay's wall time;
 * 2. the cutover pause with a writer at 100 and at 1,000 writes/s running through `apply --live` and until the
 *    cutover asks it to stop (quiet window --quiet-ms), summaries compared; the achieved write rate is printed.
 * Prints figures; times vary with the machine's load.
 * Usage: node dist/bench/live-migrate.js [--writes 5000] [--rates 100,1000] [--seconds 3] [--quiet-ms 200] [--ports 28400-28599]
 */
const values = benchOptions({
  writes: { type: "string", default: "5000" },
  rates: { type: "string", default: "100,1000" },
  seconds: { type: "string", default: "3" },
  "quiet-ms": { type: "string", default: "200" },
  ports: { type: "string", default: "28400-28599" },
});
const [firstPort, lastPort] = values.ports.split("-").map(Number) as [number, number];

async function world() {
  const emulator = new Emulator({ delays: DELAY_PROFILES.instant, dataPlane: { firstPort, lastPort } });
  const running = await startServer(emulator, { port: 0 });
  const dir = mkdtempSync(join(tmpdir(), "trident-bench-live-"));
  const inputs: MigrateInputs = {
    source: { ...DEFAULT_CREDENTIALS[SOURCE_ACCOUNT], endpoint: running.endpoint },
    target: { ...DEFAULT_CREDENTIALS[TARGET_ACCOUNT], endpoint: running.endpoint },
    region: DEFAULT_REGION,
    sourceCluster: "orders-graph",
    targetCluster: "orders-graph",
    targetKmsKey: "alias/aws/rds",
    parameterGroup: "default.neptune1.4",
    live: true,
  };
  const clients = createMigrationClients(inputs.source, inputs.target, { region: inputs.region, maxAttempts: 1 });
  await buildSeed(clients.source, SOURCE_ACCOUNT, { pollMs: 10 });
  await enableStreams(clients.source.neptune, "orders-graph", { wait: { intervalMs: 10 } });
  const graph = await clusterGraph(clients.source, inputs.source, "orders-graph", inputs.region);
  const journalPath = join(dir, "journal.json");
  const common = { inputs, clients, journalPath, wait: { intervalMs: 10 } };
  return {
    graph,
    common,
    journalPath,
    close: async () => {
      graph.client.destroy();
      destroyClients(clients);
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function replayThroughput(writes: number): Promise<void> {
  const w = await world();
  try {
    await runApply({ ...w.common, stopAfter: "verify" });
    const writer = new SeededWriter(w.graph.client, 4242, "bench");
    let started = performance.now();
    await writer.run({ maxWrites: writes });
    const writeMs = performance.now() - started;
    const before = readJournal(w.journalPath)!.live?.appliedRecords ?? 0;
    started = performance.now();
    await runApply(w.common);
    const replayMs = performance.now() - started;
    const records = (readJournal(w.journalPath)!.live?.appliedRecords ?? 0) - before;
    console.log(
      `replay: ${writes} writes (${(writes / (writeMs / 1000)).toFixed(0)} writes/s on the source) → ${records} records replayed in ${(replayMs / 1000).toFixed(2)} s: ${(records / (replayMs / 1000)).toFixed(0)} records/s (apply --live, the replay step and its plan)`,
    );
  } finally {
    await w.close();
  }
}

async function cutoverPause(rate: number, seconds: number, quietMs: number): Promise<void> {
  const w = await world();
  try {
    // One writer waits for each answer (about 100 writes/s here): the rate is shared by enough of them.
    const count = Math.max(1, Math.ceil(rate / 100));
    const writers = Array.from({ length: count }, (_, i) => new SeededWriter(w.graph.client, rate + i, `bench${i}`));
    const started = performance.now();
    const writing = Promise.all(writers.map((one) => one.run({ ratePerSecond: rate / count, sleep: realSleep })));
    const written = () => writers.reduce((sum, one) => sum + one.written, 0);
    await runApply(w.common);
    // Keep writing a while after catching up, as an application would until its cutover window.
    await realSleep(seconds * 1000);
    const result = await runCutover({
      ...w.common,
      write: () => {},
      quietMs,
      live: { pollMs: 50 },
      onStopWriters: async () => {
        for (const one of writers) one.stop();
        await writing;
      },
    });
    const elapsed = (performance.now() - started) / 1000;
    console.log(
      `cutover with writers at ${rate} writes/s (${count} writer${count === 1 ? "" : "s"}, achieved ${(written() / elapsed).toFixed(0)}/s, ${written()} writes): write pause ${(result.pauseMs / 1000).toFixed(2)} s (quiet window ${quietMs} ms included), summaries ${result.summaryDifferences.length === 0 ? "match" : "DIFFER"}`,
    );
  } finally {
    await w.close();
  }
}

await replayThroughput(Number(values.writes));
for (const rate of values.rates.split(",").map(Number))
  await cutoverPause(rate, Number(values.seconds), Number(values["quiet-ms"]));
