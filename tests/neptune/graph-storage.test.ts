import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DisableKeyCommand, EnableKeyCommand, RevokeGrantCommand } from "@aws-sdk/client-kms";
import {
  DeleteDBClusterCommand,
  DeleteDBClusterSnapshotCommand,
  DeleteDBInstanceCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
  ModifyDBClusterParameterGroupCommand,
  RestoreDBClusterToPointInTimeCommand,
} from "@aws-sdk/client-neptune";
import { GraphError } from "../../src/graph/errors.js";
import { imageSealed } from "../../src/domain/neptune/data-plane/graph-images.js";
import { clusterTable } from "../../src/domain/neptune/records.js";
import { ManualClock } from "../../src/state/clock.js";
import { DATABASE_FILE, openDurableStore } from "../../src/state/durable-store.js";
import Database from "better-sqlite3";
import { A, B, inProcess, REGION } from "../helpers/harness.js";
import { keyUseWithoutCreateGrant, ownerStatement, policyOf, sharedKeyPolicy } from "../helpers/seed.js";
import {
  assertImagesAccountedFor,
  EVERYTHING,
  graphRows,
  query,
  resourceIdOf,
  servingCluster,
  sessionOf,
  snapshotImage,
} from "./graph-fixtures.js";
import { createClusterParameterGroup, createInstance, describeCluster, MINUTE } from "./resources.js";
import {
  automatedSnapshot,
  copyToLocal,
  createKey,
  createSnapshot,
  restoreFromSnapshot,
  share,
  snapshotArn,
  SNAPSHOT_CONFIG,
  world,
} from "./snapshots-fixtures.js";

const DAY = 24 * 60 * MINUTE;
const dataDir = () => mkdtempSync(join(tmpdir(), "trident-graph-"));
/** A value that must never reach the disk in clear. */
const SECRET = "zebra-cobalt-7f3a91-never-in-clear";

/** Restores `snapshot` (of the caller's account) as `cluster`, with an instance, and answers everything in it. */
async function restoredGraph(w: ReturnType<typeof world>, clients = w.a, snapshot: string, cluster: string) {
  await restoreFromSnapshot(clients.neptune, { DBClusterIdentifier: cluster, SnapshotIdentifier: snapshot });
  await createInstance(clients.neptune, cluster, `${cluster}-1`);
  return query(w.emulator, clients.neptune, cluster, EVERYTHING);
}

