import { DescribeKeyCommand } from "@aws-sdk/client-kms";
import { readCluster, readInstance } from "../discover.js";
import { EXIT, MigrateError } from "../errors.js";
import { formatTags } from "../plan.js";
import { RESOURCES, waitUntilReady } from "../resources.js";
import type { Step, StepContext, VerifyCheck } from "./context.js";

/**
 * The result, read back from the target: cluster and instances available, encrypted with the target key, the
 * source's engine version and parameter group, and every tag of the source cluster.
 */
export const verify: Step = {
  id: "verify",
  async run(ctx) {
    await waitOutBackup(ctx);
    const checks = await verification(ctx);
    ctx.state.verification = checks;
    for (const check of checks)
      ctx.reporter.note(
        `${check.ok ? "ok  " : "FAIL"} ${check.check}: ${check.actual}${check.ok ? "" : ` (expected ${check.expected})`}`,
      );
    const failed = checks.filter((check) => !check.ok);
    if (failed.length > 0) {
      throw new MigrateError(
        `the restored cluster did not verify: ${failed.map((check) => check.check).join(", ")}`,
        "see the checks above; fix the target by hand or delete it and run apply again",
        EXIT.verifyFailed,
      );
    }
    return { changed: false, detail: `${checks.length} checks passed` };
  },
};

/**
 * A restored cluster serves while it takes its first automated backup (`backing-up`), so the restore step only
 * waits until then; the result is checked once the cluster is `available`, as it then stays. Real AWS clusters
 * do the same. Other states are left to the checks, which report them.
 */
async function waitOutBackup(ctx: StepContext): Promise<void> {
  const id = ctx.plan.names.targetCluster;
  const neptune = ctx.clients.target.neptune;
  const cluster = await RESOURCES.cluster.read(neptune, id);
  if (cluster?.Status !== "backing-up") return;
  ctx.reporter.note(`${id} is backing-up (an automated backup is running); waiting until it is available`);
  await waitUntilReady(neptune, "cluster", id, ctx.wait, ctx.reporter.progress, ["available"]);
}

async function expectedKeyArn(ctx: StepContext): Promise<string | undefined> {
  if (ctx.state.targetKeyArn) return ctx.state.targetKeyArn;
  if (ctx.plan.spec.KmsKeyArn) return ctx.plan.spec.KmsKeyArn;
  try {
    return (await ctx.clients.target.kms.send(new DescribeKeyCommand({ KeyId: ctx.inputs.targetKmsKey }))).KeyMetadata
      ?.Arn;
  } catch {
    return undefined;
  }
}

async function verification(ctx: StepContext): Promise<VerifyCheck[]> {
  const { names, spec } = ctx.plan;
  const neptune = ctx.clients.target.neptune;
  const cluster = await readCluster(neptune, names.targetCluster);
  if (!cluster) return [{ check: "cluster exists", ok: false, expected: names.targetCluster, actual: "not found" }];
  const checks: VerifyCheck[] = [];
  const add = (check: string, ok: boolean, expected: string, actual: string) =>
    checks.push({ check, ok, expected, actual });

  add("cluster status", cluster.Status === "available", "available", cluster.Status);
  const keyArn = await expectedKeyArn(ctx);
  add("encrypted", cluster.StorageEncrypted, "StorageEncrypted true", `StorageEncrypted ${cluster.StorageEncrypted}`);
  add(
    "KMS key",
    keyArn !== undefined && cluster.KmsKeyId === keyArn,
    keyArn ?? ctx.inputs.targetKmsKey,
    cluster.KmsKeyId ?? "(none)",
  );
  if (spec.EngineVersion)
    add(
      "engine version",
      cluster.EngineVersion === spec.EngineVersion,
      spec.EngineVersion,
      cluster.EngineVersion ?? "(none)",
    );
  if (spec.DBClusterParameterGroupName) {
    add(
      "parameter group",
      cluster.DBClusterParameterGroup === spec.DBClusterParameterGroupName,
      spec.DBClusterParameterGroupName,
      cluster.DBClusterParameterGroup ?? "(none)",
    );
  }
  const missingTags = spec.ClusterTags.filter(
    (tag) => !cluster.Tags.some((have) => have.Key === tag.Key && have.Value === tag.Value),
  );
  add("tags", missingTags.length === 0, formatTags(spec.ClusterTags), formatTags(cluster.Tags));
  for (const planned of names.targetInstances) {
    const instance = await readInstance(neptune, planned.DBInstanceIdentifier);
    const ok = instance?.DBInstanceStatus === "available" && instance.DBClusterIdentifier === names.targetCluster;
    add(
      `instance ${planned.DBInstanceIdentifier}`,
      ok,
      `available in ${names.targetCluster}`,
      instance
        ? `${instance.DBInstanceStatus} in ${instance.DBClusterIdentifier ?? "(none)"}, ${instance.DBInstanceClass}`
        : "not found",
    );
  }
  return checks;
}
