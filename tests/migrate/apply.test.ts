import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { DescribeKeyCommand, GetKeyPolicyCommand } from "@aws-sdk/client-kms";
import {
  DescribeDBClusterSnapshotAttributesCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  ListTagsForResourceCommand,
} from "@aws-sdk/client-neptune";
import { runApply, runPlan } from "../../src/migrate/apply.js";
import { runCleanup } from "../../src/migrate/cleanup.js";
import { readJournal } from "../../src/migrate/journal.js";
import { GRANTS_SID_PREFIX, USE_SID_PREFIX } from "../../src/migrate/key-policy.js";
import { TextReporter, renderPlan } from "../../src/migrate/report.js";
import { lineProgress } from "../../src/migrate/waiters.js";
import { DELAY_PROFILES, type Delays } from "../../src/state/delays.js";
import { A, B, REGION, assertGolden, stepStates } from "./fixtures.js";
import { describeCluster, manualSnapshotIds, migrationWorlds, mutations } from "./world.js";

const world = migrationWorlds();

/** Key ids are random: the golden text names them by role. */
function normalize(text: string, keys: Record<string, string>): string {
  return Object.entries(keys).reduce((out, [name, arn]) => out.split(arn).join(name), text);
}

const SHARE_ARN = `arn:aws:rds:${REGION}:${A}:cluster-snapshot:trident-orders-graph-for-${B}`;

