import { CreateDBInstanceCommand } from "@aws-sdk/client-neptune";
import { readInstance } from "../discover.js";
import { ALREADY_EXISTS, MigrateError, isAwsError } from "../errors.js";
import type { Step } from "./context.js";
import { tagsParam } from "./snapshot.js";
import { waitForInstance } from "./wait.js";

/**
 * Procedure step 5, continued: a restored cluster has no instances (R11). Create them all (the cluster is
 * available: the restore step waited for it), like the source's members, then wait for each.
 */
export const instances: Step = {
  id: "instances",
  async run(ctx) {
    const cluster = ctx.plan.names.targetCluster;
    const neptune = ctx.clients.target.neptune;
    const created: string[] = [];
    for (const planned of ctx.plan.names.targetInstances) {
      const id = planned.DBInstanceIdentifier;
      const existing = await readInstance(neptune, id);
      if (existing) {
        if (existing.DBClusterIdentifier !== cluster) {
          throw new MigrateError(
            `an instance named ${id} already exists in ${ctx.found.target.Account}, in ${existing.DBClusterIdentifier ?? "no cluster"}`,
            "delete it, or pick another --target-cluster",
          );
        }
        continue;
      }
      ctx.journal.claimInstance(id);
      try {
        await neptune.send(
          new CreateDBInstanceCommand({
            DBInstanceIdentifier: id,
            DBInstanceClass: planned.DBInstanceClass,
            Engine: "neptune",
            DBClusterIdentifier: cluster,
            ...(planned.PromotionTier !== undefined ? { PromotionTier: planned.PromotionTier } : {}),
            ...tagsParam(planned.Tags),
          }),
        );
      } catch (error) {
        if (isAwsError(error, ...ALREADY_EXISTS.instance)) ctx.journal.withdraw("instance", id);
        throw error;
      }
      created.push(id);
    }
    for (const planned of ctx.plan.names.targetInstances) {
      await waitForInstance(ctx, neptune, planned.DBInstanceIdentifier, planned.DBInstanceIdentifier);
    }
    return {
      changed: created.length > 0,
      detail: created.length > 0 ? `created ${created.join(", ")}` : "all instances already exist",
    };
  },
};
