import { RestoreDBClusterFromSnapshotCommand } from "@aws-sdk/client-neptune";
import { readCluster } from "../discover.js";
import { ALREADY_EXISTS, MigrateError, isAwsError } from "../errors.js";
import type { Step } from "./context.js";
import { tagsParam } from "./snapshot.js";
import { waitForCluster } from "./wait.js";

/**
 * Procedure step 5: restore the target's cluster from its own copy (R11), configured like the source (engine
 * version, parameter group, port, IAM auth, deletion protection, log exports) and tagged with the source
 * cluster's tags. An encrypted copy gives a cluster under the copy's key; an unencrypted one is encrypted on
 * restore with the target key [aws-behaviour §3.8].
 */
export const restore: Step = {
  id: "restore",
  async run(ctx) {
    const { targetCluster: id, targetCopy } = ctx.plan.names;
    const spec = ctx.plan.spec;
    const neptune = ctx.clients.target.neptune;
    const existing = await readCluster(neptune, id);
    let changed = false;
    if (existing) {
      if (ctx.journal.data.created.targetCluster !== id) {
        throw new MigrateError(
          `a cluster named ${id} already exists in ${ctx.found.target.Account} and this migration did not create it`,
          "pick another --target-cluster, or delete that cluster",
        );
      }
    } else {
      ctx.journal.claim("targetCluster", id);
      try {
        await neptune.send(
          new RestoreDBClusterFromSnapshotCommand({
            DBClusterIdentifier: id,
            SnapshotIdentifier: targetCopy,
            Engine: "neptune",
            ...(spec.EngineVersion ? { EngineVersion: spec.EngineVersion } : {}),
            ...(spec.Port !== undefined ? { Port: spec.Port } : {}),
            ...(spec.DBSubnetGroupName ? { DBSubnetGroupName: spec.DBSubnetGroupName } : {}),
            ...(spec.VpcSecurityGroupIds ? { VpcSecurityGroupIds: spec.VpcSecurityGroupIds } : {}),
            ...(spec.DBClusterParameterGroupName
              ? { DBClusterParameterGroupName: spec.DBClusterParameterGroupName }
              : {}),
            ...(spec.IAMDatabaseAuthenticationEnabled !== undefined
              ? { EnableIAMDatabaseAuthentication: spec.IAMDatabaseAuthenticationEnabled }
              : {}),
            ...(spec.DeletionProtection !== undefined ? { DeletionProtection: spec.DeletionProtection } : {}),
            ...(spec.CopyTagsToSnapshot !== undefined ? { CopyTagsToSnapshot: spec.CopyTagsToSnapshot } : {}),
            ...(spec.EnableCloudwatchLogsExports
              ? { EnableCloudwatchLogsExports: spec.EnableCloudwatchLogsExports }
              : {}),
            ...(spec.SourceEncrypted ? {} : { KmsKeyId: ctx.inputs.targetKmsKey }),
            ...tagsParam(spec.ClusterTags),
          }),
        );
      } catch (error) {
        if (isAwsError(error, ...ALREADY_EXISTS.cluster)) ctx.journal.withdraw("targetCluster", id);
        throw error;
      }
      changed = true;
    }
    await waitForCluster(ctx, neptune, id, id);
    return { changed, detail: changed ? `restored ${id} from ${targetCopy}` : `${id} already exists` };
  },
};
