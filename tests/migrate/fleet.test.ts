import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  CreateDBClusterCommand,
  CreateDBClusterSnapshotCommand,
  CreateDBInstanceCommand,
  DeleteDBClusterSnapshotCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
} from "@aws-sdk/client-neptune";
import type { MigrateIo } from "../../src/cli/migrate.js";
import { EXIT } from "../../src/migrate/errors.js";
import { checkFleetQuotas } from "../../src/migrate/fleet-quotas.js";
import { runBounded, Slots } from "../../src/migrate/fleet-schedule.js";
import { buildPlan } from "../../src/migrate/plan.js";
import { waitUntilReady } from "../../src/migrate/resources.js";
import { buildSeed } from "../../src/migrate/seed.js";
import { silentProgress } from "../../src/migrate/waiters.js";
import { A, B, seedFacts, seedInputs } from "./fixtures.js";
import { manualSnapshotIds, migrateCli, migrationWorlds, mutations, type MigrationWorld } from "./world.js";

const world = migrationWorlds();

/** An unencrypted Neptune cluster with one instance in A. */
async function unencryptedCluster(w: MigrationWorld, id: string): Promise<void> {
  const neptune = w.clients.source.neptune;
  await neptune.send(new CreateDBClusterCommand({ DBClusterIdentifier: id, Engine: "neptune" }));
  await waitUntilReady(neptune, "cluster", id, w.wait, silentProgress, ["available"]);
  await neptune.send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: `${id}-1`,
      DBInstanceClass: "db.r5.large",
      Engine: "neptune",
      DBClusterIdentifier: id,
    }),
  );
  await waitUntilReady(neptune, "instance", `${id}-1`, w.wait, silentProgress);
}

/**
 * Five clusters in A: the seed's orders-graph (its own CMK), ledger-graph under the AWS-managed aws/rds key (R3:
 * apply copies it under a key it creates, --create-source-key), public-graph unencrypted, audit-graph and
 * taken-graph under CMKs of their own; and a cluster named taken-graph already in B: that one is blocked.
 */
async function fleetWorld(): Promise<MigrationWorld & { journalDir: string }> {
  const w = await world();
  const seed = { sleep: async (ms: number) => w.clock.advance(ms), pollMs: 1000 };
  await buildSeed(w.clients.source, A, { ...seed, clusterId: "ledger-graph", kmsKeyId: "alias/aws/rds" });
  await buildSeed(w.clients.source, A, { ...seed, clusterId: "audit-graph" });
  await buildSeed(w.clients.source, A, { ...seed, clusterId: "taken-graph" });
  await unencryptedCluster(w, "public-graph");
  await w.b.neptune.send(new CreateDBClusterCommand({ DBClusterIdentifier: "taken-graph", Engine: "neptune" }));
  w.handler.calls.length = 0;
  return { ...w, journalDir: join(dirname(w.journalPath), "journals") };
}

const FIVE = ["orders-graph", "ledger-graph", "public-graph", "audit-graph", "taken-graph"];
const sourceFlags = (clusters: string[]) => clusters.flatMap((id) => ["--source-cluster", id]);

/** `trident migrate` with the world's journal directory, durations on its manual clock. */
function fleetCli(w: MigrationWorld & { journalDir: string }, args: string[], io: Partial<MigrateIo> = {}) {
  return migrateCli(w, [...args, "--journal-dir", w.journalDir], { now: () => w.clock.now().getTime(), ...io });
}

/** The summary table's rows by cluster: [target, state, duration, snapshot, verification]. */
function summaryRows(stdout: string): Record<string, string[]> {
  const table = stdout.slice(stdout.lastIndexOf("Summary:\n")).split("\n").slice(1);
  assert.match(table[0]!, /^ {2}CLUSTER +TARGET +STATE +DURATION/);
  const rows: Record<string, string[]> = {};
  for (const line of table.slice(1)) {
    if (!line.startsWith("  ")) break;
    const [cluster, ...cells] = line.trim().split(/ {2,}/);
    rows[cluster!] = cells;
  }
  return rows;
}

/** The operations of the request log, `account:Operation`, that are this one. */
function calls(w: MigrationWorld, operation: string): string[] {
  return mutations(w.handler.calls).filter((call) => call.endsWith(`:${operation}`));
}