describe("a cluster's graph in the store", () => {
  test("survives a restart of a data directory: the graph and its indexes come back; a failed query logs nothing", async () => {
    const dir = dataDir();
    const clock = new ManualClock(Date.now());
    const open = () => inProcess({ config: SNAPSHOT_CONFIG, clock, store: openDurableStore(dir, {}) });
    const first = open();
    const key = await createKey(first.a);
    await servingCluster(first.a.neptune, "g", { StorageEncrypted: true, KmsKeyId: key.Arn });
    const run = (text: string) => query(first.emulator, first.a.neptune, "g", text);
    await run(
      "CREATE (:Person {`~id`: 'ann', name: 'Ann', big: 9223372036854775807})-[:KNOWS {w: 0.5}]->(:Person {`~id`: 'bob', name: 'Bob'})",
    );
    await run("MATCH (b {`~id`: 'bob'}) SET b:Admin, b.at = datetime('2024-02-29T12:00:00Z')");
    const id = resourceIdOf(first.emulator, A, "g");
    const logged = graphRows(first.emulator, A, id).logSeqs;
    assert.deepEqual(logged, [0, 1]);
    await assert.rejects(run("CREATE (:Person {`~id`: 'carl'}) CREATE (:Person {`~id`: 'ann'})"), GraphError);
    assert.deepEqual(graphRows(first.emulator, A, id).logSeqs, logged, "a failed query appends nothing");
    const before = await run(EVERYTHING);
    first.emulator.store.close();

    const second = open();
    const again = (text: string) => query(second.emulator, second.a.neptune, "g", text);
    assert.equal(await again(EVERYTHING), before);
    assert.equal(await again("MATCH (p:Admin {name: 'Bob'}) RETURN id(p) AS id"), '{"results":[{"id":"bob"}]}');
    assert.equal(
      await again("MATCH (p {`~id`: 'ann'}) RETURN p.big AS big"),
      '{"results":[{"big":9223372036854775807}]}',
    );
    // Writing goes on where it stopped.
    await again("CREATE (:Person {`~id`: 'dan'})");
    assert.deepEqual(graphRows(second.emulator, A, id).logSeqs, [0, 1, 2]);
    // A fast reset is durable too.
    const session = await sessionOf(second.emulator, second.a.neptune, "g");
    await second.emulator.store.transact(
      async () => session.reset(),
      () => true,
    );
    assert.equal(await again(EVERYTHING), '{"results":[]}');
    second.emulator.store.close();

    const third = open();
    assert.equal(await query(third.emulator, third.a.neptune, "g", EVERYTHING), '{"results":[]}');
    third.emulator.store.close();
  });

  for (const encrypted of [true, false]) {
    test(`no property value is written in clear to any file of the data directory (${encrypted ? "encrypted" : "unencrypted"} cluster)`, async () => {
      const dir = dataDir();
      const w = inProcess({ config: SNAPSHOT_CONFIG, store: openDurableStore(dir, {}) });
      await servingCluster(w.a.neptune, "g", encrypted ? { StorageEncrypted: true } : {});
      await query(w.emulator, w.a.neptune, "g", `CREATE (:Secret {value: '${SECRET}'})`);
      // Enough writes to pass the compaction threshold: a checkpoint image goes to disk too.
      await query(
        w.emulator,
        w.a.neptune,
        "g",
        `UNWIND range(1, 12000) AS i CREATE (:Filler {i: i, pad: '${"x".repeat(100)}' + toString(i), tag: '${SECRET}'})`,
      );
      const id = resourceIdOf(w.emulator, A, "g");
      assert.ok(graphRows(w.emulator, A, id).head!.checkpoints.at(-1)!.image, "a checkpoint image was written");
      await createSnapshot(w.a.neptune, "g", "snap");
      const needles = [
        Buffer.from(SECRET),
        Buffer.from(SECRET, "utf16le"),
        Buffer.from(Buffer.from(SECRET).toString("base64").slice(0, 20)),
      ];
      const grep = () => {
        const files = readdirSync(dir);
        assert.ok(files.includes("state.db"));
        for (const file of files) {
          const bytes = readFileSync(join(dir, file));
          for (const needle of needles) assert.equal(bytes.indexOf(needle), -1, `${file} holds the value in clear`);
        }
        return files;
      };
      assert.ok(
        grep().some((f) => f.endsWith("-wal")),
        "the WAL is grepped too",
      );
      w.emulator.store.close();
      grep();
      // The graph did reach the disk: sealed rows of each graph table.
      const db = new Database(join(dir, DATABASE_FILE), { readonly: true });
      const tables = db
        .prepare("SELECT DISTINCT tbl FROM rows WHERE tbl LIKE 'neptune.graph%' ORDER BY tbl")
        .pluck()
        .all();
      db.close();
      assert.deepEqual(tables, ["neptune.graphImageRefs", "neptune.graphImages", "neptune.graphLog", "neptune.graphs"]);
    });
  }

  test("the query timeout comes from the cluster parameter group, an instance's group overriding it", async () => {
    const w = inProcess();
    await createClusterParameterGroup(w.a.neptune, "slow-queries", { DBParameterGroupFamily: "neptune1.4" });
    await w.a.neptune.send(
      new ModifyDBClusterParameterGroupCommand({
        DBClusterParameterGroupName: "slow-queries",
        Parameters: [{ ParameterName: "neptune_query_timeout", ParameterValue: "4321", ApplyMethod: "immediate" }],
      }),
    );
    await servingCluster(w.a.neptune, "g", { DBClusterParameterGroupName: "slow-queries" });
    assert.equal((await sessionOf(w.emulator, w.a.neptune, "g")).queryTimeoutMs, 4321);
    await servingCluster(w.a.neptune, "plain");
    assert.equal((await sessionOf(w.emulator, w.a.neptune, "plain")).queryTimeoutMs, 120000);
  });
});

