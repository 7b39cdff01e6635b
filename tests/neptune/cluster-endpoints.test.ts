import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateDBClusterEndpointCommand,
  DeleteDBClusterCommand,
  DeleteDBClusterEndpointCommand,
  DeleteDBInstanceCommand,
  DescribeDBClusterEndpointsCommand,
  ModifyDBClusterEndpointCommand,
  ListTagsForResourceCommand,
  type CreateDBClusterEndpointCommandInput,
  type DescribeDBClusterEndpointsCommandInput,
  type NeptuneClient,
} from "@aws-sdk/client-neptune";
import { A, inProcess, REGION } from "../helpers/harness.js";
import { clusterNotFound, instanceNotFound, invalidCombination, invalidIdentifier, invalidValue } from "./faults.js";
import { assertFault, assertRefused } from "./refusals.js";
import { createCluster, createInstance, instantExcept, MINUTE } from "./resources.js";

const endpointArn = (account: string, name: string) => `arn:aws:rds:${REGION}:${account}:cluster-endpoint:${name}`;

/** The endpoint as the response shows it, without the SDK's metadata. */
async function create(
  neptune: NeptuneClient,
  DBClusterEndpointIdentifier: string,
  extra: Partial<CreateDBClusterEndpointCommandInput> = {},
) {
  const { $metadata, ...endpoint } = await neptune.send(
    new CreateDBClusterEndpointCommand({
      DBClusterIdentifier: "graph",
      DBClusterEndpointIdentifier,
      EndpointType: "READER",
      ...extra,
    }),
  );
  assert.equal($metadata.httpStatusCode, 200);
  return endpoint;
}

const describeAll = async (neptune: NeptuneClient, input: DescribeDBClusterEndpointsCommandInput = {}) =>
  (await neptune.send(new DescribeDBClusterEndpointsCommand(input))).DBClusterEndpoints!;

const customOnly = async (neptune: NeptuneClient) =>
  (await describeAll(neptune)).filter((e) => e.EndpointType === "CUSTOM");

/** A cluster `graph` with a writer `w` and readers `r1`, `r2`. */
async function clusterWithMembers(neptune: NeptuneClient) {
  await createCluster(neptune, "graph");
  for (const id of ["w", "r1", "r2"]) await createInstance(neptune, "graph", id);
}

const endpointNotFound = (given: string) => ({
  name: "DBClusterEndpointNotFoundFault",
  code: "DBClusterEndpointNotFoundFault",
  status: 400,
  message: `DBClusterEndpoint ${given} not found.`,
});

