import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateEventSubscriptionCommand,
  CreateGlobalClusterCommand,
  DescribeEventCategoriesCommand,
  DescribeEventsCommand,
  FailoverGlobalClusterCommand,
  RemoveFromGlobalClusterCommand,
  SwitchoverGlobalClusterCommand,
  type NeptuneClient,
} from "@aws-sdk/client-neptune";
import { A, inProcess, REGION } from "../helpers/harness.js";
import { clusterArnIn, neptuneIn, WEST, type Env } from "./global-fixtures.js";
import { assertFault } from "./refusals.js";
import { createCluster, createInstance, instantExcept, MINUTE } from "./resources.js";

/** A cluster's events of `categories`, as DescribeEvents answers them in its Region: [message, ms after `since`]. */
async function eventsOf(neptune: NeptuneClient, cluster: string, categories: string[], since: number) {
  const { Events } = await neptune.send(
    new DescribeEventsCommand({ SourceType: "db-cluster", SourceIdentifier: cluster, EventCategories: categories }),
  );
  const region = await neptune.config.region();
  return Events!.map((e) => {
    assert.equal(e.SourceArn, clusterArnIn(region, cluster));
    assert.deepEqual(e.EventCategories, categories);
    return [e.Message, e.Date!.getTime() - since];
  });
}

/** `world`: `east` (instance e1) the primary in us-east-1, `west` (w1) a secondary in us-west-2; transitions a minute. */
async function globalDatabase(env: Env) {
  const west = neptuneIn(env, WEST);
  await env.a.neptune.send(new CreateGlobalClusterCommand({ GlobalClusterIdentifier: "world", Engine: "neptune" }));
  env.clock.advance(MINUTE);
  await createCluster(env.a.neptune, "east", { GlobalClusterIdentifier: "world" });
  await createInstance(env.a.neptune, "east", "e1");
  await createCluster(west, "west", { GlobalClusterIdentifier: "world" });
  await createInstance(west, "west", "w1");
  return west;
}

const slow = () => inProcess({ delays: instantExcept({ clusterModifyMs: MINUTE }) });
const GLOBAL = ["global-failover"];

describe("events of a global database's operations", () => {
  test("a switchover: RDS's global-failover events on each member, in its Region, the ends when the transition ends", async () => {
    const env = slow();
    const west = await globalDatabase(env);
    const start = env.clock.now().getTime();
    await env.a.neptune.send(
      new SwitchoverGlobalClusterCommand({
        GlobalClusterIdentifier: "world",
        TargetDbClusterIdentifier: clusterArnIn(WEST, "west"),
      }),
    );
    const started = "Global switchover to DB cluster west in Region us-west-2 started.";
    const finished = "Global switchover to DB cluster west in Region us-west-2 finished.";
    assert.deepEqual(await eventsOf(env.a.neptune, "east", GLOBAL, start), [
      [started, 0],
      ["Old primary DB cluster east in Region us-east-1 successfully shut down.", 0],
    ]);
    assert.deepEqual(await eventsOf(west, "west", GLOBAL, start), [[started, 0]]);

    env.clock.advance(MINUTE);
    assert.deepEqual(await eventsOf(env.a.neptune, "east", GLOBAL, start), [
      [started, 0],
      ["Old primary DB cluster east in Region us-east-1 successfully shut down.", 0],
      [finished, MINUTE],
    ]);
    assert.deepEqual(await eventsOf(west, "west", GLOBAL, start), [
      [started, 0],
      ["New primary DB cluster west in Region us-west-2 was successfully promoted.", MINUTE],
      [finished, MINUTE],
    ]);
    // Another category leaves them out.
    assert.deepEqual(await eventsOf(west, "west", ["failover"], start), []);
  });

  test("a failover with data loss: RDS-EVENT-0238 on each member when it has completed", async () => {
    const env = slow();
    const west = await globalDatabase(env);
    const start = env.clock.now().getTime();
    await west.send(
      new FailoverGlobalClusterCommand({
        GlobalClusterIdentifier: "world",
        TargetDbClusterIdentifier: clusterArnIn(WEST, "west"),
        AllowDataLoss: true,
      }),
    );
    assert.deepEqual(await eventsOf(west, "west", GLOBAL, start), []);
    env.clock.advance(MINUTE);
    const completed = "Global failover to DB cluster west in Region us-west-2 completed.";
    assert.deepEqual(await eventsOf(west, "west", GLOBAL, start), [[completed, MINUTE]]);
    assert.deepEqual(await eventsOf(env.a.neptune, "east", GLOBAL, start), [[completed, MINUTE]]);
  });

  test("joining and leaving: a configuration change event on the cluster", async () => {
    const env = slow();
    await createCluster(env.a.neptune, "east");
    const start = env.clock.now().getTime();
    await env.a.neptune.send(
      new CreateGlobalClusterCommand({
        GlobalClusterIdentifier: "world",
        SourceDBClusterIdentifier: clusterArnIn(REGION, "east"),
      }),
    );
    env.clock.advance(MINUTE);
    const west = neptuneIn(env, WEST);
    await createCluster(west, "west", { GlobalClusterIdentifier: "world" });
    await env.a.neptune.send(
      new RemoveFromGlobalClusterCommand({
        GlobalClusterIdentifier: "world",
        DbClusterIdentifier: clusterArnIn(WEST, "west"),
      }),
    );
    const change = ["configuration change"];
    assert.deepEqual(await eventsOf(env.a.neptune, "east", change, start), [
      ["DB cluster east joined global cluster world as its primary DB cluster.", 0],
    ]);
    assert.deepEqual(await eventsOf(west, "west", change, start), [
      ["DB cluster west joined global cluster world as a secondary DB cluster.", MINUTE],
      ["DB cluster west was removed from global cluster world: it is a standalone DB cluster now.", MINUTE],
    ]);
  });

  test("global-failover is a category of DB clusters: DescribeEventCategories lists it, a subscription takes it", async () => {
    const { a } = inProcess();
    const { EventCategoriesMapList } = await a.neptune.send(
      new DescribeEventCategoriesCommand({ SourceType: "db-cluster" }),
    );
    assert.ok(EventCategoriesMapList![0]!.EventCategories!.includes("global-failover"));
    const topic = `arn:aws:sns:${REGION}:${A}:alerts`;
    const created = await a.neptune.send(
      new CreateEventSubscriptionCommand({
        SubscriptionName: "regions",
        SnsTopicArn: topic,
        SourceType: "db-cluster",
        EventCategories: ["Global-Failover"],
      }),
    );
    assert.deepEqual(created.EventSubscription!.EventCategoriesList, ["global-failover"]);
    await assertFault(
      () =>
        a.neptune.send(
          new CreateEventSubscriptionCommand({
            SubscriptionName: "instances",
            SnsTopicArn: topic,
            SourceType: "db-instance",
            EventCategories: ["global-failover"],
          }),
        ),
      {
        name: "SubscriptionCategoryNotFoundFault",
        status: 404,
        message: "Event categories not found for source type db-instance: global-failover",
      },
    );
  });
});