describe("snapshots carry the graph", () => {
  test("a manual snapshot holds the graph as of its creation; later writes are not in its restore", async () => {
    const w = world();
    await servingCluster(w.a.neptune, "src", { StorageEncrypted: true });
    await query(w.emulator, w.a.neptune, "src", "CREATE (:P {`~id`: 'one', n: 1})-[:R]->(:P {`~id`: 'two', n: 2})");
    const atSnapshot = await query(w.emulator, w.a.neptune, "src", EVERYTHING);
    await createSnapshot(w.a.neptune, "src", "snap");
    await query(
      w.emulator,
      w.a.neptune,
      "src",
      "CREATE (:P {`~id`: 'three'}) WITH 1 AS x MATCH (p {`~id`: 'one'}) SET p.n = 100",
    );
    assert.equal(await restoredGraph(w, w.a, "snap", "copy"), atSnapshot);
    assert.notEqual(await query(w.emulator, w.a.neptune, "src", EVERYTHING), atSnapshot);
    // The restored cluster's graph is its own: writing to it leaves the source and the snapshot as they are.
    await query(w.emulator, w.a.neptune, "copy", "MATCH (n) DETACH DELETE n");
    assert.equal(await restoredGraph(w, w.a, "snap", "copy2"), atSnapshot);
    assertImagesAccountedFor(w.emulator);
  });

  test("an unencrypted snapshot restored with a KmsKeyId: the graph is sealed anew under the new data key", async () => {
    const w = world();
    await servingCluster(w.a.neptune, "plain");
    await query(w.emulator, w.a.neptune, "plain", "CREATE (:P {`~id`: 'p', v: 'value'})");
    const graph = await query(w.emulator, w.a.neptune, "plain", EVERYTHING);
    await createSnapshot(w.a.neptune, "plain", "snap");
    const key = await createKey(w.a);
    await restoreFromSnapshot(w.a.neptune, {
      DBClusterIdentifier: "sealed",
      SnapshotIdentifier: "snap",
      KmsKeyId: key.Arn,
    });
    await createInstance(w.a.neptune, "sealed", "sealed-1");
    assert.equal(await query(w.emulator, w.a.neptune, "sealed", EVERYTHING), graph);
    const { head } = graphRows(w.emulator, A, resourceIdOf(w.emulator, A, "sealed"));
    const image = head!.checkpoints[0]!.image!;
    assert.notDeepEqual(image, snapshotImage(w.emulator, A, "snap"));
    assert.equal(imageSealed(w.emulator.store, image), true);
    assert.equal(imageSealed(w.emulator.store, snapshotImage(w.emulator, A, "snap")!), false);
    assertImagesAccountedFor(w.emulator);
  });

  test("an automated snapshot holds the graph of its time", async () => {
    const w = world();
    await servingCluster(w.a.neptune, "src");
    const first = await automatedSnapshot(w.a.neptune);
    // The first automated backup was taken when the cluster became available: before any write.
    await query(w.emulator, w.a.neptune, "src", "CREATE (:P {`~id`: 'one'})");
    const now = await query(w.emulator, w.a.neptune, "src", EVERYTHING);
    w.clock.advance(DAY);
    const snapshots = (await w.a.neptune.send(new DescribeDBClusterSnapshotsCommand({ SnapshotType: "automated" })))
      .DBClusterSnapshots!;
    const latest = snapshots.find((s) => s.DBClusterSnapshotIdentifier !== first.DBClusterSnapshotIdentifier)!;
    assert.equal(await restoredGraph(w, w.a, first.DBClusterSnapshotIdentifier!, "empty"), '{"results":[]}');
    assert.equal(await restoredGraph(w, w.a, latest.DBClusterSnapshotIdentifier!, "daily"), now);
  });

  test("across accounts: share, key policy, copy in B (the same image: O(1)), restore, instance: the same graph", async () => {
    const w = world();
    const keyA = await createKey(w.a, { policy: sharedKeyPolicy() });
    await servingCluster(w.a.neptune, "src", { StorageEncrypted: true, KmsKeyId: keyA.Arn });
    await query(
      w.emulator,
      w.a.neptune,
      "src",
      "UNWIND range(1, 30) AS i CREATE (:Item {`~id`: 'i' + toString(i), i: i})",
    );
    await query(w.emulator, w.a.neptune, "src", "MATCH (a:Item), (b:Item) WHERE b.i = a.i + 1 CREATE (a)-[:NEXT]->(b)");
    const graph = await query(w.emulator, w.a.neptune, "src", EVERYTHING);
    await createSnapshot(w.a.neptune, "src", "snap1");
    await share(w.a.neptune, "snap1", [B]);
    const keyB = await createKey(w.b);
    await copyToLocal(w.b.neptune, snapshotArn(A, "snap1"), keyB.Arn);
    const image = snapshotImage(w.emulator, A, "snap1");
    assert.ok(image);
    assert.deepEqual(snapshotImage(w.emulator, B, "local"), image, "the copy refers to the same image");
    // A restore under a key B can't use (R10) restores nothing: no cluster, no graph.
    const keyC = await createKey(w.c);
    await assert.rejects(
      restoreFromSnapshot(w.b.neptune, {
        DBClusterIdentifier: "nope",
        SnapshotIdentifier: "local",
        KmsKeyId: keyC.Arn,
      }),
      { name: "KMSKeyNotAccessibleFault" },
    );
    const graphRowsOfB = () =>
      [...w.emulator.store.rows()].filter((row) => row.accountId === B && row.table.startsWith("neptune.graph"));
    assert.deepEqual(graphRowsOfB(), []);
    assertImagesAccountedFor(w.emulator);
    // Before an instance exists the restored cluster refuses (R11); then it answers with the graph.
    await restoreFromSnapshot(w.b.neptune, { DBClusterIdentifier: "dst", SnapshotIdentifier: "local" });
    await assert.rejects(sessionOf(w.emulator, w.b.neptune, "dst"), /no available DB instance/);
    await createInstance(w.b.neptune, "dst", "dst-1");
    assert.equal(await query(w.emulator, w.b.neptune, "dst", EVERYTHING), graph);
    assertImagesAccountedFor(w.emulator);
    // A's snapshot and cluster can go: B's copy keeps the image.
    await w.a.neptune.send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: "snap1" }));
    assert.equal(await restoredGraph(w, w.b, "local", "dst2"), graph);
    assertImagesAccountedFor(w.emulator);
  });

  test("a restore the account can't do with the key (R10) restores nothing, graph included", async () => {
    const w = world();
    const keyA = await createKey(w.a, { policy: policyOf(ownerStatement(), keyUseWithoutCreateGrant()) });
    await servingCluster(w.a.neptune, "src", { StorageEncrypted: true, KmsKeyId: keyA.Arn });
    await query(w.emulator, w.a.neptune, "src", `CREATE (:Secret {v: '${SECRET}'})`);
    await createSnapshot(w.a.neptune, "src", "snap1");
    await share(w.a.neptune, "snap1", [B]);
    const keyB = await createKey(w.b);
    await assert.rejects(copyToLocal(w.b.neptune, snapshotArn(A, "snap1"), keyB.Arn), {
      name: "KMSKeyNotAccessibleFault",
    });
    const inB = [...w.emulator.store.rows()].filter(
      (row) => row.accountId === B && row.table.startsWith("neptune.graph"),
    );
    assert.deepEqual(inB, []);
    assertImagesAccountedFor(w.emulator);
  });

  test("point-in-time restore gives the graph of each time asked", async () => {
    const w = world();
    await servingCluster(w.a.neptune, "src", { StorageEncrypted: true, BackupRetentionPeriod: 7 });
    const times: { at: Date; graph: string }[] = [];
    const mark = async () => {
      times.push({ at: w.clock.now(), graph: await query(w.emulator, w.a.neptune, "src", EVERYTHING) });
      w.clock.advance(10 * MINUTE);
    };
    await mark();
    for (let step = 1; step <= 4; step++) {
      await query(w.emulator, w.a.neptune, "src", `CREATE (:Step {\`~id\`: 's${step}', n: ${step}})`);
      if (step === 2) await createSnapshot(w.a.neptune, "src", "mid"); // a checkpoint in between
      if (step === 3) await query(w.emulator, w.a.neptune, "src", "MATCH (s {`~id`: 's1'}) DETACH DELETE s");
      await mark();
    }
    for (const [i, { at, graph }] of times.entries()) {
      await w.a.neptune.send(
        new RestoreDBClusterToPointInTimeCommand({
          DBClusterIdentifier: `pitr-${i}`,
          SourceDBClusterIdentifier: "src",
          RestoreToTime: at,
        }),
      );
      await createInstance(w.a.neptune, `pitr-${i}`, `pitr-${i}-1`);
      assert.equal(
        await query(w.emulator, w.a.neptune, `pitr-${i}`, EVERYTHING),
        graph,
        `the graph at ${at.toISOString()}`,
      );
    }
    assertImagesAccountedFor(w.emulator);
  });

  test("checkpoints taken close together are thinned to the oldest and the newest; PITR still replays", async () => {
    const w = world();
    await servingCluster(w.a.neptune, "src", { BackupRetentionPeriod: 1 });
    const id = resourceIdOf(w.emulator, A, "src");
    const early = w.clock.now();
    for (let i = 0; i < 4; i++) {
      w.clock.advance(MINUTE);
      await query(w.emulator, w.a.neptune, "src", `CREATE (:N {i: ${i}})`);
      await createSnapshot(w.a.neptune, "src", `s${i}`); // each one a checkpoint (the log since is folded in)
      await w.a.neptune.send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: `s${i}` }));
    }
    const { head } = graphRows(w.emulator, A, id);
    assert.equal(head!.checkpoints.length, 2);
    assert.equal(head!.checkpoints[0]!.image, undefined, "the oldest: the empty graph the cluster started with");
    assert.ok(head!.checkpoints[1]!.image);
    assertImagesAccountedFor(w.emulator);
    w.clock.advance(MINUTE);
    await w.a.neptune.send(
      new RestoreDBClusterToPointInTimeCommand({
        DBClusterIdentifier: "two",
        SourceDBClusterIdentifier: "src",
        RestoreToTime: new Date(early.getTime() + 2 * MINUTE),
      }),
    );
    await createInstance(w.a.neptune, "two", "two-1");
    assert.equal(
      await query(w.emulator, w.a.neptune, "two", "MATCH (n:N) RETURN count(n) AS n"),
      '{"results":[{"n":2}]}',
    );
  });

  test("history beyond the backup retention is pruned; what the window needs stays", async () => {
    const w = world();
    await servingCluster(w.a.neptune, "src", { BackupRetentionPeriod: 1 });
    const id = resourceIdOf(w.emulator, A, "src");
    for (let day = 0; day < 5; day++) {
      await query(w.emulator, w.a.neptune, "src", `CREATE (:Day {n: ${day}})`);
      await createSnapshot(w.a.neptune, "src", `day-${day}`);
      await query(w.emulator, w.a.neptune, "src", `CREATE (:After {n: ${day}})`);
      if (day > 0)
        await w.a.neptune.send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: `day-${day - 1}` }));
      w.clock.advance(DAY);
    }
    await query(w.emulator, w.a.neptune, "src", "CREATE (:Last)");
    const { head, logSeqs } = graphRows(w.emulator, A, id);
    const cutoff = w.clock.now().getTime() - DAY;
    assert.ok(head!.checkpoints[0]!.at <= cutoff, "the oldest checkpoint serves the earliest restorable time");
    assert.ok(
      head!.checkpoints.slice(1).every((c) => c.at > cutoff),
      "no older checkpoint is kept",
    );
    assert.ok(logSeqs[0]! >= head!.checkpoints[0]!.seq, "no record before the oldest checkpoint is kept");
    assert.equal(logSeqs.length, head!.nextSeq - head!.checkpoints[0]!.seq);
    assertImagesAccountedFor(w.emulator);
    // The earliest restorable time still restores.
    const { EarliestRestorableTime } = await describeCluster(w.a.neptune, "src");
    await w.a.neptune.send(
      new RestoreDBClusterToPointInTimeCommand({
        DBClusterIdentifier: "earliest",
        SourceDBClusterIdentifier: "src",
        RestoreToTime: EarliestRestorableTime,
      }),
    );
    await createInstance(w.a.neptune, "earliest", "earliest-1");
    assert.equal(
      await query(w.emulator, w.a.neptune, "earliest", "MATCH (d:Day) RETURN count(d) AS n"),
      '{"results":[{"n":5}]}',
    );
  });
});

