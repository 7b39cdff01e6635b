import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateGlobalClusterCommand,
  DeleteGlobalClusterCommand,
  DescribeDBClustersCommand,
  DescribeGlobalClustersCommand,
  FailoverGlobalClusterCommand,
  ModifyGlobalClusterCommand,
  NeptuneClient,
  PromoteReadReplicaDBClusterCommand,
  RemoveFromGlobalClusterCommand,
  SwitchoverGlobalClusterCommand,
  type CreateGlobalClusterCommandInput,
} from "@aws-sdk/client-neptune";
import { PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { Emulator } from "../../src/emulator.js";
import { InProcessHandler } from "../../src/server/inprocess.js";
import { ManualClock } from "../../src/state/clock.js";
import { openDurableStore } from "../../src/state/durable-store.js";
import { A, ADMIN, inProcess, REGION, rejection } from "../helpers/harness.js";
import { allow, iamWorld, userWithKey } from "../iam/fixture.js";
import { clusterNotFound, invalidCombination, invalidValue } from "./faults.js";
import { clusterArnIn, globalArn, neptuneIn, rows, WEST, type Env } from "./global-fixtures.js";
import { assertFault, assertRefused } from "./refusals.js";
import { createCluster, createInstance, describeCluster, instantExcept, MINUTE } from "./resources.js";

async function createGlobal(neptune: NeptuneClient, input: Partial<CreateGlobalClusterCommandInput> = {}) {
  const { $metadata, GlobalCluster } = await neptune.send(
    new CreateGlobalClusterCommand({ GlobalClusterIdentifier: "world", Engine: "neptune", ...input }),
  );
  assert.equal($metadata.httpStatusCode, 200);
  return GlobalCluster!;
}

const describeGlobal = async (neptune: NeptuneClient, id = "world") =>
  (await neptune.send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: id }))).GlobalClusters![0]!;

/** A global database `world`: primary `east` (instance `e1`) in us-east-1, secondary `west` (instance `w1`). */
async function twoRegions(env: Env, extra: Partial<CreateGlobalClusterCommandInput> = {}) {
  const west = neptuneIn(env, WEST);
  await createGlobal(env.a.neptune, extra);
  env.clock.advance(MINUTE); // the global database is available
  await createCluster(env.a.neptune, "east", { GlobalClusterIdentifier: "world" });
  await createInstance(env.a.neptune, "east", "e1");
  await createCluster(west, "west", { GlobalClusterIdentifier: "WORLD" });
  await createInstance(west, "west", "w1");
  return west;
}

const writerOf = async (neptune: NeptuneClient, id: string) =>
  (await describeCluster(neptune, id))
    .DBClusterMembers!.filter((m) => m.IsClusterWriter)
    .map((m) => m.DBInstanceIdentifier);

const globalNotFound = (given: string) => ({
  name: "GlobalClusterNotFoundFault",
  code: "GlobalClusterNotFoundFault",
  status: 404,
  message: `GlobalCluster ${given} not found.`,
});
const globalExists = (name: string) => ({
  name: "GlobalClusterAlreadyExistsFault",
  code: "GlobalClusterAlreadyExistsFault",
  status: 400,
  message: `GlobalCluster ${name} already exists.`,
});
const globalState = (message: string) => ({
  name: "InvalidGlobalClusterStateFault",
  code: "InvalidGlobalClusterStateFault",
  status: 400,
  message,
});
const clusterState = (message: string) => ({
  name: "InvalidDBClusterStateFault",
  code: "InvalidDBClusterStateFault",
  status: 400,
  message,
});
const wireValue = (message: string) => ({ ...invalidValue(message), code: "InvalidParameterValue", message });
const wireCombination = (message: string) => ({
  ...invalidCombination(message),
  code: "InvalidParameterCombination",
  message,
});

