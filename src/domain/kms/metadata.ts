import type { KeyMetadata } from "../../generated/kms.js";
import { keyState, type KeyRecord } from "./records.js";

/** DescribeKey's KeyMetadata for a symmetric encryption key, member for member as AWS fills it [aws-behaviour §6.1]. */
export function keyMetadata(key: KeyRecord): KeyMetadata {
  const state = keyState(key);
  return {
    AWSAccountId: key.AccountId,
    KeyId: key.KeyId,
    Arn: key.Arn,
    CreationDate: new Date(key.CreationDate),
    Enabled: state === "Enabled",
    Description: key.Description,
    KeyUsage: "ENCRYPT_DECRYPT",
    KeyState: state,
    DeletionDate: key.DeletionDate === undefined ? undefined : new Date(key.DeletionDate),
    Origin: "AWS_KMS",
    KeyManager: key.KeyManager,
    CustomerMasterKeySpec: "SYMMETRIC_DEFAULT",
    KeySpec: "SYMMETRIC_DEFAULT",
    EncryptionAlgorithms: ["SYMMETRIC_DEFAULT"],
    MultiRegion: false,
    PendingDeletionWindowInDays: key.PendingDeletionWindowInDays,
  };
}
