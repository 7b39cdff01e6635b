import { CopyDBClusterSnapshotCommand, type NeptuneClient } from "@aws-sdk/client-neptune";
import { targetInSourceRegion } from "../clients.js";
import { readSnapshot } from "../discover.js";
import { MigrateError } from "../errors.js";
import type { Claimable } from "../journal.js";
import { transitKeyOf } from "../plan.js";
import type { Step, StepContext, StepOutcome } from "./context.js";
import { createAndWait, tagsParam } from "./create-once.js";

/**
 * Procedure step 4, in the target account: copy the shared snapshot, addressed by its ARN (R5, R7), because an
 * encrypted shared snapshot can't be restored directly (R6). CopyTags stays off (R8: refused for shared
 * sources) and the source snapshot's tags are given explicitly; the copy is encrypted with the target's key (R9),
 * which works only once the source key's policy lets the target in (R10). Across Regions this copy is made in the
 * source's Region, under --transit-kms-key (an encrypted shared snapshot does not cross Regions, R12), and
 * `copy-region` (copy-region.ts) takes it across.
 */
export const copy: Step = {
  id: "copy",
  run(ctx) {
    const crossRegion = ctx.plan.names.transitCopyArn !== undefined;
    return copyOnce(ctx, {
      neptune: targetInSourceRegion(ctx.clients).neptune,
      claim: "targetCopy",
      source: ctx.plan.names.shareSnapshotArn,
      kmsKeyId: crossRegion ? transitKeyOf(ctx.inputs) : ctx.inputs.targetKmsKey,
      final: !crossRegion,
    });
  },
};

/** One of the target's copies: where, claimed as what, of which snapshot, under which key; `final`: restored from. */
export interface TargetCopy {
  neptune: NeptuneClient;
  claim: Claimable;
  source: string;
  kmsKeyId: string;
  final: boolean;
}

/** Makes the target's copy named `names.targetCopy` once (a re-run finds it), with the snapshot's tags, and waits. */
export async function copyOnce(ctx: StepContext, target: TargetCopy): Promise<StepOutcome> {
  const name = ctx.plan.names.targetCopy;
  const { neptune, source } = target;
  const outcome = await createAndWait(
    ctx,
    {
      kind: "snapshot",
      neptune,
      id: name,
      claim: target.claim,
      notOurs: (existing) =>
        existing.SourceDBClusterSnapshotArn !== source && ctx.journal.data.created[target.claim] !== name
          ? new MigrateError(
              `a snapshot named ${name} exists in ${ctx.found.target.Account} and is not a copy of ${source}`,
              "delete or rename it, or pick another --target-cluster",
            )
          : undefined,
      create: () =>
        neptune.send(
          new CopyDBClusterSnapshotCommand({
            SourceDBClusterSnapshotIdentifier: source,
            TargetDBClusterSnapshotIdentifier: name,
            ...(ctx.plan.spec.SourceEncrypted ? { KmsKeyId: target.kmsKeyId } : {}),
            CopyTags: false,
            ...tagsParam(ctx.plan.spec.SnapshotTags),
          }),
        ),
    },
    `copied ${source} to ${name}`,
  );
  // The key as AWS resolved it (`alias/aws/rds` becomes the target's key ARN): verify compares the cluster's with it.
  if (target.final) {
    const copied = await readSnapshot(neptune, name, { withDetails: false });
    if (copied?.KmsKeyId) ctx.state.targetKeyArn = copied.KmsKeyId;
  }
  return outcome;
}
