import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateKeyCommand, KMSClient, PutKeyPolicyCommand } from "@aws-sdk/client-kms";
import {
  CopyDBClusterSnapshotCommand,
  CreateDBClusterCommand,
  CreateDBClusterSnapshotCommand,
  CreateDBInstanceCommand,
  DescribeDBClustersCommand,
  ModifyDBClusterSnapshotAttributeCommand,
  NeptuneClient,
  RestoreDBClusterFromSnapshotCommand,
} from "@aws-sdk/client-neptune";
import { DEFAULT_CREDENTIALS, SOURCE_ACCOUNT, TARGET_ACCOUNT } from "../src/config/defaults.js";
import { openSession } from "../src/domain/neptune/data-plane/session.js";
import { Emulator } from "../src/emulator.js";
import { mergeTargetStatements } from "../src/migrate/key-policy.js";
import { seedKeyPolicy } from "../src/migrate/seed.js";
import { InProcessHandler } from "../src/server/inprocess.js";
import { openDurableStore } from "../src/state/durable-store.js";
import { seededRandom } from "../tests/helpers/random.js";
import { benchOptions } from "./lib/options.js";

/**
 * Snapshots that carry the graph, in-process through the SDK (signed requests, the whole pipeline): account A's
 * encrypted cluster is loaded with a generated graph through openCypher (batched UNWIND … CREATE, each batch one
 * request's unit of work, its changes appended to the cluster's sealed log), then timed: a manual snapshot (an
 * image of the graph, serialized and sealed), B's copy of it by ARN under B's key (O(1): the copy re-wraps the
 * data key and refers to the same image), B's restore (O(1) too: the new cluster starts from the image), and the
 * restored cluster's first query (the lazy load: the data key from KMS, the image opened and deserialized). Run at
 * a tenth of the size first, so that the copy's time can be seen not to grow with the graph.
 * Usage: node dist/bench/graph-snapshots.js [--nodes 200000] [--rels 1000000] [--durable (a data directory)]
 */
const values = benchOptions({
  nodes: { type: "string", default: "200000" },
  rels: { type: "string", default: "1000000" },
  durable: { type: "boolean", default: false },
});
const BATCH = 10_000;
const region = "us-east-1";
const A = SOURCE_ACCOUNT;
const B = TARGET_ACCOUNT;

const emulator = new Emulator({
  store: values.durable ? openDurableStore(mkdtempSync(join(tmpdir(), "trident-bench-graph-")), {}) : undefined,
});
const handler = new InProcessHandler(emulator);
const clients = (account: string) => {
  const config = {
    region,
    endpoint: "http://trident.local",
    credentials: DEFAULT_CREDENTIALS[account as keyof typeof DEFAULT_CREDENTIALS],
    requestHandler: handler,
    maxAttempts: 1,
  };
  return { neptune: new NeptuneClient(config), kms: new KMSClient(config) };
};
const a = clients(A);
const b = clients(B);

// Seeded, so that two runs build the same graph.
const random = seededRandom(2463534242).int;

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const result = await work();
  return [result, performance.now() - t0];
}

/** One openCypher request as the data-plane face runs it: a session and the query in one unit of work. */
async function query(neptune: NeptuneClient, cluster: string, text: string, parameters?: unknown): Promise<string> {
  const { Port } = (await neptune.send(new DescribeDBClustersCommand({ DBClusterIdentifier: cluster })))
    .DBClusters![0]!;
  return emulator.store.transact(
    async () =>
      openSession(emulator.dataPlane, Port!, "host").openCypher(
        text,
        parameters === undefined ? undefined : JSON.stringify(parameters),
      ),
    () => true,
  );
}

async function serving(neptune: NeptuneClient, cluster: string, create: () => Promise<unknown>): Promise<void> {
  await create();
  await neptune.send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: `${cluster}-1`,
      DBClusterIdentifier: cluster,
      Engine: "neptune",
      DBInstanceClass: "db.r5.large",
    }),
  );
}

const keyA = (await a.kms.send(new CreateKeyCommand({ Description: "bench source" }))).KeyMetadata!;
await a.kms.send(
  new PutKeyPolicyCommand({ KeyId: keyA.KeyId, Policy: mergeTargetStatements(seedKeyPolicy(A), "aws", B) }),
);
const keyB = (await b.kms.send(new CreateKeyCommand({ Description: "bench target" }))).KeyMetadata!.Arn!;