describe("CreateDBClusterEndpoint", () => {
  test("creates a custom endpoint with AWS's fields: creating, then available on the clock", async () => {
    const { a, clock } = inProcess({ delays: instantExcept({ clusterModifyMs: MINUTE }) });
    await clusterWithMembers(a.neptune);
    const created = await create(a.neptune, "Analytics", { StaticMembers: ["R1", "r2"] });
    assert.equal(created.DBClusterEndpointIdentifier, "analytics");
    assert.equal(created.DBClusterIdentifier, "graph");
    assert.match(created.DBClusterEndpointResourceIdentifier!, /^cluster-endpoint-[A-Z0-9]{20}$/);
    // An address of its own on the cluster's port (the first custom-endpoint address after the reader's).
    assert.equal(created.Endpoint, "127.0.0.3");
    assert.equal(created.Status, "creating");
    assert.equal(created.EndpointType, "CUSTOM");
    assert.equal(created.CustomEndpointType, "READER");
    assert.deepEqual(created.StaticMembers, ["r1", "r2"]);
    assert.deepEqual(created.ExcludedMembers, []);
    assert.equal(created.DBClusterEndpointArn, endpointArn(A, "analytics"));

    const [shown] = await describeAll(a.neptune, { DBClusterEndpointIdentifier: "analytics" });
    assert.equal(shown?.Status, "creating");
    clock.advance(MINUTE);
    const [later] = await describeAll(a.neptune, { DBClusterEndpointIdentifier: "ANALYTICS" });
    assert.deepEqual(later, { ...created, Status: "available" });
  });

  test("accepts READER, WRITER and ANY, and ExcludedMembers; each endpoint of a cluster has its own address", async () => {
    const { a } = inProcess();
    await clusterWithMembers(a.neptune);
    const writer = await create(a.neptune, "writes", { EndpointType: "WRITER" });
    const any = await create(a.neptune, "everything-but-w", { EndpointType: "any", ExcludedMembers: ["w"] });
    assert.equal(writer.CustomEndpointType, "WRITER");
    assert.equal(any.CustomEndpointType, "ANY");
    assert.deepEqual(any.ExcludedMembers, ["w"]);
    assert.deepEqual(any.StaticMembers, []);
    assert.deepEqual([writer.Endpoint, any.Endpoint], ["127.0.0.3", "127.0.0.4"]);
  });

  test("refusals: AWS's codes, messages and statuses, and nothing is created", async () => {
    const env = inProcess();
    const { a } = env;
    await clusterWithMembers(a.neptune);
    await createCluster(a.neptune, "other");
    await createInstance(a.neptune, "other", "elsewhere");
    const base = { DBClusterIdentifier: "graph", DBClusterEndpointIdentifier: "ep", EndpointType: "READER" };

    await assertRefused(
      env,
      "CreateDBClusterEndpoint",
      { ...base, EndpointType: "CUSTOM" },
      {
        ...invalidValue("Invalid endpoint type CUSTOM. Valid values are: READER, WRITER, ANY."),
        code: "InvalidParameterValue",
        message: "Invalid endpoint type CUSTOM. Valid values are: READER, WRITER, ANY.",
      },
    );
    const badId = invalidIdentifier("DBClusterEndpointIdentifier");
    await assertRefused(
      env,
      "CreateDBClusterEndpoint",
      { ...base, DBClusterEndpointIdentifier: "1-bad" },
      {
        ...invalidValue(badId),
        code: "InvalidParameterValue",
        message: badId,
      },
    );
    await assertRefused(
      env,
      "CreateDBClusterEndpoint",
      { ...base, DBClusterIdentifier: "missing" },
      {
        ...clusterNotFound("missing"),
      },
    );
    await assertFault(
      () => create(a.neptune, "ep", { StaticMembers: ["r1"], ExcludedMembers: ["r2"] }),
      invalidCombination("StaticMembers and ExcludedMembers cannot both be specified."),
    );
    await assertFault(() => create(a.neptune, "ep", { StaticMembers: ["nope"] }), instanceNotFound("nope"));
    await assertFault(
      () => create(a.neptune, "ep", { ExcludedMembers: ["elsewhere"] }),
      invalidValue("DB instance elsewhere is not a member of DB cluster graph."),
    );
    await assertFault(
      () => create(a.neptune, "ep", { Tags: [{ Key: "aws:x", Value: "" }] }),
      invalidValue(/^Tag keys cannot start with 'aws:'/),
    );
    assert.deepEqual(await customOnly(a.neptune), []);

    await create(a.neptune, "ep");
    await assertRefused(
      env,
      "CreateDBClusterEndpoint",
      { ...base, DBClusterIdentifier: "other" },
      {
        name: "DBClusterEndpointAlreadyExistsFault",
        code: "DBClusterEndpointAlreadyExistsFault",
        status: 400,
        message: "DBClusterEndpoint ep already exists.",
      },
    );
    assert.equal((await customOnly(a.neptune)).length, 1);
  });

  test("five custom endpoints per cluster (403 beyond); another cluster has its own five", async () => {
    const env = inProcess();
    const { a } = env;
    await clusterWithMembers(a.neptune);
    await createCluster(a.neptune, "other");
    const addresses: (string | undefined)[] = [];
    for (let i = 1; i <= 5; i++) addresses.push((await create(a.neptune, `ep${i}`)).Endpoint);
    assert.deepEqual(addresses, ["127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.6", "127.0.0.7"]);
    await assertRefused(
      env,
      "CreateDBClusterEndpoint",
      { DBClusterIdentifier: "graph", DBClusterEndpointIdentifier: "ep6", EndpointType: "ANY" },
      {
        name: "DBClusterEndpointQuotaExceededFault",
        code: "DBClusterEndpointQuotaExceededFault",
        status: 403,
        message: "DBCluster graph already has the maximum of 5 custom endpoints.",
      },
    );
    // Another cluster's endpoints differ from these by port (their cluster's), so they take the same addresses.
    assert.equal((await create(a.neptune, "ep6", { DBClusterIdentifier: "other" })).Endpoint, "127.0.0.3");
    assert.equal((await customOnly(a.neptune)).length, 6);
    // A deleted endpoint's address is free again.
    await a.neptune.send(new DeleteDBClusterEndpointCommand({ DBClusterEndpointIdentifier: "ep2" }));
    assert.equal((await create(a.neptune, "ep7")).Endpoint, "127.0.0.4");
  });

  test("a cluster that is not available is refused with InvalidDBClusterStateFault", async () => {
    const { a } = inProcess({ delays: instantExcept({ clusterCreateMs: MINUTE }) });
    await createCluster(a.neptune, "graph");
    await assertFault(() => create(a.neptune, "ep"), {
      name: "InvalidDBClusterStateFault",
      status: 400,
      message: "DbCluster graph is in creating state but expected it to be one of available.",
    });
  });

  test("tags: given at creation, listed by the endpoint's ARN, and gone with it", async () => {
    const { a } = inProcess();
    await clusterWithMembers(a.neptune);
    await create(a.neptune, "ep", { Tags: [{ Key: "team", Value: "graph" }] });
    const list = (ResourceName: string) => a.neptune.send(new ListTagsForResourceCommand({ ResourceName }));
    assert.deepEqual((await list(endpointArn(A, "ep"))).TagList, [{ Key: "team", Value: "graph" }]);
    await a.neptune.send(new DeleteDBClusterEndpointCommand({ DBClusterEndpointIdentifier: "ep" }));
    await assertFault(() => list(endpointArn(A, "ep")), { ...endpointNotFound("ep") });
    await create(a.neptune, "ep");
    assert.deepEqual((await list(endpointArn(A, "ep"))).TagList, []);
  });
});

