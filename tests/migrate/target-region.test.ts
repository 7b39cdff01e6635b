import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateKeyCommand } from "@aws-sdk/client-kms";
import { DescribeDBClusterSnapshotsCommand, DescribeDBClustersCommand } from "@aws-sdk/client-neptune";
import { migrateMain } from "../../src/cli/migrate.js";
import { runApply, runPlan } from "../../src/migrate/apply.js";
import { runCleanup } from "../../src/migrate/cleanup.js";
import { createMigrationClients } from "../../src/migrate/clients.js";
import { readJournal } from "../../src/migrate/journal.js";
import { renderPlan } from "../../src/migrate/report.js";
import type { MigrateInputs } from "../../src/migrate/types.js";
import { ADMIN } from "../helpers/harness.js";
import { A, B, REGION, findingCodes, stepStates } from "./fixtures.js";
import { manualSnapshotIds, migrationWorlds, mutations, type MigrationWorld } from "./world.js";

/**
 * `trident migrate --target-region`: to another account and another Region in one plan. The target copies the
 * shared snapshot in the source's Region (an encrypted shared snapshot does not cross Regions, R12), then copies
 * its copy into its own Region under a key of that Region (R13), with the PreSignedUrl the SDK signs.
 */

const WEST = "us-west-2";
const world = migrationWorlds();
const COPY = `trident-orders-graph-from-${A}`;
const TRANSIT_ARN = `arn:aws:rds:${REGION}:${B}:cluster-snapshot:${COPY}`;

/** Run options for a move into us-west-2, with clients for both of the target's Regions. */
function westRun(w: MigrationWorld, overrides: Partial<MigrateInputs> = {}) {
  const inputs = { ...w.inputs, targetRegion: WEST, ...overrides };
  const clients = createMigrationClients(inputs.source, inputs.target, {
    region: inputs.region,
    targetRegion: WEST,
    ...w.clientOptions,
  });
  return { ...w.run(), inputs, clients };
}

describe("trident migrate --target-region", () => {
  test("plan adds the copy into the target Region after the copy in the source's, and changes nothing", async () => {
    const w = await world();
    const { plan } = await runPlan(westRun(w));
    assert.equal(plan.canProceed, true, JSON.stringify(plan.findings));
    assert.equal(plan.targetRegion, WEST);
    assert.equal(
      stepStates(plan),
      "snapshot:todo share:todo key-policy:todo copy:todo copy-region:todo restore:todo instances:todo verify:todo",
    );
    const crossing = plan.steps.find((step) => step.id === "copy-region")!;
    assert.deepEqual(crossing.rules, ["R12", "R13"]);
    assert.match(crossing.details[0]!, new RegExp(`SourceDBClusterSnapshotIdentifier=${TRANSIT_ARN}$`));
    const text = renderPlan(plan);
    assert.match(text, new RegExp(`^Migration ${A}-to-${B}-orders-graph \\(${REGION} to ${WEST}\\)`));
    assert.match(text, new RegExp(`copy ${COPY} from ${REGION} into ${WEST}`));
    assert.deepEqual(mutations(w.handler.calls), []);
  });

  test("apply killed after the copy in the source's Region resumes with the crossing, and a third run changes nothing", async () => {
    const w = await world();
    const run = westRun(w);
    const first = await runApply({ ...run, stopAfter: "copy" });
    assert.equal(first.status, "stopped");
    const { plan } = await runPlan(run);
    assert.equal(
      stepStates(plan),
      "snapshot:done share:done key-policy:done copy:done copy-region:todo restore:todo instances:todo verify:todo",
    );

    w.handler.calls.length = 0;
    const resumed = await runApply(run);
    assert.equal(resumed.status, "done");
    assert.deepEqual(resumed.changed, ["copy-region", "restore", "instances"]);
    assert.deepEqual(mutations(w.handler.calls), [
      `${B}:CopyDBClusterSnapshot`,
      `${B}:RestoreDBClusterFromSnapshot`,
      `${B}:CreateDBInstance`,
    ]);
    assert.ok(
      resumed.verification!.every((check) => check.ok),
      JSON.stringify(resumed.verification),
    );

    // The cluster is in B's us-west-2, under B's key there; nothing of it in B's us-east-1 but the transit copy.
    const bWest = w.clientsFor(ADMIN[B]!, WEST);
    const [cluster] = (await bWest.neptune.send(new DescribeDBClustersCommand({}))).DBClusters!;
    assert.equal(cluster!.DBClusterArn, `arn:aws:rds:${WEST}:${B}:cluster:orders-graph`);
    assert.match(cluster!.KmsKeyId!, new RegExp(`^arn:aws:kms:${WEST}:${B}:key/`));
    assert.deepEqual((await w.b.neptune.send(new DescribeDBClustersCommand({}))).DBClusters, []);
    const [westCopy] = (
      await bWest.neptune.send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: COPY }))
    ).DBClusterSnapshots!;
    assert.equal(westCopy!.SourceDBClusterSnapshotArn, TRANSIT_ARN);
    assert.deepEqual(await manualSnapshotIds(w.b.neptune), [COPY]);

    const journal = readJournal(w.journalPath)!;
    assert.equal(journal.targetRegion, WEST);
    assert.equal(journal.created.regionCopy, COPY);
    assert.ok(journal.completed.includes("copy-region"));

    w.handler.calls.length = 0;
    const again = await runApply(run);
    assert.deepEqual(again.changed, []);
    assert.deepEqual(mutations(w.handler.calls), []);

    // Cleanup deletes both of the target's intermediate copies, each in its Region.
    await runCleanup({ ...run, confirm: async () => true });
    assert.deepEqual(await manualSnapshotIds(w.b.neptune), []);
    assert.deepEqual(await manualSnapshotIds(bWest.neptune), []);
  });

  test("plan checks each of the target's keys in its Region: a key of another Region is a blocker (R13)", async () => {
    const w = await world();
    const { KeyMetadata: eastKey } = await w.b.kms.send(new CreateKeyCommand({}));
    const wrongRegion = await runPlan(westRun(w, { targetKmsKey: eastKey!.Arn! }));
    assert.equal(wrongRegion.plan.canProceed, false);
    const blocker = wrongRegion.plan.findings.find((finding) => finding.code === "target-key-unusable")!;
    assert.equal(blocker.rule, "R13");
    assert.match(blocker.message, new RegExp(`it is a key of ${REGION}, and a copy in ${WEST} needs a key of ${WEST}`));

    const bWest = w.clientsFor(ADMIN[B]!, WEST);
    const { KeyMetadata: westKey } = await bWest.kms.send(new CreateKeyCommand({}));
    const transitWrong = await runPlan(westRun(w, { targetKmsKey: westKey!.Arn!, transitKmsKey: westKey!.Arn! }));
    assert.deepEqual(findingCodes(transitWrong.plan, "blocker"), ["transit-key-unusable"]);
    const good = await runPlan(westRun(w, { targetKmsKey: westKey!.Arn!, transitKmsKey: eastKey!.Arn! }));
    assert.equal(good.plan.canProceed, true, JSON.stringify(good.plan.findings));
  });
});

