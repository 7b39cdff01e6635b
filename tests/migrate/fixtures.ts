import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { seedKeyPolicy } from "../../src/migrate/seed.js";
import { ADMIN } from "../helpers/harness.js";
import type { Discovered, Finding, FindingSeverity, KeyFacts, MigrateInputs, Plan } from "../../src/migrate/types.js";

export const A = "111111111111";
export const B = "222222222222";
export const REGION = "us-east-1";
export const KEY_A = `arn:aws:kms:${REGION}:${A}:key/aaaaaaaa-1111-4111-8111-aaaaaaaaaaaa`;
export const RDS_KEY_A = `arn:aws:kms:${REGION}:${A}:key/rdsrdsrd-1111-4111-8111-aaaaaaaaaaaa`;
export const KEY_B = `arn:aws:kms:${REGION}:${B}:key/bbbbbbbb-2222-4222-8222-bbbbbbbbbbbb`;

/** The inputs of the seed's migration: orders-graph from A to B, the target's alias/aws/rds. */
export function seedInputs(overrides: Partial<MigrateInputs> = {}): MigrateInputs {
  return {
    source: {},
    target: {},
    region: REGION,
    sourceCluster: "orders-graph",
    targetCluster: "orders-graph",
    targetKmsKey: "alias/aws/rds",
    ...overrides,
  };
}

/** Both sides' access keys as `trident migrate` flags (the admins of A and B); the target's secret may be replaced. */
export function credentialFlags(targetSecret = ADMIN[B]!.secretAccessKey): string[] {
  return [
    "--source-access-key-id",
    ADMIN[A]!.accessKeyId,
    "--source-secret-access-key",
    ADMIN[A]!.secretAccessKey,
    "--target-access-key-id",
    ADMIN[B]!.accessKeyId,
    "--target-secret-access-key",
    targetSecret,
  ];
}

/** The plan's steps and their states in one line, in order: `snapshot:done share:todo …`. */
export function stepStates(plan: Plan): string {
  return plan.steps.map((step) => `${step.id}:${step.state}`).join(" ");
}

/** The codes of the plan's findings, of one severity or all, in order. */
export function findingCodes(plan: Plan, severity?: FindingSeverity): string[] {
  return plan.findings.filter((finding) => !severity || finding.severity === severity).map((finding) => finding.code);
}

/** The plan's finding with this code. */
export function findingOf(plan: Plan, code: string): Finding | undefined {
  return plan.findings.find((finding) => finding.code === code);
}

/** A key as discovery reports it: an enabled customer-managed key of `account`, asked for by its ARN. */
export function keyFacts(arn: string, account: string, overrides: Partial<KeyFacts> = {}): KeyFacts {
  return { Requested: arn, Arn: arn, AWSAccountId: account, KeyManager: "CUSTOMER", KeyState: "Enabled", ...overrides };
}

/** What discovery finds in the seed's initial state (no emulator needed: the planner is pure). */
export function seedFacts(): Discovered {
  return {
    region: REGION,
    targetRegion: REGION,
    partition: "aws",
    source: { Account: A, Arn: `arn:aws:iam::${A}:user/admin`, UserId: "AIDAADMINA" },
    target: { Account: B, Arn: `arn:aws:iam::${B}:user/admin`, UserId: "AIDAADMINB" },
    sourceCluster: {
      DBClusterIdentifier: "orders-graph",
      DBClusterArn: `arn:aws:rds:${REGION}:${A}:cluster:orders-graph`,
      Status: "available",
      Engine: "neptune",
      EngineVersion: "1.3.2.1",
      StorageEncrypted: true,
      KmsKeyId: KEY_A,
      DBClusterParameterGroup: "default.neptune1.3",
      DBSubnetGroup: "default",
      VpcSecurityGroupIds: ["sg-0123456789abcdef0"],
      Port: 8182,
      IAMDatabaseAuthenticationEnabled: false,
      DeletionProtection: false,
      CopyTagsToSnapshot: true,
      Members: [
        {
          DBInstanceIdentifier: "orders-graph-1",
          IsClusterWriter: true,
          PromotionTier: 1,
          DBInstanceClass: "db.r5.large",
          Tags: [],
        },
      ],
      Tags: [
        { Key: "team", Value: "graph" },
        { Key: "env", Value: "production" },
      ],
    },
    sourceKey: keyFacts(KEY_A, A, { Policy: seedKeyPolicy(A) }),
    targetKey: { Requested: "alias/aws/rds", NotYetCreated: true, KeyManager: "AWS" },
    targetInstances: [],
    targetParameterGroup: "exists",
    targetSubnetGroup: "unknown",
  };
}

const GOLDEN_DIR = fileURLToPath(new URL("../../../tests/migrate/golden/", import.meta.url));

/** Compares with tests/migrate/golden/<name>; UPDATE_GOLDEN=1 writes it instead. */
export function assertGolden(name: string, actual: string): void {
  const path = `${GOLDEN_DIR}${name}`;
  if (process.env.UPDATE_GOLDEN === "1" || !existsSync(path)) {
    writeFileSync(path, actual);
    if (process.env.UPDATE_GOLDEN !== "1")
      assert.fail(`golden ${name} did not exist; written now: check it and re-run`);
    return;
  }
  assert.equal(actual, readFileSync(path, "utf8"));
}