describe("DescribeDBClusterEndpoints", () => {
  test("lists each cluster's writer and reader endpoints, then its custom ones; filters and pages", async () => {
    const { a } = inProcess();
    await clusterWithMembers(a.neptune);
    await create(a.neptune, "readers");
    await create(a.neptune, "all", { EndpointType: "ANY" });
    const listed = await describeAll(a.neptune, { DBClusterIdentifier: "graph" });
    assert.deepEqual(
      listed.map((e) => [e.EndpointType, e.DBClusterEndpointIdentifier]),
      [
        ["WRITER", undefined],
        ["READER", undefined],
        ["CUSTOM", "all"],
        ["CUSTOM", "readers"],
      ],
    );
    assert.deepEqual(listed[0], {
      DBClusterIdentifier: "graph",
      Endpoint: "127.0.0.1",
      Status: "available",
      EndpointType: "WRITER",
    });
    assert.equal(listed[1]?.Endpoint, "127.0.0.2");

    const filtered = (Name: string, Values: string[]) => describeAll(a.neptune, { Filters: [{ Name, Values }] });
    assert.deepEqual(
      (await filtered("db-cluster-endpoint-type", ["custom"])).map((e) => e.DBClusterEndpointIdentifier),
      ["all", "readers"],
    );
    assert.deepEqual(
      (await filtered("db-cluster-endpoint-custom-type", ["any"])).map((e) => e.DBClusterEndpointIdentifier),
      ["all"],
    );
    assert.deepEqual(
      (await filtered("db-cluster-endpoint-id", ["readers"])).map((e) => e.CustomEndpointType),
      ["READER"],
    );
    assert.equal((await filtered("db-cluster-endpoint-status", ["available"])).length, 4);
    await assertFault(() => filtered("engine", ["neptune"]), invalidValue("Unrecognized filter name: engine."));

    // Pages of 20 (RDS's smallest page) over 6 clusters' 2 endpoints each and the 2 custom ones.
    for (let i = 0; i < 5; i++) await createCluster(a.neptune, `more-${i}`);
    const first = await a.neptune.send(new DescribeDBClusterEndpointsCommand({ MaxRecords: 20 }));
    assert.equal(first.DBClusterEndpoints?.length, 14);
    assert.equal(first.Marker, undefined);
    const upTo = await a.neptune.send(
      new DescribeDBClusterEndpointsCommand({
        Filters: [{ Name: "db-cluster-endpoint-type", Values: ["writer", "reader"] }],
        MaxRecords: 20,
      }),
    );
    assert.equal(upTo.DBClusterEndpoints?.length, 12);
  });

  test("Marker pages through more than a page", async () => {
    const { a } = inProcess();
    for (let i = 0; i < 11; i++) await createCluster(a.neptune, `c${String(i).padStart(2, "0")}`);
    const first = await a.neptune.send(new DescribeDBClusterEndpointsCommand({ MaxRecords: 20 }));
    assert.equal(first.DBClusterEndpoints?.length, 20);
    assert.ok(first.Marker);
    const second = await a.neptune.send(
      new DescribeDBClusterEndpointsCommand({ MaxRecords: 20, Marker: first.Marker }),
    );
    assert.deepEqual(
      second.DBClusterEndpoints?.map((e) => [e.DBClusterIdentifier, e.EndpointType]),
      [
        ["c10", "WRITER"],
        ["c10", "READER"],
      ],
    );
    assert.equal(second.Marker, undefined);
  });

  test("a cluster not held is DBClusterNotFoundFault; an endpoint not held lists nothing; accounts are apart", async () => {
    const env = inProcess();
    const { a, b } = env;
    await clusterWithMembers(a.neptune);
    await create(a.neptune, "ep");
    await assertRefused(
      env,
      "DescribeDBClusterEndpoints",
      { DBClusterIdentifier: "missing" },
      clusterNotFound("missing"),
    );
    assert.deepEqual(await describeAll(a.neptune, { DBClusterEndpointIdentifier: "nope" }), []);
    assert.deepEqual(await describeAll(b.neptune), []);
    assert.deepEqual(await describeAll(b.neptune, { DBClusterEndpointIdentifier: "ep" }), []);
  });
});