describe("trident migrate: the Region from the profile's config", () => {
  /** Profiles `prod-a` and `prod-b` (the admins of A and B) in a temporary config and credentials file. */
  function profiles(region: string | undefined) {
    const dir = mkdtempSync(join(tmpdir(), "trident-profiles-"));
    const config = join(dir, "config");
    const credentials = join(dir, "credentials");
    writeFileSync(config, `[profile prod-a]\n${region ? `region = ${region}\n` : ""}[profile prod-b]\n`);
    writeFileSync(
      credentials,
      [A, B]
        .map(
          (account, index) =>
            `[prod-${"ab"[index]}]\naws_access_key_id = ${ADMIN[account]!.accessKeyId}\naws_secret_access_key = ${ADMIN[account]!.secretAccessKey}\n`,
        )
        .join(""),
    );
    return { AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials };
  }

  /** `trident migrate plan` with the profiles and no --region; the SDK's clients read the same files. */
  async function planWithProfiles(w: MigrationWorld, files: Record<string, string>, extra: string[] = []) {
    const saved = { ...process.env };
    Object.assign(process.env, files);
    delete process.env.AWS_REGION;
    delete process.env.AWS_PROFILE;
    let stdout = "";
    let stderr = "";
    try {
      const args = ["plan", "--source-cluster", "orders-graph", "--journal", w.journalPath];
      const code = await migrateMain(
        [
          ...args,
          "--source-profile",
          "prod-a",
          "--target-profile",
          "prod-b",
          "--endpoint-url",
          "http://trident.local",
          ...extra,
        ],
        {
          stdout: (text) => (stdout += text),
          stderr: (text) => (stderr += text),
          requestHandler: w.handler,
          env: { ...files, HOME: tmpdir() },
        },
      );
      return { code, stdout, stderr };
    } finally {
      process.env = saved;
    }
  }

  test("without --region the source profile's region is used; --target-region adds the crossing", async () => {
    const w = await world();
    const same = await planWithProfiles(w, profiles(REGION));
    assert.equal(same.code, 0, same.stderr);
    assert.match(same.stdout, new RegExp(`^Migration ${A}-to-${B}-orders-graph \\(${REGION}\\)`));

    const crossing = await planWithProfiles(w, profiles(REGION), ["--target-region", WEST]);
    assert.equal(crossing.code, 0, crossing.stderr);
    assert.match(crossing.stdout, new RegExp(`\\(${REGION} to ${WEST}\\)`));
    assert.match(crossing.stdout, /copy-region|from us-east-1 into us-west-2/);
  });

  test("no --region, no AWS_REGION and no region in the profile: exit 2, saying where a Region comes from", async () => {
    const w = await world();
    const none = await planWithProfiles(w, profiles(undefined));
    assert.equal(none.code, 2);
    assert.match(none.stderr, /give --region \(or set AWS_REGION\) or a region in the profile's config/);
  });
});
