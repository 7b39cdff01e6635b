import type { GrantOperation } from "../../generated/kms.js";

/**
 * The grant operations Trident's KMS knows, from the narrowest set to the widest [KMS-GRANTS]. One list, so that
 * what a grant may name, what it really authorizes and what a service's grant asks for can't drift apart.
 */

/** Grant operations that take an encryption context, so a grant's constraints apply to them. */
export const CONSTRAINED_GRANT_OPERATIONS: readonly GrantOperation[] = [
  "Decrypt",
  "Encrypt",
  "GenerateDataKey",
  "GenerateDataKeyWithoutPlaintext",
  "ReEncryptFrom",
  "ReEncryptTo",
];

/**
 * The grant operations that authorize a call here (access.ts): the constrained ones, plus managing grants and
 * describing the key. It is also exactly what AWS services such as RDS ask for on a resource's key.
 */
export const AUTHORIZING_GRANT_OPERATIONS: readonly GrantOperation[] = [
  ...CONSTRAINED_GRANT_OPERATIONS,
  "CreateGrant",
  "RetireGrant",
  "DescribeKey",
];

/**
 * The grant operations CreateGrant accepts on a symmetric encryption key: the authorizing ones, plus the data key
 * pair operations (which Trident's KMS does not serve, so such a grant authorizes nothing more).
 */
export const SYMMETRIC_GRANT_OPERATIONS: readonly GrantOperation[] = [
  ...AUTHORIZING_GRANT_OPERATIONS,
  "GenerateDataKeyPair",
  "GenerateDataKeyPairWithoutPlaintext",
];
