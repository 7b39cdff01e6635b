import { createHash } from "node:crypto";
import type { Principal } from "../../auth/principal.js";
import type { SourceType } from "../../generated/neptune.js";
import { CommonErrors } from "../../protocol/errors.js";
import type { Delays } from "../../state/delays.js";
import type { Store, Table } from "../../state/store.js";
import type { KmsServiceAccess } from "../kms/service-access.js";
import type { ClusterGraphs } from "./data-plane/cluster-graphs.js";
import type { DataPlanePorts } from "./data-plane/ports.js";
import { releasePorts } from "./data-plane/endpoint-ports.js";
import { clusterArn, instanceArn } from "./arn.js";
import { dropEndpointsOf } from "./cluster-endpoints.js";
import { recordEvent } from "./events.js";
import {
  clusterTable,
  instanceTable,
  saveCluster,
  saveInstance,
  type Activity,
  type ClusterRecord,
  type ClusterSnapshotRecord,
  type InstanceRecord,
} from "./records.js";
import { retireGrants } from "./storage.js";
import { deleteAllTags, moveTags } from "./tags.js";
import { dictionary } from "../../util/dictionary.js";

/**
 * Time in Neptune: the world a rule runs in (NeptuneScope), the statuses derived from stored timestamps, the
 * delays and the clock (DESIGN §5: no timers), the backup and maintenance windows, and the transitions that
 * happen by themselves as time passes (a finished deletion, a change pending until the maintenance window, the
 * automatic start of a cluster stopped for seven days). catch-up.ts runs them before each request.
 */

// ---------------------------------------------------------------------------------------------- scope

/** One request's view of Neptune: the caller's (account, region) state, the delays and the time. */
export interface NeptuneScope {
  store: Store;
  delays: Delays;
  /** KMS as Neptune uses it on the caller's behalf; absent only in an emulator built without KMS. */
  kms: KmsServiceAccess | undefined;
  /** The port book of the data plane: clusters and instances take their ports from it. */
  ports: DataPlanePorts;
  /** The clusters' graphs: snapshots take images of them, restores start them, deletions drop them. */
  graphs: ClusterGraphs;
  principal: Principal;
  accountId: string;
  region: string;
  /** The request's time, epoch milliseconds. */
  now: number;
}

export const MINUTE_MS = 60_000;
export const DAY_MS = 24 * 60 * MINUTE_MS;
const WEEK_MINUTES = 7 * 24 * 60;

// ---------------------------------------------------------------------------------------------- statuses

export type ClusterStatus =
  Activity["kind"] | "available" | "stopped" | "backing-up" | "inaccessible-encryption-credentials";
export type InstanceStatus = ClusterStatus;

function activityMs(kind: Activity["kind"], resource: "cluster" | "instance", delays: Delays): number {
  switch (kind) {
    case "creating":
      return resource === "cluster" ? delays.clusterCreateMs : delays.instanceCreateMs;
    case "deleting":
      return delays.deleteMs;
    default:
      return delays.clusterModifyMs;
  }
}

/** When an activity ends (or ended). */
export function activityEnd(activity: Activity, resource: "cluster" | "instance", delays: Delays): number {
  return activity.since + activityMs(activity.kind, resource, delays);
}

function inProgress(activity: Activity, resource: "cluster" | "instance", scope: NeptuneScope): boolean {
  return scope.now < activityEnd(activity, resource, scope.delays);
}

/** When the cluster became (or becomes) available for the first time: the end of its creation. */
export function clusterAvailableAt(cluster: ClusterRecord, delays: Delays): number {
  return cluster.ClusterCreateTime + delays.clusterCreateMs;
}

/**
 * A cluster whose key is disabled, pending deletion or gone, or whose grant Neptune holds on it was revoked or
 * retired, can't reach its storage: AWS reports it as `inaccessible-encryption-credentials` (reference §4.2,
 * §6.8, §7: "If Neptune loses access to the key (e.g. grant/key revoked or disabled)"). Derived from the key and
 * the grant on every read, so re-enabling the key brings the cluster back (*decided*: AWS's "-recoverable" variant
 * needs a StartDBCluster). A revoked grant does not come back: the cluster stays inaccessible (restore it from a
 * snapshot, as AWS says of its terminal state).
 */
