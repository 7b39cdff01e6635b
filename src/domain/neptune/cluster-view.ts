import type { DBCluster } from "../../generated/neptune.js";
import { clusterArn } from "./arn.js";
import { hostedZoneId } from "./endpoints.js";
import { globalMembershipView } from "./global-clusters-members.js";
import { clusterAvailableAt, clusterStatus, DAY_MS, type NeptuneScope } from "./lifecycle.js";
import { membersOf } from "./lookups.js";
import type { ClusterRecord, InstanceRecord } from "./records.js";

/**
 * How a cluster is shown (DBCluster): its derived status, restorable window, endpoints and members. Rules cite the
 * Neptune API reference (the model's documentation) and reference §2.2.
 */

/** The cluster as DescribeDBClusters shows it now. */
export function clusterView(
  scope: NeptuneScope,
  cluster: ClusterRecord,
  members = membersOf(scope, cluster.DBClusterIdentifier),
): DBCluster {
  const status = clusterStatus(scope, cluster);
  const availableAt = clusterAvailableAt(cluster, scope.delays);
  const restorable = status !== "creating" && scope.now >= availableAt;
  const pending = cluster.pending?.identifier
    ? { PendingModifiedValues: { DBClusterIdentifier: cluster.pending.identifier } }
    : {};
  return {
    AllocatedStorage: 1,
    AvailabilityZones: [...cluster.AvailabilityZones],
    BackupRetentionPeriod: cluster.BackupRetentionPeriod,
    DBClusterIdentifier: cluster.DBClusterIdentifier,
    DBClusterParameterGroup: cluster.DBClusterParameterGroup,
    DBSubnetGroup: cluster.DBSubnetGroup,
    Status: status,
    ...(restorable
      ? {
          EarliestRestorableTime: new Date(Math.max(availableAt, scope.now - cluster.BackupRetentionPeriod * DAY_MS)),
          LatestRestorableTime: new Date(scope.now),
        }
      : {}),
    Endpoint: scope.ports.config.host,
    ReaderEndpoint: scope.ports.config.readerHost,
    // MultiAZ: true once the cluster has a reader in another Availability Zone than its writer.
    MultiAZ: new Set(members.map((m) => m.AvailabilityZone)).size > 1,
    Engine: cluster.Engine,
    EngineVersion: cluster.EngineVersion,
    Port: cluster.Port,
    MasterUsername: cluster.MasterUsername,
    PreferredBackupWindow: cluster.PreferredBackupWindow,
    PreferredMaintenanceWindow: cluster.PreferredMaintenanceWindow,
    ReadReplicaIdentifiers: [],
    DBClusterMembers: members.map((m) => ({
      DBInstanceIdentifier: m.DBInstanceIdentifier,
      IsClusterWriter: cluster.writer === m.DBInstanceIdentifier,
      DBClusterParameterGroupStatus: "in-sync",
      PromotionTier: m.PromotionTier,
    })),
    VpcSecurityGroups: cluster.VpcSecurityGroupIds.map((id) => ({ VpcSecurityGroupId: id, Status: "active" })),
    HostedZoneId: hostedZoneId(scope.region),
    StorageEncrypted: cluster.StorageEncrypted,
    ...(cluster.StorageEncrypted && cluster.KmsKeyId ? { KmsKeyId: cluster.KmsKeyId } : {}),
    DbClusterResourceId: cluster.DbClusterResourceId,
    DBClusterArn: clusterArn(scope.region, scope.accountId, cluster.DBClusterIdentifier),
    AssociatedRoles: cluster.AssociatedRoles.map((role) => ({
      RoleArn: role.RoleArn,
      Status: "ACTIVE",
      ...(role.FeatureName ? { FeatureName: role.FeatureName } : {}),
    })),
    IAMDatabaseAuthenticationEnabled: cluster.IAMDatabaseAuthenticationEnabled,
    ClusterCreateTime: new Date(cluster.ClusterCreateTime),
    CopyTagsToSnapshot: cluster.CopyTagsToSnapshot,
    ...(cluster.EnabledCloudwatchLogsExports.length > 0
      ? { EnabledCloudwatchLogsExports: [...cluster.EnabledCloudwatchLogsExports] }
      : {}),
    ...pending,
    DeletionProtection: cluster.DeletionProtection,
    CrossAccountClone: false,
    ...globalMembershipView(scope, cluster),
    ...(cluster.ServerlessV2ScalingConfiguration
      ? { ServerlessV2ScalingConfiguration: { ...cluster.ServerlessV2ScalingConfiguration } }
      : {}),
    // "When set to standard, the storage type is not returned in the response." (API reference, StorageType)
    ...(cluster.StorageType !== "standard" ? { StorageType: cluster.StorageType } : {}),
  };
}

/**
 * The cluster as the response to the call that changed it shows it: a transition begun by this very request is
 * reported even when the delays make it instant (AWS answers CreateDBCluster with `creating`, StopDBCluster with
 * `stopping` …); the next read derives the status from the clock as usual.
 */
export function responseView(
  scope: NeptuneScope,
  cluster: ClusterRecord,
  started: boolean,
  members?: InstanceRecord[],
): DBCluster {
  const view = clusterView(scope, cluster, members);
  if (!started || view.Status === "deleting" || view.Status === "inaccessible-encryption-credentials") return view;
  if (cluster.activity.kind !== "creating") return { ...view, Status: cluster.activity.kind };
  const creating: DBCluster = { ...view, Status: "creating" };
  delete creating.EarliestRestorableTime;
  delete creating.LatestRestorableTime;
  return creating;
}
