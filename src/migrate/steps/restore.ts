import { RestoreDBClusterFromSnapshotCommand } from "@aws-sdk/client-neptune";
import { MigrateError } from "../errors.js";
import type { Step } from "./context.js";
import { createAndWait, tagsParam } from "./create-once.js";

/**
 * Procedure step 5: restore the target's cluster from its own copy (R11), configured like the source (engine
 * version, parameter group, port, IAM auth, deletion protection, log exports) and tagged with the source
 * cluster's tags. An encrypted copy gives a cluster under the copy's key; an unencrypted one is encrypted on
 * restore with the target key [aws-behaviour §3.8].
 */
export const restore: Step = {
  id: "restore",
  run(ctx) {
    const { targetCluster: id, targetCopy } = ctx.plan.names;
    const spec = ctx.plan.spec;
    const neptune = ctx.clients.target.neptune;
    return createAndWait(
      ctx,
      {
        kind: "cluster",
        neptune,
        id,
        claim: "targetCluster",
        notOurs: () =>
          ctx.journal.data.created.targetCluster === id
            ? undefined
            : new MigrateError(
                `a cluster named ${id} already exists in ${ctx.found.target.Account} and this migration did not create it`,
                "pick another --target-cluster, or delete that cluster",
              ),
        create: () =>
          neptune.send(
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
          ),
      },
      `restored ${id} from ${targetCopy}`,
    );
  },
};
