import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  AddTagsToResourceCommand,
  CreateDBClusterCommand,
  CreateDBClusterParameterGroupCommand,
  CreateDBInstanceCommand,
  CreateDBParameterGroupCommand,
  CreateDBSubnetGroupCommand,
  DeleteDBClusterCommand,
  DeleteDBClusterParameterGroupCommand,
  DeleteDBInstanceCommand,
  DescribeDBSubnetGroupsCommand,
  DescribeEventsCommand,
  ListTagsForResourceCommand,
  RemoveTagsFromResourceCommand,
  type NeptuneClient,
  type Tag,
} from "@aws-sdk/client-neptune";
import { DELAY_PROFILES } from "../../src/state/delays.js";
import { A, B, inProcess, REGION, rejection } from "../helpers/harness.js";

const V = "2014-10-31";
const arnOf = (account: string, type: string, name: string) => `arn:aws:rds:${REGION}:${account}:${type}:${name}`;

async function fails(call: () => Promise<unknown>, expected: { name: string; status: number; message?: string }) {
  const error = await rejection(call);
  assert.equal(error.name, expected.name);
  assert.equal(error.$metadata?.httpStatusCode, expected.status);
  if (expected.message !== undefined) assert.equal(error.message, expected.message);
}

const list = async (client: NeptuneClient, ResourceName: string) =>
  (await client.send(new ListTagsForResourceCommand({ ResourceName }))).TagList;
const add = (client: NeptuneClient, ResourceName: string, Tags: Tag[]) =>
  client.send(new AddTagsToResourceCommand({ ResourceName, Tags }));

