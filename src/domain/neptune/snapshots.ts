import type {
  CreateDBClusterSnapshotMessage,
  DBClusterSnapshot,
  DescribeDBClusterSnapshotsMessage,
  Tag,
} from "../../generated/neptune.js";
import type { AwsError } from "../../protocol/errors.js";
import { CommonErrors } from "../../protocol/errors.js";
import { neptuneFault } from "../../services/neptune/errors.js";
import { clusterArn, ownName } from "./arn.js";
import { isUsable } from "./cluster-state.js";
import { validIdentifier } from "./identifiers.js";
import { announce, clusterStatus, snapshotSource, type NeptuneScope } from "./lifecycle.js";
import { applyFilters, listPage } from "./listing.js";
import { findCluster } from "./lookups.js";
import { clusterSnapshotTable, type ClusterRecord, type ClusterSnapshotRecord } from "./records.js";
import { isPublic, resolveSnapshot, visibleForeignSnapshots, type SnapshotRef } from "./snapshot-access.js";
import {
  announceSnapshot,
  releaseSnapshotGraph,
  snapshotOfCluster,
  snapshotReadyAt,
  storeSnapshot,
} from "./snapshot-making.js";
import { untrackCopy } from "./pending-copies.js";
import { MANUAL_SNAPSHOT_QUOTA } from "./quotas.js";
import { indexShares } from "./share-index.js";
import { retireGrants } from "./storage.js";
import { findSubnetGroup } from "./subnet-groups.js";
import { deleteAllTags, validateTags } from "./tags.js";

/**
 * Manual cluster snapshots (reference §3.1–§3.5): create, delete, describe; how a snapshot is shown; its status
 * (derived from SnapshotCreateTime, `delays.snapshotMs` and the clock: `creating` or `copying` with
 * PercentProgress growing linearly, then `available`/100); the manual snapshot quota. A copy cancelled by deleting
 * it gives back the KMS grants it held (copy.ts takes them).
 */

// ---------------------------------------------------------------------------------------------- status

export type SnapshotStatus = "creating" | "copying" | "available";

/** While in progress: a copy (it has a SourceDBClusterSnapshotArn) is `copying`; anything else `creating`. */
const inProgressStatus = (snapshot: ClusterSnapshotRecord): SnapshotStatus =>
  snapshot.SourceDBClusterSnapshotArn ? "copying" : "creating";

export function snapshotStatus(scope: NeptuneScope, snapshot: ClusterSnapshotRecord): SnapshotStatus {
  return scope.now < snapshotReadyAt(scope, snapshot) ? inProgressStatus(snapshot) : "available";
}

/** 0 when started, 100 when available (an integer in the snapshot shape, reference §3.1). */
function percentProgress(scope: NeptuneScope, snapshot: ClusterSnapshotRecord): number {
  const total = scope.delays.snapshotMs;
  if (total <= 0 || scope.now >= snapshotReadyAt(scope, snapshot)) return 100;
  return Math.max(0, Math.floor((100 * (scope.now - snapshot.SnapshotCreateTime)) / total));
}

/**
 * AWS's wording for an operation refused in a resource's status, as observed for clusters ("DbCluster <id> is in
 * stopping state but expected it to be one of available."); *decided*: the same form for snapshots, whose
 * InvalidDBClusterSnapshotStateFault texts are not public (reference §10 q5).
 */
export function wrongSnapshotState(shownId: string, status: string, expected: string[]): AwsError {
  return neptuneFault(
    "InvalidDBClusterSnapshotStateFault",
    `DbClusterSnapshot ${shownId} is in ${status} state but expected it to be one of ${expected.join(", ")}.`,
  );
}

/** Copy and restore read a snapshot: it must be `available` ("a valid system snapshot in the available state"). */
export function requireAvailable(scope: NeptuneScope, ref: SnapshotRef, given: string): void {
  const status = snapshotStatus(scope, ref.record);
  if (status !== "available") throw wrongSnapshotState(given, status, ["available"]);
}

// ---------------------------------------------------------------------------------------------- how a snapshot is shown

/**
 * The snapshot as DescribeDBClusterSnapshots shows it to this caller. Another account's snapshot is shown with its
 * ARN as identifier (it can be addressed only by ARN, R5; RDS lists shared DB snapshots so) and, *decided*
 * (reference §10 q7), with SnapshotType `shared` or `public`: how the caller sees it (`shared` when shared with it
 * by name, public or not), as it lists it.
 */