describe("CreateGlobalCluster", () => {
  test("an empty global database: AWS's fields, account-wide (seen from every Region), creating then available", async () => {
    const env = inProcess({ delays: instantExcept({ clusterModifyMs: MINUTE }) });
    const created = await createGlobal(env.a.neptune, {
      GlobalClusterIdentifier: "World",
      DeletionProtection: true,
      Tags: [{ Key: "team", Value: "graph" }],
    });
    assert.equal(created.GlobalClusterIdentifier, "world");
    assert.match(created.GlobalClusterResourceId!, /^cluster-[A-Z0-9]{26}$/);
    assert.equal(created.GlobalClusterArn, globalArn("world"));
    assert.equal(created.Status, "creating");
    assert.equal(created.Engine, "neptune");
    assert.equal(created.EngineVersion, "1.4.4.0");
    assert.equal(created.StorageEncrypted, false);
    assert.equal(created.DeletionProtection, true);
    assert.deepEqual(created.GlobalClusterMembers, []);
    assert.deepEqual(created.TagList, [{ Key: "team", Value: "graph" }]);

    env.clock.advance(MINUTE);
    const fromWest = await describeGlobal(neptuneIn(env, WEST), "WORLD");
    assert.deepEqual(fromWest, { ...created, Status: "available" });
    // Another account does not see it.
    assert.deepEqual((await env.b.neptune.send(new DescribeGlobalClustersCommand({}))).GlobalClusters, []);
  });

  test("from an existing cluster (its ARN): the cluster becomes the writing primary, its settings inherited", async () => {
    const env = inProcess();
    await createCluster(env.a.neptune, "graph", { EngineVersion: "1.3.4.0", StorageEncrypted: true });
    await createInstance(env.a.neptune, "graph", "g1");
    const created = await createGlobal(env.a.neptune, {
      Engine: undefined,
      SourceDBClusterIdentifier: clusterArnIn(REGION, "graph"),
    });
    assert.equal(created.EngineVersion, "1.3.4.0");
    assert.equal(created.StorageEncrypted, true);
    assert.deepEqual(created.GlobalClusterMembers, [
      { DBClusterArn: clusterArnIn(REGION, "graph"), Readers: [], IsWriter: true },
    ]);
    const cluster = await describeCluster(env.a.neptune, "graph");
    assert.equal(cluster.GlobalClusterIdentifier, "world");
    assert.deepEqual(await writerOf(env.a.neptune, "graph"), ["g1"]);
  });

  test("refusals: AWS's codes, messages and statuses, and nothing is stored", async () => {
    const env = inProcess();
    await createCluster(env.a.neptune, "graph");
    const before = rows(env);
    const base = { GlobalClusterIdentifier: "world" };
    await assertRefused(
      env,
      "CreateGlobalCluster",
      base,
      wireValue("When creating standalone global cluster, value for engineName should be specified"),
    );
    await assertRefused(
      env,
      "CreateGlobalCluster",
      { ...base, Engine: "aurora-mysql" },
      wireValue("Unrecognized engine name: aurora-mysql"),
    );
    await assertRefused(
      env,
      "CreateGlobalCluster",
      { ...base, Engine: "neptune", EngineVersion: "1.1.0.0" },
      wireCombination("Cannot find version 1.1.0.0 for neptune"),
    );
    await assertRefused(
      env,
      "CreateGlobalCluster",
      { ...base, Engine: "neptune", SourceDBClusterIdentifier: clusterArnIn(REGION, "graph") },
      wireCombination(
        "When creating global cluster from existing db cluster, value for engineName should not be specified since it will be inherited from source cluster",
      ),
    );
    await assertRefused(
      env,
      "CreateGlobalCluster",
      { ...base, SourceDBClusterIdentifier: "graph" },
      wireValue("Malformed db cluster arn graph"),
    );
    const missing = clusterArnIn(REGION, "missing");
    await assertRefused(
      env,
      "CreateGlobalCluster",
      { ...base, SourceDBClusterIdentifier: missing },
      clusterNotFound(missing),
    );
    // Another account's cluster is not found either.
    const theirs = `arn:aws:rds:${REGION}:222222222222:cluster:graph`;
    await assertRefused(
      env,
      "CreateGlobalCluster",
      { ...base, SourceDBClusterIdentifier: theirs },
      clusterNotFound(theirs),
    );
    assert.deepEqual(rows(env), before);
  });

  test("a name in use is GlobalClusterAlreadyExistsFault; the sixth global database is over the quota", async () => {
    const env = inProcess();
    for (const n of [1, 2, 3, 4, 5]) await createGlobal(env.a.neptune, { GlobalClusterIdentifier: `g${n}` });
    const before = rows(env);
    await assertRefused(
      env,
      "CreateGlobalCluster",
      { GlobalClusterIdentifier: "G1", Engine: "neptune" },
      globalExists("g1"),
    );
    await assertRefused(
      env,
      "CreateGlobalCluster",
      { GlobalClusterIdentifier: "g6", Engine: "neptune" },
      {
        name: "GlobalClusterQuotaExceededFault",
        code: "GlobalClusterQuotaExceededFault",
        status: 400,
        message: "The number of global clusters for this account is already at the maximum allowed (5).",
      },
    );
    assert.deepEqual(rows(env), before);
  });
});

