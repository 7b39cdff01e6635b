import type { Delays } from "../../state/delays.js";
import type { Store, Table } from "../../state/store.js";
import {
  activityEnd,
  autoStartTime,
  backupWindowStarts,
  clusterAvailableAt,
  DAY_MS,
  nextMaintenanceStart,
  type NeptuneScope,
} from "./lifecycle.js";
import {
  clusterSnapshotTable,
  clusterTable,
  instanceTable,
  type ClusterRecord,
  type ClusterSnapshotRecord,
  type InstanceRecord,
} from "./records.js";

/**
 * When the next thing happens by itself in one (account, region): the earliest due time of its pending transitions
 * (a deletion that ends, a change pending until a maintenance window, the automatic start of a cluster stopped for
 * seven days, an automated backup, the expiry of one). Catch-up (catch-up.ts) asks it before every Neptune request
 * and does the scope's work only once something is due, so a read such as a page of DescribeDBClusters costs one
 * look here instead of a pass over every record of the scope, however many records and scopes there are.
 *
 * *Decided*: the index is kept in memory and derived from the records, never persisted. The records are the truth
 * (DESIGN §5: state is derived from stored timestamps); a persisted index would be a second truth to keep in step
 * through crashes and state imports. A scope's entry is built from its records the first time the scope is caught
 * up after start (so a data directory loads at the same speed, and scopes never read cost nothing) and rebuilt
 * whenever its tables' generations (Table.generation) show a row may have changed. Due times are never later than
 * the real ones: an early one only costs a catch-up that finds nothing to do.
 */

interface ScopeEntry {
  /** The generations of the scope's clusters, instances and snapshots tables the entry was derived from. */
  generations: [number, number, number];
  delays: Delays;
  nextDueAt: number;
}

const indexes = new WeakMap<Store, Map<string, ScopeEntry>>();

function tablesOf(scope: NeptuneScope): [Table<ClusterRecord>, Table<InstanceRecord>, Table<ClusterSnapshotRecord>] {
  return [
    clusterTable(scope.store, scope.accountId, scope.region),
    instanceTable(scope.store, scope.accountId, scope.region),
    clusterSnapshotTable(scope.store, scope.accountId, scope.region),
  ];
}

function entriesOf(store: Store): Map<string, ScopeEntry> {
  let entries = indexes.get(store);
  if (!entries) indexes.set(store, (entries = new Map()));
  return entries;
}

const scopeKey = (scope: NeptuneScope) => `${scope.accountId}\u0000${scope.region}`;

/** Whether anything in the scope is due by the scope's time (its entry derived anew first if its rows changed). */
export function anythingDue(scope: NeptuneScope): boolean {
  const entry = entriesOf(scope.store).get(scopeKey(scope));
  const tables = tablesOf(scope);
  const current =
    entry !== undefined &&
    entry.delays === scope.delays &&
    tables.every((table, i) => table.generation === entry.generations[i]);
  return (current ? entry.nextDueAt : reindex(scope)) <= scope.now;
}

/** Derives the scope's entry from its records (after a catch-up has changed them, or when they changed). */
export function reindex(scope: NeptuneScope): number {
  const [clusters, instances, snapshots] = tablesOf(scope);
  let next = Infinity;
  const retention = new Map<string, number>();
  for (const cluster of clusters.peekValues()) {
    next = Math.min(next, clusterDueAt(cluster, scope.delays));
    retention.set(cluster.DbClusterResourceId, cluster.BackupRetentionPeriod * DAY_MS);
  }
  for (const instance of instances.peekValues()) next = Math.min(next, instanceDueAt(instance, scope.delays));
  for (const snapshot of snapshots.peekValues()) {
    if (snapshot.SnapshotType !== "automated") continue;
    const kept = retention.get(snapshot.sourceClusterResourceId);
    // Pruned once strictly older than the retention period (backups.ts): due one millisecond after.
    if (kept !== undefined) next = Math.min(next, snapshot.SnapshotCreateTime + kept + 1);
  }
  entriesOf(scope.store).set(scopeKey(scope), {
    generations: [clusters.generation, instances.generation, snapshots.generation],
    delays: scope.delays,
    nextDueAt: next,
  });
  return next;
}

/** A cluster's earliest transition: its deletion ending, a pending change, an automatic start, its next backup. */
function clusterDueAt(cluster: Readonly<ClusterRecord>, delays: Delays): number {
  if (cluster.activity.kind === "deleting") return activityEnd(cluster.activity, "cluster", delays);
  let next = autoStartTime(cluster) ?? Infinity;
  if (cluster.pending)
    next = Math.min(next, nextMaintenanceStart(cluster.PreferredMaintenanceWindow, cluster.pending.requestedAt));
  const availableAt = clusterAvailableAt(cluster, delays);
  // The first backup is taken when the cluster becomes available, then one at each backup window start.
  if (cluster.lastBackupAt === undefined) return Math.min(next, availableAt);
  const checked = cluster.backupsCheckedUntil ?? availableAt;
  const window = backupWindowStarts(cluster.PreferredBackupWindow, checked, checked + DAY_MS)[0] ?? checked + DAY_MS;
  return Math.min(next, window);
}

function instanceDueAt(instance: Readonly<InstanceRecord>, delays: Delays): number {
  if (instance.activity.kind === "deleting") return activityEnd(instance.activity, "instance", delays);
  return instance.pending
    ? nextMaintenanceStart(instance.PreferredMaintenanceWindow, instance.pending.requestedAt)
    : Infinity;
}
