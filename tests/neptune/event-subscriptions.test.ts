import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  AddSourceIdentifierToSubscriptionCommand,
  AddTagsToResourceCommand,
  CreateEventSubscriptionCommand,
  DeleteEventSubscriptionCommand,
  DescribeEventSubscriptionsCommand,
  ListTagsForResourceCommand,
  ModifyEventSubscriptionCommand,
  RemoveSourceIdentifierFromSubscriptionCommand,
  type CreateEventSubscriptionCommandInput,
  type NeptuneClient,
} from "@aws-sdk/client-neptune";
import { A, B, inProcess, REGION } from "../helpers/harness.js";
import { invalidCombination, invalidValue, type Fault } from "./faults.js";
import { assertFault, assertWire, rdsQuery } from "./refusals.js";
import { createCluster, createInstance, instantExcept, MINUTE } from "./resources.js";

const TOPIC = `arn:aws:sns:${REGION}:${A}:graph-alerts`;
const esArn = (name: string) => `arn:aws:rds:${REGION}:${A}:es:${name}`;

const create = (neptune: NeptuneClient, name: string, extra: Partial<CreateEventSubscriptionCommandInput> = {}) =>
  neptune.send(new CreateEventSubscriptionCommand({ SubscriptionName: name, SnsTopicArn: TOPIC, ...extra }));
const describeAll = async (neptune: NeptuneClient) =>
  (await neptune.send(new DescribeEventSubscriptionsCommand({}))).EventSubscriptionsList!;
const describeOne = async (neptune: NeptuneClient, name: string) =>
  (await neptune.send(new DescribeEventSubscriptionsCommand({ SubscriptionName: name }))).EventSubscriptionsList![0]!;

const notFound = (name: string): Fault => ({
  name: "SubscriptionNotFoundFault",
  status: 404,
  message: `Subscription ${name} not found.`,
});
const sourceNotFound = (message: string): Fault => ({ name: "SourceNotFoundFault", status: 404, message });
const categoryNotFound = (message: string): Fault => ({
  name: "SubscriptionCategoryNotFoundFault",
  status: 404,
  message,
});

function slowCreation() {
  return inProcess({ delays: instantExcept({ clusterModifyMs: MINUTE }) });
}

