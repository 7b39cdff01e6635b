import type {
  DBClusterSnapshotAttributesResult,
  ModifyDBClusterSnapshotAttributeMessage,
} from "../../generated/neptune.js";
import { CommonErrors } from "../../protocol/errors.js";
import { neptuneFault } from "../../services/neptune/errors.js";
import { KeyAccessError } from "../kms/service-access.js";
import { validIdentifier } from "./identifiers.js";
import type { NeptuneScope } from "./lifecycle.js";
import { MAX_SHARED_ACCOUNTS } from "./quotas.js";
import { clusterSnapshotTable, type ClusterSnapshotRecord } from "./records.js";
import { indexShares } from "./share-index.js";
import { resolveSnapshot } from "./snapshot-access.js";
import { usableKey } from "./storage.js";

/**
 * Sharing a manual cluster snapshot: its `restore` attribute (ModifyDBClusterSnapshotAttribute /
 * DescribeDBClusterSnapshotAttributes; reference §3.6, §3.7; rules.md R1–R4). Only the owner reads or changes
 * it; the recipients it names (or everyone, for `all`) may then copy and restore the snapshot by its ARN
 * (snapshot-access.ts decides that from this attribute).
 */

/** "The only valid value for AttributeName for the attribute map is restore." */
const RESTORE = "restore";
/** The value that makes a snapshot public. */
const ALL = "all";
export { MAX_SHARED_ACCOUNTS };

const ACCOUNT_ID = /^\d{12}$/;

function attributesOf(snapshot: ClusterSnapshotRecord): DBClusterSnapshotAttributesResult {
  return {
    DBClusterSnapshotIdentifier: snapshot.DBClusterSnapshotIdentifier,
    DBClusterSnapshotAttributes: [{ AttributeName: RESTORE, AttributeValues: [...(snapshot.sharedWith ?? [])] }],
  };
}

/** DescribeDBClusterSnapshotAttributes: the owner's view; always the `restore` attribute, empty when unshared. */
export function describeSnapshotAttributes(scope: NeptuneScope, given: string): DBClusterSnapshotAttributesResult {
  return attributesOf(resolveSnapshot(scope, given, "own").record);
}

/**
 * Whether the snapshot's key is an AWS-managed key (`alias/aws/rds`), asked of KMS as the owner via RDS. A key
 * KMS won't answer for (disabled, pending deletion, gone) is a customer managed one: AWS-managed keys can't be
 * disabled or deleted (reference §6.1).
 */
function isAwsManagedKey(scope: NeptuneScope, keyArn: string): boolean {
  try {
    return usableKey(scope, keyArn, []).awsManaged;
  } catch (error) {
    if (error instanceof KeyAccessError) return false;
    throw error;
  }
}

/**
 * ModifyDBClusterSnapshotAttribute. Order of checks:
 * 1. the identifier: an ARN, or a valid identifier. An automated snapshot given by its `rds:` name fails here,
 *    as AWS answers it (R1: InvalidParameterValue in the identifier style, I-SDK638);
 * 2. AttributeName is `restore` (*decided* text);
 * 3. the snapshot is the caller's own (another account's ARN, shared or not: DBClusterSnapshotNotFoundFault);
 * 4. it is manual (R1, *decided* for a form other than the `rds:` name: InvalidDBClusterSnapshotStateFault);
 * 5. each value is an account id or `all` (*decided* text), and no value is both added and removed
 *    (InvalidParameterCombination, moto's text);
 * 6. values added to an encrypted snapshot: not under the AWS-managed key (R3, *decided*: refused at share
 *    time), and never `all` (R4, *decided*);
 * 7. at most 20 accounts after the change (SharedSnapshotQuotaExceeded; *decided*: `all` does not count).
 * Then the values are added and removed in one step: new values after the existing ones, in request order.
 */
export function modifySnapshotAttribute(
  scope: NeptuneScope,
  request: ModifyDBClusterSnapshotAttributeMessage,
): DBClusterSnapshotAttributesResult {
  const given = request.DBClusterSnapshotIdentifier;
  if (!given.startsWith("arn:")) validIdentifier(given, "DBClusterSnapshotIdentifier");
  if (request.AttributeName !== RESTORE) {
    throw CommonErrors.invalidParameterValue(
      `Invalid DB cluster snapshot attribute name: ${request.AttributeName}. The only valid value is ${RESTORE}.`,
    );
  }
  const snapshot = resolveSnapshot(scope, given, "own").record;
  if (snapshot.SnapshotType !== "manual") {
    throw neptuneFault(
      "InvalidDBClusterSnapshotStateFault",
      "Only manual snapshots may be shared: copy the automated snapshot to a manual snapshot and share the copy.",
    );
  }
  const toAdd = request.ValuesToAdd ?? [];
  const toRemove = request.ValuesToRemove ?? [];
  for (const value of [...toAdd, ...toRemove]) {
    if (value !== ALL && !ACCOUNT_ID.test(value)) {
      throw CommonErrors.invalidParameterValue(
        `Invalid value ${value} for the restore attribute: must be an AWS account ID (12 digits) or ${ALL}.`,
      );
    }
  }
  const removed = new Set(toRemove); // a set: the lists are the caller's, of any length the body allows
  if (toAdd.some((value) => removed.has(value))) {
    throw CommonErrors.invalidParameterCombination("A value may not appear in both the add list and remove list.");
  }
  if (toAdd.length > 0 && snapshot.StorageEncrypted && snapshot.KmsKeyId) {
    if (isAwsManagedKey(scope, snapshot.KmsKeyId)) {
      throw CommonErrors.invalidParameterValue(
        `The snapshot ${snapshot.DBClusterSnapshotIdentifier} is encrypted with the AWS managed key alias/aws/rds (${snapshot.KmsKeyId}), which other accounts can't use, so it can't be shared. Copy the snapshot with a customer managed KMS key (CopyDBClusterSnapshot with KmsKeyId) and share the copy.`,
      );
    }
    if (toAdd.includes(ALL)) {
      throw CommonErrors.invalidParameterValue(
        `The snapshot ${snapshot.DBClusterSnapshotIdentifier} is encrypted and can't be made public: share it with specific AWS account IDs instead.`,
      );
    }
  }
  const values = [...new Set([...(snapshot.sharedWith ?? []), ...toAdd])].filter((value) => !removed.has(value));
  if (values.filter((value) => value !== ALL).length > MAX_SHARED_ACCOUNTS) {
    // The model's description of SharedSnapshotQuotaExceededFault; AWS's exact text is not public (reference §3.6).
    throw neptuneFault(
      "SharedSnapshotQuotaExceededFault",
      "You have exceeded the maximum number of accounts that you can share a manual DB snapshot with.",
    );
  }
  const shared = { ...snapshot, sharedWith: values };
  clusterSnapshotTable(scope.store, scope.accountId, scope.region).put(shared.DBClusterSnapshotIdentifier, shared);
  indexShares(scope.store, scope.region, shared, scope.accountId, snapshot.sharedWith ?? []);
  return attributesOf(shared);
}
