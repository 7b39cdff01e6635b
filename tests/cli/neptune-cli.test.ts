import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Emulator } from "../../src/emulator.js";
import { startServer, type RunningServer } from "../../src/server/http.js";
import { DELAY_PROFILES } from "../../src/state/delays.js";
import { awsCli, cliError } from "../helpers/aws-cli.js";
import { A, ADMIN, B } from "../helpers/harness.js";

/**
 * `aws neptune …` against a real server. The AWS CLI's waiters match on the wire code, so the
 * db-instance-deleted waiter finishing proves `DBInstanceNotFound` (not the shape name) is on the wire.
 */
describe("the AWS CLI against trident serve: Neptune clusters and instances", () => {
  let running: RunningServer;
  const admin = ADMIN[A]!;
  before(async () => {
    running = await startServer(new Emulator({ delays: DELAY_PROFILES.instant }), { port: 0 });
  });
  after(() => running.close());
  const neptune = (args: string[], credentials = admin) => awsCli(running.endpoint, credentials, ["neptune", ...args]);

  test("create a cluster and an instance, wait for them, describe, delete, wait for the deletion", async () => {
    const cluster = await neptune([
      "create-db-cluster",
      "--db-cluster-identifier",
      "Graph-1",
      "--engine",
      "neptune",
      "--storage-encrypted",
      "--tags",
      "Key=team,Value=graph",
    ]);
    assert.equal(cluster.code, 0, cluster.stderr);
    const created = cluster.json!.DBCluster as Record<string, unknown>;
    assert.equal(created.DBClusterIdentifier, "graph-1");
    assert.equal(created.Engine, "neptune");
    assert.equal(created.Port, 8182);
    assert.equal(created.StorageEncrypted, true);
    assert.match(String(created.KmsKeyId), /^arn:aws:kms:us-east-1:111111111111:key\/[0-9a-f-]{36}$/);
    assert.equal(created.DBClusterArn, "arn:aws:rds:us-east-1:111111111111:cluster:graph-1");

    const instance = await neptune([
      "create-db-instance",
      "--db-instance-identifier",
      "graph-1-a",
      "--db-instance-class",
      "db.r5.large",
      "--engine",
      "neptune",
      "--db-cluster-identifier",
      "graph-1",
    ]);
    assert.equal(instance.code, 0, instance.stderr);
    const waited = await neptune(["wait", "db-instance-available", "--db-instance-identifier", "graph-1-a"]);
    assert.equal(waited.code, 0, waited.stderr);

    const described = await neptune(["describe-db-clusters", "--db-cluster-identifier", "graph-1"]);
    const members = (
      described.json!.DBClusters as { DBClusterMembers: { DBInstanceIdentifier: string; IsClusterWriter: boolean }[] }[]
    )[0]!.DBClusterMembers;
    assert.deepEqual(
      members.map((m) => [m.DBInstanceIdentifier, m.IsClusterWriter]),
      [["graph-1-a", true]],
    );

    const refused = await neptune(["delete-db-cluster", "--db-cluster-identifier", "graph-1", "--skip-final-snapshot"]);
    assert.notEqual(refused.code, 0, "a cluster with instances can't be deleted");
    assert.match(refused.stderr, /InvalidDBClusterStateFault/);

    const deleted = await neptune(["delete-db-instance", "--db-instance-identifier", "graph-1-a"]);
    assert.equal(deleted.code, 0, deleted.stderr);
    const gone = await neptune(["wait", "db-instance-deleted", "--db-instance-identifier", "graph-1-a"]);
    assert.equal(gone.code, 0, gone.stderr);
    const missing = await neptune(["describe-db-instances", "--db-instance-identifier", "graph-1-a"]);
    assert.match(
      missing.stderr,
      cliError("DBInstanceNotFound", "DescribeDBInstances", "DBInstance graph-1-a not found."),
    );

    const clusterGone = await neptune([
      "delete-db-cluster",
      "--db-cluster-identifier",
      "graph-1",
      "--skip-final-snapshot",
    ]);
    assert.equal(clusterGone.code, 0, clusterGone.stderr);
  });

  test("account B sees none of A's clusters", async () => {
    const created = await neptune(["create-db-cluster", "--db-cluster-identifier", "private", "--engine", "neptune"]);
    assert.equal(created.code, 0, created.stderr);
    const seen = await neptune(["describe-db-clusters"], ADMIN[B]!);
    assert.equal(seen.code, 0, seen.stderr);
    assert.deepEqual(seen.json!.DBClusters, []);
    const byName = await neptune(["describe-db-clusters", "--db-cluster-identifier", "private"], ADMIN[B]!);
    assert.match(
      byName.stderr,
      cliError("DBClusterNotFoundFault", "DescribeDBClusters", "DBCluster private not found."),
    );
  });
});