describe("clusters in a global database (CreateDBCluster with GlobalClusterIdentifier)", () => {
  test("the first is the primary, a cluster in another Region a read-only secondary with its Region's own key", async () => {
    const env = inProcess();
    const west = await twoRegions(env, { StorageEncrypted: true });
    const global = await describeGlobal(env.a.neptune);
    assert.deepEqual(global.GlobalClusterMembers, [
      { DBClusterArn: clusterArnIn(REGION, "east"), Readers: [clusterArnIn(WEST, "west")], IsWriter: true },
      { DBClusterArn: clusterArnIn(WEST, "west"), Readers: [], IsWriter: false },
    ]);
    const east = await describeCluster(env.a.neptune, "east");
    const secondary = await describeCluster(west, "west");
    assert.equal(east.GlobalClusterIdentifier, "world");
    assert.equal(secondary.GlobalClusterIdentifier, "world");
    assert.equal(secondary.EngineVersion, global.EngineVersion);
    assert.equal(secondary.StorageEncrypted, true);
    assert.match(secondary.KmsKeyId!, new RegExp(`^arn:aws:kms:${WEST}:${A}:key/`));
    assert.match(east.KmsKeyId!, new RegExp(`^arn:aws:kms:${REGION}:${A}:key/`));
    // The primary's first instance writes; the secondary's are all readers.
    assert.deepEqual(await writerOf(env.a.neptune, "east"), ["e1"]);
    assert.deepEqual(await writerOf(west, "west"), []);
    // A cluster outside the global database shows none.
    await createCluster(env.a.neptune, "alone");
    assert.equal((await describeCluster(env.a.neptune, "alone")).GlobalClusterIdentifier, undefined);
  });

  test("refusals: unknown global database, a second cluster in a Region, another version, the sixth secondary", async () => {
    const env = inProcess();
    await twoRegions(env);
    const before = rows(env);
    const base = { DBClusterIdentifier: "more", Engine: "neptune" };
    await assertRefused(
      env,
      "CreateDBCluster",
      { ...base, GlobalClusterIdentifier: "nowhere" },
      globalNotFound("nowhere"),
    );
    await assertRefused(
      env,
      "CreateDBCluster",
      { ...base, GlobalClusterIdentifier: "world" },
      globalState(`GlobalCluster world already has a DB cluster in Region ${REGION}.`),
    );
    await assertRefused(
      env,
      "CreateDBCluster",
      { ...base, GlobalClusterIdentifier: "world", EngineVersion: "1.3.4.0" },
      wireCombination("The engine version of a DB cluster in global cluster world must be 1.4.4.0."),
    );
    await assertRefused(
      env,
      "CreateDBCluster",
      { ...base, ReplicationSourceIdentifier: clusterArnIn(REGION, "east") },
      wireValue(
        "ReplicationSourceIdentifier is not supported by Neptune: use a global database (CreateGlobalCluster) for cross-Region replicas.",
      ),
    );
    assert.deepEqual(rows(env), before);

    for (const region of ["us-east-2", "us-west-1", "eu-west-1", "eu-central-1"]) {
      await createCluster(neptuneIn(env, region), "more", { GlobalClusterIdentifier: "world" });
    }
    await assertFault(
      () => createCluster(neptuneIn(env, "ap-northeast-1"), "more", { GlobalClusterIdentifier: "world" }),
      globalState("GlobalCluster world already has the maximum of 5 secondary DB clusters."),
    );
    assert.equal((await describeGlobal(env.a.neptune)).GlobalClusterMembers!.length, 6);
  });

  test("a member can't be deleted or upgraded alone (InvalidDBClusterStateFault)", async () => {
    const env = inProcess();
    await createGlobal(env.a.neptune, { EngineVersion: "1.4.3.0" });
    await createCluster(env.a.neptune, "member", { GlobalClusterIdentifier: "world" });
    const before = rows(env);
    await assertRefused(
      env,
      "DeleteDBCluster",
      { DBClusterIdentifier: "member", SkipFinalSnapshot: true },
      clusterState("This cluster is a part of a global cluster, please remove it from globalcluster first"),
    );
    await assertRefused(
      env,
      "ModifyDBCluster",
      { DBClusterIdentifier: "member", EngineVersion: "1.4.4.0" },
      clusterState(
        "This cluster is a part of a global cluster, please upgrade its engine version with ModifyGlobalCluster",
      ),
    );
    assert.deepEqual(rows(env), before);
  });
});

