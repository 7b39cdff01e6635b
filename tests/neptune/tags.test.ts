import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  AddTagsToResourceCommand,
  CreateDBParameterGroupCommand,
  CreateDBSubnetGroupCommand,
  DeleteDBClusterCommand,
  DeleteDBClusterParameterGroupCommand,
  DeleteDBInstanceCommand,
  DescribeEventsCommand,
  ListTagsForResourceCommand,
  RemoveTagsFromResourceCommand,
  type NeptuneClient,
  type Tag,
} from "@aws-sdk/client-neptune";
import { A, B, inProcess, REGION, rejection } from "../helpers/harness.js";
import { clusterNotFound, type Fault, instanceNotFound, invalidValue } from "./faults.js";
import { assertFault, assertRefused, assertWire, rdsQuery } from "./refusals.js";
import {
  createCluster,
  createClusterParameterGroup,
  createInstance,
  defaultSubnetIds,
  instantExcept,
} from "./resources.js";

const arnOf = (account: string, type: string, name: string) => `arn:aws:rds:${REGION}:${account}:${type}:${name}`;

const list = async (client: NeptuneClient, ResourceName: string) =>
  (await client.send(new ListTagsForResourceCommand({ ResourceName }))).TagList;
const add = (client: NeptuneClient, ResourceName: string, Tags: Tag[]) =>
  client.send(new AddTagsToResourceCommand({ ResourceName, Tags }));
const remove = (client: NeptuneClient, ResourceName: string, TagKeys: string[]) =>
  client.send(new RemoveTagsFromResourceCommand({ ResourceName, TagKeys }));

const clusterParameterGroup = (client: NeptuneClient, name: string, Tags?: Tag[]) =>
  createClusterParameterGroup(client, name, { Tags });

describe("AddTagsToResource / ListTagsForResource / RemoveTagsFromResource", () => {
  test("add merges by key (a new value overwrites), list keeps first-added order, remove drops keys", async () => {
    const { a } = inProcess();
    await clusterParameterGroup(a.neptune, "tagged");
    const arn = arnOf(A, "cluster-pg", "tagged");
    assert.deepEqual(await list(a.neptune, arn), []);
    await add(a.neptune, arn, [
      { Key: "team", Value: "graph" },
      { Key: "env", Value: "dev" },
    ]);
    await add(a.neptune, arn, [
      { Key: "env", Value: "prod" },
      { Key: "cost-centre", Value: "" },
    ]);
    assert.deepEqual(await list(a.neptune, arn), [
      { Key: "team", Value: "graph" },
      { Key: "env", Value: "prod" },
      { Key: "cost-centre", Value: "" },
    ]);
    await remove(a.neptune, arn, ["team", "not-there"]);
    assert.deepEqual(await list(a.neptune, arn), [
      { Key: "env", Value: "prod" },
      { Key: "cost-centre", Value: "" },
    ]);
    await remove(a.neptune, arn, ["env", "cost-centre"]);
    assert.deepEqual(await list(a.neptune, arn), []);
  });

  test("Tags given at creation are the resource's tags; the ARN's name is case-insensitive", async () => {
    const { a } = inProcess();
    await clusterParameterGroup(a.neptune, "Born-Tagged", [{ Key: "owner", Value: "alice" }]);
    assert.deepEqual(await list(a.neptune, arnOf(A, "cluster-pg", "born-tagged")), [{ Key: "owner", Value: "alice" }]);
    assert.deepEqual(await list(a.neptune, arnOf(A, "cluster-pg", "BORN-TAGGED")), [{ Key: "owner", Value: "alice" }]);
    await a.neptune.send(
      new CreateDBParameterGroupCommand({
        DBParameterGroupName: "pg-tagged",
        DBParameterGroupFamily: "neptune1.3",
        Description: "d",
        Tags: [{ Key: "k", Value: "v" }],
      }),
    );
    assert.deepEqual(await list(a.neptune, arnOf(A, "pg", "pg-tagged")), [{ Key: "k", Value: "v" }]);
    await a.neptune.send(
      new CreateDBSubnetGroupCommand({
        DBSubnetGroupName: "net-tagged",
        DBSubnetGroupDescription: "d",
        SubnetIds: (await defaultSubnetIds(a.neptune)).slice(0, 2),
        Tags: [{ Key: "tier", Value: "data" }],
      }),
    );
    assert.deepEqual(await list(a.neptune, arnOf(A, "subgrp", "net-tagged")), [{ Key: "tier", Value: "data" }]);
  });

  test("default groups can be tagged too", async () => {
    const { a } = inProcess();
    await add(a.neptune, arnOf(A, "subgrp", "default"), [{ Key: "k", Value: "v" }]);
    await add(a.neptune, arnOf(A, "cluster-pg", "default.neptune1.4"), [{ Key: "k", Value: "w" }]);
    assert.deepEqual(await list(a.neptune, arnOf(A, "subgrp", "default")), [{ Key: "k", Value: "v" }]);
    assert.deepEqual(await list(a.neptune, arnOf(A, "cluster-pg", "default.neptune1.4")), [{ Key: "k", Value: "w" }]);
  });

  test("a deleted resource's tags go with it: a new one of the same name starts untagged", async () => {
    const { a } = inProcess();
    await clusterParameterGroup(a.neptune, "phoenix", [{ Key: "life", Value: "1" }]);
    await a.neptune.send(new DeleteDBClusterParameterGroupCommand({ DBClusterParameterGroupName: "phoenix" }));
    await assertFault(() => list(a.neptune, arnOf(A, "cluster-pg", "phoenix")), {
      name: "DBParameterGroupNotFoundFault",
      status: 404,
    });
    await clusterParameterGroup(a.neptune, "phoenix");
    assert.deepEqual(await list(a.neptune, arnOf(A, "cluster-pg", "phoenix")), []);
  });
});

