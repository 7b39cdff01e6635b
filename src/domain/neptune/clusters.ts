import { randomId } from "../../auth/ids.js";
import type {
  CloudwatchLogsExportConfiguration,
  CreateDBClusterMessage,
  DBCluster,
  DeleteDBClusterMessage,
  DescribeDBClustersMessage,
  FailoverDBClusterMessage,
  ModifyDBClusterMessage,
  Tag,
} from "../../generated/neptune.js";
import { CommonErrors } from "../../protocol/errors.js";
import { neptuneFault } from "../../services/neptune/errors.js";
import { clusterArn } from "./arn.js";
import { deleteAutomatedSnapshots } from "./backups.js";
import { checkEngineName, compareVersions, defaultParameterGroupName, ENGINE, majorVersionOf } from "./catalogue.js";
import {
  checkBackupRetention,
  checkClusterIdFree,
  checkEngineVersion,
  checkLogTypes,
  checkStorageType,
  clusterSettings,
  type ClusterSettings,
} from "./cluster-settings.js";
import { requireUsable, wrongClusterState } from "./cluster-state.js";
import {
  globalClusterToJoin,
  joinGlobalCluster,
  MEMBER_DELETE,
  MEMBER_UPGRADE,
  refuseIfMember,
} from "./global-clusters-members.js";
import { refuseReadReplicaSource } from "./global-clusters-replicas.js";
import { clusterView, clusterViews, responseView } from "./cluster-view.js";
import { validIdentifier } from "./identifiers.js";
import {
  announce,
  clusterAvailableAt,
  clusterSource,
  clusterStatus,
  renameCluster,
  validWindows,
  type NeptuneScope,
} from "./lifecycle.js";
import { applyFilters, derivedPerGeneration, listPage } from "./listing.js";
import { findCluster, membersForShowing, membersOf } from "./lookups.js";
import { clusterParameterGroupFor, instanceParameterGroupFor } from "./parameter-groups.js";
import { clusterTable, saveCluster, saveInstance, type ClusterRecord, type InstanceRecord } from "./records.js";
import { checkManualSnapshot, takeManualSnapshot } from "./snapshots.js";
import { encryptionFor, type ClusterEncryption } from "./storage.js";
import { setTags, validateTags } from "./tags.js";
import { moveClusterPort, takeClusterPort } from "./data-plane/endpoint-ports.js";
import { startInstance } from "./parameter-apply-status.js";

/**
 * Neptune DB clusters: create, describe, modify, delete, stop/start, fail over, IAM roles. How a cluster is shown
 * is cluster-view.ts's job, its settings' checks cluster-settings.ts's. Rules cite the Neptune API reference (the
 * model's documentation), reference §4 and §5. Status is never stored: lifecycle.ts derives it. A cluster lives in
 * its owner's (account, region) and is never reachable from another account: another account's ARN is simply not
 * found.
 */

// ---------------------------------------------------------------------------------------------- create

/** A fresh `cluster-…` resource id (26 upper-case base32 characters, reference §2.2). */
export const newClusterResourceId = () => randomId("cluster-", 26);

/**
 * Stores a new cluster in `creating` (then available after `delays.clusterCreateMs`) with its tags, and records
 * its creation event, dated when it becomes available. Shared by CreateDBCluster and the snapshot restore.
 */
export function insertCluster(
  scope: NeptuneScope,
  settings: ClusterSettings,
  encryption: ClusterEncryption,
  resourceId: string,
  tags: Tag[] = [],
): ClusterRecord {
  const { subnetGroup, DBClusterIdentifier, ...rest } = settings;
  const cluster: ClusterRecord = {
    // A member named before the spread, not `{ ...rest, … }`: V8 (Node 20) gives each object made by a literal that
    // starts with a spread and adds members after it a hidden class of its own. A record lives as long as its
    // cluster: that was a map, a descriptor array and an enum cache per cluster (about 1.2 KB, 120 MB at 100,000
    // clusters, all old-generation pages that every scavenge walks). The members keep their order.
    DBClusterIdentifier,
    ...rest,
    Port: takeClusterPort(scope, resourceId, rest.Port),
    DbClusterResourceId: resourceId,
    Engine: ENGINE,
    MasterUsername: "admin",
    DBSubnetGroup: subnetGroup.DBSubnetGroupName,
    ...encryption,
    AssociatedRoles: [],
    ClusterCreateTime: scope.now,
    activity: { kind: "creating", since: scope.now },
    stopped: false,
  };
  clusterTable(scope.store, scope.accountId, scope.region).put(cluster.DBClusterIdentifier, cluster);
  const source = clusterSource(scope, cluster.DBClusterIdentifier);
  if (tags.length > 0) setTags(scope.store, scope.accountId, scope.region, source.SourceArn, tags);
  // RDS-EVENT-0170.
  announce(scope, source, "DB cluster created", ["creation"], clusterAvailableAt(cluster, scope.delays));
  return cluster;
}

