import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { UserConfig } from "../../src/config/config.js";
import { runPlan } from "../../src/migrate/apply.js";
import { EXIT } from "../../src/migrate/errors.js";
import { tableActions } from "../../src/migrate/permissions-table.js";
import { simulationPrincipal } from "../../src/migrate/permissions-simulate.js";
import type { PermissionReport } from "../../src/migrate/permissions.js";
import { buildSeed } from "../../src/migrate/seed.js";
import type { Plan } from "../../src/migrate/types.js";
import { ADMIN } from "../helpers/harness.js";
import { seedConfig } from "../helpers/seed.js";
import { A, B, findingOf } from "./fixtures.js";
import { migrateCli, migrationWorlds, type MigrationWorld } from "./world.js";

const world = migrationWorlds();

const OPERATOR = { accessKeyId: "AKIA2222222222OPER01", secretAccessKey: "trident-test-secret-operator-b" };
const SOURCE_OPERATOR = { accessKeyId: "AKIA1111111111OPER01", secretAccessKey: "trident-test-secret-operator-a" };

/** A user whose identity policy allows `rds:*` and nothing else: no KMS at all. */
function rdsOnly(credentials: typeof OPERATOR, policy: object = allow(["rds:*"])): UserConfig {
  return { name: "operator", ...credentials, policy };
}

function allow(actions: string[]) {
  return { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: actions, Resource: "*" }] };
}

/** `trident migrate ARGS` as the given callers of each side. */
function cliAs(w: MigrationWorld, source: typeof OPERATOR, target: typeof OPERATOR, args: string[]) {
  const credentials = [
    ...["--source-access-key-id", source.accessKeyId, "--source-secret-access-key", source.secretAccessKey],
    ...["--target-access-key-id", target.accessKeyId, "--target-secret-access-key", target.secretAccessKey],
  ];
  return migrateCli(w, args, {}, credentials);
}

/** `migrate plan` with `--output json` as the given callers of each side. */
async function planAs(
  w: MigrationWorld,
  source: typeof OPERATOR,
  target: typeof OPERATOR,
  extra: string[] = [],
): Promise<{ code: number; plan: Plan; stdout: string }> {
  const args = ["plan", "--source-cluster", "orders-graph", "--journal", w.journalPath, "--output", "json", ...extra];
  const json = await cliAs(w, source, target, args);
  return { code: json.code, plan: (JSON.parse(json.stdout) as { plan: Plan }).plan, stdout: json.stdout };
}

/** The same emulator state (the seed's cluster and key) served with another config: a user's policy changed. */
function withConfig(w: MigrationWorld, users: Record<string, UserConfig[]>) {
  return world({ emulator: { config: seedConfig(users), store: w.emulator.store, clock: w.clock }, seed: false });
}

const missingOf = (plan: Plan, side: "source" | "target") =>
  plan.permissions?.[side]?.missing.map((need) => `${need.action} on ${need.resource}`);

