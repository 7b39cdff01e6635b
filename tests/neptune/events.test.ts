import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  DeleteDBClusterCommand,
  DeleteDBInstanceCommand,
  DescribeEventCategoriesCommand,
  DescribeEventsCommand,
  ModifyDBClusterParameterGroupCommand,
  type NeptuneClient,
} from "@aws-sdk/client-neptune";
import { A, inProcess, REGION } from "../helpers/harness.js";
import { invalidCombination, invalidValue } from "./faults.js";
import { assertFault, assertWire, rdsQuery } from "./refusals.js";
import { createCluster, createClusterParameterGroup, createInstance, instantExcept, MINUTE } from "./resources.js";

/** A parameter group change is an event of the group (RDS-EVENT-0037), so events can be made without clusters. */
async function makeEvent(client: NeptuneClient, group: string, timeout: number) {
  await client.send(
    new ModifyDBClusterParameterGroupCommand({
      DBClusterParameterGroupName: group,
      Parameters: [
        { ParameterName: "neptune_query_timeout", ParameterValue: String(timeout), ApplyMethod: "immediate" },
      ],
    }),
  );
}

describe("DescribeEventCategories", () => {
  test("lists the categories of every source type, or of one", async () => {
    const { a } = inProcess();
    const all = await a.neptune.send(new DescribeEventCategoriesCommand({}));
    assert.deepEqual(
      all.EventCategoriesMapList!.map((m) => m.SourceType),
      ["db-instance", "db-cluster", "db-cluster-snapshot", "db-parameter-group", "db-security-group", "db-snapshot"],
    );
    const cluster = await a.neptune.send(new DescribeEventCategoriesCommand({ SourceType: "db-cluster" }));
    assert.equal(cluster.EventCategoriesMapList!.length, 1);
    for (const category of ["creation", "deletion", "failover", "notification", "maintenance"]) {
      assert.ok(cluster.EventCategoriesMapList![0]!.EventCategories!.includes(category), category);
    }
    const snapshot = await a.neptune.send(new DescribeEventCategoriesCommand({ SourceType: "db-cluster-snapshot" }));
    assert.ok(snapshot.EventCategoriesMapList![0]!.EventCategories!.includes("backup"));
  });

  test("an unknown source type is InvalidParameterValue", async () => {
    const { a } = inProcess();
    await assertFault(
      () => a.neptune.send(new DescribeEventCategoriesCommand({ SourceType: "db-proxy" })),
      invalidValue(
        "Invalid source type: db-proxy. Valid values are: db-instance, db-cluster, db-cluster-snapshot, db-parameter-group, db-security-group, db-snapshot",
      ),
    );
  });
});