const REPEATS = 5;
/** The times of `work(i)` for i < REPEATS, least first. */
async function fewTimes(work: (i: number) => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < REPEATS; i++) times.push((await timed(() => work(i)))[1]);
  return times.sort((x, y) => x - y);
}
const range = (times: number[]) => `least ${fmt(times[0]!)}, most ${fmt(times.at(-1)!)} (${times.length} calls)`;

const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);

async function round(nodes: number, rels: number): Promise<void> {
  const tag = `${nodes}n`;
  const src = `src-${tag}`;
  await serving(a.neptune, src, () =>
    a.neptune.send(
      new CreateDBClusterCommand({
        DBClusterIdentifier: src,
        Engine: "neptune",
        StorageEncrypted: true,
        KmsKeyId: keyA.Arn,
      }),
    ),
  );
  const [, loadMs] = await timed(async () => {
    for (let from = 0; from < nodes; from += BATCH) {
      const rows = [];
      for (let i = from; i < Math.min(nodes, from + BATCH); i++)
        rows.push({ id: `n${i}`, uid: i, name: `person-${i}`, age: 18 + (i % 60), city: `city-${i % 500}` });
      await query(
        a.neptune,
        src,
        "UNWIND $rows AS r CREATE (:Person {`~id`: r.id, uid: r.uid, name: r.name, age: r.age, city: r.city})",
        { rows },
      );
    }
    for (let from = 0; from < rels; from += BATCH) {
      const rows = [];
      for (let i = from; i < Math.min(rels, from + BATCH); i++)
        rows.push({ a: `n${random(nodes)}`, b: `n${random(nodes)}`, since: 2000 + (i % 25) });
      await query(
        a.neptune,
        src,
        "UNWIND $rows AS r MATCH (a {`~id`: r.a}), (b {`~id`: r.b}) CREATE (a)-[:KNOWS {since: r.since}]->(b)",
        { rows },
      );
    }
  });
  const summary = "MATCH (n) WITH count(n) AS nodes MATCH ()-[r]->() RETURN nodes, count(r) AS rels";
  console.log(`[${nodes} nodes / ${rels} relationships] load through openCypher, logged: ${fmt(loadMs)}`);

  // One more write, so that the snapshot has a log to fold into a new image (not a checkpoint left by the load).
  await query(a.neptune, src, "CREATE (:Marker {at: 'snapshot'})");
  const snap = `snap-${tag}`;
  const [, snapshotMs] = await timed(() =>
    a.neptune.send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: src, DBClusterSnapshotIdentifier: snap })),
  );
  await a.neptune.send(
    new ModifyDBClusterSnapshotAttributeCommand({
      DBClusterSnapshotIdentifier: snap,
      AttributeName: "restore",
      ValuesToAdd: [B],
    }),
  );
  // Copies and restores are repeated: one call's time is mostly the garbage collector's pauses over a heap that
  // holds the graphs, so the least of a few is the call's own work.
  const copyMs = await fewTimes((i) =>
    b.neptune.send(
      new CopyDBClusterSnapshotCommand({
        SourceDBClusterSnapshotIdentifier: `arn:aws:rds:${region}:${A}:cluster-snapshot:${snap}`,
        TargetDBClusterSnapshotIdentifier: `local-${tag}-${i}`,
        KmsKeyId: keyB,
      }),
    ),
  );
  const restoreMs = await fewTimes((i) =>
    b.neptune.send(
      new RestoreDBClusterFromSnapshotCommand({
        DBClusterIdentifier: `dst-${tag}-${i}`,
        SnapshotIdentifier: `local-${tag}-${i}`,
        Engine: "neptune",
      }),
    ),
  );
  const dst = `dst-${tag}-0`;
  await serving(b.neptune, dst, async () => undefined);
  const lookup = "MATCH (n {`~id`: 'n1'}) RETURN n.uid AS uid";
  const [, firstQueryMs] = await timed(() => query(b.neptune, dst, lookup));
  const [, secondQueryMs] = await timed(() => query(b.neptune, dst, lookup));
  const answer = await query(b.neptune, dst, summary);
  if (answer !== (await query(a.neptune, src, summary))) throw new Error("the graphs differ");
  console.log(
    `  snapshot (serialize + seal + store): ${fmt(snapshotMs)}; cross-account copy: ${range(copyMs)}; ` +
      `restore: ${range(restoreMs)}; restored cluster's first lookup (data key, open, deserialize): ${fmt(firstQueryMs)}, ` +
      `second: ${fmt(secondQueryMs)}; ${answer}`,
  );
  console.log(`  RSS: ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
}

const nodes = Number(values.nodes);
const rels = Number(values.rels);
await round(Math.round(nodes / 10), Math.round(rels / 10));
await round(nodes, rels);
emulator.store.close();