describe("the key decides whether the graph serves", () => {
  test("key disabled: inaccessible-encryption-credentials and no queries; re-enabled: the same graph serves again", async () => {
    const w = world();
    const key = await createKey(w.a);
    await servingCluster(w.a.neptune, "g", { StorageEncrypted: true, KmsKeyId: key.Arn });
    await query(w.emulator, w.a.neptune, "g", "CREATE (:P {`~id`: 'p'})");
    const graph = await query(w.emulator, w.a.neptune, "g", EVERYTHING);
    await w.a.kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    assert.equal((await describeCluster(w.a.neptune, "g")).Status, "inaccessible-encryption-credentials");
    await assert.rejects(query(w.emulator, w.a.neptune, "g", EVERYTHING), (error: GraphError) => {
      assert.equal(error.code, "PreconditionsFailedException");
      assert.match(error.message, /inaccessible-encryption-credentials/);
      return true;
    });
    await w.a.kms.send(new EnableKeyCommand({ KeyId: key.KeyId }));
    assert.equal((await describeCluster(w.a.neptune, "g")).Status, "available");
    assert.equal(await query(w.emulator, w.a.neptune, "g", EVERYTHING), graph);
  });

  test("Neptune's grant revoked: inaccessible-encryption-credentials, and the graph can't be opened", async () => {
    const w = world();
    const key = await createKey(w.a);
    await servingCluster(w.a.neptune, "g", { StorageEncrypted: true, KmsKeyId: key.Arn });
    await query(w.emulator, w.a.neptune, "g", "CREATE (:P {`~id`: 'p'})");
    const grantId = clusterTable(w.emulator.store, A, REGION).peek("g")!.kmsGrantId!;
    await w.a.kms.send(new RevokeGrantCommand({ KeyId: key.KeyId, GrantId: grantId }));
    assert.equal((await describeCluster(w.a.neptune, "g")).Status, "inaccessible-encryption-credentials");
    await assert.rejects(query(w.emulator, w.a.neptune, "g", EVERYTHING), /inaccessible-encryption-credentials/);
    // Even asked directly, KMS does not open the data key without the grant.
    const cluster = clusterTable(w.emulator.store, A, REGION).peek("g")!;
    assert.throws(
      () =>
        w.emulator.kms.decryptForResource({
          keyArn: cluster.KmsKeyId!,
          grantId,
          ciphertextBlob: Buffer.from(cluster.wrappedDataKey!),
        }),
      { reason: "access-denied" },
    );
  });
});