export function snapshotView(scope: NeptuneScope, ref: SnapshotRef): DBClusterSnapshot {
  const s = ref.record;
  const foreign = ref.access !== "own";
  return {
    AvailabilityZones: [...s.AvailabilityZones],
    DBClusterSnapshotIdentifier: foreign ? s.DBClusterSnapshotArn : s.DBClusterSnapshotIdentifier,
    DBClusterIdentifier: s.DBClusterIdentifier,
    SnapshotCreateTime: new Date(s.SnapshotCreateTime),
    Engine: s.Engine,
    AllocatedStorage: s.AllocatedStorage,
    Status: snapshotStatus(scope, s),
    Port: s.Port,
    ...(s.VpcId ? { VpcId: s.VpcId } : {}),
    ClusterCreateTime: new Date(s.ClusterCreateTime),
    MasterUsername: s.MasterUsername,
    EngineVersion: s.EngineVersion,
    LicenseModel: s.LicenseModel,
    SnapshotType: foreign ? ref.access : s.SnapshotType,
    PercentProgress: percentProgress(scope, s),
    StorageEncrypted: s.StorageEncrypted,
    ...(s.StorageEncrypted && s.KmsKeyId ? { KmsKeyId: s.KmsKeyId } : {}),
    DBClusterSnapshotArn: s.DBClusterSnapshotArn,
    ...(s.SourceDBClusterSnapshotArn ? { SourceDBClusterSnapshotArn: s.SourceDBClusterSnapshotArn } : {}),
    IAMDatabaseAuthenticationEnabled: s.IAMDatabaseAuthenticationEnabled,
    StorageType: s.StorageType,
  };
}

/**
 * The caller's new snapshot as the response to the call that started it shows it: `creating` (a copy `copying`)
 * with PercentProgress 0 even when the delays make it instant, as AWS answers CreateDBClusterSnapshot (reference
 * §3.2); the next read derives the status from the clock. cluster-view.ts `responseView` does so for clusters.
 */
export function startedView(scope: NeptuneScope, snapshot: ClusterSnapshotRecord): DBClusterSnapshot {
  return { ...snapshotView(scope, own(scope, snapshot)), Status: inProgressStatus(snapshot), PercentProgress: 0 };
}

/** The caller's own snapshot, as snapshot-access.ts would resolve it. */
export const own = (scope: NeptuneScope, record: ClusterSnapshotRecord): SnapshotRef => ({
  record,
  ownerAccountId: scope.accountId,
  region: scope.region,
  access: "own",
});

// ---------------------------------------------------------------------------------------------- identifiers and quota

/** "Cannot create the cluster snapshot because one with the identifier <id> already exists." (observed, I-CP129) */
export function checkSnapshotIdFree(scope: NeptuneScope, id: string): void {
  if (clusterSnapshotTable(scope.store, scope.accountId, scope.region).has(id)) {
    throw neptuneFault(
      "DBClusterSnapshotAlreadyExistsFault",
      `Cannot create the cluster snapshot because one with the identifier ${id} already exists.`,
    );
  }
}

export { MANUAL_SNAPSHOT_QUOTA };

/** SnapshotQuotaExceeded (shape SnapshotQuotaExceededFault, 400); moto's text, AWS's is not public (reference §5). */
export function checkSnapshotQuota(scope: NeptuneScope): void {
  const manual = clusterSnapshotTable(scope.store, scope.accountId, scope.region)
    .values()
    .filter((s) => s.SnapshotType === "manual").length;
  if (manual >= MANUAL_SNAPSHOT_QUOTA) {
    throw neptuneFault(
      "SnapshotQuotaExceededFault",
      "The request cannot be processed because it would exceed the maximum number of snapshots.",
    );
  }
}

// ---------------------------------------------------------------------------------------------- create

/**
 * The checks a new manual snapshot of the cluster meets, in AWS's order: a free snapshot identifier, the cluster's
 * state (available; *decided*, as for other operations: `backing-up` too), the quota. CreateDBClusterSnapshot and
 * DeleteDBCluster's final snapshot share them.
 */
