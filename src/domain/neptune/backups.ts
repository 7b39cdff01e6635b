import type { RequestContext } from "../../services/service.js";
import { clusterArn, clusterSnapshotArn } from "./arn.js";
import {
  announce,
  applyDuePendingChanges,
  autoStart,
  autoStartTime,
  backupWindowStarts,
  clusterAvailableAt,
  DAY_MS,
  scopeOf,
  sweepDeleted,
  type NeptuneScope,
} from "./lifecycle.js";
import {
  clusterSnapshotTable,
  clusterTable,
  saveCluster,
  type ClusterRecord,
  type ClusterSnapshotRecord,
} from "./records.js";
import { deleteAllTags, getTags, setTags } from "./tags.js";

/**
 * Automated backups (reference §3.10): every cluster keeps automated snapshots `rds:<cluster>-YYYY-MM-DD-HH-MM`
 * (SnapshotType `automated`): one when it first becomes available and one a day at the start of its backup
 * window, each kept for BackupRetentionPeriod days and all deleted with the cluster. They are materialized
 * lazily: `catchUp` (run before every Neptune request) creates the ones due by now, with the times they were
 * due, and prunes the expired ones. Also here: the snapshot record made from a cluster, which a final snapshot
 * (DeleteDBCluster) and CreateDBClusterSnapshot share.
 */

const pad = (n: number) => String(n).padStart(2, "0");

/** `rds:my-cluster-2026-01-01-03-15`: the cluster and the UTC minute the backup started. */
export function automatedSnapshotId(clusterId: string, at: number): string {
  const d = new Date(at);
  return `rds:${clusterId}-${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}-${pad(d.getUTCHours())}-${pad(d.getUTCMinutes())}`;
}

/**
 * A snapshot of the cluster as it is, started at `at`. It carries the cluster's key and wrapped data key (a
 * snapshot of an encrypted cluster is encrypted with the same key). Neptune's snapshot shape has no
 * LicenseModel value on record; *decided*: `neptune`, as Aurora reports its engine name there.
 */
export function snapshotOfCluster(
  scope: NeptuneScope,
  cluster: ClusterRecord,
  snapshot: { DBClusterSnapshotIdentifier: string; SnapshotType: "automated" | "manual"; at: number; VpcId?: string },
): ClusterSnapshotRecord {
  return {
    DBClusterSnapshotIdentifier: snapshot.DBClusterSnapshotIdentifier,
    DBClusterIdentifier: cluster.DBClusterIdentifier,
    DBClusterSnapshotArn: clusterSnapshotArn(scope.region, scope.accountId, snapshot.DBClusterSnapshotIdentifier),
    SnapshotType: snapshot.SnapshotType,
    SnapshotCreateTime: snapshot.at,
    ClusterCreateTime: cluster.ClusterCreateTime,
    Engine: cluster.Engine,
    EngineVersion: cluster.EngineVersion,
    AllocatedStorage: 1,
    Port: cluster.Port,
    ...(snapshot.VpcId ? { VpcId: snapshot.VpcId } : {}),
    AvailabilityZones: [...cluster.AvailabilityZones],
    MasterUsername: cluster.MasterUsername,
    LicenseModel: "neptune",
    StorageEncrypted: cluster.StorageEncrypted,
    ...(cluster.StorageEncrypted && cluster.KmsKeyId
      ? {
          KmsKeyId: cluster.KmsKeyId,
          kmsKeyArn: cluster.KmsKeyId,
          ...(cluster.wrappedDataKey ? { wrappedDataKey: Buffer.from(cluster.wrappedDataKey) } : {}),
        }
      : {}),
    IAMDatabaseAuthenticationEnabled: cluster.IAMDatabaseAuthenticationEnabled,
    StorageType: cluster.StorageType,
    sourceClusterResourceId: cluster.DbClusterResourceId,
  };
}

/** Stores a snapshot of the cluster; with CopyTagsToSnapshot the cluster's tags go with it. */
export function storeSnapshot(scope: NeptuneScope, cluster: ClusterRecord, snapshot: ClusterSnapshotRecord): void {
  clusterSnapshotTable(scope.store, scope.accountId, scope.region).put(snapshot.DBClusterSnapshotIdentifier, snapshot);
  if (cluster.CopyTagsToSnapshot) {
    const tags = getTags(
      scope.store,
      scope.accountId,
      scope.region,
      clusterArn(scope.region, scope.accountId, cluster.DBClusterIdentifier),
    );
    if (tags.length > 0) setTags(scope.store, scope.accountId, scope.region, snapshot.DBClusterSnapshotArn, tags);
  }
}

function snapshotSource(snapshot: ClusterSnapshotRecord) {
  return {
    SourceIdentifier: snapshot.DBClusterSnapshotIdentifier,
    SourceType: "db-cluster-snapshot",
    SourceArn: snapshot.DBClusterSnapshotArn,
  } as const;
}