describe("RemoveFromGlobalCluster", () => {
  test("a secondary detaches into a standalone cluster whose first instance writes", async () => {
    const env = inProcess();
    const west = await twoRegions(env);
    const { GlobalCluster } = await env.a.neptune.send(
      new RemoveFromGlobalClusterCommand({
        GlobalClusterIdentifier: "world",
        DbClusterIdentifier: clusterArnIn(WEST, "west"),
      }),
    );
    assert.deepEqual(GlobalCluster!.GlobalClusterMembers, [
      { DBClusterArn: clusterArnIn(REGION, "east"), Readers: [], IsWriter: true },
    ]);
    const detached = await describeCluster(west, "west");
    assert.equal(detached.GlobalClusterIdentifier, undefined);
    assert.deepEqual(await writerOf(west, "west"), ["w1"]);
  });

  test("refusals: the primary while it has secondaries, a cluster that isn't a member, an unknown global database", async () => {
    const env = inProcess();
    await twoRegions(env);
    await createCluster(env.a.neptune, "alone");
    const before = rows(env);
    await assertRefused(
      env,
      "RemoveFromGlobalCluster",
      { GlobalClusterIdentifier: "world", DbClusterIdentifier: clusterArnIn(REGION, "east") },
      globalState("DbCluster east is the primary cluster of GlobalCluster world: remove its secondary clusters first."),
    );
    await assertRefused(
      env,
      "RemoveFromGlobalCluster",
      { GlobalClusterIdentifier: "world", DbClusterIdentifier: "alone" },
      { ...clusterNotFound("alone"), message: "DBCluster alone is not a member of GlobalCluster world." },
    );
    await assertRefused(
      env,
      "RemoveFromGlobalCluster",
      { GlobalClusterIdentifier: "world", DbClusterIdentifier: clusterArnIn(WEST, "missing") },
      clusterNotFound(clusterArnIn(WEST, "missing")),
    );
    await assertRefused(
      env,
      "RemoveFromGlobalCluster",
      { GlobalClusterIdentifier: "nowhere", DbClusterIdentifier: "east" },
      globalNotFound("nowhere"),
    );
    assert.deepEqual(rows(env), before);
  });
});

