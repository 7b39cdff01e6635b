import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Emulator } from "../../src/emulator.js";
import { startServer, type RunningServer } from "../../src/server/http.js";
import { DELAY_PROFILES } from "../../src/state/delays.js";
import { awsCli, cliError } from "../helpers/aws-cli.js";
import { A, ADMIN } from "../helpers/harness.js";

interface GlobalCluster {
  GlobalClusterIdentifier: string;
  GlobalClusterArn: string;
  Status: string;
  GlobalClusterMembers: { DBClusterArn: string; Readers: string[]; IsWriter: boolean }[];
}

/**
 * `aws neptune …` global databases against a real server: a primary in us-east-1 and a secondary in us-west-2 made
 * with the CLI, a switchover, the secondary detached, the global database deleted; errors as the CLI prints them.
 */
describe("the AWS CLI against trident serve: Neptune global databases", () => {
  let running: RunningServer;
  before(async () => {
    running = await startServer(new Emulator({ delays: DELAY_PROFILES.instant }), { port: 0 });
  });
  after(() => running.close());
  const neptune = (args: string[], region = "us-east-1") =>
    awsCli(running.endpoint, ADMIN[A]!, ["neptune", ...args], region);
  const ok = async (args: string[], region?: string) => {
    const result = await neptune(args, region);
    assert.equal(result.code, 0, result.stderr);
    return result.json!;
  };
  const arn = (region: string, id: string) => `arn:aws:rds:${region}:${A}:cluster:${id}`;
  const members = async () =>
    (
      (await ok(["describe-global-clusters", "--global-cluster-identifier", "world"])).GlobalClusters as GlobalCluster[]
    )[0]!.GlobalClusterMembers;

  test("create, join from two Regions, switch over, detach, delete", async () => {
    const created = (await ok(["create-global-cluster", "--global-cluster-identifier", "world", "--engine", "neptune"]))
      .GlobalCluster as GlobalCluster;
    assert.equal(created.GlobalClusterArn, `arn:aws:rds::${A}:global-cluster:world`);
    assert.equal(created.Status, "creating");

    const join = ["--engine", "neptune", "--global-cluster-identifier", "world"];
    await ok(["create-db-cluster", "--db-cluster-identifier", "east", ...join]);
    await ok(["create-db-cluster", "--db-cluster-identifier", "west", ...join], "us-west-2");
    const west = (await ok(["describe-db-clusters", "--db-cluster-identifier", "west"], "us-west-2")).DBClusters as {
      GlobalClusterIdentifier: string;
    }[];
    assert.equal(west[0]!.GlobalClusterIdentifier, "world");
    assert.deepEqual(await members(), [
      { DBClusterArn: arn("us-east-1", "east"), Readers: [arn("us-west-2", "west")], IsWriter: true },
      { DBClusterArn: arn("us-west-2", "west"), Readers: [], IsWriter: false },
    ]);

    await ok([
      "switchover-global-cluster",
      "--global-cluster-identifier",
      "world",
      "--target-db-cluster-identifier",
      arn("us-west-2", "west"),
    ]);
    assert.deepEqual(
      (await members()).map((m) => [m.DBClusterArn, m.IsWriter]),
      [
        [arn("us-west-2", "west"), true],
        [arn("us-east-1", "east"), false],
      ],
    );

    const notEmpty = await neptune(["delete-global-cluster", "--global-cluster-identifier", "world"]);
    assert.match(
      notEmpty.stderr,
      cliError(
        "InvalidGlobalClusterStateFault",
        "DeleteGlobalCluster",
        `Global Cluster arn:aws:rds::${A}:global-cluster:world is not empty`,
      ),
    );
    const member = await neptune(["delete-db-cluster", "--db-cluster-identifier", "east", "--skip-final-snapshot"]);
    assert.match(
      member.stderr,
      cliError(
        "InvalidDBClusterStateFault",
        "DeleteDBCluster",
        "This cluster is a part of a global cluster, please remove it from globalcluster first",
      ),
    );

    for (const [region, id] of [
      ["us-east-1", "east"],
      ["us-west-2", "west"],
    ] as const) {
      await ok([
        "remove-from-global-cluster",
        "--global-cluster-identifier",
        "world",
        "--db-cluster-identifier",
        arn(region, id),
      ]);
    }
    assert.deepEqual(await members(), []);
    await ok(["delete-global-cluster", "--global-cluster-identifier", "world"]);
    const gone = await neptune(["describe-global-clusters", "--global-cluster-identifier", "world"]);
    assert.match(
      gone.stderr,
      cliError("GlobalClusterNotFoundFault", "DescribeGlobalClusters", "GlobalCluster world not found."),
    );

    const promote = await neptune(["promote-read-replica-db-cluster", "--db-cluster-identifier", "east"]);
    assert.match(
      promote.stderr,
      cliError("InvalidDBClusterStateFault", "PromoteReadReplicaDBCluster", "DbCluster east is not a read replica."),
    );
  });
});
