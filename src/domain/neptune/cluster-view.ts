import type { DBCluster } from "../../generated/neptune.js";
import { clusterArn } from "./arn.js";
import { clusterParameterApplyStatus } from "./data-plane/streams-settings.js";
import { clusterEndpoint, hostedZoneId, readerEndpoint } from "./endpoints.js";
import { globalMembershipView } from "./global-clusters-members.js";
import { clusterAvailableAt, clusterStatus, DAY_MS, type NeptuneScope } from "./lifecycle.js";
import { membersOf } from "./lookups.js";
import { clusterParameterGroupsGeneration } from "./parameter-groups.js";
import { clusterTable, instanceTable, type ClusterRecord, type InstanceRecord } from "./records.js";

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
  const view: DBCluster = { ...settledView(scope, cluster, members), Status: status };
  if (status !== "creating" && scope.now >= availableAt) {
    view.EarliestRestorableTime = new Date(Math.max(availableAt, scope.now - cluster.BackupRetentionPeriod * DAY_MS));
    view.LatestRestorableTime = new Date(scope.now);
  }
  return view;
}

/**
 * What a view shows that does not move with the clock: built once per record and reused while the record, its
 * members, the cluster parameter groups (members' apply status) and the endpoints' host are as they were (the tables' generations say so: any row handed out for
 * writing moves them), so a page of unchanged clusters builds no views anew. Frozen, since it is shared.
 */
interface SettledView {
  view: Readonly<DBCluster>;
  clusters: number;
  instances: number;
  /** The members' parameter group status follows the cluster's group (clusterParameterApplyStatus). */
  groups: number;
  members: readonly InstanceRecord[];
  delays: NeptuneScope["delays"];
  host: string;
  readerHost: string;
}

const settledViews = new WeakMap<ClusterRecord, SettledView>();

function settledView(scope: NeptuneScope, cluster: ClusterRecord, members: InstanceRecord[]): Readonly<DBCluster> {
  const clusters = clusterTable(scope.store, scope.accountId, scope.region).generation;
  const instances = instanceTable(scope.store, scope.accountId, scope.region).generation;
  const groups = clusterParameterGroupsGeneration(scope);
  const { host, readerHost } = scope.ports.config;
  const known = settledViews.get(cluster);
  if (
    known &&
    known.clusters === clusters &&
    known.instances === instances &&
    known.groups === groups &&
    known.delays === scope.delays &&
    known.host === host &&
    known.readerHost === readerHost &&
    known.members.length === members.length &&
    known.members.every((member, i) => member === members[i])
  )
    return known.view;
  const view = deepFreeze(buildSettledView(scope, cluster, members));
  settledViews.set(cluster, {
    view,
    clusters,
    instances,
    groups,
    members: [...members],
    delays: scope.delays,
    host,
    readerHost,
  });
  return view;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !(value instanceof Date) && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

function buildSettledView(scope: NeptuneScope, cluster: ClusterRecord, members: InstanceRecord[]): DBCluster {
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
    Endpoint: clusterEndpoint(scope, cluster.DBClusterIdentifier),
    ReaderEndpoint: readerEndpoint(scope, cluster.DBClusterIdentifier),
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
      DBClusterParameterGroupStatus: clusterParameterApplyStatus(scope, cluster, m),
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