export function keyUnusable(scope: NeptuneScope, cluster: ClusterRecord): boolean {
  if (!cluster.StorageEncrypted || !cluster.KmsKeyId || !scope.kms) return false;
  if (scope.kms.keyState(cluster.KmsKeyId) !== "Enabled") return true;
  return cluster.kmsGrantId !== undefined && !scope.kms.grantActive(cluster.KmsKeyId, cluster.kmsGrantId);
}

/**
 * The cluster's status now. Order: deleting wins; then an unusable key; then a transition in progress; then the
 * steady state (stopped, or available, or backing-up while its newest automated backup is being taken).
 */
export function clusterStatus(scope: NeptuneScope, cluster: ClusterRecord): ClusterStatus {
  if (cluster.activity.kind === "deleting") return "deleting";
  if (keyUnusable(scope, cluster)) return "inaccessible-encryption-credentials";
  if (inProgress(cluster.activity, "cluster", scope)) return cluster.activity.kind;
  if (cluster.stopped) return "stopped";
  if (cluster.lastBackupAt !== undefined && scope.now < cluster.lastBackupAt + scope.delays.snapshotMs)
    return "backing-up";
  return "available";
}

/** An instance's status: its own transition first, else what its cluster is doing (stopping, stopped, starting). */
export function instanceStatus(
  scope: NeptuneScope,
  instance: InstanceRecord,
  cluster: ClusterRecord | undefined,
): InstanceStatus {
  if (instance.activity.kind === "deleting") return "deleting";
  if (cluster && keyUnusable(scope, cluster)) return "inaccessible-encryption-credentials";
  if (inProgress(instance.activity, "instance", scope)) return instance.activity.kind;
  if (cluster) {
    const status = clusterStatus(scope, cluster);
    if (status === "stopping" || status === "stopped" || status === "starting") return status;
  }
  return "available";
}

// ---------------------------------------------------------------------------------------------- windows

interface DailyWindow {
  /** Minutes after midnight UTC. */
  start: number;
  length: number;
}

interface WeeklyWindow {
  /** Minutes after Monday 00:00 UTC. */
  start: number;
  length: number;
}

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const HHMM = "([01]\\d|2[0-3]):([0-5]\\d)";
const BACKUP_WINDOW = new RegExp(`^${HHMM}-${HHMM}$`);
const MAINTENANCE_WINDOW = new RegExp(`^(${DAYS.join("|")}):${HHMM}-(${DAYS.join("|")}):${HHMM}$`, "i");

const pad = (n: number) => String(n).padStart(2, "0");
const hhmm = (minutes: number) => `${pad(Math.floor((minutes % 1440) / 60))}:${pad(minutes % 60)}`;

// The window messages follow RDS's maintenance-window wording (moto's copy of it); AWS's exact backup-window
// texts are not public, so those are *decided* in the same style.
function parseBackupWindow(window: string): DailyWindow {
  const match = BACKUP_WINDOW.exec(window);
  if (!match) {
    throw CommonErrors.invalidParameterValue(
      `Invalid backup window format: ${window}. Should be specified as a range hh24:mi-hh24:mi (24H Clock UTC). Example: 03:15-03:45`,
    );
  }
  const start = Number(match[1]) * 60 + Number(match[2]);
  const end = Number(match[3]) * 60 + Number(match[4]);
  return { start, length: (end - start + 1440) % 1440 };
}

function parseMaintenanceWindow(window: string): WeeklyWindow {
  const match = MAINTENANCE_WINDOW.exec(window);
  if (!match) {
    throw CommonErrors.invalidParameterValue(
      `Invalid maintenance window format: ${window}. Should be specified as a range ddd:hh24:mi-ddd:hh24:mi (24H Clock UTC). Example: Sun:23:45-Mon:00:15`,
    );
  }
  const at = (day: string, h: string, m: string) => DAYS.indexOf(day.toLowerCase()) * 1440 + Number(h) * 60 + Number(m);
  const start = at(match[1]!, match[2]!, match[3]!);
  const end = at(match[4]!, match[5]!, match[6]!);
  return { start, length: (end - start + WEEK_MINUTES) % WEEK_MINUTES };
}

