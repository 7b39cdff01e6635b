import type { CopyDBClusterSnapshotMessage, DBClusterSnapshot } from "../../generated/neptune.js";
import { CommonErrors } from "../../protocol/errors.js";
import type { Table } from "../../state/store.js";
import { clusterSnapshotArn } from "./arn.js";
import { validIdentifier } from "./identifiers.js";
import type { NeptuneScope } from "./lifecycle.js";
import { trackCopy, takeDueCopies, untrackCopy, type PendingCopy } from "./pending-copies.js";
import { clusterSnapshotTable, type ClusterSnapshotRecord } from "./records.js";
import { resolveSnapshot, type SnapshotRef } from "./snapshot-access.js";
import { announceSnapshot, shareSnapshotGraph, snapshotReadyAt } from "./snapshot-making.js";
import { checkSnapshotIdFree, checkSnapshotQuota, requireAvailable, startedView } from "./snapshots.js";
import {
  keyNotAccessible,
  retireGrants,
  rewrapDataKey,
  sourceKeyNotAccessible,
  takeGrant,
  usableKey,
  withKeyFault,
} from "./storage.js";
import { getTags, setTags, validateTags } from "./tags.js";

/**
 * CopyDBClusterSnapshot (reference §3.4, rules.md R7–R10): a manual snapshot of the caller made from its own
 * snapshot (by name or ARN, automated ones included) or from one another account shared with it (by ARN only).
 * The copy is `copying` (always so in the response) until `delays.snapshotMs` have passed, then `available`; its
 * SourceDBClusterSnapshotArn names the source. The data key is re-wrapped from the source key to the target key through KMS on the caller's
 * behalf, via RDS, as AWS does it; the grants Neptune takes for the work show in ListGrants until the copy ends.
 * The copy refers to the source's graph image (sealed with the data key it re-wraps): O(1) in the graph's size.
 */

/** What the copy needs of the source key, asked as the caller via RDS (R10; reference §6.6). */
const SOURCE_KEY_ACTIONS = ["kms:DescribeKey", "kms:CreateGrant", "kms:ReEncryptFrom"];
/** What it needs of the target key: usable for a resource (RDS-KEYS), and to receive the re-wrapped data key. */
const TARGET_KEY_ACTIONS = ["kms:DescribeKey", "kms:CreateGrant", "kms:ReEncryptTo"];

/**
 * Order of checks: the target identifier; the source, as the caller may see it (not visible: not found); the
 * source available; the target identifier free; CopyTags on another account's snapshot (R8); KmsKeyId with an
 * unencrypted source; no KmsKeyId for an encrypted snapshot of another account (R9); the quota; the tags; then
 * KMS, source key first (R10), target key second.
 */
export function copyClusterSnapshot(scope: NeptuneScope, request: CopyDBClusterSnapshotMessage): DBClusterSnapshot {
  const targetId = validIdentifier(request.TargetDBClusterSnapshotIdentifier, "TargetDBClusterSnapshotIdentifier");
  const given = request.SourceDBClusterSnapshotIdentifier;
  const source = resolveSnapshot(scope, given, "use");
  requireAvailable(scope, source, given);
  checkSnapshotIdFree(scope, targetId);
  const foreign = source.access !== "own";
  if (foreign && request.CopyTags) {
    // R8, *decided* code; the text is the one the seed names.
    throw CommonErrors.invalidParameterValue("Cannot copy tags for shared or public snapshots.");
  }
  const keyGiven = request.KmsKeyId !== undefined && request.KmsKeyId !== "";
  if (keyGiven && !source.record.StorageEncrypted) {
    // "If you copy an unencrypted DB cluster snapshot and specify a value for the KmsKeyId parameter, an error is
    // returned." (API reference); *decided* code and text. Encrypt on restore instead (NEP-COPY).
    throw CommonErrors.invalidParameterCombination(
      "Cannot encrypt an unencrypted DB cluster snapshot when copying it: copy it without KmsKeyId, then give the KmsKeyId to RestoreDBClusterFromSnapshot.",
    );
  }
  if (foreign && source.record.StorageEncrypted && !keyGiven) {
    // R9: "you must specify a value for KmsKeyId" for an encrypted snapshot shared from another account; *decided*
    // code and text.
    throw CommonErrors.invalidParameterValue(
      "The source snapshot is encrypted and belongs to another AWS account: specify a KmsKeyId of your account to encrypt the copy.",
    );
  }
  checkSnapshotQuota(scope);
  const tags = request.Tags ?? [];
  validateTags(tags);

  const targetArn = clusterSnapshotArn(scope.region, scope.accountId, targetId);
  const encryption = source.record.StorageEncrypted ? reencrypt(scope, source, request.KmsKeyId, targetArn) : {};
  const copy: ClusterSnapshotRecord = {
    ...withoutOwnerState(source.record),
    DBClusterSnapshotIdentifier: targetId,
    DBClusterSnapshotArn: targetArn,
    SnapshotType: "manual",
    SnapshotCreateTime: scope.now,
    SourceDBClusterSnapshotArn: source.record.DBClusterSnapshotArn,
    ...encryption,
  };
  const snapshots = clusterSnapshotTable(scope.store, scope.accountId, scope.region);
  snapshots.put(targetId, copy);
  shareSnapshotGraph(scope, copy);
  // Explicit Tags win over CopyTags ("verified against real AWS", moto); *decided*: an empty list is no tags given.
  const copiedTags =
    tags.length > 0
      ? tags
      : request.CopyTags
        ? getTags(scope.store, scope.accountId, scope.region, source.record.DBClusterSnapshotArn)
        : [];
  if (copiedTags.length > 0) setTags(scope.store, scope.accountId, scope.region, targetArn, copiedTags);
  announceSnapshot(scope, copy);
  const view = startedView(scope, copy);
  // Tracked until it ends; with instant delays it has already ended, and its grants go back now.
  finishIfDone(scope, snapshots, copy, { accountId: scope.accountId, region: scope.region, snapshotId: targetId });
  return view;
}

