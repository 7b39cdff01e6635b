import { CopyDBClusterSnapshotCommand } from "@aws-sdk/client-neptune";
import { readSnapshot } from "../discover.js";
import { MigrateError } from "../errors.js";
import type { Step } from "./context.js";
import { createAndWait, tagsParam } from "./create-once.js";

/**
 * Procedure step 4, in the target account: copy the shared snapshot, addressed by its ARN (R5, R7), because an
 * encrypted shared snapshot can't be restored directly (R6). CopyTags stays off (R8: refused for shared
 * sources) and the source snapshot's tags are given explicitly; the copy is encrypted with the target's key (R9),
 * which works only once the source key's policy lets the target in (R10).
 */
export const copy: Step = {
  id: "copy",
  async run(ctx) {
    const { targetCopy: name, shareSnapshotArn } = ctx.plan.names;
    const neptune = ctx.clients.target.neptune;
    const outcome = await createAndWait(
      ctx,
      {
        kind: "snapshot",
        neptune,
        id: name,
        claim: "targetCopy",
        notOurs: (existing) =>
          existing.SourceDBClusterSnapshotArn !== shareSnapshotArn && ctx.journal.data.created.targetCopy !== name
            ? new MigrateError(
                `a snapshot named ${name} exists in ${ctx.found.target.Account} and is not a copy of ${shareSnapshotArn}`,
                "delete or rename it, or pick another --target-cluster",
              )
            : undefined,
        create: () =>
          neptune.send(
            new CopyDBClusterSnapshotCommand({
              SourceDBClusterSnapshotIdentifier: shareSnapshotArn,
              TargetDBClusterSnapshotIdentifier: name,
              ...(ctx.plan.spec.SourceEncrypted ? { KmsKeyId: ctx.inputs.targetKmsKey } : {}),
              CopyTags: false,
              ...tagsParam(ctx.plan.spec.SnapshotTags),
            }),
          ),
      },
      `copied ${shareSnapshotArn} to ${name}`,
    );
    // The key as AWS resolved it (`alias/aws/rds` becomes the target's key ARN): verify compares the cluster's with it.
    const copied = await readSnapshot(neptune, name, { withDetails: false });
    if (copied?.KmsKeyId) ctx.state.targetKeyArn = copied.KmsKeyId;
    return outcome;
  },
};
