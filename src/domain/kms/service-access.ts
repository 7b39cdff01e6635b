import type { Principal } from "../../auth/principal.js";
import type { KeyStateName } from "./records.js";

/**
 * How other services (Neptune) use KMS keys on a caller's behalf, the way RDS does in AWS: every call is
 * authorized as the caller's own call made "via" the service (`kms:ViaService` = `rds.<region>.amazonaws.com`,
 * `kms:CallerAccount` = the caller's account), and grants the service creates carry
 * `kms:GrantIsForAWSResource` = true. Implemented by the KMS domain; Neptune only sees this interface.
 */
export interface ServiceKeyCall {
  /** The principal on whose behalf the service acts. */
  principal: Principal;
  /** The region of the request (the service's region). */
  region: string;
  /** The key's ARN, as returned by `resolveKey`. */
  keyArn: string;
  /** The service acting, e.g. "rds" (context key kms:ViaService = rds.<region>.amazonaws.com). */
  viaService: "rds";
  encryptionContext?: Record<string, string>;
}

export interface ResolvedKey {
  keyArn: string;
  keyId: string;
  accountId: string;
  region: string;
  /** KeyManager AWS (alias/aws/rds and the like). */
  awsManaged: boolean;
}

export type KeyAccessFailure = "not-found" | "disabled" | "pending-deletion" | "access-denied" | "invalid-ciphertext";

/** Raised by the service-access calls; the calling service turns it into its own error (KMSKeyNotAccessibleFault). */
export class KeyAccessError extends Error {
  constructor(
    readonly reason: KeyAccessFailure,
    message: string,
  ) {
    super(message);
  }
}

export interface KmsServiceAccess {
  /**
   * Resolves a `KmsKeyId` as a caller gave it to the service: key id, key ARN, alias name or alias ARN in the
   * caller's (account, region), or another account's key by key/alias ARN. `alias/aws/<service>` is created on
   * first use. Then checks that the caller may use it via the service for every action in `actions`
   * (e.g. ["kms:CreateGrant", "kms:DescribeKey"]) and that it is enabled. Throws KeyAccessError.
   */
  resolveKey(call: {
    principal: Principal;
    region: string;
    keyId: string;
    viaService: "rds";
    actions: string[];
  }): ResolvedKey;
  /** The (account, region)'s AWS-managed key for the service, created on first use. */
  awsManagedKey(accountId: string, region: string, service: "rds"): ResolvedKey;
  /** A fresh data key under the key: plaintext (kept by the caller in memory only) and the wrapped copy. */
  generateDataKey(call: ServiceKeyCall): { plaintext: Buffer; ciphertextBlob: Buffer };
  /** Unwraps a data key; the blob names its key, which must equal call.keyArn. */
  decrypt(call: ServiceKeyCall & { ciphertextBlob: Buffer }): Buffer;
  /**
   * Wraps a plaintext under the key (KMS Encrypt): a data key carried to a key of another Region, which no single
   * ReEncrypt can reach (a cross-Region snapshot copy unwraps in the source Region and wraps in its own).
   */
  encrypt(call: ServiceKeyCall & { plaintext: Buffer }): Buffer;
  /** Unwraps with the source key and re-wraps with the destination key, authorizing both sides. */
  reEncrypt(call: {
    principal: Principal;
    region: string;
    viaService: "rds";
    ciphertextBlob: Buffer;
    sourceKeyArn: string;
    destinationKeyArn: string;
    encryptionContext?: Record<string, string>;
  }): Buffer;
  /** A grant for the service's work on a resource (GrantIsForAWSResource); visible in ListGrants until retired. */
  createGrant(call: ServiceKeyCall & { granteePrincipal: string; operations: readonly string[]; name?: string }): {
    grantId: string;
  };
  retireGrant(keyArn: string, grantId: string): void;
  /**
   * A resource's data key, unwrapped by the service itself under the grant it holds for the resource (Neptune
   * opening a cluster's storage): allowed only while the key is Enabled and the grant exists and allows Decrypt.
   * Throws KeyAccessError.
   */
  decryptForResource(call: { keyArn: string; grantId: string; ciphertextBlob: Buffer }): Buffer;
  /** Whether the service's grant for a resource still exists on the key (revoked or retired: it does not). */
  grantActive(keyArn: string, grantId: string): boolean;
  /** The key's state, for resources whose key became unusable (inaccessible-encryption-credentials). */
  keyState(keyArn: string): KeyStateName | "Missing";
}
