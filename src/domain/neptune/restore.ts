import type {
  DBCluster,
  RestoreDBClusterFromSnapshotMessage,
  RestoreDBClusterToPointInTimeMessage,
  Tag,
} from "../../generated/neptune.js";
import { CommonErrors } from "../../protocol/errors.js";
import { neptuneFault } from "../../services/neptune/errors.js";
import { checkEngineName } from "./catalogue.js";
import { clusterSettings, type ClusterSettings } from "./cluster-settings.js";
import { clusterView } from "./cluster-view.js";
import { insertCluster, newClusterResourceId } from "./clusters.js";
import { validIdentifier } from "./identifiers.js";
import type { NeptuneScope } from "./lifecycle.js";
import { findCluster } from "./lookups.js";
import type { ClusterSnapshotRecord } from "./records.js";
import { resolveSnapshot } from "./snapshot-access.js";
import { requireAvailable } from "./snapshots.js";
import {
  encryptionFor,
  keyNotAccessible,
  RESOURCE_KEY_ACTIONS,
  rewrapDataKey,
  sourceKeyNotAccessible,
  takeGrant,
  unwrapDataKey,
  usableKey,
  withKeyFault,
  type ClusterEncryption,
} from "./storage.js";
import { validateTags } from "./tags.js";
import { retainImage, type ImageRef } from "./data-plane/graph-images.js";

/**
 * New clusters from stored data (reference §3.8, §3.9; rules.md R6, R11): RestoreDBClusterFromSnapshot and
 * RestoreDBClusterToPointInTime. Either makes a cluster in `creating`, then `available`, with no instances
 * (CreateDBInstance adds them), through the clusters module's own settings checks and insertion. Its storage keeps
 * the source's data key: unwrapped with the source's key, or re-wrapped to the KmsKeyId given.
 */

/** Where a new cluster's data comes from (a snapshot or a cluster), as far as encryption goes: its key's ARN. */
type EncryptedSource = Pick<ClusterSnapshotRecord, "StorageEncrypted" | "KmsKeyId" | "wrappedDataKey">;

/**
 * The restored cluster's encryption.
 * - Unencrypted source: unencrypted, or, with a KmsKeyId, encrypted under it, checked exactly as CreateDBCluster
 *   checks a key ("leave the DB cluster snapshot unencrypted and instead specify a KMS key when restoring", NEP-COPY).
 * - Encrypted source without KmsKeyId: the source's key. The caller must be allowed to use it via RDS and the data
 *   key must open under it, else KMSKeyNotAccessibleFault in the source key's words (*decided*: R10's source text;
 *   the key is the source snapshot's).
 * - Encrypted source with KmsKeyId: the given key, checked as a create checks it (R10's "Specified KMS key" text);
 *   the data key is re-wrapped from the source key to it.
 * Neptune then holds a grant on the cluster's key, as for any new cluster.
 */
function restoredEncryption(
  scope: NeptuneScope,
  source: EncryptedSource,
  kmsKeyId: string | undefined,
  resourceId: string,
): ClusterEncryption {
  const keyGiven = kmsKeyId !== undefined && kmsKeyId !== "";
  if (!source.StorageEncrypted || !source.KmsKeyId)
    return keyGiven
      ? encryptionFor(scope, { StorageEncrypted: true, KmsKeyId: kmsKeyId }, resourceId)
      : { StorageEncrypted: false };
  const sourceKeyArn = source.KmsKeyId;
  const sourceFault = () => sourceKeyNotAccessible(sourceKeyArn);
  const wrapped = source.wrappedDataKey ? Buffer.from(source.wrappedDataKey) : undefined;
  if (!keyGiven) {
    withKeyFault(sourceFault, () => usableKey(scope, sourceKeyArn, RESOURCE_KEY_ACTIONS));
    if (wrapped) withKeyFault(sourceFault, () => unwrapDataKey(scope, sourceKeyArn, wrapped));
    const grantId = withKeyFault(sourceFault, () => takeGrant(scope, sourceKeyArn, resourceId));
    return {
      StorageEncrypted: true,
      KmsKeyId: sourceKeyArn,
      ...(wrapped ? { wrappedDataKey: wrapped } : {}),
      kmsGrantId: grantId,
    };
  }
  const targetFault = () => keyNotAccessible(kmsKeyId);
  const target = withKeyFault(targetFault, () => usableKey(scope, kmsKeyId, RESOURCE_KEY_ACTIONS));
  withKeyFault(sourceFault, () => usableKey(scope, sourceKeyArn, ["kms:DescribeKey", "kms:ReEncryptFrom"]));
  const rewrapped = wrapped
    ? withKeyFault(sourceFault, () => rewrapDataKey(scope, wrapped, sourceKeyArn, target.keyArn))
    : undefined;
  const grantId = withKeyFault(targetFault, () => takeGrant(scope, target.keyArn, resourceId));
  return {
    StorageEncrypted: true,
    KmsKeyId: target.keyArn,
    ...(rewrapped ? { wrappedDataKey: rewrapped } : {}),
    kmsGrantId: grantId,
  };
}