describe("DescribeEvents", () => {
  test("reports an event with its source, type, categories, ARN and time", async () => {
    const { a, clock } = inProcess();
    await createClusterParameterGroup(a.neptune, "audited");
    const at = clock.now();
    await makeEvent(a.neptune, "audited", 60000);
    const out = await a.neptune.send(new DescribeEventsCommand({}));
    assert.deepEqual(out.Events, [
      {
        SourceIdentifier: "audited",
        SourceType: "db-parameter-group",
        Message: "Updated parameter neptune_query_timeout to 60000 with apply method immediate",
        EventCategories: ["configuration change"],
        Date: at,
        SourceArn: `arn:aws:rds:${REGION}:${A}:cluster-pg:audited`,
      },
    ]);
    assert.equal(out.Marker, undefined);
  });

  test("by default only the last hour; Duration, StartTime and EndTime choose another window", async () => {
    const { a, clock } = inProcess();
    await createClusterParameterGroup(a.neptune, "timed");
    const first = clock.now();
    await makeEvent(a.neptune, "timed", 1000);
    clock.advance(90 * MINUTE);
    await makeEvent(a.neptune, "timed", 2000);
    const recent = await a.neptune.send(new DescribeEventsCommand({}));
    assert.deepEqual(
      recent.Events!.map((e) => e.Message),
      ["Updated parameter neptune_query_timeout to 2000 with apply method immediate"],
    );
    const longer = await a.neptune.send(new DescribeEventsCommand({ Duration: 120 }));
    assert.equal(longer.Events!.length, 2);
    // Oldest first.
    assert.deepEqual(
      longer.Events!.map((e) => e.Date!.getTime()),
      [first.getTime(), first.getTime() + 90 * MINUTE],
    );
    const since = await a.neptune.send(new DescribeEventsCommand({ StartTime: new Date(first.getTime() - MINUTE) }));
    assert.equal(since.Events!.length, 2);
    const until = await a.neptune.send(
      new DescribeEventsCommand({
        StartTime: new Date(first.getTime() - MINUTE),
        EndTime: new Date(first.getTime() + MINUTE),
      }),
    );
    assert.equal(until.Events!.length, 1);
    assert.equal(until.Events![0]!.Date!.getTime(), first.getTime());
    // EndTime with Duration: the minutes before EndTime.
    const before = await a.neptune.send(
      new DescribeEventsCommand({ EndTime: new Date(first.getTime() + MINUTE), Duration: 5 }),
    );
    assert.equal(before.Events!.length, 1);
  });

  test("events are kept 14 days", async () => {
    const { a, clock } = inProcess();
    await createClusterParameterGroup(a.neptune, "old");
    const start = clock.now();
    await makeEvent(a.neptune, "old", 1000);
    clock.advance(13 * 24 * 60 * MINUTE);
    assert.equal((await a.neptune.send(new DescribeEventsCommand({ StartTime: start }))).Events!.length, 1);
    clock.advance(2 * 24 * 60 * MINUTE);
    assert.equal((await a.neptune.send(new DescribeEventsCommand({ StartTime: start }))).Events!.length, 0);
  });

  test("filters by source type, source identifier (case-insensitive) and category", async () => {
    const { a } = inProcess();
    await createClusterParameterGroup(a.neptune, "one");
    await createClusterParameterGroup(a.neptune, "two");
    await makeEvent(a.neptune, "one", 1000);
    await makeEvent(a.neptune, "two", 2000);
    const one = await a.neptune.send(
      new DescribeEventsCommand({ SourceType: "db-parameter-group", SourceIdentifier: "ONE" }),
    );
    assert.deepEqual(
      one.Events!.map((e) => e.SourceIdentifier),
      ["one"],
    );
    const clusters = await a.neptune.send(new DescribeEventsCommand({ SourceType: "db-cluster" }));
    assert.deepEqual(clusters.Events, []);
    const config = await a.neptune.send(
      new DescribeEventsCommand({ EventCategories: ["backup", "configuration change"] }),
    );
    assert.equal(config.Events!.length, 2);
    const backups = await a.neptune.send(new DescribeEventsCommand({ EventCategories: ["backup"] }));
    assert.deepEqual(backups.Events, []);
  });

  test("SourceIdentifier needs SourceType; a window that ends before it starts is refused; bad SourceType fails validation", async () => {
    const { a, clock, raw } = inProcess();
    await assertFault(
      () => a.neptune.send(new DescribeEventsCommand({ SourceIdentifier: "one" })),
      invalidCombination("Cannot specify SourceIdentifier without SourceType."),
    );
    const now = clock.now();
    await assertFault(
      () => a.neptune.send(new DescribeEventsCommand({ StartTime: now, EndTime: new Date(now.getTime() - MINUTE) })),
      invalidValue("The StartTime must be before the EndTime."),
    );
    assertWire(await rdsQuery(raw, "DescribeEvents", { SourceType: "db-proxy" }), {
      code: "ValidationError",
      status: 400,
    });
  });

  test("pages of MaxRecords with Marker", async () => {
    const { a, clock } = inProcess();
    await createClusterParameterGroup(a.neptune, "busy");
    for (let i = 0; i < 25; i++) {
      await makeEvent(a.neptune, "busy", 1000 + i);
      clock.advance(1000);
    }
    const first = await a.neptune.send(new DescribeEventsCommand({ MaxRecords: 20 }));
    assert.equal(first.Events!.length, 20);
    assert.ok(first.Marker);
    const second = await a.neptune.send(new DescribeEventsCommand({ MaxRecords: 20, Marker: first.Marker }));
    assert.equal(second.Events!.length, 5);
    assert.equal(second.Marker, undefined);
    const values = [...first.Events!, ...second.Events!].map((e) => Number(/to (\d+) /.exec(e.Message!)![1]));
    assert.deepEqual(
      values,
      Array.from({ length: 25 }, (_, i) => 1000 + i),
    );
    await assertFault(
      () => a.neptune.send(new DescribeEventsCommand({ MaxRecords: 5 })),
      invalidValue("Invalid value 5 for MaxRecords. Must be between 20 and 100"),
    );
  });

  test("each account sees only its own events", async () => {
    const { a, b } = inProcess();
    await createClusterParameterGroup(a.neptune, "mine");
    await makeEvent(a.neptune, "mine", 1000);
    assert.deepEqual((await b.neptune.send(new DescribeEventsCommand({}))).Events, []);
    assert.deepEqual(
      (await b.neptune.send(new DescribeEventsCommand({ SourceType: "db-parameter-group", SourceIdentifier: "mine" })))
        .Events,
      [],
    );
    assert.equal((await a.neptune.send(new DescribeEventsCommand({}))).Events!.length, 1);
  });
});