describe("plan then apply moves the seed's cluster from A to B", () => {
  test("the plan for the seed, read from the emulator (golden)", async () => {
    const w = await world();
    const { plan } = await runPlan(w.run());
    assert.equal(plan.canProceed, true);
    // The emulator's default engine version and parameter group are its business: named by role too.
    const source = await describeCluster(w.a.neptune);
    const text = normalize(renderPlan(plan), {
      "<key of A>": w.seed!.keyArn,
      "<engine version>": source.EngineVersion!,
      "<parameter group>": source.DBClusterParameterGroup!,
    });
    assertGolden("plan-seed.txt", text);
    assert.deepEqual(mutations(w.handler.calls), [], "plan changes nothing");
    assert.ok(w.handler.calls.some((call) => call.account === A && call.operation === "GetCallerIdentity"));
    assert.ok(w.handler.calls.some((call) => call.account === B && call.operation === "GetCallerIdentity"));
  });

  test("apply does every step and verifies the result", async () => {
    const w = await world();
    const lines: string[] = [];
    const result = await runApply({ ...w.run(), reporter: new TextReporter({ write: (line) => lines.push(line) }) });
    assert.equal(result.status, "done");
    assert.deepEqual(result.changed, ["snapshot", "share", "key-policy", "copy", "restore", "instances"]);
    assert.ok(
      result.verification!.every((check) => check.ok),
      JSON.stringify(result.verification),
    );
    assert.deepEqual(mutations(w.handler.calls), [
      `${A}:CreateDBClusterSnapshot`,
      `${A}:ModifyDBClusterSnapshotAttribute`,
      `${A}:PutKeyPolicy`,
      `${B}:CopyDBClusterSnapshot`,
      `${B}:RestoreDBClusterFromSnapshot`,
      `${B}:CreateDBInstance`,
    ]);

    // B: the cluster, encrypted with B's aws/rds key, like the source, tagged like it; one instance.
    const cluster = await describeCluster(w.b.neptune);
    const source = await describeCluster(w.a.neptune);
    const awsRdsB = (await w.b.kms.send(new DescribeKeyCommand({ KeyId: "alias/aws/rds" }))).KeyMetadata!;
    assert.equal(cluster.StorageEncrypted, true);
    assert.equal(cluster.KmsKeyId, awsRdsB.Arn);
    assert.equal(awsRdsB.AWSAccountId, B);
    assert.equal(cluster.EngineVersion, source.EngineVersion);
    assert.equal(cluster.DBClusterParameterGroup, source.DBClusterParameterGroup);
    assert.deepEqual(
      cluster.DBClusterMembers?.map((member) => member.DBInstanceIdentifier),
      ["orders-graph-instance-1"],
    );
    const tags = (await w.b.neptune.send(new ListTagsForResourceCommand({ ResourceName: cluster.DBClusterArn! })))
      .TagList;
    assert.deepEqual(tags, [
      { Key: "team", Value: "graph" },
      { Key: "env", Value: "production" },
    ]);
    const instance = (
      await w.b.neptune.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: "orders-graph-instance-1" }))
    ).DBInstances![0]!;
    assert.equal(instance.DBInstanceStatus, "available");
    assert.equal(instance.DBInstanceClass, "db.r5.large");

    // B's copy: a manual snapshot copied by ARN, under B's key, with the source snapshot's tags given explicitly (R7, R8, R9).
    const copy = (
      await w.b.neptune.send(
        new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: `trident-orders-graph-from-${A}` }),
      )
    ).DBClusterSnapshots![0]!;
    assert.equal(copy.SourceDBClusterSnapshotArn, SHARE_ARN);
    assert.equal(copy.SnapshotType, "manual");
    assert.equal(copy.KmsKeyId, awsRdsB.Arn);
    const copyTags = (
      await w.b.neptune.send(new ListTagsForResourceCommand({ ResourceName: copy.DBClusterSnapshotArn! }))
    ).TagList;
    assert.deepEqual(copyTags, [
      { Key: "team", Value: "graph" },
      { Key: "env", Value: "production" },
    ]);

    // A: the key policy kept its statement and gained the target's two (R10), the snapshot is shared with B only.
    const policy = JSON.parse(
      (await w.a.kms.send(new GetKeyPolicyCommand({ KeyId: w.seed!.keyArn, PolicyName: "default" }))).Policy!,
    ) as { Statement: { Sid: string }[] };
    assert.deepEqual(
      policy.Statement.map((statement) => statement.Sid),
      ["Enable IAM User Permissions", `${USE_SID_PREFIX}${B}`, `${GRANTS_SID_PREFIX}${B}`],
    );
    const attributes = await w.a.neptune.send(
      new DescribeDBClusterSnapshotAttributesCommand({ DBClusterSnapshotIdentifier: `trident-orders-graph-for-${B}` }),
    );
    assert.deepEqual(attributes.DBClusterSnapshotAttributesResult?.DBClusterSnapshotAttributes, [
      { AttributeName: "restore", AttributeValues: [B] },
    ]);

    // The journal says what was made and what the key policy was.
    const journal = readJournal(w.journalPath)!;
    assert.deepEqual(journal.created, {
      targetInstances: ["orders-graph-instance-1"],
      sourceManualSnapshot: `trident-orders-graph-for-${B}`,
      targetCopy: `trident-orders-graph-from-${A}`,
      targetCluster: "orders-graph",
    });
    assert.equal(journal.keyPolicy?.keyArn, w.seed!.keyArn);
    assert.deepEqual(journal.share, { snapshot: `trident-orders-graph-for-${B}`, account: B, addedByUs: true });
    assert.deepEqual(journal.completed, ["snapshot", "share", "key-policy", "copy", "restore", "instances", "verify"]);

    // The timeline shows the diff of the key policy before it is put.
    assert.ok(lines.some((line) => new RegExp(`^\\s+\\+\\s+"AWS": "arn:aws:iam::${B}:root"`).test(line)));
  });

  test("a second apply is a no-op: nothing is changed, the result is verified again", async () => {
    const w = await world();
    await runApply(w.run());
    w.handler.calls.length = 0;
    const again = await runApply(w.run());
    assert.equal(again.status, "done");
    assert.deepEqual(again.changed, []);
    assert.deepEqual(mutations(w.handler.calls), []);
    assert.ok(again.plan.steps.filter((step) => step.id !== "verify").every((step) => step.state === "done"));
    assert.ok(again.verification!.every((check) => check.ok));
  });

  test("an apply killed after the share step resumes and finishes without duplicating anything", async () => {
    const w = await world();
    const first = await runApply({ ...w.run(), stopAfter: "share" });
    assert.equal(first.status, "stopped");
    assert.deepEqual(mutations(w.handler.calls), [
      `${A}:CreateDBClusterSnapshot`,
      `${A}:ModifyDBClusterSnapshotAttribute`,
    ]);

    const { plan } = await runPlan(w.run());
    assert.equal(
      stepStates(plan),
      "snapshot:done share:done key-policy:todo copy:todo restore:todo instances:todo verify:todo",
    );

    w.handler.calls.length = 0;
    const resumed = await runApply(w.run());
    assert.equal(resumed.status, "done");
    assert.deepEqual(resumed.changed, ["key-policy", "copy", "restore", "instances"]);
    assert.deepEqual(mutations(w.handler.calls), [
      `${A}:PutKeyPolicy`,
      `${B}:CopyDBClusterSnapshot`,
      `${B}:RestoreDBClusterFromSnapshot`,
      `${B}:CreateDBInstance`,
    ]);
    assert.deepEqual(await manualSnapshotIds(w.a.neptune), [`trident-orders-graph-for-${B}`]);
    assert.equal((await manualSnapshotIds(w.b.neptune)).length, 1);
    assert.equal((await w.b.neptune.send(new DescribeDBClustersCommand({}))).DBClusters!.length, 1);
    assert.equal((await w.b.neptune.send(new DescribeDBInstancesCommand({}))).DBInstances!.length, 1);
  });

  test("a crash between a create call and its record still resumes: the journal claimed the name first", async () => {
    const w = await world();
    await runApply({ ...w.run(), stopAfter: "copy" });
    // Simulate the kill: the restore was asked for (write-ahead claim) and AWS started it, but the step never finished.
    const journal = readJournal(w.journalPath)!;
    assert.equal(journal.created.targetCluster, undefined);
    const resumed = await runApply({
      ...w.run(),
      beforeStep: async (step, ctx) => {
        if (step === "restore") {
          ctx.journal.claim("targetCluster", "orders-graph");
          await ctx.clients.target.neptune.send(
            new (await import("@aws-sdk/client-neptune")).RestoreDBClusterFromSnapshotCommand({
              DBClusterIdentifier: "orders-graph",
              SnapshotIdentifier: `trident-orders-graph-from-${A}`,
              Engine: "neptune",
              Tags: ctx.plan.spec.ClusterTags,
            }),
          );
        }
      },
    });
    assert.equal(resumed.status, "done");
    assert.ok(!resumed.changed.includes("restore"), "the restore step found its cluster and did not restore again");
  });
});

