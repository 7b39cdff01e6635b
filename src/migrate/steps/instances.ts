import { CreateDBInstanceCommand } from "@aws-sdk/client-neptune";
import { MigrateError } from "../errors.js";
import { waitUntilReady } from "../resources.js";
import type { Step } from "./context.js";
import { createOnce, tagsParam } from "./create-once.js";

/**
 * Procedure step 5, continued: a restored cluster has no instances (R11). Create them all (the cluster is
 * available: the restore step waited for it), like the source's members, then wait for each; AWS creates them
 * side by side meanwhile.
 */
export const instances: Step = {
  id: "instances",
  async run(ctx) {
    const cluster = ctx.plan.names.targetCluster;
    const neptune = ctx.clients.target.neptune;
    const created: string[] = [];
    for (const planned of ctx.plan.names.targetInstances) {
      const id = planned.DBInstanceIdentifier;
      const createdNow = await createOnce(ctx.journal, {
        kind: "instance",
        neptune,
        id,
        claim: "instance",
        notOurs: (existing) =>
          existing.DBClusterIdentifier === cluster
            ? undefined
            : new MigrateError(
                `an instance named ${id} already exists in ${ctx.found.target.Account}, in ${existing.DBClusterIdentifier ?? "no cluster"}`,
                "delete it, or pick another --target-cluster",
              ),
        create: () =>
          neptune.send(
            new CreateDBInstanceCommand({
              DBInstanceIdentifier: id,
              DBInstanceClass: planned.DBInstanceClass,
              Engine: "neptune",
              DBClusterIdentifier: cluster,
              ...(planned.PromotionTier !== undefined ? { PromotionTier: planned.PromotionTier } : {}),
              ...tagsParam(planned.Tags),
            }),
          ),
      });
      if (createdNow) created.push(id);
    }
    for (const { DBInstanceIdentifier: id } of ctx.plan.names.targetInstances)
      await waitUntilReady(neptune, "instance", id, ctx.wait, ctx.reporter.progress);
    return {
      changed: created.length > 0,
      detail: created.length > 0 ? `created ${created.join(", ")}` : "all instances already exist",
    };
  },
};