describe("SwitchoverGlobalCluster and FailoverGlobalCluster", () => {
  test("a switchover makes the secondary the writing primary: switching-over with its FailoverState, then available", async () => {
    const env = inProcess({ delays: instantExcept({ clusterModifyMs: MINUTE }) });
    const west = await twoRegions(env);
    env.clock.advance(MINUTE);
    const { GlobalCluster } = await env.a.neptune.send(
      new SwitchoverGlobalClusterCommand({
        GlobalClusterIdentifier: "world",
        TargetDbClusterIdentifier: clusterArnIn(WEST, "west"),
      }),
    );
    assert.equal(GlobalCluster!.Status, "switching-over");
    assert.deepEqual(GlobalCluster!.FailoverState, {
      Status: "failing-over",
      FromDbClusterArn: clusterArnIn(REGION, "east"),
      ToDbClusterArn: clusterArnIn(WEST, "west"),
      IsDataLossAllowed: false,
    });
    assert.deepEqual(GlobalCluster!.GlobalClusterMembers, [
      { DBClusterArn: clusterArnIn(WEST, "west"), Readers: [clusterArnIn(REGION, "east")], IsWriter: true },
      { DBClusterArn: clusterArnIn(REGION, "east"), Readers: [], IsWriter: false },
    ]);
    assert.equal((await describeCluster(west, "west")).Status, "failing-over");
    // Another operation waits for the switchover to finish.
    const busy = rows(env);
    await assertRefused(
      env,
      "SwitchoverGlobalCluster",
      { GlobalClusterIdentifier: "world", TargetDbClusterIdentifier: clusterArnIn(REGION, "east") },
      globalState("GlobalCluster world is in switching-over state but expected it to be available."),
    );
    assert.deepEqual(rows(env), busy);

    env.clock.advance(MINUTE);
    const after = await describeGlobal(env.a.neptune);
    assert.equal(after.Status, "available");
    assert.equal(after.FailoverState, undefined);
    assert.deepEqual(await writerOf(west, "west"), ["w1"]);
    assert.deepEqual(await writerOf(env.a.neptune, "east"), []);
    assert.equal((await describeCluster(env.a.neptune, "east")).Status, "available");
  });

  test("a failover with AllowDataLoss is failing-over with IsDataLossAllowed; without it, it is a switchover", async () => {
    const env = inProcess({ delays: instantExcept({ clusterModifyMs: MINUTE }) });
    await twoRegions(env);
    env.clock.advance(MINUTE);
    const failover = await env.a.neptune.send(
      new FailoverGlobalClusterCommand({
        GlobalClusterIdentifier: "world",
        TargetDbClusterIdentifier: clusterArnIn(WEST, "west"),
        AllowDataLoss: true,
      }),
    );
    assert.equal(failover.GlobalCluster!.Status, "failing-over");
    assert.equal(failover.GlobalCluster!.FailoverState!.IsDataLossAllowed, true);
    env.clock.advance(MINUTE);
    const back = await env.a.neptune.send(
      new FailoverGlobalClusterCommand({ GlobalClusterIdentifier: "world", TargetDbClusterIdentifier: "east" }),
    );
    assert.equal(back.GlobalCluster!.Status, "switching-over");
    assert.equal(back.GlobalCluster!.GlobalClusterMembers![0]!.DBClusterArn, clusterArnIn(REGION, "east"));
  });

  test("refusals: both flags, the primary as target, a cluster not in the global database", async () => {
    const env = inProcess();
    await twoRegions(env);
    await createCluster(env.a.neptune, "alone");
    const before = rows(env);
    const base = { GlobalClusterIdentifier: "world", TargetDbClusterIdentifier: clusterArnIn(WEST, "west") };
    await assertRefused(
      env,
      "FailoverGlobalCluster",
      { ...base, AllowDataLoss: true, Switchover: true },
      wireCombination("AllowDataLoss and Switchover can't be specified together."),
    );
    await assertRefused(
      env,
      "SwitchoverGlobalCluster",
      { ...base, TargetDbClusterIdentifier: clusterArnIn(REGION, "east") },
      clusterState("DbCluster east is already the primary cluster of GlobalCluster world."),
    );
    await assertRefused(
      env,
      "FailoverGlobalCluster",
      { ...base, TargetDbClusterIdentifier: "alone" },
      { ...clusterNotFound("alone"), message: "DBCluster alone is not a member of GlobalCluster world." },
    );
    await assertRefused(env, "SwitchoverGlobalCluster", { ...base, GlobalClusterIdentifier: "x" }, globalNotFound("x"));
    assert.deepEqual(rows(env), before);
  });
});

