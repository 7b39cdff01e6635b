import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  DescribeDBClusterSnapshotAttributesCommand,
  DescribeDBClusterSnapshotsCommand,
  ModifyDBClusterSnapshotAttributeCommand,
  type DescribeDBClusterSnapshotsCommandInput,
} from "@aws-sdk/client-neptune";
import { clusterSnapshotTable } from "../../src/domain/neptune/records.js";
import { A, B, REGION } from "../helpers/harness.js";
import { invalidIdentifier, snapshotNotFound } from "./faults.js";
import { assertFault, assertWire, rdsQuery } from "./refusals.js";
import { createCluster } from "./resources.js";
import {
  automatedSnapshot,
  C,
  copySnapshot,
  createKey,
  createSnapshot,
  share,
  snapshotArn,
  sourceKeyMessage,
  world,
  type World,
} from "./snapshots-fixtures.js";

/** ModifyDBClusterSnapshotAttribute of the restore attribute, raw: the wire's code and message. */
const modify = (w: World, params: Record<string, string>) =>
  rdsQuery(w.raw, "ModifyDBClusterSnapshotAttribute", { AttributeName: "restore", ...params });

describe("ModifyDBClusterSnapshotAttribute: what may be shared (R1–R4)", () => {
  test("R1: an automated snapshot by its rds: name is InvalidParameterValue in the identifier style; by ARN InvalidDBClusterSnapshotStateFault", async () => {
    const w = world();
    await createCluster(w.a.neptune, "src");
    const id = (await automatedSnapshot(w.a.neptune)).DBClusterSnapshotIdentifier!;
    for (const values of [{ "ValuesToAdd.AttributeValue.1": B }, { "ValuesToAdd.AttributeValue.1": "all" }]) {
      assertWire(await modify(w, { DBClusterSnapshotIdentifier: id, ...values }), {
        code: "InvalidParameterValue",
        status: 400,
        message: invalidIdentifier("DBClusterSnapshotIdentifier"),
      });
    }
    const arn = snapshotArn(A, id);
    assert.match(arn, /:cluster-snapshot:rds:src-/);
    assertWire(await modify(w, { DBClusterSnapshotIdentifier: arn, "ValuesToAdd.AttributeValue.1": B }), {
      code: "InvalidDBClusterSnapshotStateFault",
      status: 400,
      message:
        "Only manual snapshots may be shared: copy the automated snapshot to a manual snapshot and share the copy.",
    });
    // Its attributes can still be read: `restore`, empty.
    const attributes = await w.a.neptune.send(
      new DescribeDBClusterSnapshotAttributesCommand({ DBClusterSnapshotIdentifier: arn }),
    );
    assert.deepEqual(attributes.DBClusterSnapshotAttributesResult!.DBClusterSnapshotAttributes, [
      { AttributeName: "restore", AttributeValues: [] },
    ]);
  });

  test("R2: a manual unencrypted snapshot can be shared privately and publicly", async () => {
    const w = world();
    await createCluster(w.a.neptune, "src");
    await createSnapshot(w.a.neptune, "src", "plain");
    const result = await share(w.a.neptune, "plain", [B, "all"]);
    assert.equal(result.DBClusterSnapshotIdentifier, "plain");
    assert.deepEqual(result.DBClusterSnapshotAttributes, [{ AttributeName: "restore", AttributeValues: [B, "all"] }]);
    const raw = await rdsQuery(w.raw, "DescribeDBClusterSnapshotAttributes", { DBClusterSnapshotIdentifier: "plain" });
    assert.equal(raw.status, 200);
    assert.match(
      raw.body,
      /<DescribeDBClusterSnapshotAttributesResult><DBClusterSnapshotAttributesResult><DBClusterSnapshotIdentifier>plain<\/DBClusterSnapshotIdentifier><DBClusterSnapshotAttributes><DBClusterSnapshotAttribute><AttributeName>restore<\/AttributeName><AttributeValues><AttributeValue>222222222222<\/AttributeValue><AttributeValue>all<\/AttributeValue><\/AttributeValues>/,
    );
  });

  test("R3: a snapshot under the AWS-managed key aws/rds can't be shared, privately or publicly", async () => {
    const w = world();
    const cluster = await createCluster(w.a.neptune, "src", { StorageEncrypted: true });
    await createSnapshot(w.a.neptune, "src", "managed");
    const message = `The snapshot managed is encrypted with the AWS managed key alias/aws/rds (${cluster.KmsKeyId}), which other accounts can't use, so it can't be shared. Copy the snapshot with a customer managed KMS key (CopyDBClusterSnapshot with KmsKeyId) and share the copy.`;
    for (const value of [B, "all"]) {
      assertWire(await modify(w, { DBClusterSnapshotIdentifier: "managed", "ValuesToAdd.AttributeValue.1": value }), {
        code: "InvalidParameterValue",
        status: 400,
        message,
      });
    }
    // The way out: copy under a CMK of A, share the copy.
    const cmk = await createKey(w.a);
    await copySnapshot(w.a.neptune, {
      SourceDBClusterSnapshotIdentifier: "managed",
      TargetDBClusterSnapshotIdentifier: "cmk",
      KmsKeyId: cmk.Arn,
    });
    assert.deepEqual((await share(w.a.neptune, "cmk", [B])).DBClusterSnapshotAttributes![0]!.AttributeValues, [B]);
  });

  test("R3, independently: the aws/rds key policy keeps another account out even if it could see the snapshot", async () => {
    // The share is refused at share time; this checks the KMS half: B can't use A's aws/rds key via RDS.
    const w = world();
    const cluster = await createCluster(w.a.neptune, "src", { StorageEncrypted: true });
    await createCluster(w.a.neptune, "plain");
    await createSnapshot(w.a.neptune, "plain", "p");
    await share(w.a.neptune, "p", [B]);
    // Put the snapshot under A's aws/rds key behind the API's back: a state the share check never lets happen.
    const table = clusterSnapshotTable(w.emulator.store, A, REGION);
    const record = {
      ...table.get("p")!,
      StorageEncrypted: true,
      KmsKeyId: cluster.KmsKeyId,
    };
    table.put("p", record);
    const keyB = await createKey(w.b);
    await assertFault(
      () =>
        copySnapshot(w.b.neptune, {
          SourceDBClusterSnapshotIdentifier: record.DBClusterSnapshotArn,
          TargetDBClusterSnapshotIdentifier: "mine",
          KmsKeyId: keyB.Arn,
        }),
      { name: "KMSKeyNotAccessibleFault", status: 400, message: sourceKeyMessage(cluster.KmsKeyId!) },
    );
  });

  test("R4: a snapshot under a CMK can be shared with accounts, never with all", async () => {
    const w = world();
    const key = await createKey(w.a);
    await createCluster(w.a.neptune, "src", { StorageEncrypted: true, KmsKeyId: key.Arn });
    await createSnapshot(w.a.neptune, "src", "cmk");
    assert.deepEqual((await share(w.a.neptune, "cmk", [B])).DBClusterSnapshotAttributes![0]!.AttributeValues, [B]);
    assertWire(await modify(w, { DBClusterSnapshotIdentifier: "cmk", "ValuesToAdd.AttributeValue.1": "all" }), {
      code: "InvalidParameterValue",
      status: 400,
      message:
        "The snapshot cmk is encrypted and can't be made public: share it with specific AWS account IDs instead.",
    });
    // Nothing changed by the refused call.
    const attributes = await w.a.neptune.send(
      new DescribeDBClusterSnapshotAttributesCommand({ DBClusterSnapshotIdentifier: "cmk" }),
    );
    assert.deepEqual(attributes.DBClusterSnapshotAttributesResult!.DBClusterSnapshotAttributes![0]!.AttributeValues, [
      B,
    ]);
  });
});