/**
 * CreateDBCluster. Order of checks: the engine (only `neptune`: the endpoint is shared with RDS), the identifier,
 * the settings (version, retention, windows, logs, storage type), tags, the KmsKeyId/StorageEncrypted combination,
 * a free identifier, the groups, and last the key (so that nothing is done in KMS for a request refused anyway).
 */
export function createCluster(scope: NeptuneScope, request: CreateDBClusterMessage): DBCluster {
  checkEngineName(request.Engine);
  refuseReadReplicaSource(request);
  const joining = request.GlobalClusterIdentifier ? globalClusterToJoin(scope, request) : undefined;
  const settings = clusterSettings(scope, {
    ...request,
    EngineVersion: joining?.EngineVersion ?? request.EngineVersion,
  });
  const tags = request.Tags ?? [];
  validateTags(tags);
  const resourceId = newClusterResourceId();
  const encrypted = joining?.StorageEncrypted ?? request.StorageEncrypted;
  const encryption = encryptionFor(scope, { ...request, StorageEncrypted: encrypted }, resourceId);
  const cluster = insertCluster(scope, settings, encryption, resourceId, tags);
  if (joining) joinGlobalCluster(scope, joining.global, cluster);
  return responseView(scope, cluster, true, []);
}

// ---------------------------------------------------------------------------------------------- describe

/**
 * DescribeDBClusters: one cluster (by identifier or ARN; DBClusterNotFoundFault if it isn't the caller's), or all
 * of the caller's (account, region), in identifier order, filtered by `db-cluster-id` (identifiers or ARNs) and
 * `engine` (the filters the API reference lists), one page of MaxRecords (20–100) at a time.
 */
export function describeClusters(
  scope: NeptuneScope,
  request: DescribeDBClustersMessage,
): { DBClusters: DBCluster[]; Marker?: string } {
  const clusters =
    request.DBClusterIdentifier !== undefined
      ? [findCluster(scope, request.DBClusterIdentifier)]
      : clustersInOrder(clusterTable(scope.store, scope.accountId, scope.region));
  const shown = applyFilters(clusters, request.Filters, {
    "db-cluster-id": (c) => [c.DBClusterIdentifier, clusterArn(scope.region, scope.accountId, c.DBClusterIdentifier)],
    engine: (c) => [c.Engine],
  });
  const members = membersForShowing(scope);
  const view = clusterViews(scope);
  return listPage("DBClusters", shown, request, (c) => view(c, members.get(c.DBClusterIdentifier) ?? NO_MEMBERS));
}

/** A cluster without instances: one list for all (frozen, so a kept view compares it by identity). */
const NO_MEMBERS: readonly InstanceRecord[] = Object.freeze([]);

/**
 * The scope's clusters in identifier order, only shown: read untracked, so a page costs no re-encoding of the
 * scope's records, and sorted once per generation of the table, not per request.
 */
const clustersInOrder = derivedPerGeneration<ClusterRecord, readonly ClusterRecord[]>((rows) =>
  [...rows].sort((x, y) => x.DBClusterIdentifier.localeCompare(y.DBClusterIdentifier)),
);

// ---------------------------------------------------------------------------------------------- modify

function logExportsAfter(
  current: string[],
  change: CloudwatchLogsExportConfiguration | undefined,
  version: string,
): string[] {
  if (!change) return current;
  const enable = change.EnableLogTypes ?? [];
  const disable = change.DisableLogTypes ?? [];
  checkLogTypes([...enable, ...disable], version);
  const disabled = new Set(disable); // sets: the lists are the caller's, of any length the body allows
  const both = [...new Set(enable)].filter((t) => disabled.has(t));
  if (both.length > 0) {
    // *Decided* wording for a log type in both lists.
    throw CommonErrors.invalidParameterCombination(
      `The log types ${both.map((t) => `'${t}'`).join(", ")} can't be both enabled and disabled.`,
    );
  }
  return [...new Set([...current.filter((t) => !disabled.has(t)), ...enable])].sort();
}

