import { backupWindowStarts, clusterAvailableAt, DAY_MS, keyUnusable, type NeptuneScope } from "./lifecycle.js";
import { clusterSnapshotTable, saveCluster, type ClusterRecord, type ClusterSnapshotRecord } from "./records.js";
import { announceSnapshot, releaseSnapshotGraph, snapshotOfCluster, storeSnapshot } from "./snapshot-making.js";
import { deleteAllTags } from "./tags.js";

/**
 * Automated backups (reference §3.10): every cluster keeps automated snapshots `rds:<cluster>-YYYY-MM-DD-HH-MM`
 * (SnapshotType `automated`): one when it first becomes available and one a day at the start of its backup
 * window, each kept for BackupRetentionPeriod days and all deleted with the cluster. They are materialized
 * lazily: before every Neptune request (catch-up.ts) the ones due by now are taken, with the times they were
 * due, and the expired ones pruned.
 */

const pad = (n: number) => String(n).padStart(2, "0");

/** `rds:my-cluster-2026-01-01-03-15`: the cluster and the UTC minute the backup started. */
function automatedSnapshotId(clusterId: string, at: number): string {
  const d = new Date(at);
  return `rds:${clusterId}-${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}-${pad(d.getUTCHours())}-${pad(d.getUTCMinutes())}`;
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
  announceSnapshot(scope, snapshot);
}

function automatedSnapshotsOf(scope: NeptuneScope, cluster: ClusterRecord): ClusterSnapshotRecord[] {
  return clusterSnapshotTable(scope.store, scope.accountId, scope.region)
    .values()
    .filter((s) => s.SnapshotType === "automated" && s.sourceClusterResourceId === cluster.DbClusterResourceId);
}

function deleteSnapshot(scope: NeptuneScope, snapshot: ClusterSnapshotRecord): void {
  clusterSnapshotTable(scope.store, scope.accountId, scope.region).delete(snapshot.DBClusterSnapshotIdentifier);
  releaseSnapshotGraph(scope, snapshot);
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
export function takeDueBackups(scope: NeptuneScope, cluster: ClusterRecord, until: number): void {
  if (cluster.activity.kind === "deleting") return;
  // *Decided*: no backup of storage Neptune can't open (the key or its grant is unusable); the windows missed
  // meanwhile are taken, with the graph of their time, once the key serves again.
  if (keyUnusable(scope, cluster)) return;
  const availableAt = clusterAvailableAt(cluster, scope.delays);
  if (availableAt > until) return;
  if (cluster.lastBackupAt === undefined) takeAutomatedSnapshot(scope, cluster, availableAt);
  const retained = until - (cluster.BackupRetentionPeriod + 1) * DAY_MS;
  const from = Math.max(cluster.backupsCheckedUntil ?? availableAt, retained);
  const starts = backupWindowStarts(cluster.PreferredBackupWindow, from, until);
  for (const at of starts) {
    if (cluster.stopped && at >= cluster.activity.since) continue;
    takeAutomatedSnapshot(scope, cluster, at);
  }
  // Checked up to the last window start that passed, taken or not (a window passed while stopped stays skipped
  // after the cluster starts again). Not up to `until`: a read between two windows then changes no record, so
  // it writes nothing to a durable store.
  const last = starts.at(-1);
  if (last !== undefined) cluster.backupsCheckedUntil = Math.max(cluster.backupsCheckedUntil ?? 0, last);
  saveCluster(scope, cluster);
}

/**
 * Deletes automated snapshots older than their cluster's BackupRetentionPeriod, in one pass over the snapshot
 * table (a describe of many clusters runs this on every request).
 */
export function pruneExpiredBackups(scope: NeptuneScope, clusters: ClusterRecord[]): void {
  const cutoffs = new Map(clusters.map((c) => [c.DbClusterResourceId, scope.now - c.BackupRetentionPeriod * DAY_MS]));
  for (const snapshot of clusterSnapshotTable(scope.store, scope.accountId, scope.region).values()) {
    if (snapshot.SnapshotType !== "automated") continue;
    const cutoff = cutoffs.get(snapshot.sourceClusterResourceId);
    if (cutoff !== undefined && snapshot.SnapshotCreateTime < cutoff) deleteSnapshot(scope, snapshot);
  }
}
