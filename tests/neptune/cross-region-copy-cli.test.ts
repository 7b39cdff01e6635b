import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Emulator } from "../../src/emulator.js";
import { startServer, type RunningServer } from "../../src/server/http.js";
import { DELAY_PROFILES } from "../../src/state/delays.js";
import { awsCli, cliError } from "../helpers/aws-cli.js";
import { A, ADMIN } from "../helpers/harness.js";

/**
 * `aws neptune copy-db-cluster-snapshot --source-region …` against a real server: botocore builds the PreSignedUrl
 * (signed for the source Region, with the endpoint's host and port as they are) and the copy is made in the Region
 * the CLI calls.
 */
describe("the AWS CLI against trident serve: a cross-Region snapshot copy", () => {
  let running: RunningServer;
  before(async () => {
    running = await startServer(new Emulator({ delays: DELAY_PROFILES.instant }), { port: 0 });
  });
  after(() => running.close());
  const aws = (region: string, args: string[]) => awsCli(running.endpoint, ADMIN[A]!, args, region);
  const keyIn = async (region: string) => {
    const created = await aws(region, ["kms", "create-key"]);
    assert.equal(created.code, 0, created.stderr);
    return (created.json!.KeyMetadata as { Arn: string }).Arn;
  };

  test("an encrypted snapshot of us-east-1 is copied into us-west-2 under a us-west-2 key", async () => {
    const eastKey = await keyIn("us-east-1");
    const westKey = await keyIn("us-west-2");
    const cluster = await aws("us-east-1", [
      "neptune",
      "create-db-cluster",
      "--db-cluster-identifier",
      "graph",
      "--engine",
      "neptune",
      "--storage-encrypted",
      "--kms-key-id",
      eastKey,
    ]);
    assert.equal(cluster.code, 0, cluster.stderr);
    const snapshot = await aws("us-east-1", [
      "neptune",
      "create-db-cluster-snapshot",
      "--db-cluster-identifier",
      "graph",
      "--db-cluster-snapshot-identifier",
      "nightly",
    ]);
    assert.equal(snapshot.code, 0, snapshot.stderr);
    const sourceArn = `arn:aws:rds:us-east-1:${A}:cluster-snapshot:nightly`;
    const copy = (extra: string[]) =>
      aws("us-west-2", [
        "neptune",
        "copy-db-cluster-snapshot",
        "--source-db-cluster-snapshot-identifier",
        sourceArn,
        "--target-db-cluster-snapshot-identifier",
        "nightly-west",
        "--kms-key-id",
        westKey,
        ...extra,
      ]);

    // Without --source-region the CLI sends no PreSignedUrl.
    const refused = await copy([]);
    assert.match(
      refused.stderr,
      cliError(
        "InvalidParameterValue",
        "CopyDBClusterSnapshot",
        "A pre-signed url must be specified for copying encrypted snapshot across region.",
      ),
    );
    const copied = await copy(["--source-region", "us-east-1"]);
    assert.equal(copied.code, 0, copied.stderr);
    const made = copied.json!.DBClusterSnapshot as Record<string, unknown>;
    assert.equal(made.DBClusterSnapshotArn, `arn:aws:rds:us-west-2:${A}:cluster-snapshot:nightly-west`);
    assert.equal(made.SourceDBClusterSnapshotArn, sourceArn);
    assert.equal(made.KmsKeyId, westKey);
    assert.equal(made.Status, "copying");

    const described = await aws("us-west-2", [
      "neptune",
      "describe-db-cluster-snapshots",
      "--db-cluster-snapshot-identifier",
      "nightly-west",
    ]);
    assert.equal(described.code, 0, described.stderr);
    const [west] = described.json!.DBClusterSnapshots as Record<string, unknown>[];
    assert.deepEqual([west!.Status, west!.PercentProgress], ["available", 100]);
  });
});
