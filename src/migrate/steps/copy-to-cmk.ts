import { CopyDBClusterSnapshotCommand } from "@aws-sdk/client-neptune";
import { MigrateError } from "../errors.js";
import type { Step } from "./context.js";
import { createAndWait } from "./create-once.js";

/**
 * Inside the source account: an automated snapshot (R1) or one under `aws/rds` (R3) can't be shared, so copy it
 * to a manual snapshot under a CMK of the source first. Same-account copies may re-encrypt with another key
 * (aws-behaviour §3.4 KmsKeyId rule 3) and may copy tags (R8 concerns shared sources only).
 */
export const copyToCmk: Step = {
  id: "copy-to-cmk",
  run(ctx) {
    const name = ctx.plan.names.sourceCmkSnapshot!;
    const from =
      ctx.plan.names.sourceManualSnapshot ??
      ctx.found.givenSnapshot?.DBClusterSnapshotIdentifier ??
      ctx.inputs.sourceSnapshot!;
    const neptune = ctx.clients.source.neptune;
    const encrypted = ctx.plan.spec.SourceEncrypted;
    const keyArn = ctx.state.shareKeyArn;
    // Checked first: without the key the key-policy step can't run either, so the run stops here with the fix.
    if (encrypted && !keyArn)
      throw new MigrateError(
        "no customer-managed key to copy the snapshot under",
        "pass --source-kms-key or --create-source-key",
      );
    return createAndWait(
      ctx,
      {
        kind: "snapshot",
        neptune,
        id: name,
        claim: "sourceCmkSnapshot",
        notOurs: (existing) =>
          ctx.journal.data.created.sourceCmkSnapshot !== name &&
          existing.SourceDBClusterSnapshotArn &&
          !existing.SourceDBClusterSnapshotArn.endsWith(`:${from}`)
            ? new MigrateError(
                `a snapshot named ${name} exists but is a copy of ${existing.SourceDBClusterSnapshotArn}`,
                "delete or rename it, or pick another --target-cluster",
              )
            : undefined,
        create: () =>
          neptune.send(
            new CopyDBClusterSnapshotCommand({
              SourceDBClusterSnapshotIdentifier: from,
              TargetDBClusterSnapshotIdentifier: name,
              ...(encrypted ? { KmsKeyId: keyArn } : {}),
              CopyTags: true,
            }),
          ),
      },
      `copied ${from} to ${name}`,
    );
  },
};
