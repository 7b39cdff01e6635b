import { CreateDBClusterSnapshotCommand } from "@aws-sdk/client-neptune";
import { readSnapshot } from "../discover.js";
import { ALREADY_EXISTS, MigrateError, isAwsError } from "../errors.js";
import type { Step } from "./context.js";
import { waitForSnapshot } from "./wait.js";

/** Procedure step 1: a manual snapshot of the source cluster, tagged like the cluster, then wait for it. */
export const snapshot: Step = {
  id: "snapshot",
  async run(ctx) {
    const name = ctx.plan.names.sourceManualSnapshot!;
    const cluster = ctx.inputs.sourceCluster!;
    const neptune = ctx.clients.source.neptune;
    const existing = await readSnapshot(neptune, name, { withDetails: false });
    let changed = false;
    if (existing) {
      if (existing.DBClusterIdentifier !== cluster) {
        throw new MigrateError(
          `a snapshot named ${name} exists but is of cluster ${existing.DBClusterIdentifier}`,
          "delete or rename it, or pick another --target-cluster",
        );
      }
    } else {
      ctx.journal.claim("sourceManualSnapshot", name);
      try {
        await neptune.send(
          new CreateDBClusterSnapshotCommand({
            DBClusterSnapshotIdentifier: name,
            DBClusterIdentifier: cluster,
            ...tagsParam(ctx.plan.spec.SnapshotTags),
          }),
        );
      } catch (error) {
        if (isAwsError(error, ...ALREADY_EXISTS.snapshot)) ctx.journal.withdraw("sourceManualSnapshot", name);
        throw error;
      }
      changed = true;
    }
    await waitForSnapshot(ctx, neptune, name, name);
    return { changed, detail: changed ? `created ${name}` : `${name} already exists` };
  },
};

export function tagsParam(tags: { Key: string; Value: string }[]): { Tags?: { Key: string; Value: string }[] } {
  return tags.length > 0 ? { Tags: tags.map(({ Key, Value }) => ({ Key, Value })) } : {};
}