export function checkManualSnapshot(scope: NeptuneScope, cluster: ClusterRecord, id: string): void {
  checkSnapshotIdFree(scope, id);
  if (!isUsable(clusterStatus(scope, cluster))) {
    // Observed (reference §3.2, I-TF14527).
    throw neptuneFault(
      "InvalidDBClusterStateFault",
      "Cannot create a snapshot because the database instance is not currently in the available state.",
    );
  }
  checkSnapshotQuota(scope);
}

/**
 * A manual snapshot of the cluster, started now (`creating`/0, then `available`), keeping the cluster's key and
 * wrapped data key; with the explicit `tags`, else the cluster's when it has CopyTagsToSnapshot (*decided*: an
 * empty list is no tags given).
 */
export function takeManualSnapshot(
  scope: NeptuneScope,
  cluster: ClusterRecord,
  id: string,
  tags: Tag[] = [],
): ClusterSnapshotRecord {
  const snapshot = snapshotOfCluster(scope, cluster, {
    DBClusterSnapshotIdentifier: id,
    SnapshotType: "manual",
    at: scope.now,
    VpcId: findSubnetGroup(scope, cluster.DBSubnetGroup)?.VpcId,
  });
  storeSnapshot(scope, cluster, snapshot, tags);
  announceSnapshot(scope, snapshot);
  return snapshot;
}

/**
 * CreateDBClusterSnapshot (reference §3.2). Order of checks: the snapshot identifier, the cluster (the caller's
 * own), the new snapshot's checks (checkManualSnapshot), the tags.
 */
export function createClusterSnapshot(scope: NeptuneScope, request: CreateDBClusterSnapshotMessage): DBClusterSnapshot {
  const id = validIdentifier(request.DBClusterSnapshotIdentifier, "DBClusterSnapshotIdentifier");
  const cluster = findCluster(scope, request.DBClusterIdentifier);
  checkManualSnapshot(scope, cluster, id);
  const tags = request.Tags ?? [];
  validateTags(tags);
  return startedView(scope, takeManualSnapshot(scope, cluster, id, tags));
}

// ---------------------------------------------------------------------------------------------- delete

/**
 * DeleteDBClusterSnapshot (reference §3.5): only the owner (another account's ARN is not found, shared or not);
 * only manual snapshots ("Only manual snapshots may be deleted.", observed for a Neptune snapshot,
 * rebuy-de/aws-nuke#511); `available`, or `copying`, which cancels the copy ("If the snapshot is being copied, the
 * copy operation is terminated.") and gives back its grants. The response shows the snapshot as it was.
 */
export function deleteClusterSnapshot(scope: NeptuneScope, given: string): DBClusterSnapshot {
  const ref = resolveSnapshot(scope, given, "own");
  const snapshot = ref.record;
  if (snapshot.SnapshotType !== "manual")
    throw neptuneFault("InvalidDBClusterSnapshotStateFault", "Only manual snapshots may be deleted.");
  const status = snapshotStatus(scope, snapshot);
  if (status === "creating")
    throw wrongSnapshotState(snapshot.DBClusterSnapshotIdentifier, status, ["available", "copying"]);
  const view = snapshotView(scope, ref);
  clusterSnapshotTable(scope.store, scope.accountId, scope.region).delete(snapshot.DBClusterSnapshotIdentifier);
  releaseSnapshotGraph(scope, snapshot);
  indexShares(scope.store, scope.region, { ...snapshot, sharedWith: [] }, scope.accountId, snapshot.sharedWith ?? []);
  deleteAllTags(scope.store, scope.accountId, scope.region, snapshot.DBClusterSnapshotArn);
  if (snapshot.workGrants) {
    retireGrants(scope, snapshot.workGrants);
    untrackCopy(scope.store, {
      accountId: scope.accountId,
      region: scope.region,
      snapshotId: snapshot.DBClusterSnapshotIdentifier,
    });
  }
  // RDS-EVENT-0076 (*decided* text for a cluster snapshot).
  announce(scope, snapshotSource(snapshot), "Deleted manual cluster snapshot", ["deletion"]);
  return view;
}

// ---------------------------------------------------------------------------------------------- describe

const SNAPSHOT_TYPES = ["automated", "manual", "shared", "public"];

/**
 * The SnapshotType values a snapshot answers to for the caller (API reference, SnapshotType): its own, its type
 * (`automated` or `manual`); another account's, `shared` when shared with the caller by name and `public` when
 * "marked as public" (both for one that is both).
 */