/** Whether a daily window meets a weekly one on any day (windows that only touch do not overlap). */
function overlaps(backup: DailyWindow, maintenance: WeeklyWindow): boolean {
  for (let day = 0; day < 7; day++) {
    const start = day * 1440 + backup.start;
    for (const shift of [-WEEK_MINUTES, 0, WEEK_MINUTES]) {
      const mStart = maintenance.start + shift;
      if (start < mStart + maintenance.length && mStart < start + backup.length) return true;
    }
  }
  return false;
}

/**
 * Checks PreferredBackupWindow (`hh24:mi-hh24:mi`, at least 30 minutes) and PreferredMaintenanceWindow
 * (`ddd:hh24:mi-ddd:hh24:mi`, 30 minutes to 24 hours) and that they don't overlap (API reference,
 * CreateDBCluster). Returns them as stored (maintenance days lowercase, as AWS shows them).
 */
export function validWindows(
  backup: string,
  maintenance: string,
): { PreferredBackupWindow: string; PreferredMaintenanceWindow: string } {
  const daily = parseBackupWindow(backup);
  if (daily.length < 30) throw CommonErrors.invalidParameterValue("The backup window must be at least 30 minutes.");
  const weekly = parseMaintenanceWindow(maintenance);
  if (weekly.length < 30)
    throw CommonErrors.invalidParameterValue("The maintenance window must be at least 30 minutes.");
  if (weekly.length > 1440) throw CommonErrors.invalidParameterValue("Maintenance window must be less than 24 hours.");
  if (overlaps(daily, weekly))
    throw CommonErrors.invalidParameterValue("The backup window and maintenance window must not overlap.");
  return { PreferredBackupWindow: backup, PreferredMaintenanceWindow: maintenance.toLowerCase() };
}

/**
 * The 8-hour UTC block each region draws its default windows from (RDS User Guide, "Backup window"); *decided*:
 * regions not listed use 03:00–11:00.
 */
const REGION_BLOCK_START: Record<string, number> = dictionary({
  "us-east-1": 3 * 60,
  "us-east-2": 3 * 60,
  "us-west-1": 6 * 60,
  "us-west-2": 6 * 60,
  "ca-central-1": 3 * 60,
  "eu-west-1": 22 * 60,
  "eu-west-2": 22 * 60,
  "eu-central-1": 20 * 60,
  "ap-northeast-1": 13 * 60,
  "ap-southeast-1": 14 * 60,
  "ap-southeast-2": 12 * 60,
});

/**
 * Default windows: "a 30-minute window selected at random from an 8-hour block of time for each Region" (API
 * reference), the maintenance window also on a random day. *Decided*: "random" is a hash of the resource, so the
 * same cluster gets the same windows on every run; the two never overlap.
 */
export function defaultWindows(
  region: string,
  seed: string,
): { PreferredBackupWindow: string; PreferredMaintenanceWindow: string } {
  const bytes = createHash("sha256").update(`${region}/${seed}`).digest();
  const block = REGION_BLOCK_START[region] ?? 3 * 60;
  const backupSlot = bytes[0]! % 16;
  const maintenanceSlot = (backupSlot + 1 + (bytes[1]! % 15)) % 16;
  const backupStart = block + backupSlot * 30;
  const maintenanceStart = block + maintenanceSlot * 30;
  const day = bytes[2]! % 7;
  const dayOf = (minutes: number) => DAYS[(day + Math.floor(minutes / 1440)) % 7]!;
  return {
    PreferredBackupWindow: `${hhmm(backupStart)}-${hhmm(backupStart + 30)}`,
    PreferredMaintenanceWindow: `${dayOf(maintenanceStart)}:${hhmm(maintenanceStart)}-${dayOf(maintenanceStart + 30)}:${hhmm(maintenanceStart + 30)}`,
  };
}

