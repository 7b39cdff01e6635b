import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { awsCli, cliError } from "../helpers/aws-cli.js";
import { A, ADMIN } from "../helpers/harness.js";
import { clusterWithInstances, dataPlaneWorld, type World } from "../dataplane/fixture.js";

interface ClusterEndpoint {
  DBClusterEndpointIdentifier?: string;
  DBClusterIdentifier: string;
  Endpoint: string;
  Status: string;
  EndpointType: string;
  CustomEndpointType?: string;
  StaticMembers?: string[];
  ExcludedMembers?: string[];
  DBClusterEndpointArn?: string;
  DBClusterEndpointResourceIdentifier?: string;
}

/**
 * `aws neptune …` custom cluster endpoints against a real server: create, describe, modify, delete, the endpoint
 * reached with `aws neptunedata` at its own address, and refusals as the CLI prints them.
 */
describe("the AWS CLI against trident serve: Neptune custom cluster endpoints", () => {
  let world: World;
  let port: number;
  before(async () => {
    world = await dataPlaneWorld();
    port = (await clusterWithInstances(world.neptune, "graph", 1)).cluster.Port!;
  });
  after(() => world.running.close());
  const neptune = (args: string[]) => awsCli(world.running.endpoint, ADMIN[A]!, ["neptune", ...args]);
  const ok = async (args: string[]) => {
    const result = await neptune(args);
    assert.equal(result.code, 0, result.stderr);
    return result.json! as unknown as ClusterEndpoint & { DBClusterEndpoints: ClusterEndpoint[] };
  };
  /** `create-db-cluster-endpoint`'s arguments for an endpoint of cluster `graph`. */
  const create = (id: string, type: string, ...more: string[]) => [
    "create-db-cluster-endpoint",
    "--db-cluster-identifier",
    "graph",
    "--db-cluster-endpoint-identifier",
    id,
    "--endpoint-type",
    type,
    ...more,
  ];

  test("create, describe, reach with aws neptunedata, modify, delete", async () => {
    const created = await ok(create("Reads", "READER", "--static-members", "graph-1"));
    const { DBClusterEndpointResourceIdentifier, ...fields } = created;
    assert.match(DBClusterEndpointResourceIdentifier!, /^cluster-endpoint-[A-Z0-9]{20}$/);
    assert.deepEqual(fields, {
      DBClusterEndpointIdentifier: "reads",
      DBClusterIdentifier: "graph",
      Endpoint: "127.0.0.3",
      Status: "creating",
      EndpointType: "CUSTOM",
      CustomEndpointType: "READER",
      StaticMembers: ["graph-1"],
      ExcludedMembers: [],
      DBClusterEndpointArn: `arn:aws:rds:us-east-1:${A}:cluster-endpoint:reads`,
    });

    const listed = (await ok(["describe-db-cluster-endpoints", "--db-cluster-identifier", "graph"])).DBClusterEndpoints;
    assert.deepEqual(
      listed.map((e) => [e.EndpointType, e.Endpoint, e.Status]),
      [
        ["WRITER", "127.0.0.1", "available"],
        ["READER", "127.0.0.2", "available"],
        ["CUSTOM", "127.0.0.3", "available"],
      ],
    );

    // The endpoint's address on the cluster's port reaches its member, a replica.
    const status = await awsCli(`http://127.0.0.3:${port}`, ADMIN[A]!, ["neptunedata", "get-engine-status"]);
    assert.equal(status.code, 0, status.stderr);
    assert.equal(status.json!.role, "reader");

    const modified = await ok([
      "modify-db-cluster-endpoint",
      "--db-cluster-endpoint-identifier",
      "reads",
      "--endpoint-type",
      "ANY",
      "--excluded-members",
      "graph-1",
    ]);
    assert.deepEqual(
      [modified.Status, modified.CustomEndpointType, modified.StaticMembers, modified.ExcludedMembers],
      ["modifying", "ANY", [], ["graph-1"]],
    );
    const writer = await awsCli(`http://127.0.0.3:${port}`, ADMIN[A]!, ["neptunedata", "get-engine-status"]);
    assert.equal(writer.json!.role, "writer");

    const deleted = await ok(["delete-db-cluster-endpoint", "--db-cluster-endpoint-identifier", "reads"]);
    assert.equal(deleted.Status, "deleting");
    const custom = await ok([
      "describe-db-cluster-endpoints",
      "--filters",
      "Name=db-cluster-endpoint-type,Values=custom",
    ]);
    assert.deepEqual(custom.DBClusterEndpoints, []);
  });

  test("refusals: the code and message as the CLI prints them", async () => {
    const badType = await neptune(create("ep", "CUSTOM"));
    assert.notEqual(badType.code, 0);
    assert.match(
      badType.stderr,
      cliError(
        "InvalidParameterValue",
        "CreateDBClusterEndpoint",
        "Invalid endpoint type CUSTOM. Valid values are: READER, WRITER, ANY.",
      ),
    );
    const missing = await neptune(["delete-db-cluster-endpoint", "--db-cluster-endpoint-identifier", "nope"]);
    assert.notEqual(missing.code, 0);
    assert.match(
      missing.stderr,
      cliError("DBClusterEndpointNotFoundFault", "DeleteDBClusterEndpoint", "DBClusterEndpoint nope not found."),
    );
    const stranger = await neptune(create("ep", "READER", "--static-members", "nobody"));
    assert.match(
      stranger.stderr,
      cliError("DBInstanceNotFound", "CreateDBClusterEndpoint", "DBInstance nobody not found."),
    );
    const none = await ok(["describe-db-cluster-endpoints", "--db-cluster-endpoint-identifier", "ep"]);
    assert.deepEqual(none.DBClusterEndpoints, []);
  });
});