test("deleting a cluster drops its graph rows; images its snapshots hold stay", async () => {
  const w = world();
  await servingCluster(w.a.neptune, "g", { StorageEncrypted: true });
  await query(w.emulator, w.a.neptune, "g", "CREATE (:P {`~id`: 'p'})");
  await createSnapshot(w.a.neptune, "g", "keep");
  await query(w.emulator, w.a.neptune, "g", "CREATE (:P {`~id`: 'q'})");
  const id = resourceIdOf(w.emulator, A, "g");
  assert.ok(graphRows(w.emulator, A, id).head);
  await w.a.neptune.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: "g-1" }));
  await w.a.neptune.send(new DeleteDBClusterCommand({ DBClusterIdentifier: "g", SkipFinalSnapshot: true }));
  await w.a.neptune.send(new DescribeDBClustersCommand({})); // the next request sweeps the finished deletion
  assert.deepEqual(graphRows(w.emulator, A, id), { head: undefined, logSeqs: [] });
  assertImagesAccountedFor(w.emulator);
  assert.ok(snapshotImage(w.emulator, A, "keep"));
  assert.equal(
    await restoredGraph(w, w.a, "keep", "back"),
    '{"results":[{"n":{"~id":"p","~entityType":"node","~labels":["P"],"~properties":{}},"r":null,"m":null}]}',
  );
});
