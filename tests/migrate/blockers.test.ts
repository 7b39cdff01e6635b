import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { CreateKeyCommand, DisableKeyCommand, ListKeysCommand, PutKeyPolicyCommand } from "@aws-sdk/client-kms";
import {
  CopyDBClusterSnapshotCommand,
  CreateDBClusterCommand,
  CreateDBClusterSnapshotCommand,
  DescribeDBClusterSnapshotsCommand,
  ModifyDBClusterSnapshotAttributeCommand,
} from "@aws-sdk/client-neptune";
import { runApply, runPlan } from "../../src/migrate/apply.js";
import { SHARED_SNAPSHOT_ACCOUNT_LIMIT } from "../../src/migrate/plan.js";
import { targetKeyStatements } from "../../src/migrate/key-policy.js";
import { seedKeyPolicy } from "../../src/migrate/seed.js";
import { rejection } from "../helpers/harness.js";
import { A, B, REGION, findingCodes, findingOf } from "./fixtures.js";
import { describeCluster, migrationWorlds, mutations } from "./world.js";

const world = migrationWorlds();

describe("plan names each blocker on prepared bad states in the emulator", () => {
  test("an automated snapshot (R1): plan says apply copies it to a manual one first; apply does", async () => {
    const w = await world();
    const automated = (
      await w.a.neptune.send(
        new DescribeDBClusterSnapshotsCommand({ DBClusterIdentifier: "orders-graph", SnapshotType: "automated" }),
      )
    ).DBClusterSnapshots![0]!;
    assert.match(automated.DBClusterSnapshotIdentifier!, /^rds:orders-graph-/);
    const options = w.run({ sourceCluster: undefined, sourceSnapshot: automated.DBClusterSnapshotIdentifier! });
    const { plan } = await runPlan(options);
    assert.deepEqual(findingCodes(plan, "blocker"), []);
    assert.equal(findingOf(plan, "automated-snapshot")?.rule, "R1");
    assert.equal(findingOf(plan, "automated-snapshot")?.severity, "handled");
    assert.equal(plan.steps[0]!.id, "copy-to-cmk");

    const result = await runApply(options);
    assert.equal(result.status, "done");
    assert.deepEqual(mutations(w.handler.calls).slice(0, 2), [
      `${A}:CopyDBClusterSnapshot`,
      `${A}:ModifyDBClusterSnapshotAttribute`,
    ]);
    assert.ok(result.verification!.every((check) => check.ok));
  });

  test("a snapshot under aws/rds (R3): a blocker naming the way out; with --create-source-key apply goes through", async () => {
    const w = await world({ seed: { kmsKeyId: "alias/aws/rds" } });
    const { plan } = await runPlan(w.run());
    assert.deepEqual(findingCodes(plan, "blocker"), ["aws-managed-key"]);
    const blocker = findingOf(plan, "aws-managed-key")!;
    assert.equal(blocker.rule, "R3");
    assert.match(blocker.message, /AWS-managed key arn:aws:kms:us-east-1:111111111111:key\/.+ \(alias\/aws\/rds\)/);
    assert.match(blocker.fix!, /--source-kms-key .* or --create-source-key/);
    const blocked = await runApply(w.run());
    assert.equal(blocked.status, "blocked");
    assert.deepEqual(mutations(w.handler.calls), []);

    const options = w.run({ createSourceKey: true });
    const ready = (await runPlan(options)).plan;
    assert.deepEqual(findingCodes(ready, "blocker"), []);
    assert.deepEqual(
      ready.steps.map((step) => step.id),
      ["create-source-key", "snapshot", "copy-to-cmk", "share", "key-policy", "copy", "restore", "instances", "verify"],
    );
    const result = await runApply(options);
    assert.equal(result.status, "done");
    assert.ok(result.verification!.every((check) => check.ok));
    assert.deepEqual(mutations(w.handler.calls).slice(0, 3), [
      `${A}:CreateKey`,
      `${A}:CreateAlias`,
      `${A}:CreateDBClusterSnapshot`,
    ]);
    const again = await runApply(options);
    assert.deepEqual(again.changed, []);
  });

  test("a key policy without the target: handled by apply, which adds it (R10)", async () => {
    const w = await world();
    const { plan } = await runPlan(w.run());
    const missing = findingOf(plan, "key-policy-missing-target")!;
    assert.equal(missing.severity, "handled");
    assert.equal(
      missing.message.startsWith(`key policy of ${w.seed!.keyArn} does not allow account ${B} to use the key`),
      true,
    );
  });

  test("without that change, the copy in B really fails with KMSKeyNotAccessibleFault (why R10 matters)", async () => {
    const w = await world();
    await runApply({ ...w.run(), stopAfter: "share" });
    const shared = `arn:aws:rds:us-east-1:${A}:cluster-snapshot:trident-orders-graph-for-${B}`;
    const error = await rejection(() =>
      w.b.neptune.send(
        new CopyDBClusterSnapshotCommand({
          SourceDBClusterSnapshotIdentifier: shared,
          TargetDBClusterSnapshotIdentifier: "by-hand",
          KmsKeyId: "alias/aws/rds",
        }),
      ),
    );
    assert.equal(error.name, "KMSKeyNotAccessibleFault");
    assert.equal(error.$metadata?.httpStatusCode, 400);
    assert.equal(
      error.message,
      `The source snapshot KMS key [${w.seed!.keyArn}] does not exist, is not enabled or you do not have permissions to access it.`,
    );
  });

  test("a key policy without kms:CreateGrant for the target names exactly what is missing; apply adds it", async () => {
    const w = await world();
    const policy = JSON.parse(seedKeyPolicy(A)) as { Statement: object[] };
    policy.Statement.push({
      Sid: "Let B use the key",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${B}:root` },
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
      Resource: "*",
    });
    await w.a.kms.send(
      new PutKeyPolicyCommand({ KeyId: w.seed!.keyArn, PolicyName: "default", Policy: JSON.stringify(policy) }),
    );
    const { plan } = await runPlan(w.run());
    assert.equal(
      findingOf(plan, "key-policy-missing-actions")?.message,
      `key policy of ${w.seed!.keyArn} does not allow account ${B} kms:CreateGrant, kms:ListGrants, kms:RevokeGrant`,
    );
    assert.equal(plan.canProceed, true);
    const result = await runApply(w.run());
    assert.equal(result.status, "done");
  });

  test("a target id already taken: a blocker, and apply changes nothing", async () => {
    const w = await world();
    await w.b.neptune.send(new CreateDBClusterCommand({ DBClusterIdentifier: "orders-graph", Engine: "neptune" }));
    const { plan } = await runPlan(w.run());
    assert.deepEqual(findingCodes(plan, "blocker"), ["target-cluster-exists"]);
    assert.match(
      findingOf(plan, "target-cluster-exists")!.message,
      new RegExp(`a cluster named orders-graph already exists in ${B}`),
    );
    w.handler.calls.length = 0;
    assert.equal((await runApply(w.run())).status, "blocked");
    assert.deepEqual(mutations(w.handler.calls), []);
    assert.equal((await runPlan(w.run({ targetCluster: "orders-graph-moved" }))).plan.canProceed, true);
  });

  test("a target key B can't use (R9): disabled, another account's, or a policy without B's caller", async () => {
    const w = await world();
    const disabled = (await w.b.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await w.b.kms.send(new DisableKeyCommand({ KeyId: disabled.KeyId }));
    const roleOnly = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "admins",
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${B}:user/admin` },
          Action: ["kms:PutKeyPolicy", "kms:GetKeyPolicy", "kms:DescribeKey"],
          Resource: "*",
        },
      ],
    });
    const narrow = (await w.b.kms.send(new CreateKeyCommand({ Policy: roleOnly }))).KeyMetadata!;
    const cases: [string, RegExp][] = [
      [disabled.Arn!, /it is Disabled/],
      [w.seed!.keyArn, /AccessDeniedException|belongs to account 111111111111/],
      [narrow.Arn!, /does not let arn:aws:iam::222222222222:user\/admin call kms:CreateGrant and kms:DescribeKey/],
      ["alias/does-not-exist", /NotFoundException/],
    ];
    for (const [key, message] of cases) {
      const { plan } = await runPlan(w.run({ targetKmsKey: key }));
      assert.deepEqual(findingCodes(plan, "blocker"), ["target-key-unusable"], key);
      const blocker = findingOf(plan, "target-key-unusable")!;
      assert.equal(blocker.rule, "R9");
      assert.match(blocker.message, message);
      assert.match(blocker.fix!, /--target-kms-key/);
    }
    // A usable CMK of B is fine, and the result is encrypted with it.
    const good = (await w.b.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const result = await runApply(w.run({ targetKmsKey: good.Arn! }));
    assert.equal(result.status, "done");
    assert.equal((await describeCluster(w.b.neptune)).KmsKeyId, good.Arn);
  });

  test("a snapshot already shared with 20 accounts: a blocker before AWS's SharedSnapshotQuotaExceeded", async () => {
    const w = await world();
    await w.a.neptune.send(
      new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: "orders-graph", DBClusterSnapshotIdentifier: "full" }),
    );
    await w.clock.advance(60 * 60_000);
    const others = Array.from({ length: SHARED_SNAPSHOT_ACCOUNT_LIMIT }, (_, i) => String(300000000000 + i));
    await w.a.neptune.send(
      new ModifyDBClusterSnapshotAttributeCommand({
        DBClusterSnapshotIdentifier: "full",
        AttributeName: "restore",
        ValuesToAdd: others,
      }),
    );
    const options = w.run({ sourceCluster: undefined, sourceSnapshot: "full" });
    const { plan } = await runPlan(options);
    assert.deepEqual(findingCodes(plan, "blocker"), ["shared-snapshot-quota"]);
    assert.match(findingOf(plan, "shared-snapshot-quota")!.message, /already shared with 20 accounts/);
    assert.match(findingOf(plan, "shared-snapshot-quota")!.fix!, /ValuesToRemove.*--source-cluster/);
    w.handler.calls.length = 0;
    assert.equal((await runApply(options)).status, "blocked");
    assert.deepEqual(mutations(w.handler.calls), []);
  });

  test("plan creates no AWS-managed key: alias/aws/rds by name or alias ARN is looked up with ListAliases", async () => {
    const w = await world();
    const keysOf = async (kms: typeof w.a.kms) => (await kms.send(new ListKeysCommand({}))).Keys!.length;
    const before = { a: await keysOf(w.a.kms), b: await keysOf(w.b.kms) };
    const { plan } = await runPlan(
      w.run({ targetKmsKey: `arn:aws:kms:${REGION}:${B}:alias/aws/rds`, sourceKmsKey: "alias/aws/rds" }),
    );
    assert.deepEqual({ a: await keysOf(w.a.kms), b: await keysOf(w.b.kms) }, before, "no key was created");
    assert.ok(w.handler.calls.some((call) => call.account === B && call.operation === "ListAliases"));
    assert.deepEqual(findingCodes(plan, "blocker"), ["source-kms-key-aws-managed"]);
    assert.match(plan.steps.find((step) => step.id === "copy")!.details.join("\n"), /AWS creates it on first use/);
  });

  test("the key policy statements apply adds pass the emulator's own K1/K2 checks", async () => {
    const w = await world();
    const merged = { ...JSON.parse(seedKeyPolicy(A)) };
    merged.Statement = [...merged.Statement, ...targetKeyStatements("aws", B)];
    await w.a.kms.send(
      new PutKeyPolicyCommand({ KeyId: w.seed!.keyArn, PolicyName: "default", Policy: JSON.stringify(merged) }),
    );
    const { plan } = await runPlan(w.run());
    assert.equal(plan.steps.find((step) => step.id === "key-policy")?.state, "done");
  });
});