describe("lifecycle events", () => {
  test("cluster and instance creation and deletion, dated when they happened, by source type", async () => {
    const { a, clock } = inProcess({ delays: instantExcept({ deleteMs: 5 * MINUTE }) });
    const createdAt = clock.now();
    await createCluster(a.neptune, "lived");
    clock.advance(MINUTE);
    await createInstance(a.neptune, "lived", "lived-1", { DBInstanceClass: "db.t4g.medium" });
    clock.advance(MINUTE);
    await a.neptune.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: "lived-1" }));
    clock.advance(5 * MINUTE);
    const deletingAt = clock.now();
    await a.neptune.send(new DeleteDBClusterCommand({ DBClusterIdentifier: "lived", SkipFinalSnapshot: true }));
    clock.advance(10 * MINUTE);
    const clusters = await a.neptune.send(
      new DescribeEventsCommand({ SourceType: "db-cluster", SourceIdentifier: "lived" }),
    );
    assert.deepEqual(
      clusters.Events!.map((e) => [e.Message, e.EventCategories, e.Date!.getTime(), e.SourceArn]),
      [
        ["DB cluster created", ["creation"], createdAt.getTime(), `arn:aws:rds:${REGION}:${A}:cluster:lived`],
        [
          "DB cluster deleted",
          ["deletion"],
          deletingAt.getTime() + 5 * MINUTE,
          `arn:aws:rds:${REGION}:${A}:cluster:lived`,
        ],
      ],
    );
    const instances = await a.neptune.send(new DescribeEventsCommand({ SourceType: "db-instance" }));
    assert.deepEqual(
      instances.Events!.map((e) => e.Message),
      ["DB instance created", "DB instance deleted"],
    );
    const deletions = await a.neptune.send(new DescribeEventsCommand({ EventCategories: ["deletion"] }));
    assert.deepEqual(
      deletions.Events!.map((e) => e.SourceType),
      ["db-instance", "db-cluster"],
    );
    const snapshots = await a.neptune.send(new DescribeEventsCommand({ SourceType: "db-cluster-snapshot" }));
    assert.ok(snapshots.Events!.every((e) => e.EventCategories!.includes("backup")));
    assert.ok(
      snapshots.Events!.length >= 2,
      "the automated snapshot taken when the cluster became available: started and finished",
    );
  });
});