describe("tag validation", () => {
  test("keys of 1–128 characters, values of up to 256, no aws: prefix; a refused request changes nothing", async () => {
    const { a } = inProcess();
    await clusterParameterGroup(a.neptune, "strict", [{ Key: "keep", Value: "me" }]);
    const arn = arnOf(A, "cluster-pg", "strict");
    const refusals: [Tag[], Fault][] = [
      [
        [
          { Key: "ok", Value: "fine" },
          { Key: "aws:reserved", Value: "x" },
        ],
        invalidValue("Tag keys cannot start with 'aws:'. This prefix is reserved for AWS use."),
      ],
      [[{ Key: "AWS:Upper", Value: "x" }], invalidValue()],
      [[{ Key: "k".repeat(129), Value: "x" }], invalidValue("Tag key must be between 1 and 128 characters in length.")],
      [
        [{ Key: "big", Value: "v".repeat(257) }],
        invalidValue("Tag value must be between 0 and 256 characters in length."),
      ],
    ];
    for (const [tags, fault] of refusals) await assertFault(() => add(a.neptune, arn, tags), fault);
    // Limits count characters, not UTF-16 units.
    await add(a.neptune, arn, [{ Key: "é".repeat(128), Value: "𝐀".repeat(256) }]);
    await remove(a.neptune, arn, ["é".repeat(128)]);
    // "awsome" is not the reserved prefix.
    await add(a.neptune, arn, [{ Key: "awsome", Value: "yes" }]);
    assert.deepEqual(await list(a.neptune, arn), [
      { Key: "keep", Value: "me" },
      { Key: "awsome", Value: "yes" },
    ]);
    // Invalid tags at creation refuse the creation itself.
    await assertFault(() => clusterParameterGroup(a.neptune, "never", [{ Key: "aws:x", Value: "y" }]), invalidValue());
    await assertFault(() => list(a.neptune, arnOf(A, "cluster-pg", "never")), {
      name: "DBParameterGroupNotFoundFault",
      status: 404,
    });
  });

  test("at most 50 tags on a resource, counting those it has", async () => {
    const { a } = inProcess();
    await clusterParameterGroup(a.neptune, "crowded");
    const arn = arnOf(A, "cluster-pg", "crowded");
    await add(
      a.neptune,
      arn,
      Array.from({ length: 49 }, (_, i) => ({ Key: `k${i}`, Value: String(i) })),
    );
    await add(a.neptune, arn, [
      { Key: "k0", Value: "overwritten" },
      { Key: "k49", Value: "49" },
    ]);
    assert.equal((await list(a.neptune, arn))!.length, 50);
    await assertFault(
      () => add(a.neptune, arn, [{ Key: "k50", Value: "50" }]),
      invalidValue("Cannot add tags: a resource can have at most 50 tags."),
    );
    assert.equal((await list(a.neptune, arn))!.length, 50);
  });
});