/**
 * ModifyDBCluster. "The ApplyImmediately parameter only affects NewDBClusterIdentifier and MasterUserPassword
 * values … All other changes are applied immediately" (API reference): a rename without ApplyImmediately waits
 * for the maintenance window (PendingModifiedValues). Changes that reconfigure the cluster (port, groups, IAM
 * auth, logs, storage type) put it in `modifying`; an engine version upgrade in `upgrading`; backup, window,
 * deletion-protection and tag-copy settings take effect at once.
 */
export function modifyCluster(scope: NeptuneScope, request: ModifyDBClusterMessage): DBCluster {
  const cluster = findCluster(scope, request.DBClusterIdentifier);
  requireUsable(scope, cluster);
  const activityBefore = cluster.activity;

  // Check everything first: a refused request changes nothing.
  const newId =
    request.NewDBClusterIdentifier === undefined
      ? undefined
      : validIdentifier(request.NewDBClusterIdentifier, "NewDBClusterIdentifier");
  if (newId !== undefined && newId !== cluster.DBClusterIdentifier) checkClusterIdFree(scope, newId);

  let version = cluster.EngineVersion;
  let family = checkEngineVersion(cluster.EngineVersion);
  const upgrade = request.EngineVersion !== undefined && request.EngineVersion !== cluster.EngineVersion;
  if (upgrade) {
    refuseIfMember(scope, cluster, MEMBER_UPGRADE);
    family = checkUpgrade(cluster.EngineVersion, request.EngineVersion!, request.AllowMajorVersionUpgrade);
    version = request.EngineVersion!;
  }
  const familyChanged = family !== checkEngineVersion(cluster.EngineVersion);
  if (request.DBInstanceParameterGroupName !== undefined && !(upgrade && familyChanged)) {
    // API reference: DBInstanceParameterGroupName "is only valid in combination with the AllowMajorVersionUpgrade parameter".
    throw CommonErrors.invalidParameterCombination(
      "The DBInstanceParameterGroupName parameter is only valid in combination with the AllowMajorVersionUpgrade parameter.",
    );
  }
  const instanceParameterGroup =
    request.DBInstanceParameterGroupName === undefined
      ? undefined
      : instanceParameterGroupFor(scope, request.DBInstanceParameterGroupName, family);
  const parameterGroup =
    request.DBClusterParameterGroupName !== undefined || familyChanged
      ? clusterParameterGroupFor(scope, request.DBClusterParameterGroupName, family)
      : cluster.DBClusterParameterGroup;
  const retention = request.BackupRetentionPeriod ?? cluster.BackupRetentionPeriod;
  checkBackupRetention(retention);
  const windows = validWindows(
    request.PreferredBackupWindow ?? cluster.PreferredBackupWindow,
    request.PreferredMaintenanceWindow ?? cluster.PreferredMaintenanceWindow,
  );
  const logs = logExportsAfter(
    cluster.EnabledCloudwatchLogsExports,
    request.CloudwatchLogsExportConfiguration,
    version,
  );
  const storageType = request.StorageType ?? cluster.StorageType;
  checkStorageType(storageType, version);
  const securityGroups = request.VpcSecurityGroupIds?.length
    ? [...new Set(request.VpcSecurityGroupIds)]
    : cluster.VpcSecurityGroupIds;

  // Apply.
  const reconfigured =
    parameterGroup !== cluster.DBClusterParameterGroup ||
    (request.Port !== undefined && request.Port !== cluster.Port) ||
    (request.EnableIAMDatabaseAuthentication !== undefined &&
      request.EnableIAMDatabaseAuthentication !== cluster.IAMDatabaseAuthenticationEnabled) ||
    logs.join() !== cluster.EnabledCloudwatchLogsExports.join() ||
    storageType !== cluster.StorageType ||
    securityGroups.join() !== cluster.VpcSecurityGroupIds.join();
  Object.assign(cluster, {
    DBClusterParameterGroup: parameterGroup,
    Port: request.Port === undefined ? cluster.Port : moveClusterPort(scope, cluster, request.Port),
    IAMDatabaseAuthenticationEnabled:
      request.EnableIAMDatabaseAuthentication ?? cluster.IAMDatabaseAuthenticationEnabled,
    EnabledCloudwatchLogsExports: logs,
    StorageType: storageType,
    VpcSecurityGroupIds: securityGroups,
    BackupRetentionPeriod: retention,
    ...windows,
    DeletionProtection: request.DeletionProtection ?? cluster.DeletionProtection,
    CopyTagsToSnapshot: request.CopyTagsToSnapshot ?? cluster.CopyTagsToSnapshot,
  });
  if (request.ServerlessV2ScalingConfiguration)
    cluster.ServerlessV2ScalingConfiguration = { ...request.ServerlessV2ScalingConfiguration };
  if (upgrade) {
    upgradeEngine(scope, cluster, version, familyChanged ? family : undefined, instanceParameterGroup);
  } else if (reconfigured) {
    cluster.activity = { kind: "modifying", since: scope.now };
  }
  if (newId !== undefined && newId !== cluster.DBClusterIdentifier) {
    if (request.ApplyImmediately) {
      renameCluster(scope, cluster, newId);
      cluster.pending = undefined;
      if (!upgrade && !reconfigured) cluster.activity = { kind: "renaming", since: scope.now };
    } else {
      cluster.pending = { requestedAt: scope.now, identifier: newId };
    }
  }
  saveCluster(scope, cluster);
  return responseView(scope, cluster, cluster.activity.since === scope.now && activityBefore !== cluster.activity);
}

