import type { CopyDBClusterSnapshotMessage, DBClusterSnapshot } from "../../generated/neptune.js";
import { CommonErrors } from "../../protocol/errors.js";
import type { Table } from "../../state/store.js";
import { clusterSnapshotArn } from "./arn.js";
import { availabilityZones } from "./catalogue.js";
import { validIdentifier } from "./identifiers.js";
import type { NeptuneScope } from "./lifecycle.js";
import { trackCopy, takeDueCopies, untrackCopy, type PendingCopy } from "./pending-copies.js";
import { checkPresignedUrl, type RequestAuthenticator } from "./presigned-url.js";
import { clusterSnapshotTable, type ClusterSnapshotRecord } from "./records.js";
import { resolveSnapshot, type SnapshotRef } from "./snapshot-access.js";
import { announceSnapshot, shareSnapshotGraph, snapshotReadyAt } from "./snapshot-making.js";
import { checkSnapshotIdFree, checkSnapshotQuota, requireAvailable, startedView } from "./snapshots.js";
import {
  carryDataKey,
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
 * snapshot (by name or ARN, automated ones included) or from one another account shared with it (by ARN only),
 * in the caller's Region or, by ARN, from another Region (the call goes to the destination Region). The copy is
 * `copying` (always so in the response) until `delays.snapshotMs` have passed, then `available`; its
 * SourceDBClusterSnapshotArn names the source. The data key is re-wrapped from the source key to the target key
 * through KMS on the caller's behalf, via RDS, as AWS does it (across Regions: unwrapped in the source's Region,
 * wrapped in the copy's); the grants Neptune takes for the work show in ListGrants until the copy ends.
 * The copy refers to the source's graph image (sealed with the data key it re-wraps): O(1) in the graph's size.
 */

/** What the copy needs of the source key, asked as the caller via RDS (R10; reference §6.6). */
const SOURCE_KEY_ACTIONS = ["kms:DescribeKey", "kms:CreateGrant", "kms:ReEncryptFrom"];
/** What it needs of the target key: usable for a resource (RDS-KEYS), and to receive the re-wrapped data key. */
const TARGET_KEY_ACTIONS = ["kms:DescribeKey", "kms:CreateGrant", "kms:ReEncryptTo"];
/** Across Regions the data key is unwrapped in the source's Region and wrapped in the copy's: Decrypt, Encrypt. */
const CROSS_REGION_SOURCE_KEY_ACTIONS = ["kms:DescribeKey", "kms:CreateGrant", "kms:Decrypt"];
const CROSS_REGION_TARGET_KEY_ACTIONS = ["kms:DescribeKey", "kms:CreateGrant", "kms:Encrypt"];

/**
 * Order of checks: the target identifier; the source, as the caller may see it (not visible: not found); the
 * source available; the target identifier free; CopyTags on another account's snapshot (R8); KmsKeyId with an
 * unencrypted source; no KmsKeyId for an encrypted snapshot of another account (R9); across Regions, for an
 * encrypted source: not another account's (R12), a KmsKeyId given (R13), the PreSignedUrl (R13); the quota; the
 * tags; then KMS, source key first (R10), target key second (a key of another Region is not found there, R13).
 */
export function copyClusterSnapshot(
  scope: NeptuneScope,
  request: CopyDBClusterSnapshotMessage,
  authenticateUrl: RequestAuthenticator,
): DBClusterSnapshot {
  const targetId = validIdentifier(request.TargetDBClusterSnapshotIdentifier, "TargetDBClusterSnapshotIdentifier");
  const given = request.SourceDBClusterSnapshotIdentifier;
  const source = resolveSnapshot(scope, given, "copy");
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
  const crossRegion = source.region !== scope.region;
  if (crossRegion && source.record.StorageEncrypted)
    checkEncryptedCrossRegion(scope, request, source, foreign, authenticateUrl);
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
    // A copy in another Region lies in that Region's zones.
    ...(crossRegion ? { AvailabilityZones: availabilityZones(scope.region).slice(0, 3) } : {}),
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
        ? getTags(scope.store, scope.accountId, source.region, source.record.DBClusterSnapshotArn)
        : [];
  if (copiedTags.length > 0) setTags(scope.store, scope.accountId, scope.region, targetArn, copiedTags);
  announceSnapshot(scope, copy);
  const view = startedView(scope, copy);
  // Tracked until it ends; with instant delays it has already ended, and its grants go back now.
  finishIfDone(scope, snapshots, copy, { accountId: scope.accountId, region: scope.region, snapshotId: targetId });
  return view;
}

/**
 * An encrypted snapshot from another Region (RDS API reference, CopyDBClusterSnapshot):
 * - R12: "You can't copy an encrypted, shared DB cluster snapshot from one AWS Region to another." *Decided* code
 *   and text; the way round is to copy it in its own Region first, then copy that copy.
 * - R13: "To copy an encrypted DB cluster snapshot to another Region, you must set KmsKeyId to the KMS key ID …
 *   in the destination Region"; without one, RDS's observed answer (1Strategy/rds-oracle-cross-account-cross-region-dr#1).
 * - R13: the PreSignedUrl, checked in presigned-url.ts.
 */
function checkEncryptedCrossRegion(
  scope: NeptuneScope,
  request: CopyDBClusterSnapshotMessage,
  source: SnapshotRef,
  foreign: boolean,
  authenticateUrl: RequestAuthenticator,
): void {
  if (foreign) {
    throw CommonErrors.invalidParameterCombination(
      "You can't copy an encrypted, shared DB cluster snapshot from one AWS Region to another: copy it in its own Region first, then copy that copy.",
    );
  }
  if (!request.KmsKeyId) {
    throw CommonErrors.invalidParameterValue("Must specify new KMS key for cross region encrypted snapshot copy.");
  }
  checkPresignedUrl(
    request,
    { accountId: scope.accountId, sourceRegion: source.region, destinationRegion: scope.region },
    authenticateUrl,
  );
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
 * already taken are given back. Across Regions the source key is used in its own Region (its grant goes to that
 * Region's RDS) and the target key, always given then, in the copy's.
 */
function reencrypt(
  scope: NeptuneScope,
  source: SnapshotRef,
  kmsKeyId: string | undefined,
  targetArn: string,
): Pick<ClusterSnapshotRecord, "KmsKeyId" | "wrappedDataKey" | "workGrants"> {
  const crossRegion = source.region !== scope.region;
  const sourceScope: NeptuneScope = crossRegion ? { ...scope, region: source.region } : scope;
  const sourceKeyArn = source.record.KmsKeyId!;
  const sourceFault = () => sourceKeyNotAccessible(sourceKeyArn);
  const targetFault = () => keyNotAccessible(kmsKeyId!);
  const [sourceActions, targetActions] = crossRegion
    ? [CROSS_REGION_SOURCE_KEY_ACTIONS, CROSS_REGION_TARGET_KEY_ACTIONS]
    : [SOURCE_KEY_ACTIONS, TARGET_KEY_ACTIONS];
  withKeyFault(sourceFault, () => usableKey(sourceScope, sourceKeyArn, sourceActions));
  const targetKeyArn = kmsKeyId
    ? withKeyFault(targetFault, () => usableKey(scope, kmsKeyId, targetActions)).keyArn
    : sourceKeyArn;
  const workGrants: { keyArn: string; grantId: string }[] = [];
  try {
    workGrants.push({
      keyArn: sourceKeyArn,
      grantId: withKeyFault(sourceFault, () => takeGrant(sourceScope, sourceKeyArn, targetArn)),
    });
    if (targetKeyArn !== sourceKeyArn) {
      workGrants.push({
        keyArn: targetKeyArn,
        grantId: withKeyFault(targetFault, () => takeGrant(scope, targetKeyArn, targetArn)),
      });
    }
    const wrapped = source.record.wrappedDataKey;
    const rewrapped = !wrapped
      ? undefined
      : crossRegion
        ? carryDataKey(
            { scope: sourceScope, keyArn: sourceKeyArn },
            { scope, keyArn: targetKeyArn },
            Buffer.from(wrapped),
            { from: sourceFault, to: targetFault },
          )
        : withKeyFault(sourceFault, () => rewrapDataKey(scope, Buffer.from(wrapped), sourceKeyArn, targetKeyArn));
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