describe("ModifyDBClusterEndpoint", () => {
  test("changes the type and members (one list replaces the other), modifying then available", async () => {
    const { a, clock } = inProcess({ delays: instantExcept({ clusterModifyMs: MINUTE }) });
    await clusterWithMembers(a.neptune);
    await create(a.neptune, "ep", { StaticMembers: ["r1"] });
    clock.advance(MINUTE);
    const modify = (input: object) =>
      a.neptune.send(new ModifyDBClusterEndpointCommand({ DBClusterEndpointIdentifier: "ep", ...input }));
    const changed = await modify({ EndpointType: "ANY", ExcludedMembers: ["w"] });
    assert.equal(changed.Status, "modifying");
    assert.equal(changed.CustomEndpointType, "ANY");
    assert.deepEqual(changed.StaticMembers, []);
    assert.deepEqual(changed.ExcludedMembers, ["w"]);

    // While modifying, another change is refused and changes nothing.
    await assertFault(() => modify({ EndpointType: "READER" }), {
      name: "InvalidDBClusterEndpointStateFault",
      status: 400,
      message: "DBClusterEndpoint ep is in modifying state but expected it to be available.",
    });
    clock.advance(MINUTE);
    const [shown] = await describeAll(a.neptune, { DBClusterEndpointIdentifier: "ep" });
    assert.equal(shown?.Status, "available");
    assert.equal(shown?.CustomEndpointType, "ANY");

    const again = await modify({ StaticMembers: ["r2", "R1"] });
    assert.deepEqual(again.StaticMembers, ["r2", "r1"]);
    assert.deepEqual(again.ExcludedMembers, []);
    assert.equal(again.CustomEndpointType, "ANY");
  });

  test("refusals change nothing", async () => {
    const env = inProcess();
    const { a } = env;
    await clusterWithMembers(a.neptune);
    const created = await create(a.neptune, "ep", { StaticMembers: ["r1"] });
    const modify = (input: object) =>
      a.neptune.send(new ModifyDBClusterEndpointCommand({ DBClusterEndpointIdentifier: "ep", ...input }));
    await assertRefused(
      env,
      "ModifyDBClusterEndpoint",
      { DBClusterEndpointIdentifier: "missing" },
      endpointNotFound("missing"),
    );
    await assertFault(() => modify({ EndpointType: "CUSTOM" }), invalidValue(/^Invalid endpoint type CUSTOM/));
    await assertFault(
      () => modify({ StaticMembers: ["r2"], ExcludedMembers: ["w"] }),
      invalidCombination("StaticMembers and ExcludedMembers cannot both be specified."),
    );
    await assertFault(() => modify({ StaticMembers: ["r2", "ghost"] }), instanceNotFound("ghost"));
    const [shown] = await describeAll(a.neptune, { DBClusterEndpointIdentifier: "ep" });
    assert.deepEqual(shown, { ...created, Status: "available" });
  });
});