/** Checks an engine version upgrade (ModifyDBCluster, ModifyGlobalCluster); returns the new version's family. */
export function checkUpgrade(from: string, to: string, allowMajor: boolean | undefined): string {
  const family = checkEngineVersion(to);
  if (compareVersions(to, from) < 0) {
    // *Decided* wording: engine versions can't be downgraded.
    throw CommonErrors.invalidParameterCombination(`Cannot upgrade ${ENGINE} from ${from} to ${to}`);
  }
  if (majorVersionOf(to) !== majorVersionOf(from) && !allowMajor) {
    throw CommonErrors.invalidParameterCombination(
      "The AllowMajorVersionUpgrade flag must be present when upgrading to a new major version.",
    );
  }
  return family;
}

/**
 * An engine version upgrade of the cluster and its instances (ModifyDBCluster, ModifyGlobalCluster, a pending
 * `db-upgrade` applied by pending-maintenance.ts): the cluster is `upgrading` from `at`; when the parameter group family changes (`newFamily`), the instances take `instanceParameterGroup`
 * or the new family's default group (the cluster's own group is the caller's to set).
 */
export function upgradeEngine(
  scope: NeptuneScope,
  cluster: ClusterRecord,
  version: string,
  newFamily: string | undefined,
  instanceParameterGroup?: string,
  at = scope.now,
): void {
  cluster.EngineVersion = version;
  for (const member of membersOf(scope, cluster.DBClusterIdentifier)) {
    member.EngineVersion = version;
    if (instanceParameterGroup !== undefined) member.DBParameterGroupName = instanceParameterGroup;
    else if (newFamily !== undefined) member.DBParameterGroupName = defaultParameterGroupName(newFamily);
    saveInstance(scope, member);
  }
  cluster.activity = { kind: "upgrading", since: at };
  saveCluster(scope, cluster);
}

// ---------------------------------------------------------------------------------------------- delete

/**
 * DeleteDBCluster (reference §4.4). Order of checks: the parameters (SkipFinalSnapshot defaults to false, so a
 * FinalDBSnapshotIdentifier is required unless it is true, and may not accompany it), the cluster, its state,
 * deletion protection, members not being deleted, and the final snapshot's checks (as CreateDBClusterSnapshot's:
 * a free identifier, the cluster available, the quota). Then: the final snapshot (a manual one, kept, made as
 * CreateDBClusterSnapshot makes one), all automated snapshots deleted, the cluster
 * `deleting` and gone after `delays.deleteMs`. The response shows the cluster as it was (AWS CLI transcript).
 */