async function clusterIdsIn(w: MigrationWorld, side: "a" | "b"): Promise<string[]> {
  const out = await w[side].neptune.send(new DescribeDBClustersCommand({}));
  return out.DBClusters!.map((cluster) => cluster.DBClusterIdentifier!).sort();
}

describe("trident migrate for a fleet of clusters", () => {
  test("five clusters: one plan names all; apply --parallel 3 moves four and reports the blocked one with its fix", async () => {
    const w = await fleetWorld();
    const flags = [...sourceFlags(FIVE), "--create-source-key"];

    const plan = await fleetCli(w, ["plan", ...flags, "--parallel", "3"]);
    assert.equal(plan.code, EXIT.blocked, plan.stderr);
    assert.match(plan.stdout, /^Fleet of 5 clusters: 111111111111 → 222222222222 \(us-east-1\), 3 at a time\n/);
    FIVE.forEach((id, index) => assert.match(plan.stdout, new RegExp(`━━ ${index + 1}/5 ${id} → ${id} ━━`)));
    // Each cluster's findings under its own plan: aws/rds handled by a created key (R3), the name taken in B.
    assert.match(plan.stdout, /• \[R3\] the source is encrypted with the AWS-managed key/);
    assert.match(
      plan.stdout,
      /✗ a cluster named taken-graph already exists in 222222222222 \(status available\), and this migration did not create it\n {4}fix: choose another --target-cluster, or delete that cluster in 222222222222 first/,
    );
    assert.match(plan.stdout, /manual DB cluster snapshots in source 111111111111: 0 now, 6 to add, quota 100/);
    assert.match(plan.stdout, /manual DB cluster snapshots in target 222222222222: 0 now, 5 to add, quota 100/);
    assert.match(plan.stdout, / {2}taken-graph +taken-graph +6 +blocked: 1 blocker\n/);
    assert.match(plan.stdout, / {2}ledger-graph +ledger-graph +8 +ready\n/);
    assert.match(
      plan.stdout,
      /Result: blocked: 1 of 5 clusters need you first; apply moves the other 4 and reports it\.\n$/,
    );
    assert.deepEqual(mutations(w.handler.calls), [], "plan changes nothing");

    const unconfirmed = await fleetCli(w, ["apply", ...flags]);
    assert.equal(unconfirmed.code, EXIT.declined, "one confirmation for the fleet; no terminal and no --yes: exit 5");
    assert.match(unconfirmed.stderr, /re-run with --yes/);
    let asked = "";
    const declined = await fleetCli(w, ["apply", ...flags], { ask: async (question) => ((asked = question), "n") });
    assert.equal(declined.code, EXIT.declined);
    assert.match(
      asked,
      /^apply will change these live resources:\n {2}- \[orders-graph\] source 111111111111: snapshot/,
    );
    assert.match(
      asked,
      /\n {2}- \[public-graph\] target 222222222222: create 1 instance in public-graph\n[^]*\n {2}- \[audit-graph\] target 222222222222: create 1 instance in audit-graph\nContinue\? \[y\/N\] $/,
    );
    assert.doesNotMatch(asked, /taken-graph/, "the blocked cluster is not run, so not asked about");
    assert.deepEqual(mutations(w.handler.calls), []);

    const applied = await fleetCli(w, ["apply", ...flags, "--parallel", "3", "--yes"]);
    assert.equal(applied.code, EXIT.blocked, "one cluster blocked: exit 3");
    assert.match(
      applied.stderr,
      /\[taken-graph\] blocked:\n\[taken-graph\] {3}a cluster named taken-graph already exists in 222222222222[^\n]*\n\[taken-graph\] {5}fix: choose another --target-cluster/,
    );
    assert.deepEqual(summaryRows(applied.stdout), {
      "orders-graph": ["orders-graph", "done", "0.0s", "1 GiB", "not run"],
      "ledger-graph": ["ledger-graph", "done", "0.0s", "1 GiB", "not run"],
      "public-graph": ["public-graph", "done", "0.0s", "1 GiB", "not run"],
      "audit-graph": ["audit-graph", "done", "0.0s", "1 GiB", "not run"],
      "taken-graph": ["taken-graph", "blocked", "0.0s", "-", "not run"],
    });
    assert.match(applied.stdout, /Result: 4 done, 1 blocked\. Fix what is printed for each/);
    // The run's lines (between the plan and the summary) each name their cluster: parallel runs stay readable.
    const run = applied.stdout.slice(applied.stdout.indexOf("Continue?") + 1, applied.stdout.lastIndexOf("Summary:"));
    const runLines = run.split("\n").filter((line) => line.trim() !== "" && !line.startsWith("Result:"));
    assert.ok(runLines.length > 20);
    for (const line of runLines.slice(runLines.findIndex((line) => line.startsWith("[")))) {
      assert.match(line, /^\[(orders|ledger|public|audit)-graph\] /);
    }

    // B: the four restored clusters with their instances, and the one that was there; nothing made for it.
    assert.deepEqual(await clusterIdsIn(w, "b"), [...FIVE].sort());
    for (const id of ["orders-graph", "ledger-graph", "public-graph", "audit-graph"]) {
      const instance = (
        await w.b.neptune.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: `${id}-instance-1` }))
      ).DBInstances![0]!;
      assert.equal(instance.DBInstanceStatus, "available");
      assert.ok(existsSync(join(w.journalDir, `${A}-to-${B}-${id}.json`)), `${id}'s own journal`);
    }
    assert.equal(existsSync(join(w.journalDir, `${A}-to-${B}-taken-graph.json`)), false);
    assert.equal(calls(w, "CreateDBClusterSnapshot").length, 4);
    assert.deepEqual(
      calls(w, "CopyDBClusterSnapshot").sort(),
      [`${A}:CopyDBClusterSnapshot`, ...Array(4).fill(`${B}:CopyDBClusterSnapshot`)].sort(),
      "ledger-graph's snapshot copied under a CMK in A first (R3), then every copy in B",
    );

    // --output json: the same summary as one document; a second run changes nothing.
    w.handler.calls.length = 0;
    const again = await fleetCli(w, ["apply", ...flags, "--yes", "--output", "json"]);
    assert.equal(again.code, EXIT.blocked);
    const document = JSON.parse(again.stdout) as {
      status: string;
      exitCode: number;
      clusters: {
        sourceCluster: string;
        state: string;
        snapshotGiB?: number;
        verification: string;
        changed: string[];
      }[];
    };
    assert.equal(document.exitCode, EXIT.blocked);
    assert.deepEqual(
      document.clusters.map((row) => [row.sourceCluster, row.state, row.snapshotGiB, row.verification, row.changed]),
      [
        ["orders-graph", "done", 1, "not run", []],
        ["ledger-graph", "done", 1, "not run", []],
        ["public-graph", "done", 1, "not run", []],
        ["audit-graph", "done", 1, "not run", []],
        ["taken-graph", "blocked", undefined, "not run", []],
      ],
    );
    assert.deepEqual(mutations(w.handler.calls), []);
  });

  test("an interrupted fleet run is resumed by running it again: only what was left runs", async () => {
    const w = await fleetWorld();
    const first = await fleetCli(w, ["apply", ...sourceFlags(["orders-graph", "audit-graph"]), "--yes"]);
    assert.equal(first.code, EXIT.ok, first.stderr);
    const four = [
      ...sourceFlags(["orders-graph", "audit-graph", "public-graph", "ledger-graph"]),
      "--create-source-key",
    ];
    const stopped = await fleetCli(w, ["apply", ...four, "--yes", "--stop-after", "share"]);
    assert.equal(stopped.code, EXIT.ok, stopped.stderr);
    assert.deepEqual(
      Object.values(summaryRows(stopped.stdout)).map((row) => row[1]),
      ["stopped", "stopped", "stopped", "stopped"],
    );
    assert.equal(calls(w, "CreateDBClusterSnapshot").length, 4, "two in the first run, two before the stop");

    w.handler.calls.length = 0;
    const resumed = await fleetCli(w, ["apply", ...four, "--yes"]);
    assert.equal(resumed.code, EXIT.ok, resumed.stderr);
    assert.deepEqual(calls(w, "CreateDBClusterSnapshot"), [], "no cluster is snapshotted again");
    assert.deepEqual(calls(w, "ModifyDBClusterSnapshotAttribute"), [], "nothing shared again");
    assert.deepEqual(calls(w, "CopyDBClusterSnapshot"), [`${B}:CopyDBClusterSnapshot`, `${B}:CopyDBClusterSnapshot`]);
    assert.deepEqual(calls(w, "RestoreDBClusterFromSnapshot").length, 2, "only public-graph and ledger-graph");
    assert.match(resumed.stdout, /\[orders-graph\] ==> snapshot cluster orders-graph as [^\n]*: already done/);
    assert.deepEqual(
      Object.values(summaryRows(resumed.stdout)).map((row) => row[1]),
      ["done", "done", "done", "done"],
    );
  });

  test("the manifest form: each cluster's target id, instance class and count; cleanup of the fleet from it", async () => {
    const w = await fleetWorld();
    const manifest = join(dirname(w.journalPath), "fleet.json");
    writeFileSync(
      manifest,
      JSON.stringify({
        clusters: {
          "orders-graph": { "target-cluster": "orders-b", "instance-class": "db.r6g.large", "instance-count": 2 },
          "public-graph": {},
        },
      }),
    );
    const applied = await fleetCli(w, ["apply", "--manifest", manifest, "--yes"]);
    assert.equal(applied.code, EXIT.ok, applied.stderr);
    assert.deepEqual(
      Object.entries(summaryRows(applied.stdout)).map(([cluster, row]) => [cluster, row[0], row[1]]),
      [
        ["orders-graph", "orders-b", "done"],
        ["public-graph", "public-graph", "done"],
      ],
    );
    const instances = await w.b.neptune.send(
      new DescribeDBInstancesCommand({ Filters: [{ Name: "db-cluster-id", Values: ["orders-b"] }] }),
    );
    assert.deepEqual(
      instances.DBInstances!.map((instance) => [instance.DBInstanceIdentifier, instance.DBInstanceClass]).sort(),
      [
        ["orders-b-instance-1", "db.r6g.large"],
        ["orders-b-instance-2", "db.r6g.large"],
      ],
    );
    assert.ok(existsSync(join(w.journalDir, `${A}-to-${B}-orders-b.json`)));

    const cleaned = await fleetCli(w, ["cleanup", "--manifest", manifest, "--yes"]);
    assert.equal(cleaned.code, EXIT.ok, cleaned.stderr);
    assert.match(
      cleaned.stdout,
      /\[orders-graph\] source 111111111111: stop sharing trident-orders-b-for-222222222222/,
    );
    assert.deepEqual(
      Object.entries(summaryRows(cleaned.stdout)).map(([cluster, row]) => [cluster, row[0], row[1]]),
      [
        ["orders-graph", "orders-b", "done"],
        ["public-graph", "public-graph", "done"],
      ],
    );
    assert.deepEqual(
      (await manualSnapshotIds(w.a.neptune)).filter((id) => id.startsWith("trident-")),
      [],
      "the intermediate snapshots are gone",
    );
  });

  test("a cluster that fails halfway does not stop the others; fixed, the same command resumes it where it failed", async () => {
    const w = await fleetWorld();
    const manifest = join(dirname(w.journalPath), "fleet.json");
    const write = (instanceClass: string) =>
      writeFileSync(
        manifest,
        JSON.stringify({
          clusters: {
            "orders-graph": {},
            // Plan can't know which classes a region offers: CreateDBInstance refuses it, after the restore.
            "audit-graph": { "instance-class": instanceClass },
            "public-graph": {},
          },
        }),
      );
    write("db.r9.huge");
    const failed = await fleetCli(w, ["apply", "--manifest", manifest, "--parallel", "2", "--yes"]);
    assert.equal(failed.code, EXIT.failure, "an unexpected AWS refusal: exit 1");
    assert.match(
      failed.stderr,
      /\[audit-graph\] failed:\n\[audit-graph\] {3}InvalidParameterCombination: RDS does not support creating a DB instance with the following combination: DBInstanceClass=db\.r9\.huge/,
    );
    assert.match(failed.stderr, /\[audit-graph\] {3}\(run with --debug for the stack\)\n/);
    assert.doesNotMatch(failed.stderr, /\n\s+at /, "no stack without --debug");
    assert.deepEqual(
      Object.entries(summaryRows(failed.stdout)).map(([cluster, row]) => [cluster, row[1]]),
      [
        ["orders-graph", "done"],
        ["audit-graph", "failed"],
        ["public-graph", "done"],
      ],
    );
    assert.match(failed.stdout, /Result: 2 done, 1 failed\. Fix what is printed for each/);

    write("db.r5.large");
    w.handler.calls.length = 0;
    const resumed = await fleetCli(w, ["apply", "--manifest", manifest, "--yes"]);
    assert.equal(resumed.code, EXIT.ok, resumed.stderr);
    assert.deepEqual(mutations(w.handler.calls), [`${B}:CreateDBInstance`], "only audit-graph's instance was left");
    assert.deepEqual(
      Object.values(summaryRows(resumed.stdout)).map((row) => row[1]),
      ["done", "done", "done"],
    );
  });

  test("--all-clusters: every Neptune cluster of the source account; cleanup skips the ones never moved", async () => {
    const w = await fleetWorld();
    const plan = await fleetCli(w, ["plan", "--all-clusters", "--create-source-key", "--output", "json"]);
    assert.equal(plan.code, EXIT.blocked);
    const document = JSON.parse(plan.stdout) as {
      fleet: { clusters: { sourceCluster: string; plan: { canProceed: boolean } }[] };
    };
    assert.deepEqual(
      document.fleet.clusters.map((cluster) => [cluster.sourceCluster, cluster.plan.canProceed]).sort(),
      [
        ["audit-graph", true],
        ["ledger-graph", true],
        ["orders-graph", true],
        ["public-graph", true],
        ["taken-graph", false],
      ],
    );
    assert.doesNotMatch(plan.stdout, /secret/i, "the JSON plan holds no credentials");

    const moved = await fleetCli(w, ["apply", "--source-cluster", "public-graph", "--yes"]);
    assert.equal(moved.code, EXIT.ok, "a single cluster: today's form and output");
    assert.match(moved.stdout, /Migrated: 111111111111 → 222222222222 cluster public-graph\./);
    const cleaned = await fleetCli(w, ["cleanup", "--all-clusters", "--yes"]);
    assert.equal(cleaned.code, EXIT.ok, cleaned.stderr);
    assert.deepEqual(
      Object.entries(summaryRows(cleaned.stdout))
        .map(([cluster, row]) => [cluster, row[1]])
        .sort(),
      [
        ["audit-graph", "skipped"],
        ["ledger-graph", "skipped"],
        ["orders-graph", "skipped"],
        ["public-graph", "done"],
        ["taken-graph", "skipped"],
      ],
    );
  });

  test("a fleet past the manual-snapshot quota is blocked by plan, and apply changes nothing", async () => {
    const w = await world();
    const seed = { sleep: async (ms: number) => w.clock.advance(ms), pollMs: 1000 };
    await buildSeed(w.clients.source, A, { ...seed, clusterId: "audit-graph" });
    for (let i = 0; i < 99; i++)
      await w.a.neptune.send(
        new CreateDBClusterSnapshotCommand({
          DBClusterIdentifier: "orders-graph",
          DBClusterSnapshotIdentifier: `keep-${i}`,
        }),
      );
    w.handler.calls.length = 0;
    const fleet = { ...w, journalDir: join(dirname(w.journalPath), "journals") };
    const two = sourceFlags(["orders-graph", "audit-graph"]);
    const plan = await fleetCli(fleet, ["plan", ...two]);
    assert.equal(plan.code, EXIT.blocked);
    assert.match(
      plan.stdout,
      /━━ the fleet ━━\n[^]*Blockers \(fix these first\):\n {2}✗ the fleet would take source 111111111111 to 101 manual DB cluster snapshots, over its quota of 100 \(it has 99, the fleet adds 2\): AWS would refuse the rest with SnapshotQuotaExceeded\n {4}fix: delete 1 manual snapshot 111111111111 no longer needs, or ask AWS for a higher quota/,
    );
    assert.match(plan.stdout, /Result: blocked: the fleet has 1 blocker; apply moves no cluster until it is fixed\./);
    const applied = await fleetCli(fleet, ["apply", ...two, "--yes"]);
    assert.equal(applied.code, EXIT.blocked);
    assert.match(applied.stderr, /the fleet plan has blockers; no cluster was changed/);
    assert.deepEqual(mutations(w.handler.calls), []);

    // At the quota exactly, the fleet fits.
    await w.a.neptune.send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: "keep-0" }));
    assert.equal((await fleetCli(fleet, ["plan", ...two])).code, EXIT.ok);
  });

  test("conflicting or one-cluster-only options are refused before anything is called (exit 2)", async () => {
    const w = await fleetWorld();
    const manifest = (name: string, content: unknown) => {
      const path = join(dirname(w.journalPath), name);
      writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
      return path;
    };
    const two = sourceFlags(["orders-graph", "audit-graph"]);
    const cases: [string[], RegExp][] = [
      [
        [...two, "--all-clusters"],
        /give --source-cluster, --all-clusters or --manifest, not --source-cluster and --all-clusters/,
      ],
      [
        ["--all-clusters", "--manifest", manifest("m0.json", { clusters: { x: {} } })],
        /not --all-clusters and --manifest/,
      ],
      [[...two, "--target-cluster", "x"], /--target-cluster names one cluster's target/],
      [[...two, "--journal", "j.json"], /--journal is one cluster's journal: with several clusters give --journal-dir/],
      [[...two, "--source-snapshot", "s"], /--source-snapshot moves one snapshot/],
      [[...sourceFlags(["orders-graph", "Orders-Graph"])], /--source-cluster Orders-Graph is given twice/],
      [[...two, "--parallel", "0"], /--parallel takes a whole number, 1 or more, not '0'/],
      [["--manifest", manifest("m1.json", "{not json")], /--manifest [^:]*m1\.json: /],
      [["--manifest", manifest("m2.json", { orders: {} })], /expected \{"clusters": \{"<source cluster>"/],
      [
        ["--manifest", manifest("m3.json", { clusters: { "orders-graph": { "target-clustr": "x" } } })],
        /cluster orders-graph: unknown setting 'target-clustr' \(settings: target-cluster, /,
      ],
      [
        ["--manifest", manifest("m4.json", { clusters: { "orders-graph": { "instance-count": "two" } } })],
        /cluster orders-graph: --instance-count takes a whole number, 1 or more, not 'two'/,
      ],
      [
        ["--manifest", manifest("m5.json", { clusters: { "orders-graph": { "verify-data": "yes" } } })],
        /cluster orders-graph: --verify-data takes true or false/,
      ],
      [
        [
          "--manifest",
          manifest("m6.json", {
            clusters: { "orders-graph": { "target-cluster": "x" }, "audit-graph": { "target-cluster": "X" } },
          }),
        ],
        /clusters orders-graph and audit-graph both move to X/,
      ],
    ];
    for (const [args, message] of cases) {
      const result = await fleetCli(w, ["plan", ...args]);
      assert.equal(result.code, EXIT.usage, `${args.join(" ")}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assert.equal(result.stdout, "");
    }
    assert.deepEqual(w.handler.calls, [], "nothing was called");
  });
});

describe("the fleet's quotas and scheduling", () => {
  const plan = buildPlan(seedInputs(), seedFacts());
  const accounts = { source: A, target: B };
  const idle = { source: { manual: 0, copying: 0 }, target: { manual: 0, copying: 0 } };

  test("more clusters copying at once than AWS's 5 copies in progress: the copies queue (planned, not discovered)", () => {
    const six = Array(6).fill(plan);
    assert.deepEqual(checkFleetQuotas(six, idle, 2, accounts).findings, [], "2 at a time fit");
    const wide = checkFleetQuotas(six, idle, 6, accounts);
    assert.deepEqual(wide.copySlots, { source: 5, target: 5 });
    assert.deepEqual(
      wide.findings.map((finding) => [finding.code, finding.severity]),
      [["fleet-copies-queue", "handled"]],
    );
    assert.match(wide.findings[0]!.message, /6 clusters copy a snapshot in target 222222222222, 6 at a time/);
    const busy = checkFleetQuotas(six, { ...idle, target: { manual: 10, copying: 5 } }, 2, accounts);
    assert.deepEqual(
      busy.findings.map((finding) => [finding.code, finding.severity]),
      [["fleet-copy-slots-in-use", "blocker"]],
    );
  });

  test("runBounded never runs more than its limit; Slots hands each freed slot to the next in line", async () => {
    let running = 0;
    let most = 0;
    const gates: (() => void)[] = [];
    const done = runBounded([1, 2, 3, 4, 5], 3, async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => gates.push(resolve));
      running -= 1;
    });
    while (gates.length > 0 || running > 0) {
      await Promise.resolve();
      gates.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await done;
    assert.equal(most, 3);

    const slots = new Slots(1);
    const order: string[] = [];
    let release!: () => void;
    const first = slots.hold(() => new Promise<void>((resolve) => (release = resolve)).then(() => order.push("first")));
    const second = slots.hold(
      async () => order.push("second"),
      () => order.push("second queued"),
    );
    release();
    await Promise.all([first, second]);
    assert.deepEqual(order, ["second queued", "first", "second"]);
  });
});