describe("ModifyGlobalCluster", () => {
  test("renames, sets deletion protection, and upgrades the engine of every member", async () => {
    const env = inProcess();
    const west = await twoRegions(env, { EngineVersion: "1.3.4.0" });
    const { GlobalCluster } = await env.a.neptune.send(
      new ModifyGlobalClusterCommand({
        GlobalClusterIdentifier: "world",
        NewGlobalClusterIdentifier: "Planet",
        DeletionProtection: true,
        EngineVersion: "1.4.4.0",
        AllowMajorVersionUpgrade: true,
      }),
    );
    assert.equal(GlobalCluster!.GlobalClusterIdentifier, "planet");
    assert.equal(GlobalCluster!.GlobalClusterArn, globalArn("planet"));
    assert.equal(GlobalCluster!.Status, "modifying");
    assert.equal(GlobalCluster!.DeletionProtection, true);
    assert.equal(GlobalCluster!.EngineVersion, "1.4.4.0");
    for (const [neptune, id] of [
      [env.a.neptune, "east"],
      [west, "west"],
    ] as const) {
      const member = await describeCluster(neptune, id);
      assert.equal(member.EngineVersion, "1.4.4.0");
      assert.equal(member.GlobalClusterIdentifier, "planet");
    }
    await assertFault(() => describeGlobal(env.a.neptune, "world"), globalNotFound("world"));
  });

  test("refusals: a name in use, a major upgrade without its flag, a downgrade", async () => {
    const env = inProcess();
    await twoRegions(env, { EngineVersion: "1.3.4.0" });
    await createGlobal(env.a.neptune, { GlobalClusterIdentifier: "other" });
    const before = rows(env);
    await assertRefused(
      env,
      "ModifyGlobalCluster",
      { GlobalClusterIdentifier: "world", NewGlobalClusterIdentifier: "OTHER" },
      globalExists("other"),
    );
    await assertRefused(
      env,
      "ModifyGlobalCluster",
      { GlobalClusterIdentifier: "world", EngineVersion: "1.4.4.0" },
      wireCombination("The AllowMajorVersionUpgrade flag must be present when upgrading to a new major version."),
    );
    await assertRefused(
      env,
      "ModifyGlobalCluster",
      { GlobalClusterIdentifier: "world", EngineVersion: "1.2.1.0" },
      wireCombination("Cannot upgrade neptune from 1.3.4.0 to 1.2.1.0"),
    );
    await assertRefused(env, "ModifyGlobalCluster", { GlobalClusterIdentifier: "none" }, globalNotFound("none"));
    assert.deepEqual(rows(env), before);
  });
});

describe("DeleteGlobalCluster", () => {
  test("only when empty and unprotected: deleting, then gone", async () => {
    const env = inProcess({ delays: instantExcept({ deleteMs: MINUTE }) });
    await createGlobal(env.a.neptune, { DeletionProtection: true });
    await createCluster(env.a.neptune, "member", { GlobalClusterIdentifier: "world" });
    const before = rows(env);
    await assertRefused(
      env,
      "DeleteGlobalCluster",
      { GlobalClusterIdentifier: "world" },
      globalState(
        `Global Cluster ${globalArn("world")} has deletion protection enabled. Disable deletion protection and try again.`,
      ),
    );
    assert.deepEqual(rows(env), before);
    await env.a.neptune.send(
      new ModifyGlobalClusterCommand({ GlobalClusterIdentifier: "world", DeletionProtection: false }),
    );
    const unprotected = rows(env);
    await assertRefused(
      env,
      "DeleteGlobalCluster",
      { GlobalClusterIdentifier: "world" },
      globalState(`Global Cluster ${globalArn("world")} is not empty`),
    );
    assert.deepEqual(rows(env), unprotected);

    await env.a.neptune.send(
      new RemoveFromGlobalClusterCommand({ GlobalClusterIdentifier: "world", DbClusterIdentifier: "member" }),
    );
    const { GlobalCluster } = await env.a.neptune.send(
      new DeleteGlobalClusterCommand({ GlobalClusterIdentifier: "world" }),
    );
    assert.equal(GlobalCluster!.Status, "deleting");
    assert.equal((await describeGlobal(env.a.neptune)).Status, "deleting");
    env.clock.advance(MINUTE);
    await assertRefused(env, "DescribeGlobalClusters", { GlobalClusterIdentifier: "world" }, globalNotFound("world"));
    await assertRefused(env, "DeleteGlobalCluster", { GlobalClusterIdentifier: "world" }, globalNotFound("world"));
    // The cluster that left stays, standalone.
    assert.equal((await describeCluster(env.a.neptune, "member")).GlobalClusterIdentifier, undefined);
  });
});