describe("waiting on the emulator's clock, with progress", () => {
  /** A world whose transitions take these times on its manual clock; the others are instant. */
  const worldWithDelays = (delays: Partial<Delays>) =>
    world({ emulator: { delays: { ...DELAY_PROFILES.instant, ...delays } } });

  /** A text reporter that keeps its lines and its progress lines, trimmed. */
  const recorder = () => {
    const lines: string[] = [];
    const progress: string[] = [];
    const reporter = new TextReporter({
      write: (line) => lines.push(line.trim()),
      progress: lineProgress((line) => progress.push(line.trim())),
    });
    return { lines, progress, reporter };
  };

  test("apply waits through creating/copying with PercentProgress, driving the manual clock", async () => {
    const w = await worldWithDelays({
      clusterCreateMs: 20_000,
      instanceCreateMs: 15_000,
      clusterModifyMs: 1_000,
      deleteMs: 1_000,
      snapshotMs: 10_000,
    });
    const { progress, reporter } = recorder();
    const started = w.clock.now().getTime();
    const result = await runApply({ ...w.run(), wait: { ...w.wait, intervalMs: 2_500 }, reporter });
    assert.equal(result.status, "done");
    assert.ok(result.verification!.every((check) => check.ok));
    assert.deepEqual(
      progress.filter((line) => line.startsWith(`trident-orders-graph-for-${B}:`)),
      [0, 25, 50, 75]
        .map((percent) => `trident-orders-graph-for-${B}: creating ${percent}%`)
        .concat(`trident-orders-graph-for-${B}: available 100%`),
    );
    assert.ok(progress.includes(`trident-orders-graph-from-${A}: copying 0%`));
    assert.ok(progress.some((line) => line.startsWith("orders-graph: creating")));
    assert.ok(progress.includes("orders-graph-instance-1: creating"));
    assert.ok(w.clock.now().getTime() - started >= 10_000 + 10_000 + 20_000 + 15_000);
  });

  test("verify waits, with progress and within the waiter's timeout, until the restored cluster's backup is over", async () => {
    // Backups take as long as snapshots (20 s); the cluster and its instance are quick, so verify meets the
    // cluster still `backing-up` its first automated backup.
    const w = await worldWithDelays({ clusterCreateMs: 1_000, instanceCreateMs: 1_000, snapshotMs: 20_000 });
    await runApply({ ...w.run(), stopAfter: "instances" });
    const status = async () => (await describeCluster(w.b.neptune)).Status;
    assert.equal(await status(), "backing-up");

    await assert.rejects(
      runApply({ ...w.run(), wait: { ...w.wait, timeoutMs: 5_000 } }),
      (error: Error & { fix?: string }) => {
        assert.match(error.message, /^orders-graph: still backing-up after 5 s/);
        assert.match(error.fix!, /run apply again later/);
        return true;
      },
    );

    const { lines, progress, reporter } = recorder();
    const result = await runApply({ ...w.run(), reporter });
    assert.equal(result.status, "done");
    assert.deepEqual(result.changed, []);
    assert.ok(
      lines.includes("orders-graph is backing-up (an automated backup is running); waiting until it is available"),
    );
    assert.deepEqual(progress, ["orders-graph: backing-up", "orders-graph: available"]);
    assert.deepEqual(
      result.verification!.find((check) => check.check === "cluster status"),
      { check: "cluster status", ok: true, expected: "available", actual: "available" },
    );
    assert.ok(lines.includes("ok   cluster status: available"));
    assert.equal(await status(), "available");
  });

  test("a wait that runs out says so and how to resume", async () => {
    const w = await worldWithDelays({ snapshotMs: 60_000 });
    await assert.rejects(
      runApply({ ...w.run(), wait: { ...w.wait, intervalMs: 5_000, timeoutMs: 20_000 } }),
      (error: Error & { fix?: string }) => {
        assert.match(error.message, /still creating after 20 s/);
        assert.match(error.fix!, /run apply again later/);
        return true;
      },
    );
    const resumed = await runApply({ ...w.run(), wait: { ...w.wait, intervalMs: 5_000 } });
    assert.equal(resumed.status, "done");
  });
});