describe("CreateEventSubscription / DescribeEventSubscriptions", () => {
  test("a subscription is creating, then active; every field is shown and kept", async () => {
    const { a, clock } = slowCreation();
    await createCluster(a.neptune, "orders");
    const created = (
      await create(a.neptune, "Orders-Alerts", {
        SourceType: "db-cluster",
        SourceIds: ["Orders"],
        EventCategories: ["Failover", "creation"],
        Enabled: false,
      })
    ).EventSubscription!;
    assert.deepEqual(created, {
      CustomerAwsId: A,
      CustSubscriptionId: "orders-alerts",
      SnsTopicArn: TOPIC,
      Status: "creating",
      SubscriptionCreationTime: new Date(clock.now()).toISOString().replace("T", " ").replace("Z", ""),
      SourceType: "db-cluster",
      SourceIdsList: ["orders"],
      EventCategoriesList: ["failover", "creation"],
      Enabled: false,
      EventSubscriptionArn: esArn("orders-alerts"),
    });
    assert.deepEqual(await describeOne(a.neptune, "ORDERS-ALERTS"), created);
    clock.advance(MINUTE);
    assert.equal((await describeOne(a.neptune, esArn("orders-alerts"))).Status, "active");
  });

  test("Enabled defaults to true; without SourceType and categories the lists are empty", async () => {
    const { a } = inProcess();
    const created = (await create(a.neptune, "all")).EventSubscription!;
    assert.equal(created.Enabled, true);
    assert.equal(created.SourceType, undefined);
    assert.deepEqual(created.SourceIdsList, []);
    assert.deepEqual(created.EventCategoriesList, []);
  });

  test("refusals answer AWS's faults and create nothing", async () => {
    const { a, raw } = inProcess();
    await create(a.neptune, "taken");
    await assertFault(() => create(a.neptune, "TAKEN"), {
      name: "SubscriptionAlreadyExistFault",
      status: 400,
      message: "Subscription taken already exists.",
    });
    for (const topic of ["not-an-arn", `arn:aws:sqs:${REGION}:${A}:q`, `arn:aws-cn:sns:${REGION}:${A}:t`]) {
      await assertFault(() => create(a.neptune, "s1", { SnsTopicArn: topic }), {
        name: "SNSInvalidTopicFault",
        status: 400,
        message: `Invalid SNS topic ARN: ${topic}`,
      });
    }
    await assertFault(
      () => create(a.neptune, "s1", { SourceType: "db-cluster", EventCategories: ["backup"] }),
      categoryNotFound("Event categories not found for source type db-cluster: backup"),
    );
    await assertFault(
      () => create(a.neptune, "s1", { EventCategories: ["coffee"] }),
      categoryNotFound("Event categories not found: coffee"),
    );
    await assertFault(
      () => create(a.neptune, "s1", { SourceType: "db-cluster", SourceIds: ["ghost"] }),
      sourceNotFound("Could not find source ghost of type db-cluster."),
    );
    await assertFault(
      () => create(a.neptune, "s1", { SourceIds: ["ghost"] }),
      invalidCombination("Source identifiers need a SourceType: subscription s1 has none."),
    );
    await assertFault(
      () => create(a.neptune, "s1", { SourceType: "db-coffee" }),
      invalidValue(/^Invalid source type: db-coffee/),
    );
    await assertFault(
      () => create(a.neptune, "1bad"),
      invalidValue(/^The parameter SubscriptionName is not a valid identifier/),
    );
    await assertFault(() => create(a.neptune, "s1", { Tags: [{ Key: "aws:x", Value: "v" }] }), invalidValue(/aws:/));
    const wire = await rdsQuery(raw, "CreateEventSubscription", { SubscriptionName: "s1", SnsTopicArn: "nope" });
    assertWire(wire, { code: "SNSInvalidTopic", status: 400, message: "Invalid SNS topic ARN: nope" });
    assert.deepEqual(
      (await describeAll(a.neptune)).map((s) => s.CustSubscriptionId),
      ["taken"],
    );
  });

  test("a source must be one the caller holds: another account's cluster is not found", async () => {
    const { a, b } = inProcess();
    await createCluster(b.neptune, "theirs");
    await assertFault(
      () =>
        create(a.neptune, "s", { SourceType: "db-cluster", SourceIds: [`arn:aws:rds:${REGION}:${B}:cluster:theirs`] }),
      sourceNotFound(`Could not find source arn:aws:rds:${REGION}:${B}:cluster:theirs of type db-cluster.`),
    );
    await assertFault(
      () => create(a.neptune, "s", { SourceType: "db-snapshot", SourceIds: ["x"] }),
      sourceNotFound("Could not find source x of type db-snapshot."),
    );
    assert.deepEqual(await describeAll(b.neptune), []);
  });

  test("the quota is 20 subscriptions per account and Region", async () => {
    const { a, b } = inProcess();
    for (let i = 0; i < 20; i++) await create(a.neptune, `s${i}`);
    await assertFault(() => create(a.neptune, "one-more"), {
      name: "EventSubscriptionQuotaExceededFault",
      status: 400,
      message: "Cannot create more than 20 event subscriptions.",
    });
    await create(b.neptune, "one-more");
    assert.equal((await describeAll(a.neptune)).length, 20);
  });

  test("describe lists sorted by name in one page (the quota of 20 fits the smallest page); an unknown name is SubscriptionNotFound", async () => {
    const { a, raw } = inProcess();
    for (let i = 0; i < 5; i++) await create(a.neptune, `page-${i}`);
    const first = await a.neptune.send(new DescribeEventSubscriptionsCommand({ MaxRecords: 20 }));
    assert.equal(first.Marker, undefined);
    assert.deepEqual(
      first.EventSubscriptionsList!.map((s) => s.CustSubscriptionId),
      ["page-0", "page-1", "page-2", "page-3", "page-4"],
    );
    await assertFault(() => describeOne(a.neptune, "nope"), notFound("nope"));
    assertWire(await rdsQuery(raw, "DescribeEventSubscriptions", { SubscriptionName: "nope" }), {
      code: "SubscriptionNotFound",
      status: 404,
      message: "Subscription nope not found.",
    });
    await assertFault(
      () => a.neptune.send(new DescribeEventSubscriptionsCommand({ MaxRecords: 5 })),
      invalidValue("Invalid value 5 for MaxRecords. Must be between 20 and 100"),
    );
  });
});

describe("ModifyEventSubscription", () => {
  test("changes topic, source type, categories and Enabled; keeps the rest", async () => {
    const { a } = inProcess();
    await create(a.neptune, "m", { SourceType: "db-instance", EventCategories: ["backup"] });
    const topic = `arn:aws:sns:${REGION}:${A}:other.fifo`;
    const modified = (
      await a.neptune.send(
        new ModifyEventSubscriptionCommand({
          SubscriptionName: "M",
          SnsTopicArn: topic,
          SourceType: "db-cluster",
          EventCategories: ["failover"],
          Enabled: false,
        }),
      )
    ).EventSubscription!;
    assert.equal(modified.SnsTopicArn, topic);
    assert.equal(modified.SourceType, "db-cluster");
    assert.deepEqual(modified.EventCategoriesList, ["failover"]);
    assert.equal(modified.Enabled, false);
    assert.deepEqual(await describeOne(a.neptune, "m"), modified);
  });

  test("refusals change nothing", async () => {
    const { a } = inProcess();
    await createCluster(a.neptune, "c");
    const before = (
      await create(a.neptune, "m", { SourceType: "db-cluster", SourceIds: ["c"], EventCategories: ["failover"] })
    ).EventSubscription!;
    await assertFault(
      () => a.neptune.send(new ModifyEventSubscriptionCommand({ SubscriptionName: "gone" })),
      notFound("gone"),
    );
    await assertFault(
      () =>
        a.neptune.send(
          new ModifyEventSubscriptionCommand({ SubscriptionName: "m", SnsTopicArn: "arn:aws:sns:bad", Enabled: false }),
        ),
      { name: "SNSInvalidTopicFault", status: 400, message: "Invalid SNS topic ARN: arn:aws:sns:bad" },
    );
    await assertFault(
      () =>
        a.neptune.send(new ModifyEventSubscriptionCommand({ SubscriptionName: "m", EventCategories: ["restoration"] })),
      categoryNotFound("Event categories not found for source type db-cluster: restoration"),
    );
    await assertFault(
      () => a.neptune.send(new ModifyEventSubscriptionCommand({ SubscriptionName: "m", SourceType: "db-instance" })),
      invalidCombination("Cannot change the SourceType of subscription m while it has source identifiers."),
    );
    assert.deepEqual(await describeOne(a.neptune, "m"), before);
  });
});