describe("ModifyDBClusterSnapshotAttribute: the rest of the contract", () => {
  test("add and remove in one call; removing all keeps named accounts; an empty list arrives as `Name=`", async () => {
    const w = world();
    await createCluster(w.a.neptune, "src");
    await createSnapshot(w.a.neptune, "src", "s");
    await share(w.a.neptune, "s", ["all", C]);
    const result = await share(w.a.neptune, "s", [B], ["all"]);
    assert.deepEqual(result.DBClusterSnapshotAttributes![0]!.AttributeValues, [C, B]);
    const raw = await modify(w, {
      DBClusterSnapshotIdentifier: "s",
      ValuesToAdd: "",
      "ValuesToRemove.AttributeValue.1": C,
    });
    assert.equal(raw.status, 200, raw.body);
    assert.match(raw.body, /<AttributeValues><AttributeValue>222222222222<\/AttributeValue><\/AttributeValues>/);
  });

  test("a value in both lists is InvalidParameterCombination; a value that is no account id InvalidParameterValue", async () => {
    const w = world();
    await createCluster(w.a.neptune, "src");
    await createSnapshot(w.a.neptune, "src", "s");
    assertWire(
      await modify(w, {
        DBClusterSnapshotIdentifier: "s",
        "ValuesToAdd.AttributeValue.1": B,
        "ValuesToRemove.AttributeValue.1": B,
      }),
      {
        code: "InvalidParameterCombination",
        status: 400,
        message: "A value may not appear in both the add list and remove list.",
      },
    );
    assertWire(await modify(w, { DBClusterSnapshotIdentifier: "s", "ValuesToAdd.AttributeValue.1": "22222222222" }), {
      code: "InvalidParameterValue",
      status: 400,
      message: "Invalid value 22222222222 for the restore attribute: must be an AWS account ID (12 digits) or all.",
    });
    assertWire(
      await modify(w, { DBClusterSnapshotIdentifier: "s", AttributeName: "copy", "ValuesToAdd.AttributeValue.1": B }),
      {
        code: "InvalidParameterValue",
        status: 400,
        message: "Invalid DB cluster snapshot attribute name: copy. The only valid value is restore.",
      },
    );
  });

  test("at most 20 accounts: SharedSnapshotQuotaExceeded (400) on the wire; `all` does not count", async () => {
    const w = world();
    await createCluster(w.a.neptune, "src");
    await createSnapshot(w.a.neptune, "src", "s");
    const accounts = Array.from({ length: 20 }, (_, i) => String(400000000000 + i));
    await share(w.a.neptune, "s", [...accounts, "all"]);
    const raw = await modify(w, { DBClusterSnapshotIdentifier: "s", "ValuesToAdd.AttributeValue.1": B });
    assertWire(raw, {
      code: "SharedSnapshotQuotaExceeded",
      status: 400,
      message: "You have exceeded the maximum number of accounts that you can share a manual DB snapshot with.",
    });
    await assertFault(() => share(w.a.neptune, "s", [B]), {
      name: "SharedSnapshotQuotaExceededFault",
      status: 400,
      message: /maximum number of accounts/,
    });
    // Swapping one account for another in the same call stays within the quota.
    const swapped = await share(w.a.neptune, "s", [B], [accounts[0]!]);
    assert.equal(swapped.DBClusterSnapshotAttributes![0]!.AttributeValues!.length, 21);
  });

  test("only the owner: a recipient can neither modify nor read the attributes of a snapshot shared with it", async () => {
    const w = world();
    await createCluster(w.a.neptune, "src");
    await createSnapshot(w.a.neptune, "src", "s");
    await share(w.a.neptune, "s", [B]);
    const arn = snapshotArn(A, "s");
    await assertFault(
      () =>
        w.b.neptune.send(
          new ModifyDBClusterSnapshotAttributeCommand({
            DBClusterSnapshotIdentifier: arn,
            AttributeName: "restore",
            ValuesToAdd: [C],
          }),
        ),
      snapshotNotFound(arn),
    );
    await assertFault(
      () => w.b.neptune.send(new DescribeDBClusterSnapshotAttributesCommand({ DBClusterSnapshotIdentifier: arn })),
      snapshotNotFound(arn),
    );
    await assertFault(() => share(w.a.neptune, "ghost", [B]), snapshotNotFound("ghost"));
    // The owner may name its own snapshot by ARN.
    assert.deepEqual((await share(w.a.neptune, arn, [C])).DBClusterSnapshotAttributes![0]!.AttributeValues, [B, C]);
  });
});