function takeAutomatedSnapshot(scope: NeptuneScope, cluster: ClusterRecord, at: number): void {
  cluster.lastBackupAt = at;
  const id = automatedSnapshotId(cluster.DBClusterIdentifier, at);
  const snapshots = clusterSnapshotTable(scope.store, scope.accountId, scope.region);
  if (snapshots.has(id)) return; // two backups in the same minute share a name: keep the first
  const snapshot = snapshotOfCluster(scope, cluster, {
    DBClusterSnapshotIdentifier: id,
    SnapshotType: "automated",
    at,
  });
  storeSnapshot(scope, cluster, snapshot);
  // RDS-EVENT-0168 / RDS-EVENT-0169.
  announce(scope, snapshotSource(snapshot), "Creating automated cluster snapshot", ["backup"], at);
  announce(
    scope,
    snapshotSource(snapshot),
    "Automated cluster snapshot created",
    ["backup"],
    at + scope.delays.snapshotMs,
  );
}

export function automatedSnapshotsOf(scope: NeptuneScope, cluster: ClusterRecord): ClusterSnapshotRecord[] {
  return clusterSnapshotTable(scope.store, scope.accountId, scope.region)
    .values()
    .filter((s) => s.SnapshotType === "automated" && s.sourceClusterResourceId === cluster.DbClusterResourceId);
}

function deleteSnapshot(scope: NeptuneScope, snapshot: ClusterSnapshotRecord): void {
  clusterSnapshotTable(scope.store, scope.accountId, scope.region).delete(snapshot.DBClusterSnapshotIdentifier);
  deleteAllTags(scope.store, scope.accountId, scope.region, snapshot.DBClusterSnapshotArn);
}

/** "When you delete a DB cluster, all automated backups for that DB cluster are deleted" (API reference, DeleteDBCluster). */
export function deleteAutomatedSnapshots(scope: NeptuneScope, cluster: ClusterRecord): void {
  for (const snapshot of automatedSnapshotsOf(scope, cluster)) deleteSnapshot(scope, snapshot);
}

/**
 * The automated backups due up to `until`: the first when the cluster became available, then one per backup
 * window start. None while the cluster is being deleted or is stopped (RDS takes no backups of a stopped
 * cluster). A long jump of the clock only materializes the days still within the retention period.
 */
function takeDueBackups(scope: NeptuneScope, cluster: ClusterRecord, until: number): void {
  if (cluster.activity.kind === "deleting") return;
  const availableAt = clusterAvailableAt(cluster, scope.delays);
  if (availableAt > until) return;
  if (cluster.lastBackupAt === undefined) takeAutomatedSnapshot(scope, cluster, availableAt);
  const retained = until - (cluster.BackupRetentionPeriod + 1) * DAY_MS;
  const from = Math.max(cluster.backupsCheckedUntil ?? availableAt, retained);
  for (const at of backupWindowStarts(cluster.PreferredBackupWindow, from, until)) {
    if (cluster.stopped && at >= cluster.activity.since) continue;
    takeAutomatedSnapshot(scope, cluster, at);
  }
  // A window passed while stopped stays skipped after the cluster starts again.
  cluster.backupsCheckedUntil = Math.max(cluster.backupsCheckedUntil ?? 0, until);
  saveCluster(scope, cluster);
}

/**
 * Deletes automated snapshots older than their cluster's BackupRetentionPeriod, in one pass over the snapshot
 * table (a describe of many clusters runs this on every request).
 */
function pruneExpired(scope: NeptuneScope, clusters: ClusterRecord[]): void {
  const cutoffs = new Map(clusters.map((c) => [c.DbClusterResourceId, scope.now - c.BackupRetentionPeriod * DAY_MS]));
  for (const snapshot of clusterSnapshotTable(scope.store, scope.accountId, scope.region).values()) {
    if (snapshot.SnapshotType !== "automated") continue;
    const cutoff = cutoffs.get(snapshot.sourceClusterResourceId);
    if (cutoff !== undefined && snapshot.SnapshotCreateTime < cutoff) deleteSnapshot(scope, snapshot);
  }
}

/**
 * Brings the (account, region)'s Neptune state up to the clock: finished deletions are removed, changes pending
 * until a maintenance window are applied, clusters stopped for seven days start, and automated backups due by now
 * are taken and expired ones pruned. Every Neptune handler calls this first (services/neptune).
 */
export function catchUp(scope: NeptuneScope): void {
  sweepDeleted(scope);
  applyDuePendingChanges(scope);
  const clusters = clusterTable(scope.store, scope.accountId, scope.region).values();
  for (const cluster of clusters) {
    const startsAt = autoStartTime(cluster);
    if (startsAt !== undefined && startsAt <= scope.now) {
      takeDueBackups(scope, cluster, startsAt);
      autoStart(scope, cluster, startsAt);
    }
    takeDueBackups(scope, cluster, scope.now);
  }
  pruneExpired(scope, clusters);
}

/** A request's scope with the state caught up to the request's time: what every Neptune handler starts from. */
export function currentScope(ctx: RequestContext): NeptuneScope {
  const scope = scopeOf(ctx);
  catchUp(scope);
  return scope;
}