describe("cleanup", () => {
  test("returns A's key policy and snapshot attributes to what they were, and deletes the intermediate snapshots", async () => {
    const w = await world();
    const policyBefore = (await w.a.kms.send(new GetKeyPolicyCommand({ KeyId: w.seed!.keyArn, PolicyName: "default" })))
      .Policy!;
    await runApply(w.run());
    w.handler.calls.length = 0;
    const result = await runCleanup(w.run());
    assert.deepEqual(
      result.actions.map((action) => `${action.id}:${action.status}`),
      ["unshare:done", "key-policy:done", "delete-snapshot:done", "delete-snapshot:done"],
    );
    assert.deepEqual(mutations(w.handler.calls), [
      `${A}:ModifyDBClusterSnapshotAttribute`,
      `${A}:PutKeyPolicy`,
      `${B}:DeleteDBClusterSnapshot`,
      `${A}:DeleteDBClusterSnapshot`,
    ]);
    const policyAfter = (await w.a.kms.send(new GetKeyPolicyCommand({ KeyId: w.seed!.keyArn, PolicyName: "default" })))
      .Policy!;
    assert.equal(policyAfter, policyBefore);
    assert.deepEqual(await manualSnapshotIds(w.a.neptune), []);
    assert.deepEqual(await manualSnapshotIds(w.b.neptune), []);
    // The result stays.
    assert.equal((await describeCluster(w.b.neptune)).Status, "available");
    // A second cleanup has nothing left to do; a plan afterwards still sees the migration as done.
    const again = await runCleanup(w.run());
    assert.ok(again.actions.every((action) => action.status === "skipped"));
    const { plan } = await runPlan(w.run());
    assert.equal(plan.canProceed, true);
    assert.ok(plan.steps.filter((step) => step.id !== "verify").every((step) => step.state === "done"));
  });

  test("a snapshot the user gave keeps existing: cleanup only stops sharing it", async () => {
    const w = await world();
    const { CreateDBClusterSnapshotCommand } = await import("@aws-sdk/client-neptune");
    await w.a.neptune.send(
      new CreateDBClusterSnapshotCommand({
        DBClusterIdentifier: "orders-graph",
        DBClusterSnapshotIdentifier: "before-move",
      }),
    );
    const attributes = async () =>
      (
        await w.a.neptune.send(
          new DescribeDBClusterSnapshotAttributesCommand({ DBClusterSnapshotIdentifier: "before-move" }),
        )
      ).DBClusterSnapshotAttributesResult?.DBClusterSnapshotAttributes;
    const before = await attributes();
    const options = w.run({ sourceCluster: undefined, sourceSnapshot: "before-move" });
    const result = await runApply(options);
    assert.equal(result.status, "done");
    assert.deepEqual((await attributes())?.[0]?.AttributeValues, [B]);
    await runCleanup(options);
    assert.deepEqual(await attributes(), before);
    assert.deepEqual(await manualSnapshotIds(w.a.neptune), ["before-move"]);
  });

  test("a key policy edited since apply keeps the edits: only the target's statements go", async () => {
    const w = await world();
    await runApply(w.run());
    const { PutKeyPolicyCommand } = await import("@aws-sdk/client-kms");
    const current = JSON.parse(
      (await w.a.kms.send(new GetKeyPolicyCommand({ KeyId: w.seed!.keyArn, PolicyName: "default" }))).Policy!,
    ) as { Statement: object[] };
    current.Statement.push({
      Sid: "Auditors",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${A}:root` },
      Action: "kms:Describe*",
      Resource: "*",
    });
    await w.a.kms.send(
      new PutKeyPolicyCommand({ KeyId: w.seed!.keyArn, PolicyName: "default", Policy: JSON.stringify(current) }),
    );
    await runCleanup({ ...w.run(), keepSnapshots: true, keepShare: true });
    const after = JSON.parse(
      (await w.a.kms.send(new GetKeyPolicyCommand({ KeyId: w.seed!.keyArn, PolicyName: "default" }))).Policy!,
    ) as { Statement: { Sid: string }[] };
    assert.deepEqual(
      after.Statement.map((statement) => statement.Sid),
      ["Enable IAM User Permissions", "Auditors"],
    );
    assert.ok(readFileSync(w.journalPath, "utf8").includes('"cleanedUp"'));
  });
});