describe("AddSourceIdentifierToSubscription / RemoveSourceIdentifierFromSubscription", () => {
  test("adds sources the caller holds (once), removes them; unknown ones are SourceNotFound", async () => {
    const { a, raw } = inProcess();
    await createCluster(a.neptune, "c");
    await createInstance(a.neptune, "c", "c-1", { DBInstanceClass: "db.t4g.medium" });
    await create(a.neptune, "s", { SourceType: "db-instance" });
    const add = (SourceIdentifier: string) =>
      a.neptune.send(new AddSourceIdentifierToSubscriptionCommand({ SubscriptionName: "s", SourceIdentifier }));
    const removeSource = (SourceIdentifier: string) =>
      a.neptune.send(new RemoveSourceIdentifierFromSubscriptionCommand({ SubscriptionName: "s", SourceIdentifier }));
    assert.deepEqual((await add("C-1")).EventSubscription!.SourceIdsList, ["c-1"]);
    assert.deepEqual((await add(`arn:aws:rds:${REGION}:${A}:db:c-1`)).EventSubscription!.SourceIdsList, ["c-1"]);
    await assertFault(() => add("c"), sourceNotFound("Could not find source c of type db-instance."));
    assertWire(
      await rdsQuery(raw, "AddSourceIdentifierToSubscription", { SubscriptionName: "s", SourceIdentifier: "zz" }),
      { code: "SourceNotFound", status: 404, message: "Could not find source zz of type db-instance." },
    );
    await assertFault(
      () =>
        a.neptune.send(
          new AddSourceIdentifierToSubscriptionCommand({ SubscriptionName: "no", SourceIdentifier: "c-1" }),
        ),
      notFound("no"),
    );
    await assertFault(() => removeSource("other"), sourceNotFound("Source other is not in subscription s."));
    assert.deepEqual((await describeOne(a.neptune, "s")).SourceIdsList, ["c-1"]);
    assert.deepEqual((await removeSource("c-1")).EventSubscription!.SourceIdsList, []);
  });

  test("a subscription without a SourceType takes no source", async () => {
    const { a } = inProcess();
    await createCluster(a.neptune, "c");
    await create(a.neptune, "untyped");
    await assertFault(
      () =>
        a.neptune.send(
          new AddSourceIdentifierToSubscriptionCommand({ SubscriptionName: "untyped", SourceIdentifier: "c" }),
        ),
      invalidCombination("Source identifiers need a SourceType: subscription untyped has none."),
    );
    assert.deepEqual((await describeOne(a.neptune, "untyped")).SourceIdsList, []);
  });
});

describe("DeleteEventSubscription and tags", () => {
  test("tags at creation and through the tagging API; delete answers deleting and forgets the tags", async () => {
    const { a, raw } = inProcess();
    await create(a.neptune, "tagged", { Tags: [{ Key: "team", Value: "graph" }] });
    await a.neptune.send(
      new AddTagsToResourceCommand({ ResourceName: esArn("tagged"), Tags: [{ Key: "env", Value: "prod" }] }),
    );
    const tags = async () =>
      (await a.neptune.send(new ListTagsForResourceCommand({ ResourceName: esArn("tagged") }))).TagList;
    assert.deepEqual(await tags(), [
      { Key: "team", Value: "graph" },
      { Key: "env", Value: "prod" },
    ]);
    const deleted = (await a.neptune.send(new DeleteEventSubscriptionCommand({ SubscriptionName: "Tagged" })))
      .EventSubscription!;
    assert.equal(deleted.Status, "deleting");
    assert.equal(deleted.CustSubscriptionId, "tagged");
    assert.deepEqual(await describeAll(a.neptune), []);
    await assertFault(tags, notFound("tagged"));
    await assertFault(
      () => a.neptune.send(new DeleteEventSubscriptionCommand({ SubscriptionName: "tagged" })),
      notFound("tagged"),
    );
    assertWire(await rdsQuery(raw, "DeleteEventSubscription", { SubscriptionName: "tagged" }), {
      code: "SubscriptionNotFound",
      status: 404,
      message: "Subscription tagged not found.",
    });
    // A new subscription of the same name starts untagged.
    await create(a.neptune, "tagged");
    assert.deepEqual(await tags(), []);
  });
});
