import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateDBClusterCommand, NeptuneClient } from "@aws-sdk/client-neptune";
import { DEFAULT_CREDENTIALS, SOURCE_ACCOUNT } from "../src/config/defaults.js";
import { clusterTable } from "../src/domain/neptune/records.js";
import { Emulator } from "../src/emulator.js";
import { InProcessHandler } from "../src/server/inprocess.js";
import { openDurableStore } from "../src/state/durable-store.js";
import { describePages, seedClusters } from "./lib/clusters.js";
import { formatResult, runLoad, send, startChildServer, type PreparedRequest } from "./lib/load.js";
import { presign } from "./lib/sign.js";
import { Agent } from "node:http";
import { benchOptions } from "./lib/options.js";

/**
 * Durable state against memory, in one run, each server in its own child process:
 *   1. signed DescribeDBClusters (1,000 clusters in 10 accounts, pages of 100): durable reads vs memory reads;
 *   2. CreateDBClusterSnapshot + DeleteDBClusterSnapshot pairs: acknowledged writes per second (each answer
 *      leaves only after its commit is fsync'd; commits are grouped per turn of the event loop);
 *   3. start-up with 100,000 rows in the data directory: opening the store in-process, and `trident serve`
 *      from spawn to its "listening" line, against an empty memory server.
 * Usage: node dist/bench/durable.js [--seconds 10] [--concurrency 32] [--pairs 5000] [--rows 100000]
 */
const values = benchOptions({
  seconds: { type: "string", default: "10" },
  concurrency: { type: "string", default: "32" },
  pairs: { type: "string", default: "5000" },
  rows: { type: "string", default: "100000" },
});
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
const pairs = Number(values.pairs);
const rowCount = Number(values.rows);
const dataDir = () => mkdtempSync(join(tmpdir(), "trident-bench-"));

/** Starts a server (memory, or on a fresh data directory), runs `work` against it, stops it. */
async function withServer<T>(durable: boolean, args: string[], work: (endpoint: string) => Promise<T>): Promise<T> {
  const server = await startChildServer("trident", [...args, ...(durable ? ["--data-dir", dataDir()] : [])]);
  try {
    return await work(server.endpoint);
  } finally {
    server.child.kill();
  }
}

async function reads(durable: boolean): Promise<number> {
  return withServer(durable, ["--relaxed-auth", "--delays", "instant"], async (endpoint) => {
    await seedClusters(endpoint);
    const pages = await describePages(endpoint);
    const options = { endpoint, concurrency, requests: 1e9, durationMs: seconds * 1000, warmupRequests: 50 };
    const result = await runLoad(options, (i) => pages[i % pages.length]!);
    console.log(formatResult(`DescribeDBClusters, ${durable ? "durable" : "memory "}`, result, concurrency));
    return result.perSecond;
  });
}

/** Every worker creates a snapshot and deletes it, pair after pair; both answers are acknowledged writes. */
async function writes(durable: boolean): Promise<number> {
  return withServer(durable, ["--delays", "instant"], async (endpoint) => {
    const credentials = DEFAULT_CREDENTIALS[SOURCE_ACCOUNT];
    const neptune = new NeptuneClient({ region: "us-east-1", endpoint, credentials });
    await neptune.send(new CreateDBClusterCommand({ DBClusterIdentifier: "bench", Engine: "neptune" }));
    const call = (Action: string, id: string) =>
      presign(endpoint, credentials, {
        service: "rds",
        params: { Action, Version: "2014-10-31", DBClusterIdentifier: "bench", DBClusterSnapshotIdentifier: id },
      });
    const prepared: [PreparedRequest, PreparedRequest][] = [];
    for (let i = 0; i < pairs; i++)
      prepared.push([await call("CreateDBClusterSnapshot", `s${i}`), await call("DeleteDBClusterSnapshot", `s${i}`)]);
    const url = new URL(endpoint);
    const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
    let next = 0;
    let acknowledged = 0;
    let errors = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < prepared.length) {
          for (const request of prepared[next++]!) {
            if ((await send(agent, url, request)) === 200) acknowledged++;
            else errors++;
          }
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    agent.destroy();
    const perSecond = acknowledged / elapsed;
    console.log(
      `snapshot create/delete pairs, ${durable ? "durable" : "memory "}: ${acknowledged} acknowledged writes in ${elapsed.toFixed(2)}s = ${Math.round(perSecond)} writes/s; errors ${errors}`,
    );
    return perSecond;
  });
}

/** A data directory holding `rowCount` cluster rows (copies of a real one) across 100 accounts. */
async function bigDataDir(): Promise<string> {
  const dir = dataDir();
  const emulator = new Emulator({ store: openDurableStore(dir) });
  const neptune = new NeptuneClient({
    region: "us-east-1",
    endpoint: "http://trident.local",
    credentials: DEFAULT_CREDENTIALS[SOURCE_ACCOUNT],
    requestHandler: new InProcessHandler(emulator),
  });
  await neptune.send(new CreateDBClusterCommand({ DBClusterIdentifier: "model", Engine: "neptune" }));
  const model = clusterTable(emulator.store, SOURCE_ACCOUNT, "us-east-1").get("model")!;
  await emulator.store.transact(
    async () => {
      for (let i = 0; i < rowCount; i++) {
        const account = String(100000000000 + (i % 100));
        const id = `cluster-${i}`;
        clusterTable(emulator.store, account, "us-east-1").put(id, { ...model, DBClusterIdentifier: id });
      }
    },
    () => true,
  );
  emulator.store.close();
  return dir;
}

async function startup(): Promise<void> {
  const dir = await bigDataDir();
  let t0 = performance.now();
  openDurableStore(dir).close();
  const open = performance.now() - t0;
  t0 = performance.now();
  const durable = await startChildServer("trident", ["--data-dir", dir]);
  const serveDurable = performance.now() - t0;
  durable.child.kill();
  t0 = performance.now();
  const memory = await startChildServer("trident", []);
  const serveMemory = performance.now() - t0;
  memory.child.kill();
  console.log(
    `start-up with ${rowCount} rows: store opened and loaded in ${open.toFixed(0)} ms; trident serve ready in ${serveDurable.toFixed(0)} ms (memory, empty: ${serveMemory.toFixed(0)} ms; the rows cost ${(serveDurable - serveMemory).toFixed(0)} ms)`,
  );
}

const readMemory = await reads(false);
const readDurable = await reads(true);
const writeMemory = await writes(false);
const writeDurable = await writes(true);
await startup();
console.log(
  `durable/memory: reads ${((readDurable / readMemory) * 100).toFixed(1)}% (target ≥ 90%); writes ${Math.round(writeDurable)}/s durable (target ≥ 1,000/s) = ${((writeDurable / writeMemory) * 100).toFixed(1)}% of memory`,
);
