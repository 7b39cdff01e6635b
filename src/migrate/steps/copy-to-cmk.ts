import { CopyDBClusterSnapshotCommand } from "@aws-sdk/client-neptune";
import { readSnapshot } from "../discover.js";
import { ALREADY_EXISTS, MigrateError, isAwsError } from "../errors.js";
import type { Step } from "./context.js";
import { waitForSnapshot } from "./wait.js";

/**
 * Inside the source account: an automated snapshot (R1) or one under `aws/rds` (R3) can't be shared, so copy it
 * to a manual snapshot under a CMK of the source first. Same-account copies may re-encrypt with another key
 * (aws-behaviour §3.4 KmsKeyId rule 3) and may copy tags (R8 concerns shared sources only).
 */
export const copyToCmk: Step = {
  id: "copy-to-cmk",
  async run(ctx) {
    const name = ctx.plan.names.sourceCmkSnapshot!;
    const from =
      ctx.plan.names.sourceManualSnapshot ??
      ctx.found.givenSnapshot?.DBClusterSnapshotIdentifier ??
      ctx.inputs.sourceSnapshot!;
    const neptune = ctx.clients.source.neptune;
    const existing = await readSnapshot(neptune, name, { withDetails: false });
    let changed = false;
    if (existing) {
      if (
        ctx.journal.data.created.sourceCmkSnapshot !== name &&
        existing.SourceDBClusterSnapshotArn &&
        !existing.SourceDBClusterSnapshotArn.endsWith(`:${from}`)
      ) {
        throw new MigrateError(
          `a snapshot named ${name} exists but is a copy of ${existing.SourceDBClusterSnapshotArn}`,
          "delete or rename it, or pick another --target-cluster",
        );
      }
    } else {
      const encrypted = ctx.plan.spec.SourceEncrypted;
      const keyArn = ctx.state.shareKeyArn;
      if (encrypted && !keyArn)
        throw new MigrateError(
          "no customer-managed key to copy the snapshot under",
          "pass --source-kms-key or --create-source-key",
        );
      ctx.journal.claim("sourceCmkSnapshot", name);
      try {
        await neptune.send(
          new CopyDBClusterSnapshotCommand({
            SourceDBClusterSnapshotIdentifier: from,
            TargetDBClusterSnapshotIdentifier: name,
            ...(encrypted ? { KmsKeyId: keyArn } : {}),
            CopyTags: true,
          }),
        );
      } catch (error) {
        if (isAwsError(error, ...ALREADY_EXISTS.snapshot)) ctx.journal.withdraw("sourceCmkSnapshot", name);
        throw error;
      }
      changed = true;
    }
    await waitForSnapshot(ctx, neptune, name, name);
    return { changed, detail: changed ? `copied ${from} to ${name}` : `${name} already exists` };
  },
};