/** The source's own bookkeeping does not travel with a copy: its shares, its grants, its data key. */
function withoutOwnerState(record: ClusterSnapshotRecord): ClusterSnapshotRecord {
  const rest = { ...record };
  for (const field of ["sharedWith", "workGrants", "wrappedDataKey", "KmsKeyId"] as const) delete rest[field];
  return rest;
}

/**
 * The copy's key and data key. Source key: the caller must be allowed (key policy and, across accounts, its own
 * IAM policy) to use it via RDS, else "The source snapshot KMS key [ARN] …" (R10). Target key: the KmsKeyId as
 * given, else (own snapshot) the source's key; unusable: "Specified KMS key [as given] …" (R10). Neptune takes a
 * grant on each key for the work, then ReEncrypts the data key from one to the other; on any refusal the grants
 * already taken are given back.
 */
function reencrypt(
  scope: NeptuneScope,
  source: SnapshotRef,
  kmsKeyId: string | undefined,
  targetArn: string,
): Pick<ClusterSnapshotRecord, "KmsKeyId" | "wrappedDataKey" | "workGrants"> {
  const sourceKeyArn = source.record.KmsKeyId!;
  const sourceFault = () => sourceKeyNotAccessible(sourceKeyArn);
  const targetFault = () => keyNotAccessible(kmsKeyId!);
  withKeyFault(sourceFault, () => usableKey(scope, sourceKeyArn, SOURCE_KEY_ACTIONS));
  const targetKeyArn = kmsKeyId
    ? withKeyFault(targetFault, () => usableKey(scope, kmsKeyId, TARGET_KEY_ACTIONS)).keyArn
    : sourceKeyArn;
  const workGrants: { keyArn: string; grantId: string }[] = [];
  try {
    workGrants.push({
      keyArn: sourceKeyArn,
      grantId: withKeyFault(sourceFault, () => takeGrant(scope, sourceKeyArn, targetArn)),
    });
    if (targetKeyArn !== sourceKeyArn) {
      workGrants.push({
        keyArn: targetKeyArn,
        grantId: withKeyFault(targetFault, () => takeGrant(scope, targetKeyArn, targetArn)),
      });
    }
    const wrapped = source.record.wrappedDataKey;
    const rewrapped = wrapped
      ? withKeyFault(sourceFault, () => rewrapDataKey(scope, Buffer.from(wrapped), sourceKeyArn, targetKeyArn))
      : undefined;
    return {
      KmsKeyId: targetKeyArn,
      ...(rewrapped ? { wrappedDataKey: rewrapped } : {}),
      workGrants,
    };
  } catch (error) {
    retireGrants(scope, workGrants);
    throw error;
  }
}

/**
 * Gives back the grants of copies that have finished, in every account ("The service creates a grant on behalf of
 * a user … and retires the grant as soon as its task is complete", KMS-GRANTS). A copy ends on the clock, not on a
 * timer, so this runs before every Neptune request (catch-up.ts); the index of copies in progress
 * (pending-copies.ts) makes that one read until a copy is due, however many accounts and regions hold state. The
 * grants of a copy cancelled by DeleteDBClusterSnapshot are given back there.
 */
export function finishCopies(scope: NeptuneScope): void {
  for (const due of takeDueCopies(scope.store, scope.now)) {
    const table = clusterSnapshotTable(scope.store, due.accountId, due.region);
    const snapshot = table.get(due.snapshotId);
    if (snapshot) finishIfDone(scope, table, snapshot, due);
  }
}

/**
 * A copy that has finished gives back its grants and forgets them; one still running (the delays changed since it
 * started) is looked at again when it is due.
 */
function finishIfDone(
  scope: NeptuneScope,
  table: Table<ClusterSnapshotRecord>,
  snapshot: ClusterSnapshotRecord,
  place: Omit<PendingCopy, "dueAt">,
): void {
  if (!snapshot.workGrants) return;
  const dueAt = snapshotReadyAt(scope, snapshot);
  if (scope.now < dueAt) return trackCopy(scope.store, { ...place, dueAt });
  untrackCopy(scope.store, place);
  retireGrants(scope, snapshot.workGrants);
  const finished = { ...snapshot };
  delete finished.workGrants;
  table.put(finished.DBClusterSnapshotIdentifier, finished);
}