describe("PromoteReadReplicaDBCluster", () => {
  test("no Neptune cluster is a read replica: InvalidDBClusterStateFault, or DBClusterNotFoundFault", async () => {
    const env = inProcess();
    await twoRegions(env);
    const before = rows(env);
    await assertRefused(
      env,
      "PromoteReadReplicaDBCluster",
      { DBClusterIdentifier: "EAST" },
      clusterState("DbCluster east is not a read replica."),
    );
    await assertRefused(env, "PromoteReadReplicaDBCluster", { DBClusterIdentifier: "nope" }, clusterNotFound("nope"));
    assert.deepEqual(rows(env), before);
    await assertFault(
      () => neptuneIn(env, WEST).send(new PromoteReadReplicaDBClusterCommand({ DBClusterIdentifier: "west" })),
      clusterState("DbCluster west is not a read replica."),
    );
  });
});

describe("durable state", () => {
  test("a global database and its members read back identical after a restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trident-global-"));
    const clock = new ManualClock(Date.now());
    const open = () => {
      const emulator = new Emulator({ clock, store: openDurableStore(dir, {}) });
      const requestHandler = new InProcessHandler(emulator);
      const client = (region: string) =>
        new NeptuneClient({
          region,
          endpoint: "http://trident.local",
          credentials: ADMIN[A]!,
          requestHandler,
          maxAttempts: 1,
        });
      return { emulator, east: client(REGION), west: client(WEST) };
    };
    const first = open();
    await createGlobal(first.east);
    await createCluster(first.east, "east", { GlobalClusterIdentifier: "world" });
    await createCluster(first.west, "west", { GlobalClusterIdentifier: "world" });
    const before = await describeGlobal(first.west);
    first.emulator.store.close();

    const second = open();
    assert.deepEqual(await describeGlobal(second.east), before);
    assert.equal((await describeCluster(second.west, "west")).GlobalClusterIdentifier, "world");
    const all = await second.west.send(new DescribeDBClustersCommand({}));
    assert.deepEqual(
      all.DBClusters!.map((c) => c.DBClusterIdentifier),
      ["west"],
    );
    second.emulator.store.close();
  });
});

describe("IAM", () => {
  test("rds:CreateGlobalCluster is authorized on the global database's Region-less ARN", async () => {
    const world = iamWorld();
    const dev = await userWithKey(world, "dev");
    await world.admin.iam.send(
      new PutUserPolicyCommand({
        UserName: "dev",
        PolicyName: "team-globals",
        PolicyDocument: allow(["rds:CreateGlobalCluster"], globalArn("team-*")),
      }),
    );
    assert.equal(
      (await createGlobal(dev.neptune, { GlobalClusterIdentifier: "team-a" })).GlobalClusterIdentifier,
      "team-a",
    );
    const denied = await rejection(() => createGlobal(dev.neptune, { GlobalClusterIdentifier: "other" }));
    assert.equal(denied.name, "AccessDenied");
    assert.equal(denied.$metadata?.httpStatusCode, 403);
    assert.equal(
      denied.message,
      `User: arn:aws:iam::${A}:user/dev is not authorized to perform: rds:CreateGlobalCluster on resource: ${globalArn("other")} because no identity-based policy allows the rds:CreateGlobalCluster action`,
    );
    const listed = await world.a.neptune.send(new DescribeGlobalClustersCommand({}));
    assert.deepEqual(
      listed.GlobalClusters!.map((g) => g.GlobalClusterIdentifier),
      ["team-a"],
    );
  });
});