describe("R5: the recipient sees a shared snapshot, addressed by its ARN", () => {
  test("SnapshotType shared, IncludeShared, by ARN; public ones with SnapshotType public or IncludePublic; never by name", async () => {
    const w = world();
    await createCluster(w.a.neptune, "src");
    await createSnapshot(w.a.neptune, "src", "private-share");
    await createSnapshot(w.a.neptune, "src", "public-share");
    await share(w.a.neptune, "private-share", [B]);
    await share(w.a.neptune, "public-share", ["all"]);
    await createCluster(w.b.neptune, "own");
    await createSnapshot(w.b.neptune, "own", "b-own");

    const list = async (input: DescribeDBClusterSnapshotsCommandInput) =>
      (await w.b.neptune.send(new DescribeDBClusterSnapshotsCommand(input))).DBClusterSnapshots!.map((s) => [
        s.DBClusterSnapshotIdentifier,
        s.SnapshotType,
      ]);
    const privateArn = snapshotArn(A, "private-share");
    const publicArn = snapshotArn(A, "public-share");
    assert.deepEqual(await list({ SnapshotType: "shared" }), [[privateArn, "shared"]]);
    assert.deepEqual(await list({ SnapshotType: "public" }), [[publicArn, "public"]]);
    assert.deepEqual(await list({ SnapshotType: "manual" }), [["b-own", "manual"]]);
    assert.deepEqual(
      await list({ SnapshotType: "shared", IncludePublic: true }),
      [[privateArn, "shared"]],
      "IncludePublic doesn't apply to shared",
    );
    const withShared = (await list({ IncludeShared: true })).map(([id]) => id);
    assert.ok(withShared.includes(privateArn) && !withShared.includes(publicArn));
    const withBoth = (await list({ IncludeShared: true, IncludePublic: true })).map(([id]) => id);
    assert.ok(withBoth.includes(privateArn) && withBoth.includes(publicArn));
    assert.ok(!(await list({})).some(([id]) => id === privateArn), "not listed without IncludeShared");
    assert.deepEqual(
      await list({ SnapshotType: "shared", Filters: [{ Name: "db-cluster-snapshot-id", Values: [privateArn] }] }),
      [[privateArn, "shared"]],
    );

    const byArn = (
      await w.b.neptune.send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: privateArn }))
    ).DBClusterSnapshots!;
    assert.equal(byArn.length, 1);
    assert.equal(byArn[0]!.DBClusterSnapshotArn, privateArn);
    assert.equal(byArn[0]!.DBClusterIdentifier, "src");
    assert.equal(byArn[0]!.Status, "available");
    await assertFault(
      () => w.b.neptune.send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: "private-share" })),
      snapshotNotFound("private-share"),
    );
    // C sees only the public one.
    const forC = (
      await w.c.neptune.send(new DescribeDBClusterSnapshotsCommand({ IncludeShared: true, IncludePublic: true }))
    ).DBClusterSnapshots!;
    assert.deepEqual(
      forC.map((s) => s.DBClusterSnapshotIdentifier),
      [publicArn],
    );
    // Unsharing hides it again.
    await share(w.a.neptune, "private-share", [], [B]);
    assert.deepEqual(await list({ SnapshotType: "shared" }), []);
    await assertFault(
      () => w.b.neptune.send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: privateArn })),
      snapshotNotFound(privateArn),
    );
  });

  test("a snapshot shared with B by name and also public: listed as shared, and under public too", async () => {
    const w = world();
    await createCluster(w.a.neptune, "src");
    await createSnapshot(w.a.neptune, "src", "both");
    await share(w.a.neptune, "both", [B, "all"]);
    const arn = snapshotArn(A, "both");
    const list = async (input: DescribeDBClusterSnapshotsCommandInput) =>
      (await w.b.neptune.send(new DescribeDBClusterSnapshotsCommand(input))).DBClusterSnapshots!.map((s) => [
        s.DBClusterSnapshotIdentifier,
        s.SnapshotType,
      ]);
    // "public - Return all DB cluster snapshots that have been marked as public" (API reference).
    assert.deepEqual(await list({ SnapshotType: "public" }), [[arn, "shared"]]);
    assert.deepEqual(await list({ IncludePublic: true }), [[arn, "shared"]]);
    assert.deepEqual(await list({ SnapshotType: "shared" }), [[arn, "shared"]]);
    assert.deepEqual(await list({ IncludeShared: true, IncludePublic: true }), [[arn, "shared"]], "listed once");
    assert.deepEqual(await list({ DBClusterSnapshotIdentifier: arn, SnapshotType: "public" }), [[arn, "shared"]]);
    assert.deepEqual(await list({ Filters: [{ Name: "snapshot-type", Values: ["public"] }], IncludePublic: true }), [
      [arn, "shared"],
    ]);
    assert.deepEqual(await list({}), [], "neither without IncludeShared or IncludePublic");
  });
});