/**
 * The last steps of either restore: the tags checked, then KMS (the new cluster's encryption), then the cluster,
 * then its graph: `graph` gives the image it starts from (a reference the new cluster takes over).
 */
function insertRestored(
  scope: NeptuneScope,
  settings: ClusterSettings,
  requestTags: Tag[] | undefined,
  source: EncryptedSource,
  kmsKeyId: string | undefined,
  graph: () => ImageRef | undefined,
): DBCluster {
  const tags = requestTags ?? [];
  validateTags(tags);
  const resourceId = newClusterResourceId();
  const encryption = restoredEncryption(scope, source, kmsKeyId, resourceId);
  const cluster = insertCluster(scope, settings, encryption, resourceId, tags);
  scope.graphs.startFrom(scope, cluster, graph());
  return clusterView(scope, cluster, []);
}

/**
 * RestoreDBClusterFromSnapshot. Order of checks: the engine (only `neptune`), the cluster identifier, the snapshot
 * (own by name or ARN; another account's by ARN when shared with the caller or public; else not found), the
 * snapshot available, an encrypted snapshot of another account (R6), the cluster settings (free identifier,
 * version, groups …; version, port, IAM auth and storage type default to the snapshot's), the tags, then KMS.
 * The cluster takes the request's subnet group, security groups, parameter group, tags and DeletionProtection.
 */
export function restoreFromSnapshot(scope: NeptuneScope, request: RestoreDBClusterFromSnapshotMessage): DBCluster {
  checkEngineName(request.Engine);
  validIdentifier(request.DBClusterIdentifier, "DBClusterIdentifier");
  const given = request.SnapshotIdentifier;
  const ref = resolveSnapshot(scope, given, "use");
  requireAvailable(scope, ref, given);
  const snapshot = ref.record;
  if (ref.access !== "own" && snapshot.StorageEncrypted) {
    // R6: "Encrypted snapshots cannot be restored directly; they must be copied first and then restored from the
    // copy." (NEP-SHARE, newest version); *decided* code and text.
    throw CommonErrors.invalidParameterValue(
      "An encrypted snapshot shared from another account can't be restored directly: copy it to your account with CopyDBClusterSnapshot and a KmsKeyId of your account, then restore the copy.",
    );
  }
  const settings = clusterSettings(scope, {
    ...request,
    EngineVersion: request.EngineVersion ?? snapshot.EngineVersion,
    Port: request.Port ?? snapshot.Port,
    EnableIAMDatabaseAuthentication:
      request.EnableIAMDatabaseAuthentication ?? snapshot.IAMDatabaseAuthenticationEnabled,
    StorageType: request.StorageType ?? snapshot.StorageType,
  });
  // The snapshot's image, shared (O(1)): the restored cluster keeps the snapshot's data key.
  return insertRestored(scope, settings, request.Tags, snapshot, request.KmsKeyId, () => {
    if (snapshot.graphImage) retainImage(scope.store, snapshot.graphImage);
    return snapshot.graphImage;
  });
}

const RESTORE_TYPES = ["full-copy", "copy-on-write"];

