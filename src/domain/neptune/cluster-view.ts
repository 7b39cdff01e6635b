import type { DBCluster } from "../../generated/neptune.js";
import { overlay, settle } from "../../protocol/settled.js";
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

/**
 * The cluster as DescribeDBClusters shows it now: an overlay (settled.ts) of its settled view with the members that
 * move with the clock (its status and restorable window); `overlay(view, changes)` makes a changed one.
 */
export function clusterView(
  scope: NeptuneScope,
  cluster: ClusterRecord,
  members: readonly InstanceRecord[] = membersOf(scope, cluster.DBClusterIdentifier),
): DBCluster {
  return clusterViews(scope)(cluster, members);
}

/**
 * The views of a page of clusters: what decides whether a settled view still holds is read once for the page, so
 * the caller must change nothing between the views it asks for.
 *
 * Two layers over the settled view: its status (settled too, and kept while the status stays: it changes with a
 * transition, not with every request), and the restorable window, which moves with the clock and so is the only
 * part written per response.
 */
export function clusterViews(
  scope: NeptuneScope,
): (cluster: ClusterRecord, members: readonly InstanceRecord[]) => DBCluster {
  const inputs = settledInputs(scope);
  return (cluster, members) => {
    const status = clusterStatus(scope, cluster);
    const settled = settledView(scope, inputs, cluster, members);
    const kept = settledViews.get(cluster) === settled;
    const view = statusView(settled, status, kept);
    const availableAt = clusterAvailableAt(cluster, scope.delays);
    if (status === "creating" || scope.now < availableAt) return view;
    const earliest = Math.max(availableAt, scope.now - cluster.BackupRetentionPeriod * DAY_MS);
    // Made per response and never kept: an overlay kept on the long-lived settled view outlives the young
    // generation and piles up in the old one (100,000 clusters: RSS 760 MiB → 1.5 GiB after a few minutes of pages).
    return overlay(view, { EarliestRestorableTime: new Date(earliest), LatestRestorableTime: new Date(scope.now) });
  };
}

/** The settled view with its status laid over: kept (and settled) with a kept view while the status stays. */
function statusView(settled: SettledView, status: string, kept: boolean): Readonly<DBCluster> {
  if (settled.withStatus?.Status === status) return settled.withStatus;
  const view = overlay(settled.view, { Status: status });
  if (!kept) return view;
  return (settled.withStatus = settle(view));
}

/**
 * What a view shows that does not move with the clock is built once per record and reused while the record, its
 * members, the cluster parameter groups (members' apply status) and the endpoints' hosts are as they were (the
 * tables' generations say so: any row handed out for writing moves them), so a page of unchanged clusters builds
 * no views anew. Settled (frozen, and its bytes written once), since it is shared.
 */
interface SettledInputs {
  clusters: number;
  instances: number;
  /** The members' parameter group status follows the cluster's group (clusterParameterApplyStatus). */
  groups: number;
  delays: NeptuneScope["delays"];
  host: string;
  readerHost: string;
}

interface SettledView {
  /** Settled when kept; a plain value when made for one description (settledView). */
  view: Readonly<DBCluster>;
  inputs: SettledInputs;
  members: readonly InstanceRecord[];
  /** The view with its last status laid over (settled too). */
  withStatus?: Readonly<DBCluster>;
}

const settledViews = new WeakMap<ClusterRecord, SettledView>();
/**
 * Records whose view was built once and not kept: a view (and the bytes the serializer caches for it) is kept from
 * a record's second description on, so that records described once (the answer to their own CreateDBCluster, a
 * listing read once) hold no view for as long as they live: about 2 KB each, 200 MB at 100,000 clusters.
 */
const describedOnce = new WeakSet<ClusterRecord>();

function settledInputs(scope: NeptuneScope): SettledInputs {
  const { host, readerHost } = scope.ports.config;
  return {
    clusters: clusterTable(scope.store, scope.accountId, scope.region).generation,
    instances: instanceTable(scope.store, scope.accountId, scope.region).generation,
    groups: clusterParameterGroupsGeneration(scope),
    delays: scope.delays,
    host,
    readerHost,
  };
}

function sameInputs(x: SettledInputs, y: SettledInputs): boolean {
  return (
    x === y ||
    (x.clusters === y.clusters &&
      x.instances === y.instances &&
      x.groups === y.groups &&
      x.delays === y.delays &&
      x.host === y.host &&
      x.readerHost === y.readerHost)
  );
}

/** The record's settled view: the one kept while its inputs hold, else built anew (and kept from its second time). */
function settledView(
  scope: NeptuneScope,
  inputs: SettledInputs,
  cluster: ClusterRecord,
  members: readonly InstanceRecord[],
): SettledView {
  const known = settledViews.get(cluster);
  if (
    known &&
    sameInputs(known.inputs, inputs) &&
    (known.members === members ||
      (known.members.length === members.length && known.members.every((member, i) => member === members[i])))
  ) {
    known.inputs = inputs; // the next page compares by identity first
    return known;
  }
  const built = buildSettledView(scope, cluster, members);
  if (!known && !describedOnce.has(cluster)) {
    describedOnce.add(cluster);
    // Not kept, so not settled: a settled value and the serializer's template of it are registered in weak tables
    // (settled.ts, query.ts) that V8 never shrinks once their keys die. Settling the answer to each CreateDBCluster
    // left them sized by every cluster ever created (128K slots at 100,000 clusters, nearly all empty), and a page's
    // hundreds of lookups in them missed the caches, where a server of 1,000 clusters' tables fit.
    return { view: built, inputs, members };
  }
  // A frozen list (membersForShowing's, kept per generation) is compared by identity next time; others are copied.
  const settled: SettledView = {
    view: settle(built),
    inputs,
    members: Object.isFrozen(members) ? members : [...members],
  };
  settledViews.set(cluster, settled);
  return settled;
}

function buildSettledView(scope: NeptuneScope, cluster: ClusterRecord, members: readonly InstanceRecord[]): DBCluster {
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
  members?: readonly InstanceRecord[],
): DBCluster {
  const view = clusterView(scope, cluster, members);
  if (!started || view.Status === "deleting" || view.Status === "inaccessible-encryption-credentials") return view;
  if (cluster.activity.kind !== "creating") return overlay(view, { Status: cluster.activity.kind });
  return overlay(view, { Status: "creating", EarliestRestorableTime: undefined, LatestRestorableTime: undefined });
}
