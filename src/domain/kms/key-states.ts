import { kmsFault, KmsMessages } from "./errors.js";
import { keyState, type KeyRecord } from "./records.js";

/**
 * The state checks of the KMS key-state table [aws-behaviour §6.8; KMS-STATE]. They run after authorization, so a
 * caller who may not use a key learns nothing about its state.
 */

/** Cryptographic operations and CreateGrant need an enabled key. */
export function requireEnabled(key: KeyRecord): void {
  const state = keyState(key);
  if (state === "Disabled") throw kmsFault("DisabledException", KmsMessages.disabled(key.Arn));
  // The table allows DisabledException or KMSInvalidStateException here; KMS answers the latter today.
  if (state === "PendingDeletion") throw kmsFault("KMSInvalidStateException", KmsMessages.pendingDeletion(key.Arn));
  if (state === "PendingReplicaDeletion") {
    throw kmsFault("KMSInvalidStateException", KmsMessages.pendingReplicaDeletion(key.Arn));
  }
  if (state === "PendingImport") throw kmsFault("KMSInvalidStateException", KmsMessages.pendingImport(key.Arn));
}

/** CreateAlias, EnableKey, DisableKey, ScheduleKeyDeletion, TagResource … refuse a key pending deletion. */
export function requireNotPendingDeletion(key: KeyRecord): void {
  const state = keyState(key);
  if (state === "PendingDeletion") throw kmsFault("KMSInvalidStateException", KmsMessages.pendingDeletion(key.Arn));
  if (state === "PendingReplicaDeletion") {
    throw kmsFault("KMSInvalidStateException", KmsMessages.pendingReplicaDeletion(key.Arn));
  }
}