/**
 * RestoreDBClusterToPointInTime (reference §3.9): a new cluster from one of the caller's clusters as it was at a
 * time within its restorable window (EarliestRestorableTime to LatestRestorableTime, as DescribeDBClusters shows
 * it). Order of checks: RestoreType; exactly one of RestoreToTime and UseLatestRestorableTime, and no RestoreToTime
 * with copy-on-write (API reference; *decided* texts); the identifier; the source cluster; the time within the
 * window (InvalidRestoreFault, *decided* text); a KmsKeyId for an unencrypted source ("the restore request is
 * rejected", *decided* code); the settings (the source's version, port, retention, subnet group and parameter
 * group unless given); the tags; then KMS as for a snapshot restore.
 */
export function restoreToPointInTime(scope: NeptuneScope, request: RestoreDBClusterToPointInTimeMessage): DBCluster {
  const restoreType = request.RestoreType ?? "full-copy";
  if (!RESTORE_TYPES.includes(restoreType)) {
    throw CommonErrors.invalidParameterValue(
      `Invalid value ${restoreType} for RestoreType. Must be one of: ${RESTORE_TYPES.join(", ")}`,
    );
  }
  const latest = request.UseLatestRestorableTime === true;
  if (latest && request.RestoreToTime !== undefined) {
    throw CommonErrors.invalidParameterCombination("Cannot specify both RestoreToTime and UseLatestRestorableTime.");
  }
  if (!latest && request.RestoreToTime === undefined) {
    throw CommonErrors.invalidParameterCombination(
      "Either RestoreToTime or UseLatestRestorableTime must be specified.",
    );
  }
  if (request.RestoreToTime !== undefined && restoreType === "copy-on-write") {
    throw CommonErrors.invalidParameterCombination(
      "RestoreToTime can't be specified when RestoreType is copy-on-write.",
    );
  }
  validIdentifier(request.DBClusterIdentifier, "DBClusterIdentifier");
  const source = findCluster(scope, request.SourceDBClusterIdentifier);
  const window = clusterView(scope, source);
  if (!window.EarliestRestorableTime || !window.LatestRestorableTime) {
    throw neptuneFault(
      "InvalidRestoreFault",
      `DB cluster ${source.DBClusterIdentifier} has no restorable time yet: its first backup is not complete.`,
    );
  }
  if (request.RestoreToTime !== undefined) {
    const at = request.RestoreToTime.getTime();
    if (at < window.EarliestRestorableTime.getTime() || at > window.LatestRestorableTime.getTime()) {
      throw neptuneFault(
        "InvalidRestoreFault",
        `The restore time ${request.RestoreToTime.toISOString()} is outside the restorable window of DB cluster ${source.DBClusterIdentifier}: ${window.EarliestRestorableTime.toISOString()} to ${window.LatestRestorableTime.toISOString()}.`,
      );
    }
  }
  const keyGiven = request.KmsKeyId !== undefined && request.KmsKeyId !== "";
  if (keyGiven && !source.StorageEncrypted) {
    throw CommonErrors.invalidParameterCombination(
      `A KmsKeyId can't be specified: DB cluster ${source.DBClusterIdentifier} is not encrypted.`,
    );
  }
  const settings = clusterSettings(scope, {
    ...request,
    EngineVersion: source.EngineVersion,
    Port: request.Port ?? source.Port,
    BackupRetentionPeriod: source.BackupRetentionPeriod,
    DBSubnetGroupName: request.DBSubnetGroupName ?? source.DBSubnetGroup,
    DBClusterParameterGroupName: request.DBClusterParameterGroupName ?? source.DBClusterParameterGroup,
    EnableIAMDatabaseAuthentication: request.EnableIAMDatabaseAuthentication ?? source.IAMDatabaseAuthenticationEnabled,
    StorageType: request.StorageType ?? source.StorageType,
  });
  // The source's graph as of the restore time, opened with the source's data key under Neptune's grant for it.
  const at = request.RestoreToTime?.getTime() ?? scope.now;
  return insertRestored(scope, settings, request.Tags, source, request.KmsKeyId, () =>
    withKeyFault(
      () => sourceKeyNotAccessible(source.KmsKeyId ?? ""),
      () => scope.graphs.imageAt(scope, source, at),
    ),
  );
}
