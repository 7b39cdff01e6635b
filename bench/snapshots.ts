import { CreateKeyCommand, KMSClient, PutKeyPolicyCommand } from "@aws-sdk/client-kms";
import {
  CopyDBClusterSnapshotCommand,
  CreateDBClusterCommand,
  CreateDBClusterSnapshotCommand,
  DescribeDBClustersCommand,
  DescribeDBClusterSnapshotsCommand,
  ModifyDBClusterSnapshotAttributeCommand,
  NeptuneClient,
  RestoreDBClusterFromSnapshotCommand,
} from "@aws-sdk/client-neptune";
import { DEFAULT_CREDENTIALS, SOURCE_ACCOUNT, TARGET_ACCOUNT } from "../src/config/defaults.js";
import { mergeTargetStatements } from "../src/migrate/key-policy.js";
import { seedKeyPolicy } from "../src/migrate/seed.js";
import { startChildServer } from "./lib/load.js";
import { benchOptions } from "./lib/options.js";

/**
 * The product's hot path at scale: account A creates N cluster snapshots of an encrypted cluster and shares each
 * with B; B copies each by ARN under its own key (a KMS ReEncrypt of the data key per copy, on B's behalf via RDS,
 * through A's key policy and grants) and restores a cluster from each copy. Every call is a real signed request
 * through the SDK. Prints each phase's calls and calls per second, and the whole run's wall time.
 * Usage: node dist/bench/snapshots.js [--endpoint URL] [--count 100] [--concurrency 16]
 * (without --endpoint it starts `trident serve --delays instant` in a child process; against an endpoint with
 * delays, the waits poll DescribeDBClusterSnapshots and count those calls too).
 */

const values = benchOptions({
  endpoint: { type: "string" },
  count: { type: "string", default: "100" },
  concurrency: { type: "string", default: "16" },
});
const count = Number(values.count);
const concurrency = Number(values.concurrency);
const region = "us-east-1";
const A = SOURCE_ACCOUNT;
const B = TARGET_ACCOUNT;
const run = Date.now().toString(36);

const own = values.endpoint ? undefined : await startChildServer("trident", ["--delays", "instant"]);
const endpoint = values.endpoint ?? own!.endpoint;

let calls = 0;
/** An SDK client whose every call is counted. */
function counted<C extends { send: (...args: never[]) => Promise<unknown> }>(client: C): C {
  const send = client.send.bind(client) as (...args: unknown[]) => Promise<unknown>;
  (client as { send: unknown }).send = (...args: unknown[]) => {
    calls++;
    return send(...args);
  };
  return client;
}
const clients = (account: string) => {
  const config = {
    region,
    endpoint,
    credentials: DEFAULT_CREDENTIALS[account as keyof typeof DEFAULT_CREDENTIALS],
    maxAttempts: 1,
  };
  return { neptune: counted(new NeptuneClient(config)), kms: counted(new KMSClient(config)) };
};
const a = clients(A);
const b = clients(B);

/** Runs `work(i)` for i < count, `concurrency` at a time. */
async function pool(work: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

/** Polls until every snapshot named `prefix-…` of the client's account is available. */
async function allAvailable(neptune: NeptuneClient, prefix: string): Promise<void> {
  for (;;) {
    let ready = 0;
    let marker: string | undefined;
    do {
      const page = await neptune.send(
        new DescribeDBClusterSnapshotsCommand({ SnapshotType: "manual", MaxRecords: 100, Marker: marker }),
      );
      ready += page.DBClusterSnapshots!.filter(
        (s) => s.DBClusterSnapshotIdentifier!.startsWith(prefix) && s.Status === "available",
      ).length;
      marker = page.Marker;
    } while (marker);
    if (ready >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const phases: { name: string; calls: number; ms: number }[] = [];
async function phase(name: string, work: () => Promise<void>): Promise<void> {
  const before = calls;
  const started = performance.now();
  await work();
  phases.push({ name, calls: calls - before, ms: performance.now() - started });
}

const id = (kind: string, i: number) => `${kind}-${run}-${i}`;
/** B's key, made in the setup phase. */
let keyB = "";

try {
  const started = performance.now();
  await phase("setup: keys (A's shared with B), encrypted cluster", async () => {
    const keyA = (await a.kms.send(new CreateKeyCommand({ Description: "bench source" }))).KeyMetadata!;
    // The seed's policy after step 3, as `trident migrate` writes it: A keeps kms:*, B gets R10's two statements.
    const policy = mergeTargetStatements(seedKeyPolicy(A), "aws", B);
    await a.kms.send(new PutKeyPolicyCommand({ KeyId: keyA.KeyId, Policy: policy }));
    keyB = (await b.kms.send(new CreateKeyCommand({ Description: "bench target" }))).KeyMetadata!.Arn!;
    await a.neptune.send(
      new CreateDBClusterCommand({
        DBClusterIdentifier: id("src", 0),
        Engine: "neptune",
        StorageEncrypted: true,
        KmsKeyId: keyA.Arn,
      }),
    );
    for (;;) {
      const cluster = (await a.neptune.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id("src", 0) })))
        .DBClusters![0]!;
      if (cluster.Status === "available" || cluster.Status === "backing-up") break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });
  await phase(`A: create ${count} snapshots (and wait for them)`, async () => {
    await pool((i) =>
      a.neptune.send(
        new CreateDBClusterSnapshotCommand({
          DBClusterIdentifier: id("src", 0),
          DBClusterSnapshotIdentifier: id("snap", i),
        }),
      ),
    );
    await allAvailable(a.neptune, id("snap", 0).replace(/-0$/, "-"));
  });
  await phase(`A: share ${count} snapshots with B`, () =>
    pool((i) =>
      a.neptune.send(
        new ModifyDBClusterSnapshotAttributeCommand({
          DBClusterSnapshotIdentifier: id("snap", i),
          AttributeName: "restore",
          ValuesToAdd: [B],
        }),
      ),
    ),
  );
  await phase(`B: copy ${count} snapshots by ARN under B's key (and wait)`, async () => {
    await pool((i) =>
      b.neptune.send(
        new CopyDBClusterSnapshotCommand({
          SourceDBClusterSnapshotIdentifier: `arn:aws:rds:${region}:${A}:cluster-snapshot:${id("snap", i)}`,
          TargetDBClusterSnapshotIdentifier: id("copy", i),
          KmsKeyId: keyB,
        }),
      ),
    );
    await allAvailable(b.neptune, id("copy", 0).replace(/-0$/, "-"));
  });
  await phase(`B: restore ${count} clusters from the copies`, () =>
    pool((i) =>
      b.neptune.send(
        new RestoreDBClusterFromSnapshotCommand({
          DBClusterIdentifier: id("restored", i),
          SnapshotIdentifier: id("copy", i),
          Engine: "neptune",
        }),
      ),
    ),
  );
  const wall = (performance.now() - started) / 1000;

  console.log(`trident snapshots @ ${endpoint}: ${count} snapshots, concurrency ${concurrency}`);
  for (const p of phases) {
    console.log(
      `  ${p.name.padEnd(58)} ${String(p.calls).padStart(6)} calls in ${(p.ms / 1000).toFixed(2)}s = ${Math.round(p.calls / (p.ms / 1000))} calls/s`,
    );
  }
  console.log(`  total: ${calls} API calls in ${wall.toFixed(2)}s wall time = ${Math.round(calls / wall)} calls/s`);
} finally {
  own?.child.kill();
}