describe("the permission preflight: one plan names every missing permission, and the policy that fixes it", () => {
  test("a target user with rds:* but no KMS: exit 3, every denial named, a policy that makes the next plan clean", async () => {
    const w = await world({ emulator: { config: seedConfig({ [B]: [rdsOnly(OPERATOR)] }) } });
    const { code, plan } = await planAs(w, ADMIN[A]!, OPERATOR, ["--verify-data"]);
    assert.equal(code, EXIT.blocked);
    assert.deepEqual(missingOf(plan, "target"), ["kms:ListAliases on *"]);
    assert.equal(plan.permissions?.source, undefined, "the source admin misses nothing");
    const target = plan.permissions!.target!;
    assert.equal(target.caller, `arn:aws:iam::${B}:user/operator`);
    assert.equal(target.checkedBy, "denials", "a caller without iam:SimulatePrincipalPolicy: the denials decide");
    assert.ok(plan.findings.some((f) => f.code === "target-permissions-missing" && f.severity === "blocker"));

    // The policy: IAM's grammar, grouped by resource, every action the target needs (writes, via-rds KMS, data).
    const policy = target.policy;
    assert.equal(policy.Version, "2012-10-17");
    const actionsOn = (resource: string) =>
      policy.Statement.filter((s) => [s.Resource].flat().includes(resource)).flatMap((s) => s.Action);
    for (const statement of policy.Statement) {
      assert.match(statement.Sid, /^TridentMigrateTarget\d+$/);
      assert.equal(statement.Effect, "Allow");
      if (statement.Resource === "*") assert.deepEqual(statement.Action, ["kms:ListAliases"]);
    }
    assert.deepEqual(actionsOn(`arn:aws:rds:us-east-1:${B}:cluster-snapshot:${plan.names.targetCopy}`).sort(), [
      "rds:AddTagsToResource",
      "rds:CopyDBClusterSnapshot",
      "rds:DescribeDBClusterSnapshotAttributes",
      "rds:DescribeDBClusterSnapshots",
      "rds:ListTagsForResource",
      "rds:RestoreDBClusterFromSnapshot",
    ]);
    assert.deepEqual(actionsOn(w.seed!.keyArn).sort(), [
      "kms:CreateGrant",
      "kms:Decrypt",
      "kms:DescribeKey",
      "kms:ReEncryptFrom",
    ]);
    assert.deepEqual(actionsOn(`arn:aws:neptune-db:us-east-1:${B}:*/*`), ["neptune-db:GetGraphSummary"]);

    // The text names the same, and prints the policy as JSON ready to paste.
    const text = await cliAs(w, ADMIN[A]!, OPERATOR, [
      ...["plan", "--source-cluster", "orders-graph", "--journal", w.journalPath, "--verify-data"],
    ]);
    assert.equal(text.code, EXIT.blocked);
    assert.match(text.stdout, new RegExp(`Missing permissions \\(target ${B}, as arn:aws:iam::${B}:user/operator\\):`));
    assert.match(text.stdout, /\n {2}✗ kms:ListAliases on \*\n/);
    const after = text.stdout.slice(text.stdout.indexOf("  Policy to attach to "));
    const printed = after.slice(after.indexOf("\n") + 1, after.indexOf("\n    }\n") + 6);
    assert.deepEqual(JSON.parse(printed), policy);

    // Attached (the user's policy in the config), the next plan is clean.
    const fixed = await withConfig(w, { [B]: [rdsOnly(OPERATOR, policy)] });
    const again = await planAs(fixed, ADMIN[A]!, OPERATOR, ["--verify-data"]);
    assert.equal(again.plan.permissions, undefined);
    assert.deepEqual(
      again.plan.findings.filter((f) => f.severity === "blocker"),
      [],
    );
    assert.equal(again.code, EXIT.ok);
  });

  test("a caller who may simulate: IAM's simulation names exactly what is missing, writes included", async () => {
    const simulating = allow(["rds:*", "iam:SimulatePrincipalPolicy"]);
    const w = await world({ emulator: { config: seedConfig({ [B]: [rdsOnly(OPERATOR, simulating)] }) } });
    const { code, plan } = await planAs(w, ADMIN[A]!, OPERATOR, ["--verify-data"]);
    assert.equal(code, EXIT.blocked);
    const target = plan.permissions!.target!;
    assert.equal(target.checkedBy, "simulation");
    const missing = missingOf(plan, "target")!;
    // Apply's KMS writes on the source key (the copy "via rds"), which no read of plan exercises, are named.
    for (const action of ["kms:CreateGrant", "kms:Decrypt", "kms:ReEncryptFrom"])
      assert.ok(missing.includes(`${action} on ${w.seed!.keyArn}`), `${action} on the source key: ${missing}`);
    assert.ok(missing.includes(`neptune-db:GetGraphSummary on arn:aws:neptune-db:us-east-1:${B}:*/*`));
    assert.deepEqual(
      missing.filter((need) => need.startsWith("rds:")),
      [],
      "rds:* allows every rds action: none is missing",
    );
    // The policy grants exactly what is missing; with it added, the next plan is clean.
    assert.deepEqual(
      target.policy.Statement.flatMap((s) => s.Action).sort(),
      [...new Set(missing.map((need) => need.split(" on ")[0]!))].sort(),
    );
    const both = { Version: "2012-10-17", Statement: [...simulating.Statement, ...target.policy.Statement] };
    const fixed = await withConfig(w, { [B]: [rdsOnly(OPERATOR, both)] });
    const again = await planAs(fixed, ADMIN[A]!, OPERATOR, ["--verify-data"]);
    assert.equal(again.plan.permissions, undefined);
    assert.equal(again.code, EXIT.ok);
  });

  test("a source user with rds:* but no KMS: the key's reads named on the key's ARN; its policy makes plan clean", async () => {
    const w = await world({ emulator: { config: seedConfig({ [A]: [rdsOnly(SOURCE_OPERATOR)] }) } });
    const { code, plan } = await planAs(w, SOURCE_OPERATOR, ADMIN[B]!);
    assert.equal(code, EXIT.blocked);
    assert.deepEqual(missingOf(plan, "source"), [`kms:DescribeKey on ${w.seed!.keyArn}`]);
    assert.equal(plan.permissions?.target, undefined);
    const policy = plan.permissions!.source!.policy;
    const onKey = policy.Statement.filter((s) => [s.Resource].flat().includes(w.seed!.keyArn));
    assert.deepEqual(onKey.flatMap((s) => s.Action).sort(), [
      "kms:CreateGrant",
      "kms:DescribeKey",
      "kms:GetKeyPolicy",
      "kms:PutKeyPolicy",
    ]);
    assert.ok(
      policy.Statement.some(
        (s) =>
          [s.Resource].flat().includes(`arn:aws:rds:us-east-1:${A}:cluster:orders-graph`) &&
          s.Action.includes("rds:CreateDBClusterSnapshot"),
      ),
    );
    // The key-policy gap stays a separate finding (the source key's policy, not the caller's): unknown here.
    const fixed = await withConfig(w, { [A]: [rdsOnly(SOURCE_OPERATOR, policy)] });
    const again = await planAs(fixed, SOURCE_OPERATOR, ADMIN[B]!);
    assert.equal(again.plan.permissions, undefined);
    assert.equal(again.code, EXIT.ok);
    assert.ok(again.plan.findings.some((f) => f.code === "key-policy-missing-target" && f.severity === "handled"));
  });

  test("both sides missing permissions: one run names both, one policy each", async () => {
    const w = await world({
      emulator: { config: seedConfig({ [A]: [rdsOnly(SOURCE_OPERATOR)], [B]: [rdsOnly(OPERATOR)] }) },
    });
    const { code, plan } = await planAs(w, SOURCE_OPERATOR, OPERATOR);
    assert.equal(code, EXIT.blocked);
    assert.deepEqual(missingOf(plan, "source"), [`kms:DescribeKey on ${w.seed!.keyArn}`]);
    assert.deepEqual(missingOf(plan, "target"), ["kms:ListAliases on *"]);
    assert.deepEqual(
      plan.findings.filter((f) => f.code.endsWith("-permissions-missing")).map((f) => f.code),
      ["source-permissions-missing", "target-permissions-missing"],
    );
  });

  test("a fleet: each cluster's key named, one policy per side covering every cluster", async () => {
    const w = await world({ emulator: { config: seedConfig({ [A]: [rdsOnly(SOURCE_OPERATOR)] }) } });
    const audit = await buildSeed(w.clients.source, A, {
      sleep: async (ms: number) => w.clock.advance(ms),
      pollMs: 1000,
      clusterId: "audit-graph",
    });
    const journalDir = join(dirname(w.journalPath), "journals");
    const args = ["plan", "--source-cluster", "orders-graph", "--source-cluster", "audit-graph"];
    const out = await cliAs(w, SOURCE_OPERATOR, ADMIN[B]!, [...args, "--journal-dir", journalDir, "--output", "json"]);
    assert.equal(out.code, EXIT.blocked);
    const fleet = (JSON.parse(out.stdout) as { fleet: { permissions: PermissionReport } }).fleet;
    const source = fleet.permissions.source!;
    assert.deepEqual(
      source.missing.map((need) => `${need.action} on ${need.resource}`),
      [`kms:DescribeKey on ${w.seed!.keyArn}`, `kms:DescribeKey on ${audit.keyArn}`].sort(),
    );
    assert.equal(fleet.permissions.target, undefined);
    const resources = new Set(source.policy.Statement.flatMap((statement) => [statement.Resource].flat()));
    for (const resource of [
      w.seed!.keyArn,
      audit.keyArn,
      `arn:aws:rds:us-east-1:${A}:cluster:orders-graph`,
      `arn:aws:rds:us-east-1:${A}:cluster:audit-graph`,
    ])
      assert.ok(resources.has(resource), resource);
    const text = await cliAs(w, SOURCE_OPERATOR, ADMIN[B]!, [...args, "--journal-dir", journalDir]);
    const fleetPart = text.stdout.slice(text.stdout.indexOf("━━ the fleet ━━"));
    assert.match(fleetPart, new RegExp(`Missing permissions \\(source ${A}, as arn:aws:iam::${A}:user/operator\\):`));
  });

  test("a denial by another account's key policy is that key's finding (R9), not a permission the caller misses", async () => {
    const w = await world();
    const { plan } = await runPlan(w.run({ targetKmsKey: w.seed!.keyArn }));
    assert.equal(plan.permissions, undefined);
    assert.deepEqual(
      plan.findings.filter((f) => f.severity === "blocker").map((f) => f.code),
      ["target-key-unusable"],
    );
    assert.match(
      findingOf(plan, "target-key-unusable")!.message,
      /no resource-based policy allows the kms:DescribeKey/,
    );
  });

  test("callers that miss nothing get no permission section", async () => {
    const w = await world();
    const { code, plan, stdout } = await planAs(w, ADMIN[A]!, ADMIN[B]!);
    assert.equal(code, EXIT.ok);
    assert.equal(plan.permissions, undefined);
    assert.doesNotMatch(stdout, /permissions/);
  });

  test("the principal simulated: a user as it is, an assumed role's session as its role, root none", () => {
    assert.equal(simulationPrincipal(`arn:aws:iam::${A}:user/ops/alice`), `arn:aws:iam::${A}:user/ops/alice`);
    assert.equal(simulationPrincipal(`arn:aws:sts::${B}:assumed-role/migrator/s1`), `arn:aws:iam::${B}:role/migrator`);
    assert.equal(simulationPrincipal(`arn:aws:iam::${A}:root`), undefined);
    assert.equal(simulationPrincipal(`arn:aws:sts::${A}:federated-user/bob`), undefined);
  });

  test("docs/migrate-permissions.md names every action of the table", () => {
    const doc = readFileSync(fileURLToPath(new URL("../../../docs/migrate-permissions.md", import.meta.url)), "utf8");
    const absent = tableActions().filter((action) => !doc.includes(`\`${action}\``));
    assert.deepEqual(absent, []);
  });
});
