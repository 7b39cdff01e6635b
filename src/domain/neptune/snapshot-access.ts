import { neptuneFault } from "../../services/neptune/errors.js";
import { isServedRegion } from "../../auth/regions.js";
import { parseRdsArn } from "./arn.js";
import { isValidIdentifier } from "./identifiers.js";
import type { NeptuneScope } from "./lifecycle.js";
import { clusterSnapshotTable, type ClusterSnapshotRecord } from "./records.js";
import { sharesWith } from "./share-index.js";

/**
 * THE resolver for "a cluster snapshot as a caller names it" (DESIGN §4: cross-account access only through
 * ARNs, decided by the owner's state). A name is looked up in the caller's own (account, region) only; an ARN is
 * looked up in the owner's store, and the owner's `restore` attribute decides what the caller sees:
 *
 *   own     the caller's snapshot: every operation
 *   shared  another account's manual snapshot whose `restore` attribute names the caller: copy, restore, describe
 *   public  another account's manual snapshot whose `restore` attribute holds `all`: the same
 *
 * Anything else is not visible, and is answered exactly like a snapshot that does not exist, so nothing about
 * another account's snapshots leaks. Every snapshot operation goes through here.
 */

export type SnapshotAccess = "own" | "shared" | "public";

export interface SnapshotRef {
  record: ClusterSnapshotRecord;
  /** Where the snapshot lives: the owner's account, and its region (the caller's, except for a copy's source). */
  ownerAccountId: string;
  region: string;
  access: SnapshotAccess;
}

/**
 * What the caller wants to do: only the owner may modify, delete or read the attributes of a snapshot; only a
 * copy reaches a snapshot of another region (by ARN: "If the source snapshot is in a different Region than the copy,
 * specify a valid DB cluster snapshot ARN", RDS API reference CopyDBClusterSnapshot); restore and describe stay in
 * the caller's region, as in AWS.
 */
export type SnapshotUse = "read" | "use" | "copy" | "own";

/** `DBClusterSnapshot not found: <as given>` (observed for names and ARNs, reference §5). */
function snapshotNotFound(given: string) {
  return neptuneFault("DBClusterSnapshotNotFoundFault", `DBClusterSnapshot not found: ${given}`);
}

/** An automated snapshot's name: `rds:` and an identifier (reference §2.2). */
const AUTOMATED_NAME = /^rds:(.+)$/i;

/** Whether a name can name a cluster snapshot at all: an identifier, or `rds:` + identifier for automated ones. */
function isSnapshotName(name: string): boolean {
  const automated = AUTOMATED_NAME.exec(name);
  return isValidIdentifier(automated ? automated[1]! : name);
}

/** Whether a snapshot is public: a manual one whose `restore` attribute holds `all`. */
export function isPublic(record: ClusterSnapshotRecord): boolean {
  // Automated snapshots can't be shared (R1); the attribute of one is never set, but say so here too.
  return record.SnapshotType === "manual" && (record.sharedWith ?? []).includes("all");
}

/**
 * How another account's snapshot is visible to `accountId`: by name in its `restore` attribute (which wins when
 * the snapshot is public as well), or as public.
 */
function accessFor(record: ClusterSnapshotRecord, accountId: string): "shared" | "public" | undefined {
  if (record.SnapshotType !== "manual") return undefined;
  if ((record.sharedWith ?? []).includes(accountId)) return "shared";
  return isPublic(record) ? "public" : undefined;
}

/** The snapshot a caller names, with what the caller may do with it; undefined when it is not visible. */
function findSnapshot(scope: NeptuneScope, given: string, acrossRegions: boolean): SnapshotRef | undefined {
  if (given.startsWith("arn:")) {
    const arn = parseRdsArn(given);
    if (!arn || arn.type !== "cluster-snapshot" || !isSnapshotName(arn.name)) return undefined;
    if (arn.region !== scope.region && (!acrossRegions || !isServedRegion(arn.region))) return undefined;
    const record = clusterSnapshotTable(scope.store, arn.accountId, arn.region).get(arn.name.toLowerCase());
    if (!record) return undefined;
    if (arn.accountId === scope.accountId)
      return { record, ownerAccountId: arn.accountId, region: arn.region, access: "own" };
    const access = accessFor(record, scope.accountId);
    return access ? { record, ownerAccountId: arn.accountId, region: arn.region, access } : undefined;
  }
  // A name is always the caller's own: a shared snapshot is addressed only by its ARN (R5, NEP-SHARE).
  if (!isSnapshotName(given)) return undefined;
  const record = clusterSnapshotTable(scope.store, scope.accountId, scope.region).get(given.toLowerCase());
  return record ? { record, ownerAccountId: scope.accountId, region: scope.region, access: "own" } : undefined;
}

/**
 * The snapshot a caller names, for a use: `read`, `use` and `copy` (describe, restore, copy) accept shared and public
 * snapshots; `own` (modify, delete, describe attributes) only the caller's own. Refusals are not-found faults
 * (*decided*: a recipient that names a shared snapshot for an owner's operation learns nothing more than that).
 */
export function resolveSnapshot(scope: NeptuneScope, given: string, use: SnapshotUse): SnapshotRef {
  const ref = findSnapshot(scope, given, use === "copy");
  if (!ref || (use === "own" && ref.access !== "own")) throw snapshotNotFound(given);
  return ref;
}

/**
 * Other accounts' snapshots of the region the caller can see: shared with it, or public (R5). Read through the
 * share index (the caller's rows and the public ones), then checked against each owner's record.
 */
export function visibleForeignSnapshots(scope: NeptuneScope): SnapshotRef[] {
  const refs = new Map<string, SnapshotRef>();
  for (const grantee of [scope.accountId, "all"]) {
    for (const share of sharesWith(scope.store, grantee, scope.region)) {
      if (share.ownerAccountId === scope.accountId) continue;
      const record = clusterSnapshotTable(scope.store, share.ownerAccountId, scope.region).get(share.snapshotId);
      const access = record && accessFor(record, scope.accountId);
      if (record && access && !refs.has(record.DBClusterSnapshotArn))
        refs.set(record.DBClusterSnapshotArn, {
          record,
          ownerAccountId: share.ownerAccountId,
          region: scope.region,
          access,
        });
    }
  }
  return [...refs.values()];
}