function typesOf(ref: SnapshotRef): string[] {
  if (ref.access === "own") return [ref.record.SnapshotType];
  return [...(ref.access === "shared" ? ["shared"] : []), ...(isPublic(ref.record) ? ["public"] : [])];
}

/**
 * Which snapshots a listing covers: those of the SnapshotType asked for; without one, the caller's own, plus
 * shared ones with IncludeShared and public ones with IncludePublic ("IncludeShared and IncludePublic don't apply
 * for SnapshotType values of manual or automated…").
 */
function candidates(scope: NeptuneScope, request: DescribeDBClusterSnapshotsMessage): SnapshotRef[] {
  const wanted = request.SnapshotType
    ? [request.SnapshotType]
    : [
        "automated",
        "manual",
        ...(request.IncludeShared ? ["shared"] : []),
        ...(request.IncludePublic ? ["public"] : []),
      ];
  const owned = clusterSnapshotTable(scope.store, scope.accountId, scope.region)
    .values()
    .map((record) => own(scope, record));
  // Other accounts' stores are read only when the listing can show their snapshots.
  const foreign = wanted.includes("shared") || wanted.includes("public") ? visibleForeignSnapshots(scope) : [];
  return [...owned, ...foreign].filter((ref) => typesOf(ref).some((type) => wanted.includes(type)));
}

/**
 * DescribeDBClusterSnapshots (reference §3.3). Order of checks: DBClusterIdentifier and DBClusterSnapshotIdentifier
 * exclude each other (*decided*: InvalidParameterCombination), SnapshotType must be one of the four, MaxRecords
 * 20–100, the filters RDS supports (db-cluster-id, db-cluster-snapshot-id, snapshot-type, engine; the Neptune
 * reference calls Filters unsupported, but its backend is RDS's). A DBClusterSnapshotIdentifier (name, or ARN for
 * a shared one) that is not visible is DBClusterSnapshotNotFoundFault; *decided* (reference §10 q6): an automated
 * snapshot named without SnapshotType is returned all the same. Oldest first.
 */
export function describeClusterSnapshots(
  scope: NeptuneScope,
  request: DescribeDBClusterSnapshotsMessage,
): { DBClusterSnapshots: DBClusterSnapshot[]; Marker?: string } {
  if (request.DBClusterIdentifier !== undefined && request.DBClusterSnapshotIdentifier !== undefined) {
    throw CommonErrors.invalidParameterCombination(
      "DBClusterIdentifier and DBClusterSnapshotIdentifier cannot be used together.",
    );
  }
  if (request.SnapshotType !== undefined && !SNAPSHOT_TYPES.includes(request.SnapshotType)) {
    throw CommonErrors.invalidParameterValue(
      `Invalid value ${request.SnapshotType} for SnapshotType. Must be one of: ${SNAPSHOT_TYPES.join(", ")}`,
    );
  }
  let refs: SnapshotRef[];
  if (request.DBClusterSnapshotIdentifier !== undefined) {
    const ref = resolveSnapshot(scope, request.DBClusterSnapshotIdentifier, "read");
    refs = request.SnapshotType === undefined || typesOf(ref).includes(request.SnapshotType) ? [ref] : [];
  } else {
    refs = candidates(scope, request);
    if (request.DBClusterIdentifier !== undefined) {
      const wanted = ownName(request.DBClusterIdentifier, "cluster", scope)?.toLowerCase();
      refs = refs.filter((ref) => ref.record.DBClusterIdentifier === wanted);
    }
  }
  refs = applyFilters(refs, request.Filters, {
    "db-cluster-id": (ref) => [
      ref.record.DBClusterIdentifier,
      clusterArn(ref.region, ref.ownerAccountId, ref.record.DBClusterIdentifier),
    ],
    "db-cluster-snapshot-id": (ref) => [ref.record.DBClusterSnapshotIdentifier, ref.record.DBClusterSnapshotArn],
    "snapshot-type": typesOf,
    engine: (ref) => [ref.record.Engine],
  });
  refs.sort(
    (x, y) =>
      x.record.SnapshotCreateTime - y.record.SnapshotCreateTime ||
      x.record.DBClusterSnapshotArn.localeCompare(y.record.DBClusterSnapshotArn),
  );
  return listPage("DBClusterSnapshots", refs, request, (ref) => snapshotView(scope, ref));
}