describe("which resources can be tagged", () => {
  test("a name that is not an RDS ARN of this region and a taggable kind: InvalidParameterValue", async () => {
    const { a, raw } = inProcess();
    const message = "The specified resource name does not match an RDS resource in this region.";
    for (const name of [
      "my-cluster",
      `arn:aws:rds:eu-west-1:${A}:cluster:my-cluster`,
      `arn:aws:rds:${REGION}:${A}:og:my-option-group`,
      `arn:aws:kms:${REGION}:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
    ]) {
      await assertFault(() => list(a.neptune, name), { name: "InvalidParameterValue", status: 400, message });
    }
    const wire = await rdsQuery(raw, "AddTagsToResource", {
      ResourceName: "nope",
      "Tags.Tag.1.Key": "k",
      "Tags.Tag.1.Value": "v",
    });
    assertWire(wire, { code: "InvalidParameterValue", status: 400 });
  });

  test("a missing resource answers its kind's not-found fault with the wire code", async () => {
    const { a, raw } = inProcess();
    const notFound = (name: string, code: string, message: string) => ({ name, code, status: 404, message });
    const cases: [type: string, Fault & { code: string; message: string }][] = [
      ["cluster", clusterNotFound("ghost")],
      ["db", instanceNotFound("ghost")],
      ["cluster-snapshot", notFound("DBSnapshotNotFoundFault", "DBSnapshotNotFound", "DBSnapshot not found: ghost")],
      [
        "cluster-pg",
        notFound(
          "DBParameterGroupNotFoundFault",
          "DBParameterGroupNotFound",
          "DBClusterParameterGroup not found: ghost",
        ),
      ],
      [
        "pg",
        notFound("DBParameterGroupNotFoundFault", "DBParameterGroupNotFound", "DBParameterGroup not found: ghost"),
      ],
      [
        "subgrp",
        notFound("DBSubnetGroupNotFoundFault", "DBSubnetGroupNotFoundFault", "DB subnet group 'ghost' does not exist."),
      ],
    ];
    for (const [type, fault] of cases) {
      const arn = arnOf(A, type, "ghost");
      await assertRefused({ a, raw }, "ListTagsForResource", { ResourceName: arn }, fault);
      const kindOnly = { name: fault.name, status: 404 };
      await assertFault(() => add(a.neptune, arn, [{ Key: "k", Value: "v" }]), kindOnly);
      await assertFault(() => remove(a.neptune, arn, ["k"]), kindOnly);
    }
  });

  test("ListTagsForResource Filters are not supported", async () => {
    const { a } = inProcess();
    await clusterParameterGroup(a.neptune, "filtered");
    await assertFault(
      () =>
        a.neptune.send(
          new ListTagsForResourceCommand({
            ResourceName: arnOf(A, "cluster-pg", "filtered"),
            Filters: [{ Name: "key", Values: ["x"] }],
          }),
        ),
      invalidValue("Unrecognized filter name: key."),
    );
  });
});

describe("tags stay within the owning account", () => {
  test("B can't list, add or remove tags of A's resources: the same not-found as a missing resource", async () => {
    const { a, b } = inProcess();
    await clusterParameterGroup(a.neptune, "a-params", [{ Key: "owner", Value: "a" }]);
    const arn = arnOf(A, "cluster-pg", "a-params");
    const missing = await rejection(() => list(b.neptune, arnOf(B, "cluster-pg", "a-params")));
    const foreign = await rejection(() => list(b.neptune, arn));
    assert.equal(foreign.name, missing.name);
    assert.equal(foreign.$metadata?.httpStatusCode, 404);
    assert.equal(foreign.message, "DBClusterParameterGroup not found: a-params");
    const groupNotFound = { name: "DBParameterGroupNotFoundFault", status: 404 };
    await assertFault(() => add(b.neptune, arn, [{ Key: "owner", Value: "b" }]), groupNotFound);
    await assertFault(() => remove(b.neptune, arn, ["owner"]), groupNotFound);
    // Default groups exist in both accounts, but each account tags only its own.
    await assertFault(() => add(b.neptune, arnOf(A, "subgrp", "default"), [{ Key: "k", Value: "v" }]), {
      name: "DBSubnetGroupNotFoundFault",
      status: 404,
    });
    await assertFault(() => list(b.neptune, arnOf(A, "cluster", "any")), {
      name: "DBClusterNotFoundFault",
      status: 404,
    });
    await assertFault(() => list(b.neptune, arnOf(A, "db", "any")), { name: "DBInstanceNotFoundFault", status: 404 });
    assert.deepEqual(await list(a.neptune, arn), [{ Key: "owner", Value: "a" }]);
    // B's group of the same name has its own tags.
    await clusterParameterGroup(b.neptune, "a-params");
    assert.deepEqual(await list(b.neptune, arnOf(B, "cluster-pg", "a-params")), []);
  });
});

describe("tags on clusters, instances and cluster snapshots", () => {
  async function clusterWithInstance(client: NeptuneClient) {
    const cluster = await createCluster(client, "Tagged-Graph", { Tags: [{ Key: "app", Value: "graph" }] });
    await createInstance(client, "tagged-graph", "tagged-graph-1", { DBInstanceClass: "db.r6g.large" });
    return cluster.DBClusterArn!;
  }

  test("a cluster's Tags at creation, tags on its instance and on its automated snapshot", async () => {
    const { a } = inProcess();
    const clusterArn = await clusterWithInstance(a.neptune);
    assert.equal(clusterArn, arnOf(A, "cluster", "tagged-graph"));
    assert.deepEqual(await list(a.neptune, clusterArn), [{ Key: "app", Value: "graph" }]);
    const instanceArn = arnOf(A, "db", "tagged-graph-1");
    await add(a.neptune, instanceArn, [{ Key: "role", Value: "writer" }]);
    assert.deepEqual(await list(a.neptune, instanceArn), [{ Key: "role", Value: "writer" }]);
    // The cluster's first automated snapshot (named by its `rds:` id in the ARN).
    const events = await a.neptune.send(new DescribeEventsCommand({ SourceType: "db-cluster-snapshot" }));
    const snapshotArn = events.Events![0]!.SourceArn!;
    assert.match(snapshotArn, new RegExp(`^arn:aws:rds:${REGION}:${A}:cluster-snapshot:rds:tagged-graph-`));
    await add(a.neptune, snapshotArn, [{ Key: "kept", Value: "yes" }]);
    assert.deepEqual(await list(a.neptune, snapshotArn), [{ Key: "kept", Value: "yes" }]);
  });

  test("B can't see or change the tags of A's cluster or instance", async () => {
    const { a, b } = inProcess();
    const clusterArn = await clusterWithInstance(a.neptune);
    await assertFault(() => list(b.neptune, clusterArn), clusterNotFound("tagged-graph"));
    const clusterKind = { name: "DBClusterNotFoundFault", status: 404 };
    await assertFault(() => add(b.neptune, clusterArn, [{ Key: "app", Value: "hijacked" }]), clusterKind);
    await assertFault(() => remove(b.neptune, clusterArn, ["app"]), clusterKind);
    await assertFault(() => list(b.neptune, arnOf(A, "db", "tagged-graph-1")), instanceNotFound("tagged-graph-1"));
    assert.deepEqual(await list(a.neptune, clusterArn), [{ Key: "app", Value: "graph" }]);
  });

  test("a deleted cluster is not found once its deletion is over, and a new one of its name starts untagged", async () => {
    const { a, clock } = inProcess({ delays: instantExcept({ deleteMs: 60_000 }) });
    const clusterArn = await clusterWithInstance(a.neptune);
    await a.neptune.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: "tagged-graph-1" }));
    clock.advance(60_000);
    await a.neptune.send(new DeleteDBClusterCommand({ DBClusterIdentifier: "tagged-graph", SkipFinalSnapshot: true }));
    // While deleting, the cluster still exists.
    assert.deepEqual(await list(a.neptune, clusterArn), [{ Key: "app", Value: "graph" }]);
    clock.advance(60_000);
    await assertFault(() => list(a.neptune, clusterArn), { name: "DBClusterNotFoundFault", status: 404 });
    await createCluster(a.neptune, "tagged-graph");
    assert.deepEqual(await list(a.neptune, clusterArn), []);
  });
});
