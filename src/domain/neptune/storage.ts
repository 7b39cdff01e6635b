import type { AwsError } from "../../protocol/errors.js";
import { CommonErrors } from "../../protocol/errors.js";
import { neptuneFault } from "../../services/neptune/errors.js";
import { KeyAccessError, type KmsServiceAccess, type ResolvedKey } from "../kms/service-access.js";
import { GRANT_OPERATIONS } from "./clusters.js";
import type { NeptuneScope } from "./lifecycle.js";

/**
 * Envelope encryption of cluster storage, for real (DESIGN §4): an encrypted cluster's storage has a data key
 * wrapped under its KMS key (clusters.ts makes it); a snapshot keeps that wrapped key; a copy to another key
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