/** The starts of a daily backup window after `from` and up to `to` (epoch ms). */
export function backupWindowStarts(window: string, from: number, to: number): number[] {
  const { start } = parseBackupWindow(window);
  let at = Math.floor(from / DAY_MS) * DAY_MS + start * MINUTE_MS;
  while (at <= from) at += DAY_MS;
  const starts: number[] = [];
  for (; at <= to; at += DAY_MS) starts.push(at);
  return starts;
}

/** The first start of a weekly maintenance window after `after` (epoch ms). 1970-01-01 was a Thursday. */
export function nextMaintenanceStart(window: string, after: number): number {
  const { start } = parseMaintenanceWindow(window);
  const day = Math.floor(after / DAY_MS);
  const monday = (day - ((day + 3) % 7)) * DAY_MS;
  let at = monday + start * MINUTE_MS;
  while (at <= after) at += 7 * DAY_MS;
  return at;
}

// ---------------------------------------------------------------------------------------------- events

export function announce(
  scope: NeptuneScope,
  source: { SourceIdentifier: string; SourceType: SourceType; SourceArn: string },
  Message: string,
  EventCategories: string[],
  at = scope.now,
): void {
  recordEvent(scope.store, scope.accountId, scope.region, { ...source, Message, EventCategories, Date: new Date(at) });
}

export const clusterSource = (scope: NeptuneScope, id: string) =>
  ({
    SourceIdentifier: id,
    SourceType: "db-cluster",
    SourceArn: clusterArn(scope.region, scope.accountId, id),
  }) as const;
export const instanceSource = (scope: NeptuneScope, id: string) =>
  ({
    SourceIdentifier: id,
    SourceType: "db-instance",
    SourceArn: instanceArn(scope.region, scope.accountId, id),
  }) as const;
export const snapshotSource = (snapshot: ClusterSnapshotRecord) =>
  ({
    SourceIdentifier: snapshot.DBClusterSnapshotIdentifier,
    SourceType: "db-cluster-snapshot",
    SourceArn: snapshot.DBClusterSnapshotArn,
  }) as const;

// ---------------------------------------------------------------------------------------------- renames

/**
 * Re-keys a cluster or instance under its new identifier and moves its tags to its new ARN (a rename changes the
 * ARN; the tags stay with the resource). Returns the old identifier.
 */
function rekey<K extends "DBClusterIdentifier" | "DBInstanceIdentifier", R extends Record<K, string>>(
  scope: NeptuneScope,
  table: Table<R>,
  record: R,
  idField: K,
  newId: string,
  arnOf: (region: string, accountId: string, id: string) => string,
): string {
  const oldId = record[idField];
  table.delete(oldId);
  record[idField] = newId as R[K];
  table.put(newId, record);
  const arn = (id: string) => arnOf(scope.region, scope.accountId, id);
  moveTags(scope.store, scope.accountId, scope.region, arn(oldId), arn(newId));
  return oldId;
}

/** NewDBClusterIdentifier: the cluster, its tags and its members' references move to the new name. */
export function renameCluster(scope: NeptuneScope, cluster: ClusterRecord, newId: string): void {
  const clusters = clusterTable(scope.store, scope.accountId, scope.region);
  const oldId = rekey(scope, clusters, cluster, "DBClusterIdentifier", newId, clusterArn);
  for (const instance of instanceTable(scope.store, scope.accountId, scope.region).values()) {
    if (instance.DBClusterIdentifier !== oldId) continue;
    instance.DBClusterIdentifier = newId;
    saveInstance(scope, instance);
  }
  announce(scope, clusterSource(scope, newId), `Renamed DB cluster from ${oldId} to ${newId}`, [
    "configuration change",
  ]);
}

/** NewDBInstanceIdentifier: the instance, its tags and its cluster's writer reference move to the new name. */
export function renameInstance(scope: NeptuneScope, instance: InstanceRecord, newId: string): void {
  const instances = instanceTable(scope.store, scope.accountId, scope.region);
  const oldId = rekey(scope, instances, instance, "DBInstanceIdentifier", newId, instanceArn);
  const cluster = clusterTable(scope.store, scope.accountId, scope.region).get(instance.DBClusterIdentifier);
  if (cluster?.writer === oldId) {
    cluster.writer = newId;
    saveCluster(scope, cluster);
  }
  announce(scope, instanceSource(scope, newId), `Renamed instance from ${oldId} to ${newId}`, ["configuration change"]);
}

