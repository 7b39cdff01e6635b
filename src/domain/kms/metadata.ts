import type { KeyMetadata } from "../../generated/kms.js";
import { customerMasterKeySpecOf, keyAlgorithms, keySpecOf, keyUsageOf } from "./key-specs.js";
import { importMetadata } from "./imported-material.js";
import { currentMaterialId } from "./materials.js";
import { keyState, type KeyRecord } from "./records.js";

/**
 * DescribeKey's KeyMetadata, member for member as AWS fills it [aws-behaviour §6.1]: an encryption key lists its
 * EncryptionAlgorithms, an HMAC key its MacAlgorithms, a signing key its SigningAlgorithms, a key agreement key its
 * KeyAgreementAlgorithms [M-KMS KeyMetadata].
 */
export function keyMetadata(key: KeyRecord): KeyMetadata {
  const state = keyState(key);
  const spec = keySpecOf(key);
  return {
    AWSAccountId: key.AccountId,
    KeyId: key.KeyId,
    Arn: key.Arn,
    CreationDate: new Date(key.CreationDate),
    Enabled: state === "Enabled",
    Description: key.Description,
    KeyUsage: keyUsageOf(key),
    KeyState: state,
    DeletionDate: key.DeletionDate === undefined ? undefined : new Date(key.DeletionDate),
    Origin: key.Origin ?? "AWS_KMS",
    ...importMetadata(key),
    KeyManager: key.KeyManager,
    CustomerMasterKeySpec: customerMasterKeySpecOf(spec),
    KeySpec: spec,
    ...keyAlgorithms(key),
    MultiRegion: key.MultiRegionKeyType !== undefined,
    PendingDeletionWindowInDays: key.PendingDeletionWindowInDays,
    // For symmetric encryption keys that have material [M-KMS KeyMetadata CurrentKeyMaterialId].
    CurrentKeyMaterialId:
      spec === "SYMMETRIC_DEFAULT" && state !== "PendingImport" ? currentMaterialId(key) : undefined,
  };
}