describe("DeleteDBClusterEndpoint and the endpoint's life", () => {
  test("deletes: the response says deleting, then the endpoint is gone and its name free", async () => {
    const env = inProcess();
    const { a } = env;
    await clusterWithMembers(a.neptune);
    await create(a.neptune, "ep");
    const deleted = await a.neptune.send(new DeleteDBClusterEndpointCommand({ DBClusterEndpointIdentifier: "EP" }));
    assert.equal(deleted.Status, "deleting");
    assert.equal(deleted.DBClusterEndpointIdentifier, "ep");
    assert.deepEqual(await customOnly(a.neptune), []);
    await assertRefused(env, "DeleteDBClusterEndpoint", { DBClusterEndpointIdentifier: "ep" }, endpointNotFound("ep"));
    await create(a.neptune, "ep");
  });

  test("a deleted member is no longer listed; the endpoints go with their cluster", async () => {
    const { a, clock } = inProcess({ delays: instantExcept({ deleteMs: MINUTE }) });
    await clusterWithMembers(a.neptune);
    await create(a.neptune, "ep", { StaticMembers: ["r1", "r2"] });
    await a.neptune.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: "r1" }));
    clock.advance(MINUTE);
    const [shown] = await describeAll(a.neptune, { DBClusterEndpointIdentifier: "ep" });
    assert.deepEqual(shown?.StaticMembers, ["r2"]);

    for (const id of ["w", "r2"]) await a.neptune.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: id }));
    clock.advance(MINUTE);
    await a.neptune.send(new DeleteDBClusterCommand({ DBClusterIdentifier: "graph", SkipFinalSnapshot: true }));
    const [deleting] = await customOnly(a.neptune);
    assert.equal(deleting?.Status, "deleting");
    clock.advance(MINUTE);
    assert.deepEqual(await describeAll(a.neptune), []);
    await createCluster(a.neptune, "graph");
    const fresh = await create(a.neptune, "ep");
    assert.equal(fresh.DBClusterEndpointIdentifier, "ep");
    assert.deepEqual(
      (await a.neptune.send(new ListTagsForResourceCommand({ ResourceName: endpointArn(A, "ep") }))).TagList,
      [],
    );
  });
});