// ---------------------------------------------------------------------------------------------- transitions over time

/** "You can stop a DB cluster for up to seven days. If you don't manually start it, it is automatically started." */
export const MAX_STOPPED_MS = 7 * DAY_MS;

/** When a stopped cluster starts by itself, if it is stopped. */
export function autoStartTime(cluster: ClusterRecord): number | undefined {
  return cluster.stopped && cluster.activity.kind === "stopping" ? cluster.activity.since + MAX_STOPPED_MS : undefined;
}

export function autoStart(scope: NeptuneScope, cluster: ClusterRecord, at: number): void {
  cluster.stopped = false;
  cluster.activity = { kind: "starting", since: at };
  saveCluster(scope, cluster);
  announce(
    scope,
    clusterSource(scope, cluster.DBClusterIdentifier),
    "DB cluster is being started due to it exceeding the maximum allowed time being stopped.",
    ["notification"],
    at,
  );
}

/**
 * Applies clusters' renames requested without ApplyImmediately once their maintenance window has come (instances'
 * pending changes: instances.ts applyDueInstanceChanges).
 */
export function applyDuePendingChanges(scope: NeptuneScope): void {
  for (const cluster of clusterTable(scope.store, scope.accountId, scope.region).values()) {
    const pending = cluster.pending;
    if (!pending || nextMaintenanceStart(cluster.PreferredMaintenanceWindow, pending.requestedAt) > scope.now) continue;
    cluster.pending = undefined;
    if (pending.identifier && !clusterTable(scope.store, scope.accountId, scope.region).has(pending.identifier)) {
      renameCluster(scope, cluster, pending.identifier);
    }
    saveCluster(scope, cluster);
  }
}

/**
 * Removes the records of `table` whose deletion has finished, with their tags, and records their "deleted" event
 * dated when the deletion finished. Returns the removed records.
 */
function sweep<R extends { activity: Activity }>(
  scope: NeptuneScope,
  table: Table<R>,
  resource: "cluster" | "instance",
  sourceOf: (record: R) => { SourceIdentifier: string; SourceType: SourceType; SourceArn: string },
  message: string,
): R[] {
  const finished = table
    .values()
    .filter((record) => record.activity.kind === "deleting" && !inProgress(record.activity, resource, scope));
  for (const record of finished) {
    const source = sourceOf(record);
    table.delete(source.SourceIdentifier);
    deleteAllTags(scope.store, scope.accountId, scope.region, source.SourceArn);
    announce(scope, source, message, ["deletion"], activityEnd(record.activity, resource, scope.delays));
  }
  return finished;
}

/**
 * Removes clusters and instances whose deletion has finished; a cluster's graph (its stored history and the live
 * graph) and its grant on its key go with it.
 */
export function sweepDeleted(scope: NeptuneScope): void {
  const instances = instanceTable(scope.store, scope.accountId, scope.region);
  const instancesGone = sweep(
    scope,
    instances,
    "instance",
    (i) => instanceSource(scope, i.DBInstanceIdentifier),
    "DB instance deleted",
  );
  const clusters = clusterTable(scope.store, scope.accountId, scope.region);
  const gone = sweep(
    scope,
    clusters,
    "cluster",
    (c) => clusterSource(scope, c.DBClusterIdentifier),
    "DB cluster deleted",
  );
  releasePorts(scope, [...instancesGone, ...gone]);
  for (const cluster of gone) scope.graphs.drop(scope, cluster);
  dropEndpointsOf(scope, gone);
  retireGrants(
    scope,
    gone.flatMap((c) => (c.KmsKeyId && c.kmsGrantId ? [{ keyArn: c.KmsKeyId, grantId: c.kmsGrantId }] : [])),
  );
}
