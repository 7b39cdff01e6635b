import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mergeTargetStatements } from "../../src/migrate/key-policy.js";
import { buildPlan } from "../../src/migrate/plan.js";
import { seedKeyPolicy } from "../../src/migrate/seed.js";
import { renderPlan } from "../../src/migrate/report.js";
import type { JournalData } from "../../src/migrate/journal.js";
import type { Discovered } from "../../src/migrate/types.js";
import {
  A,
  B,
  KEY_A,
  KEY_B,
  RDS_KEY_A,
  REGION,
  assertGolden,
  findingCodes,
  findingOf,
  keyFacts,
  seedFacts,
  seedInputs,
  stepStates,
} from "./fixtures.js";

function journalWith(created: Partial<JournalData["created"]>): JournalData {
  return {
    version: 1,
    migrationId: `${A}-to-${B}-orders-graph`,
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
    region: REGION,
    source: { account: A, cluster: "orders-graph" },
    target: { account: B, cluster: "orders-graph" },
    created: { targetInstances: [], ...created },
    completed: [],
    events: [],
  };
}

describe("the plan for the seed (pure planner, facts as discovery reports them)", () => {
  test("golden text", () => {
    assertGolden("plan-seed-pure.txt", renderPlan(buildPlan(seedInputs(), seedFacts())));
  });

  test("ordered steps, all to do; the missing key-policy statements are handled by apply (R10)", () => {
    const plan = buildPlan(seedInputs(), seedFacts());
    assert.deepEqual(
      plan.steps.map((step) => `${step.side}:${step.id}:${step.state}`),
      [
        "source:snapshot:todo",
        "source:share:todo",
        "source:key-policy:todo",
        "target:copy:todo",
        "target:restore:todo",
        "target:instances:todo",
        "target:verify:todo",
      ],
    );
    assert.equal(plan.canProceed, true);
    assert.deepEqual(findingCodes(plan), ["key-policy-missing-target"]);
    const finding = plan.findings[0]!;
    assert.equal(finding.severity, "handled");
    assert.equal(finding.rule, "R10");
    assert.match(finding.fix!, /^run `trident migrate apply` to add it, or add these statements:\n\[/);
    assert.equal(plan.names.sourceManualSnapshot, `trident-orders-graph-for-${B}`);
    assert.equal(
      plan.names.shareSnapshotArn,
      `arn:aws:rds:${REGION}:${A}:cluster-snapshot:trident-orders-graph-for-${B}`,
    );
    assert.equal(plan.names.targetCopy, `trident-orders-graph-from-${A}`);
    assert.deepEqual(plan.names.targetInstances, [
      { DBInstanceIdentifier: "orders-graph-instance-1", DBInstanceClass: "db.r5.large", PromotionTier: 1, Tags: [] },
    ]);
    assert.ok(plan.keyPolicyDiff.some((line) => line.startsWith("+ ")));
  });

  test("the copy step names the rules it meets and carries CopyTags=false with explicit tags (R8)", () => {
    const copy = buildPlan(seedInputs(), seedFacts()).steps.find((step) => step.id === "copy")!;
    assert.deepEqual(copy.rules, ["R5", "R6", "R7", "R8", "R9", "R10"]);
    assert.ok(copy.details.some((line) => line.includes("CopyTags=false")));
    assert.ok(copy.details.some((line) => line.includes("team=graph, env=production")));
  });
});

describe("blockers and what apply handles, on prepared bad states", () => {
  test("an automated snapshot (R1): apply copies it to a manual snapshot first", () => {
    const found = seedFacts();
    const id = "rds:orders-graph-2026-01-01-00-00";
    found.givenSnapshot = {
      DBClusterSnapshotIdentifier: id,
      DBClusterSnapshotArn: `arn:aws:rds:${REGION}:${A}:cluster-snapshot:${id}`,
      DBClusterIdentifier: "orders-graph",
      SnapshotType: "automated",
      Status: "available",
      StorageEncrypted: true,
      KmsKeyId: KEY_A,
      EngineVersion: "1.3.2.1",
      Tags: [],
      SharedWith: [],
    };
    const plan = buildPlan(seedInputs({ sourceCluster: undefined, sourceSnapshot: id }), found);
    const finding = findingOf(plan, "automated-snapshot")!;
    assert.equal(finding.rule, "R1");
    assert.equal(finding.severity, "handled");
    assert.deepEqual(
      plan.steps.map((step) => step.id),
      ["copy-to-cmk", "share", "key-policy", "copy", "restore", "instances", "verify"],
    );
    assert.equal(plan.names.shareSnapshot, `trident-orders-graph-for-${B}-cmk`);
    assert.equal(plan.canProceed, true);
  });

  const underAwsRds = (): Discovered => {
    const found = seedFacts();
    found.sourceCluster!.KmsKeyId = RDS_KEY_A;
    found.sourceKey = keyFacts(RDS_KEY_A, A, { KeyManager: "AWS" });
    return found;
  };

  test("an aws/rds source without a CMK to use is a blocker (R3) naming --source-kms-key and --create-source-key", () => {
    const plan = buildPlan(seedInputs(), underAwsRds());
    const finding = findingOf(plan, "aws-managed-key")!;
    assert.equal(finding.severity, "blocker");
    assert.equal(finding.rule, "R3");
    assert.match(finding.fix!, /--source-kms-key/);
    assert.match(finding.fix!, /--create-source-key/);
    assert.equal(plan.canProceed, false);
  });

  test("an aws/rds source with --create-source-key: create the key, copy under it, then share", () => {
    const plan = buildPlan(seedInputs({ createSourceKey: true }), underAwsRds());
    assert.equal(plan.canProceed, true);
    assert.deepEqual(
      plan.steps.map((step) => step.id),
      ["create-source-key", "snapshot", "copy-to-cmk", "share", "key-policy", "copy", "restore", "instances", "verify"],
    );
    assert.equal(findingOf(plan, "aws-managed-key")!.severity, "handled");
    assert.equal(plan.names.createdKeyAlias, `alias/trident-orders-graph-for-${B}`);
  });

  test("an aws/rds source with --source-kms-key: copy under that CMK", () => {
    const found = underAwsRds();
    found.reencryptKey = keyFacts(KEY_A, A, { Requested: "alias/migration", Policy: seedKeyPolicy(A) });
    const plan = buildPlan(seedInputs({ sourceKmsKey: "alias/migration" }), found);
    assert.equal(plan.canProceed, true);
    assert.equal(plan.names.shareKeyArn, KEY_A);
    assert.ok(plan.steps.some((step) => step.id === "copy-to-cmk"));
  });

  test("a key policy without the target is handled: apply adds it (R10)", () => {
    const plan = buildPlan(seedInputs(), seedFacts());
    assert.match(
      plan.findings[0]!.message,
      new RegExp(`^key policy of ${KEY_A} does not allow account ${B} to use the key`),
    );
  });

  test("a key policy without kms:CreateGrant names exactly that", () => {
    const found = seedFacts();
    const policy = JSON.parse(mergeTargetStatements(found.sourceKey!.Policy!, "aws", B)) as {
      Statement: { Action: string | string[] }[];
    };
    policy.Statement[1]!.Action = (policy.Statement[1]!.Action as string[]).filter(
      (action) => action !== "kms:CreateGrant",
    );
    policy.Statement.pop();
    found.sourceKey!.Policy = JSON.stringify(policy);
    const plan = buildPlan(seedInputs(), found);
    const finding = findingOf(plan, "key-policy-missing-actions")!;
    assert.equal(
      finding.message,
      `key policy of ${KEY_A} does not allow account ${B} kms:CreateGrant, kms:ListGrants, kms:RevokeGrant`,
    );
    assert.equal(plan.canProceed, true);
  });

  test("a key policy that no longer lets the source caller change it is a blocker (K1)", () => {
    const found = seedFacts();
    found.sourceKey!.Policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${A}:root` },
          Action: ["kms:Describe*", "kms:CreateGrant"],
          Resource: "*",
        },
      ],
    });
    const plan = buildPlan(seedInputs(), found);
    assert.deepEqual(findingCodes(plan, "blocker"), ["cannot-update-key-policy"]);
    assert.equal(plan.findings[0]!.rule, "K1");
  });

  /** The seed's facts, with a cluster by the target's name already in B. */
  const targetClusterTaken = (): Discovered => {
    const found = seedFacts();
    found.targetCluster = {
      ...found.sourceCluster!,
      DBClusterArn: `arn:aws:rds:${REGION}:${B}:cluster:orders-graph`,
      Members: [],
    };
    return found;
  };

  test("a target id already taken (not by this migration) is a blocker", () => {
    const plan = buildPlan(seedInputs(), targetClusterTaken());
    assert.deepEqual(findingCodes(plan, "blocker"), ["target-cluster-exists"]);
    assert.match(plan.findings[0]!.fix!, /--target-cluster/);
    assert.equal(plan.canProceed, false);
  });

  test("the same cluster, created by this migration (journal), is progress, not a blocker", () => {
    const plan = buildPlan(seedInputs(), targetClusterTaken(), journalWith({ targetCluster: "orders-graph" }));
    assert.equal(plan.canProceed, true);
    assert.equal(
      stepStates(plan),
      "snapshot:done share:done key-policy:done copy:done restore:done instances:todo verify:todo",
    );
    assert.equal(plan.steps[0]!.reason, `the cluster orders-graph was already restored in ${B}`);
  });

  const targetKeyCases: [string, (found: Discovered) => void, RegExp][] = [
    [
      "does not exist",
      (found) =>
        (found.targetKey = {
          Requested: "alias/nope",
          Error: { code: "NotFoundException", message: `Alias arn:aws:kms:${REGION}:${B}:alias/nope is not found.` },
        }),
      /NotFoundException/,
    ],
    ["belongs to the source", (found) => (found.targetKey = keyFacts(KEY_A, A)), new RegExp(`belongs to account ${A}`)],
    ["is disabled", (found) => (found.targetKey = keyFacts(KEY_B, B, { KeyState: "Disabled" })), /is Disabled/],
    [
      "has a policy that leaves the target caller out",
      (found) =>
        (found.targetKey = keyFacts(KEY_B, B, {
          Policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${B}:role/admin` }, Action: "kms:*", Resource: "*" },
            ],
          }),
        })),
      /does not let arn:aws:iam::222222222222:user\/admin call kms:CreateGrant and kms:DescribeKey/,
    ],
  ];
  for (const [what, prepare, message] of targetKeyCases) {
    test(`a target key B can't use (R9): it ${what}`, () => {
      const found = seedFacts();
      prepare(found);
      const plan = buildPlan(seedInputs({ targetKmsKey: found.targetKey.Requested }), found);
      assert.deepEqual(findingCodes(plan, "blocker"), ["target-key-unusable"]);
      assert.equal(plan.findings[0]!.rule, "R9");
      assert.match(plan.findings[0]!.message, message);
      assert.match(plan.findings[0]!.fix!, /--target-kms-key/);
    });
  }

  test("a parameter group the target lacks is a blocker", () => {
    const found = seedFacts();
    found.sourceCluster!.DBClusterParameterGroup = "orders-tuned";
    found.targetParameterGroup = "missing";
    const plan = buildPlan(seedInputs(), found);
    assert.deepEqual(findingCodes(plan, "blocker"), ["parameter-group-missing"]);
    assert.match(plan.findings[0]!.fix!, /--parameter-group/);
  });

  test("the same account on both sides is a blocker", () => {
    const found = seedFacts();
    found.target = found.source;
    assert.ok(findingCodes(buildPlan(seedInputs(), found), "blocker").includes("same-account"));
  });

  test("a copy already in the target settles the source steps, whatever the source looks like now", () => {
    const found = seedFacts();
    delete found.sourceCluster;
    found.sourceClusterError = { code: "DBClusterNotFoundFault", message: "DBCluster orders-graph not found." };
    found.targetCopy = {
      DBClusterSnapshotIdentifier: `trident-orders-graph-from-${A}`,
      DBClusterSnapshotArn: `arn:aws:rds:${REGION}:${B}:cluster-snapshot:trident-orders-graph-from-${A}`,
      SnapshotType: "manual",
      Status: "available",
      StorageEncrypted: true,
      KmsKeyId: KEY_B,
      SourceDBClusterSnapshotArn: `arn:aws:rds:${REGION}:${A}:cluster-snapshot:trident-orders-graph-for-${B}`,
      Tags: [],
      SharedWith: [],
    };
    const plan = buildPlan(seedInputs(), found);
    assert.equal(plan.canProceed, true);
    assert.equal(
      stepStates(plan),
      "snapshot:done share:done key-policy:done copy:done restore:todo instances:todo verify:todo",
    );
  });
});
