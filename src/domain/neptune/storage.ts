import type { AwsError } from "../../protocol/errors.js";
import { CommonErrors } from "../../protocol/errors.js";
import { neptuneFault } from "../../services/neptune/errors.js";
import { AUTHORIZING_GRANT_OPERATIONS } from "../kms/grant-operations.js";
import { KeyAccessError, type KmsServiceAccess, type ResolvedKey } from "../kms/service-access.js";
import type { NeptuneScope } from "./lifecycle.js";
import type { ClusterRecord } from "./records.js";

/**
 * Envelope encryption of cluster storage, for real (DESIGN §4): an encrypted cluster's storage has a data key
 * wrapped under its KMS key (`encryptionFor` makes it); a snapshot keeps that wrapped key; a copy to another key
 * unwraps with the source key and re-wraps with the target key in one ReEncrypt (so the work is O(1) in data size);
 * a restore unwraps with the snapshot's key. Every KMS call is made on the caller's behalf via RDS
 * (kms:ViaService, kms:CallerAccount, kms:GrantIsForAWSResource: KMS's own policy evaluation decides), and a
 * KMS refusal becomes Neptune's KMSKeyNotAccessibleFault with the message of the key that failed (R10).
 */

/** RDS-KEYS: to use a key for a resource the caller needs kms:CreateGrant and kms:DescribeKey on it. */
export const RESOURCE_KEY_ACTIONS = ["kms:CreateGrant", "kms:DescribeKey"];

/** R10, the source key's text (observed, I-AST29): the key's ARN in brackets. */
export function sourceKeyNotAccessible(keyArn: string): AwsError {
  return neptuneFault(
    "KMSKeyNotAccessibleFault",
    `The source snapshot KMS key [${keyArn}] does not exist, is not enabled or you do not have permissions to access it.`,
  );
}

/**
 * R10's text for a KmsKeyId a caller can't use (rules.md R10, reference §3.4, observed I-AST25): the value is echoed
 * as given.
 */
export function keyNotAccessible(given: string): AwsError {
  return neptuneFault(
    "KMSKeyNotAccessibleFault",
    `Specified KMS key [${given}] does not exist, is not enabled or you do not have permissions to access it.`,
  );
}

function kmsOf(scope: NeptuneScope): KmsServiceAccess {
  if (!scope.kms) throw CommonErrors.internalFailure();
  return scope.kms;
}

/** Runs KMS work; a KMS refusal (KeyAccessError) becomes `fault`. */
export function withKeyFault<T>(fault: () => AwsError, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof KeyAccessError) throw fault();
    throw error;
  }
}

const via = (scope: NeptuneScope) => ({ principal: scope.principal, region: scope.region, viaService: "rds" as const });

/** The key a caller names (id, ARN, alias) once KMS agrees the caller may use it via RDS for `actions`. */
export function usableKey(scope: NeptuneScope, keyId: string, actions: string[]): ResolvedKey {
  return kmsOf(scope).resolveKey({ ...via(scope), keyId, actions });
}

/** A fresh storage data key under the key, wrapped (KMS GenerateDataKey via RDS); the plaintext is dropped. */
function newDataKey(scope: NeptuneScope, keyArn: string): Buffer {
  const { plaintext, ciphertextBlob } = kmsOf(scope).generateDataKey({ ...via(scope), keyArn });
  plaintext.fill(0);
  return Buffer.from(ciphertextBlob);
}

/** Proves the wrapped data key opens under its key for the caller (KMS Decrypt via RDS); the plaintext is dropped. */
export function unwrapDataKey(scope: NeptuneScope, keyArn: string, wrapped: Buffer): void {
  kmsOf(scope)
    .decrypt({ ...via(scope), keyArn, ciphertextBlob: wrapped })
    .fill(0);
}

/** The data key re-wrapped from one key to another (KMS ReEncrypt via RDS; the plaintext never leaves KMS). */
export function rewrapDataKey(scope: NeptuneScope, wrapped: Buffer, fromKeyArn: string, toKeyArn: string): Buffer {
  return Buffer.from(
    kmsOf(scope).reEncrypt({
      ...via(scope),
      ciphertextBlob: wrapped,
      sourceKeyArn: fromKeyArn,
      destinationKeyArn: toKeyArn,
    }),
  );
}

