import { CreateDBClusterSnapshotCommand } from "@aws-sdk/client-neptune";
import { MigrateError } from "../errors.js";
import type { Step } from "./context.js";
import { createAndWait, tagsParam } from "./create-once.js";

/** Procedure step 1: a manual snapshot of the source cluster, tagged like the cluster, then wait for it. */
export const snapshot: Step = {
  id: "snapshot",
  run(ctx) {
    const name = ctx.plan.names.sourceManualSnapshot!;
    const cluster = ctx.inputs.sourceCluster!;
    const neptune = ctx.clients.source.neptune;
    return createAndWait(
      ctx,
      {
        kind: "snapshot",
        neptune,
        id: name,
        claim: "sourceManualSnapshot",
        notOurs: (existing) =>
          existing.DBClusterIdentifier === cluster
            ? undefined
            : new MigrateError(
                `a snapshot named ${name} exists but is of cluster ${existing.DBClusterIdentifier}`,
                "delete or rename it, or pick another --target-cluster",
              ),
        create: () =>
          neptune.send(
            new CreateDBClusterSnapshotCommand({
              DBClusterSnapshotIdentifier: name,
              DBClusterIdentifier: cluster,
              ...tagsParam(ctx.plan.spec.SnapshotTags),
            }),
          ),
      },
      `created ${name}`,
    );
  },
};