export function deleteCluster(scope: NeptuneScope, request: DeleteDBClusterMessage): DBCluster {
  const skip = request.SkipFinalSnapshot ?? false;
  const finalGiven = request.FinalDBSnapshotIdentifier !== undefined && request.FinalDBSnapshotIdentifier !== "";
  if (!skip && !finalGiven) {
    // Observed for DeleteDBInstance; assumed identical for clusters (reference §4.4).
    throw CommonErrors.invalidParameterCombination(
      "FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.",
    );
  }
  if (skip && finalGiven) {
    // "Specifying this parameter and also setting the SkipFinalSnapshot parameter to true results in an error."
    // (API reference); *decided* wording.
    throw CommonErrors.invalidParameterCombination(
      "FinalDBSnapshotIdentifier can't be specified when SkipFinalSnapshot is enabled.",
    );
  }
  const finalId = finalGiven
    ? validIdentifier(request.FinalDBSnapshotIdentifier!, "FinalDBSnapshotIdentifier")
    : undefined;
  const cluster = findCluster(scope, request.DBClusterIdentifier);
  const status = clusterStatus(scope, cluster);
  if (status === "deleting") {
    throw wrongClusterState(cluster, status, ["available", "stopped", "inaccessible-encryption-credentials"]);
  }
  if (cluster.DeletionProtection) {
    // Observed (reference §4.4).
    throw CommonErrors.invalidParameterCombination(
      "Cannot delete protected Cluster, please disable deletion protection and try again.",
    );
  }
  const members = membersOf(scope, cluster.DBClusterIdentifier);
  if (members.some((m) => m.activity.kind !== "deleting")) {
    // Observed (AWS CLI transcript, reference §4.4): deletion is allowed once every member is being deleted.
    throw neptuneFault(
      "InvalidDBClusterStateFault",
      "Cluster cannot be deleted, it still contains DB instances in non-deleting state.",
    );
  }
  refuseIfMember(scope, cluster, MEMBER_DELETE);
  if (finalId !== undefined) checkManualSnapshot(scope, cluster, finalId);
  const view = clusterView(scope, cluster, members);
  if (finalId !== undefined) takeManualSnapshot(scope, cluster, finalId);
  deleteAutomatedSnapshots(scope, cluster);
  cluster.activity = { kind: "deleting", since: scope.now };
  cluster.pending = undefined;
  saveCluster(scope, cluster);
  return view;
}

// ---------------------------------------------------------------------------------------------- stop, start, failover

/** StopDBCluster: only an available cluster; it (and its instances) go `stopping`, then `stopped`. */
export function stopCluster(scope: NeptuneScope, given: string): DBCluster {
  const cluster = findCluster(scope, given);
  // Observed: "DbCluster <id> is in stopping state but expected it to be one of available."
  requireUsable(scope, cluster);
  cluster.stopped = true;
  cluster.activity = { kind: "stopping", since: scope.now };
  saveCluster(scope, cluster);
  // RDS-EVENT-0150.
  announce(scope, clusterSource(scope, cluster.DBClusterIdentifier), "DB cluster stopped", ["notification"]);
  return responseView(scope, cluster, true);
}

/** StartDBCluster: only a stopped cluster; `starting`, then `available`. */
export function startCluster(scope: NeptuneScope, given: string): DBCluster {
  const cluster = findCluster(scope, given);
  const status = clusterStatus(scope, cluster);
  if (status !== "stopped") {
    // Observed: "DbCluster <id> is in available state but expected it to be one of stopped,
    // inaccessible-encryption-credentials-recoverable."
    throw wrongClusterState(cluster, status, ["stopped", "inaccessible-encryption-credentials-recoverable"]);
  }
  cluster.stopped = false;
  cluster.activity = { kind: "starting", since: scope.now };
  saveCluster(scope, cluster);
  // Its instances start again: static parameters set since they last started take effect.
  for (const member of membersOf(scope, cluster.DBClusterIdentifier)) {
    startInstance(scope, cluster, member);
    saveInstance(scope, member);
  }
  // RDS-EVENT-0151.
  announce(scope, clusterSource(scope, cluster.DBClusterIdentifier), "DB cluster started", ["notification"]);
  return responseView(scope, cluster, true);
}

/** Readers in promotion order: lowest PromotionTier first, then by identifier (Neptune's failover priority). */
export function promotionOrder(readers: InstanceRecord[]): InstanceRecord[] {
  return [...readers].sort(
    (x, y) => x.PromotionTier - y.PromotionTier || x.DBInstanceIdentifier.localeCompare(y.DBInstanceIdentifier),
  );
}

/**
 * FailoverDBCluster: promotes the target reader (or the first in promotion order) to writer; the cluster is
 * `failing-over` for `delays.clusterModifyMs`. A cluster with only its writer fails over to it (it restarts).
 */