async function clusterParameterGroup(client: NeptuneClient, name: string, Tags?: Tag[]) {
  await client.send(
    new CreateDBClusterParameterGroupCommand({
      DBClusterParameterGroupName: name,
      DBParameterGroupFamily: "neptune1.3",
      Description: "d",
      Tags,
    }),
  );
}

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
    await a.neptune.send(new RemoveTagsFromResourceCommand({ ResourceName: arn, TagKeys: ["team", "not-there"] }));
    assert.deepEqual(await list(a.neptune, arn), [
      { Key: "env", Value: "prod" },
      { Key: "cost-centre", Value: "" },
    ]);
    await a.neptune.send(new RemoveTagsFromResourceCommand({ ResourceName: arn, TagKeys: ["env", "cost-centre"] }));
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
    const subnets = (await a.neptune.send(new DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: "default" })))
      .DBSubnetGroups![0]!.Subnets!;
    await a.neptune.send(
      new CreateDBSubnetGroupCommand({
        DBSubnetGroupName: "net-tagged",
        DBSubnetGroupDescription: "d",
        SubnetIds: subnets.slice(0, 2).map((s) => s.SubnetIdentifier!),
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
    await fails(() => list(a.neptune, arnOf(A, "cluster-pg", "phoenix")), {
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
    await fails(
      () =>
        add(a.neptune, arn, [
          { Key: "ok", Value: "fine" },
          { Key: "aws:reserved", Value: "x" },
        ]),
      {
        name: "InvalidParameterValue",
        status: 400,
        message: "Tag keys cannot start with 'aws:'. This prefix is reserved for AWS use.",
      },
    );
    await fails(() => add(a.neptune, arn, [{ Key: "AWS:Upper", Value: "x" }]), {
      name: "InvalidParameterValue",
      status: 400,
    });
    await fails(() => add(a.neptune, arn, [{ Key: "k".repeat(129), Value: "x" }]), {
      name: "InvalidParameterValue",
      status: 400,
      message: "Tag key must be between 1 and 128 characters in length.",
    });
    await fails(() => add(a.neptune, arn, [{ Key: "big", Value: "v".repeat(257) }]), {
      name: "InvalidParameterValue",
      status: 400,
      message: "Tag value must be between 0 and 256 characters in length.",
    });
    // Limits count characters, not UTF-16 units.
    await add(a.neptune, arn, [{ Key: "é".repeat(128), Value: "🙂".repeat(256) }]);
    await a.neptune.send(new RemoveTagsFromResourceCommand({ ResourceName: arn, TagKeys: ["é".repeat(128)] }));
    // "awsome" is not the reserved prefix.
    await add(a.neptune, arn, [{ Key: "awsome", Value: "yes" }]);
    assert.deepEqual(await list(a.neptune, arn), [
      { Key: "keep", Value: "me" },
      { Key: "awsome", Value: "yes" },
    ]);
    // Invalid tags at creation refuse the creation itself.
    await fails(() => clusterParameterGroup(a.neptune, "never", [{ Key: "aws:x", Value: "y" }]), {
      name: "InvalidParameterValue",
      status: 400,
    });
    await fails(() => list(a.neptune, arnOf(A, "cluster-pg", "never")), {
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
    await fails(() => add(a.neptune, arn, [{ Key: "k50", Value: "50" }]), {
      name: "InvalidParameterValue",
      status: 400,
      message: "Cannot add tags: a resource can have at most 50 tags.",
    });
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
      `arn:aws:rds:${REGION}:${A}:cluster-endpoint:my-endpoint`,
      `arn:aws:kms:${REGION}:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
    ]) {
      await fails(() => list(a.neptune, name), { name: "InvalidParameterValue", status: 400, message });
    }
    const wire = await raw({
      service: "rds",
      params: {
        Action: "AddTagsToResource",
        Version: V,
        ResourceName: "nope",
        "Tags.Tag.1.Key": "k",
        "Tags.Tag.1.Value": "v",
      },
    });
    assert.equal(wire.status, 400);
    assert.equal(wire.code, "InvalidParameterValue");
  });

  test("a missing resource answers its kind's not-found fault with the wire code", async () => {
    const { a, raw } = inProcess();
    const cases = [
      {
        type: "cluster",
        name: "DBClusterNotFoundFault",
        code: "DBClusterNotFoundFault",
        message: "DBCluster ghost not found.",
      },
      {
        type: "db",
        name: "DBInstanceNotFoundFault",
        code: "DBInstanceNotFound",
        message: "DBInstance ghost not found.",
      },
      {
        type: "cluster-snapshot",
        name: "DBSnapshotNotFoundFault",
        code: "DBSnapshotNotFound",
        message: "DBSnapshot not found: ghost",
      },
      {
        type: "cluster-pg",
        name: "DBParameterGroupNotFoundFault",
        code: "DBParameterGroupNotFound",
        message: "DBClusterParameterGroup not found: ghost",
      },
      {
        type: "pg",
        name: "DBParameterGroupNotFoundFault",
        code: "DBParameterGroupNotFound",
        message: "DBParameterGroup not found: ghost",
      },
      {
        type: "subgrp",
        name: "DBSubnetGroupNotFoundFault",
        code: "DBSubnetGroupNotFoundFault",
        message: "DB subnet group 'ghost' does not exist.",
      },
    ];
    for (const c of cases) {
      const arn = arnOf(A, c.type, "ghost");
      await fails(() => list(a.neptune, arn), { name: c.name, status: 404, message: c.message });
      await fails(() => add(a.neptune, arn, [{ Key: "k", Value: "v" }]), { name: c.name, status: 404 });
      await fails(() => a.neptune.send(new RemoveTagsFromResourceCommand({ ResourceName: arn, TagKeys: ["k"] })), {
        name: c.name,
        status: 404,
      });
      const wire = await raw({
        service: "rds",
        params: { Action: "ListTagsForResource", Version: V, ResourceName: arn },
      });
      assert.equal(wire.code, c.code, c.type);
      assert.equal(wire.status, 404);
    }
  });

  test("ListTagsForResource Filters are not supported", async () => {
    const { a } = inProcess();
    await clusterParameterGroup(a.neptune, "filtered");
    await fails(
      () =>
        a.neptune.send(
          new ListTagsForResourceCommand({
            ResourceName: arnOf(A, "cluster-pg", "filtered"),
            Filters: [{ Name: "key", Values: ["x"] }],
          }),
        ),
      {
        name: "InvalidParameterValue",
        status: 400,
        message: "Unrecognized filter name: key.",
      },
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
    await fails(() => add(b.neptune, arn, [{ Key: "owner", Value: "b" }]), {
      name: "DBParameterGroupNotFoundFault",
      status: 404,
    });
    await fails(() => b.neptune.send(new RemoveTagsFromResourceCommand({ ResourceName: arn, TagKeys: ["owner"] })), {
      name: "DBParameterGroupNotFoundFault",
      status: 404,
    });
    // Default groups exist in both accounts, but each account tags only its own.
    await fails(() => add(b.neptune, arnOf(A, "subgrp", "default"), [{ Key: "k", Value: "v" }]), {
      name: "DBSubnetGroupNotFoundFault",
      status: 404,
    });
    await fails(() => list(b.neptune, arnOf(A, "cluster", "any")), { name: "DBClusterNotFoundFault", status: 404 });
    await fails(() => list(b.neptune, arnOf(A, "db", "any")), { name: "DBInstanceNotFoundFault", status: 404 });
    assert.deepEqual(await list(a.neptune, arn), [{ Key: "owner", Value: "a" }]);
    // B's group of the same name has its own tags.
    await clusterParameterGroup(b.neptune, "a-params");
    assert.deepEqual(await list(b.neptune, arnOf(B, "cluster-pg", "a-params")), []);
  });
});

describe("tags on clusters, instances and cluster snapshots", () => {
  async function clusterWithInstance(client: NeptuneClient) {
    const cluster = await client.send(
      new CreateDBClusterCommand({
        DBClusterIdentifier: "Tagged-Graph",
        Engine: "neptune",
        Tags: [{ Key: "app", Value: "graph" }],
      }),
    );
    await client.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: "tagged-graph-1",
        DBClusterIdentifier: "tagged-graph",
        Engine: "neptune",
        DBInstanceClass: "db.r6g.large",
      }),
    );
    return cluster.DBCluster!.DBClusterArn!;
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
    await fails(() => list(b.neptune, clusterArn), {
      name: "DBClusterNotFoundFault",
      status: 404,
      message: "DBCluster tagged-graph not found.",
    });
    await fails(() => add(b.neptune, clusterArn, [{ Key: "app", Value: "hijacked" }]), {
      name: "DBClusterNotFoundFault",
      status: 404,
    });
    await fails(
      () => b.neptune.send(new RemoveTagsFromResourceCommand({ ResourceName: clusterArn, TagKeys: ["app"] })),
      {
        name: "DBClusterNotFoundFault",
        status: 404,
      },
    );
    await fails(() => list(b.neptune, arnOf(A, "db", "tagged-graph-1")), {
      name: "DBInstanceNotFoundFault",
      status: 404,
      message: "DBInstance tagged-graph-1 not found.",
    });
    assert.deepEqual(await list(a.neptune, clusterArn), [{ Key: "app", Value: "graph" }]);
  });

  test("a deleted cluster is not found once its deletion is over, and a new one of its name starts untagged", async () => {
    const { a, clock } = inProcess({ delays: { ...DELAY_PROFILES.instant, deleteMs: 60_000 } });
    const clusterArn = await clusterWithInstance(a.neptune);
    await a.neptune.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: "tagged-graph-1" }));
    clock.advance(60_000);
    await a.neptune.send(new DeleteDBClusterCommand({ DBClusterIdentifier: "tagged-graph", SkipFinalSnapshot: true }));
    // While deleting, the cluster still exists.
    assert.deepEqual(await list(a.neptune, clusterArn), [{ Key: "app", Value: "graph" }]);
    clock.advance(60_000);
    await fails(() => list(a.neptune, clusterArn), { name: "DBClusterNotFoundFault", status: 404 });
    await a.neptune.send(new CreateDBClusterCommand({ DBClusterIdentifier: "tagged-graph", Engine: "neptune" }));
    assert.deepEqual(await list(a.neptune, clusterArn), []);
  });
});