/**
 * The data key carried from a key of one Region to a key of another: unwrapped (KMS Decrypt via RDS) in the
 * source's Region, wrapped (KMS Encrypt via RDS) in the copy's; KMS keys are regional, so no one ReEncrypt reaches
 * both. The plaintext lives only between the two calls.
 */
export function carryDataKey(
  from: { scope: NeptuneScope; keyArn: string },
  to: { scope: NeptuneScope; keyArn: string },
  wrapped: Buffer,
  onFault: { from: () => AwsError; to: () => AwsError },
): Buffer {
  const plaintext = withKeyFault(onFault.from, () =>
    kmsOf(from.scope).decrypt({ ...via(from.scope), keyArn: from.keyArn, ciphertextBlob: wrapped }),
  );
  try {
    return withKeyFault(onFault.to, () =>
      Buffer.from(kmsOf(to.scope).encrypt({ ...via(to.scope), keyArn: to.keyArn, plaintext })),
    );
  } finally {
    plaintext.fill(0);
  }
}

/** What Neptune's grants on a key allow: what RDS asks for on a resource's key. */
const GRANT_OPERATIONS: readonly string[] = AUTHORIZING_GRANT_OPERATIONS;

/**
 * A grant Neptune takes on a key for a resource or a piece of work, as RDS does (grantee the regional RDS service
 * principal, kms:GrantIsForAWSResource true): visible in the key owner's ListGrants until retired.
 */
export function takeGrant(scope: NeptuneScope, keyArn: string, name: string): string {
  const granteePrincipal = `rds.${scope.region}.amazonaws.com`;
  return kmsOf(scope).createGrant({ ...via(scope), keyArn, granteePrincipal, operations: GRANT_OPERATIONS, name })
    .grantId;
}

/** Retires grants Neptune took; a key (or grant) already gone took its grants with it. */
export function retireGrants(scope: NeptuneScope, grants: { keyArn: string; grantId: string }[]): void {
  for (const grant of grants) {
    try {
      kmsOf(scope).retireGrant(grant.keyArn, grant.grantId);
    } catch {
      // Nothing left to retire.
    }
  }
}

// ---------------------------------------------------------------------------------------------- a new cluster's encryption

/** A cluster's encryption: the key's ARN, the wrapped storage data key and Neptune's grant on the key. */
export type ClusterEncryption = Pick<ClusterRecord, "StorageEncrypted" | "KmsKeyId" | "wrappedDataKey" | "kmsGrantId">;

/**
 * Encryption for a new cluster (API reference, CreateDBCluster.KmsKeyId; reference §4.1, §6.6):
 * - StorageEncrypted without KmsKeyId: the account's AWS-managed `alias/aws/rds`, created on first use.
 * - KmsKeyId (id, ARN or alias of the caller's account, or another account's key by ARN): checked through KMS on
 *   the caller's behalf via RDS for kms:CreateGrant and kms:DescribeKey; otherwise KMSKeyNotAccessibleFault.
 * - *Decided*: a KmsKeyId without StorageEncrypted encrypts the cluster (the key names "an encrypted DB cluster");
 *   with StorageEncrypted explicitly false it is refused as InvalidParameterCombination.
 * Then a storage data key is generated under the key (only its wrapped form is kept) and Neptune takes a grant
 * for the resource.
 */
export function encryptionFor(
  scope: NeptuneScope,
  request: { StorageEncrypted?: boolean; KmsKeyId?: string },
  resourceId: string,
): ClusterEncryption {
  const keyGiven = request.KmsKeyId !== undefined && request.KmsKeyId !== "";
  if (!keyGiven && !request.StorageEncrypted) return { StorageEncrypted: false };
  if (keyGiven && request.StorageEncrypted === false) {
    throw CommonErrors.invalidParameterCombination(
      "A KmsKeyId can be specified only for an encrypted DB cluster: set StorageEncrypted to true.",
    );
  }
  const kms = kmsOf(scope);
  const given = keyGiven ? request.KmsKeyId! : "alias/aws/rds";
  return withKeyFault(
    () => keyNotAccessible(given),
    () => {
      const { keyArn } = keyGiven
        ? usableKey(scope, given, RESOURCE_KEY_ACTIONS)
        : kms.awsManagedKey(scope.accountId, scope.region, "rds");
      return {
        StorageEncrypted: true,
        KmsKeyId: keyArn,
        wrappedDataKey: newDataKey(scope, keyArn),
        kmsGrantId: takeGrant(scope, keyArn, resourceId),
      };
    },
  );
}