export function failoverCluster(scope: NeptuneScope, request: FailoverDBClusterMessage): DBCluster {
  if (request.DBClusterIdentifier === undefined) throw CommonErrors.missingParameter("DBClusterIdentifier");
  const cluster = findCluster(scope, request.DBClusterIdentifier);
  requireUsable(scope, cluster);
  const members = membersOf(scope, cluster.DBClusterIdentifier).filter((m) => m.activity.kind !== "deleting");
  if (members.length === 0) {
    // *Decided* wording: nothing to fail over to.
    throw neptuneFault(
      "InvalidDBClusterStateFault",
      `DbCluster ${cluster.DBClusterIdentifier} has no DB instances to fail over to.`,
    );
  }
  const readers = members.filter((m) => m.DBInstanceIdentifier !== cluster.writer);
  let target: InstanceRecord;
  if (request.TargetDBInstanceIdentifier !== undefined) {
    const id = validIdentifier(request.TargetDBInstanceIdentifier, "TargetDBInstanceIdentifier");
    const found = readers.find((m) => m.DBInstanceIdentifier === id);
    // *Decided* wording: the target must be a reader of this cluster.
    if (!found)
      throw CommonErrors.invalidParameterValue(
        `The target instance ${request.TargetDBInstanceIdentifier} is not a reader instance of DB cluster ${cluster.DBClusterIdentifier}.`,
      );
    target = found;
  } else {
    target =
      promotionOrder(readers)[0] ?? members.find((m) => m.DBInstanceIdentifier === cluster.writer) ?? members[0]!;
  }
  cluster.writer = target.DBInstanceIdentifier;
  cluster.activity = { kind: "failing-over", since: scope.now };
  saveCluster(scope, cluster);
  // RDS-EVENT-0073 / RDS-EVENT-0071.
  const source = clusterSource(scope, cluster.DBClusterIdentifier);
  announce(scope, source, `Started cross AZ failover to DB instance: ${target.DBInstanceIdentifier}`, ["failover"]);
  announce(
    scope,
    source,
    `Completed failover to DB instance: ${target.DBInstanceIdentifier}`,
    ["failover"],
    scope.now + scope.delays.clusterModifyMs,
  );
  return responseView(scope, cluster, true);
}

// ---------------------------------------------------------------------------------------------- IAM roles

/** RDS's default quota of IAM roles associated with one DB cluster. */
const MAX_ROLES_PER_CLUSTER = 5;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/** AddRoleToDBCluster: associates an IAM role (for bulk load, Neptune ML …) with an available cluster. */
export function addRole(
  scope: NeptuneScope,
  request: { DBClusterIdentifier: string; RoleArn: string; FeatureName?: string },
): void {
  const cluster = findCluster(scope, request.DBClusterIdentifier);
  if (!ROLE_ARN.test(request.RoleArn)) throw CommonErrors.invalidParameterValue(`Invalid role ARN: ${request.RoleArn}`);
  requireUsable(scope, cluster);
  if (cluster.AssociatedRoles.some((r) => r.RoleArn === request.RoleArn)) {
    throw neptuneFault(
      "DBClusterRoleAlreadyExistsFault",
      `Role ARN ${request.RoleArn} is already associated with DB Cluster: Verify your role ARN and try again.`,
    );
  }
  if (cluster.AssociatedRoles.length >= MAX_ROLES_PER_CLUSTER) {
    throw neptuneFault(
      "DBClusterRoleQuotaExceededFault",
      `You have reached the maximum number of IAM roles (${MAX_ROLES_PER_CLUSTER}) that can be associated with a DB cluster.`,
    );
  }
  cluster.AssociatedRoles.push({
    RoleArn: request.RoleArn,
    ...(request.FeatureName ? { FeatureName: request.FeatureName } : {}),
  });
  saveCluster(scope, cluster);
}

/** RemoveRoleFromDBCluster: the role (and feature, if named) must be associated. */
export function removeRole(
  scope: NeptuneScope,
  request: { DBClusterIdentifier: string; RoleArn: string; FeatureName?: string },
): void {
  const cluster = findCluster(scope, request.DBClusterIdentifier);
  requireUsable(scope, cluster);
  const index = cluster.AssociatedRoles.findIndex(
    (r) =>
      r.RoleArn === request.RoleArn && (request.FeatureName === undefined || r.FeatureName === request.FeatureName),
  );
  if (index < 0) {
    throw neptuneFault(
      "DBClusterRoleNotFoundFault",
      `Role ARN ${request.RoleArn} cannot be found for DB Cluster: ${cluster.DBClusterIdentifier}. Verify your role ARN and try again.`,
    );
  }
  cluster.AssociatedRoles.splice(index, 1);
  saveCluster(scope, cluster);
}
