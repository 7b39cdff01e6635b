import type {
  CancelKeyDeletionResponse,
  CreateKeyRequest,
  DescribeKeyRequest,
  KeyMetadata,
  ListKeysRequest,
  ListKeysResponse,
  ScheduleKeyDeletionRequest,
  ScheduleKeyDeletionResponse,
  UpdateKeyDescriptionRequest,
} from "../../generated/kms.js";
import { authorizeIdentityAction, authorizeKeyAction } from "./access.js";
import type { KmsCall } from "./env.js";
import { kmsFault, KmsMessages, rangeViolation } from "./errors.js";
import { keyArn } from "./identifiers.js";
import { keyKind, type KeyKind } from "./key-specs.js";
import { buildKeyRecord, newKeyId, newMultiRegionKeyId } from "./key-factory.js";
import { keyPolicyFor } from "./key-policy.js";
import { checkKeyStoreOrigin } from "./custom-key-stores.js";
import { importsMaterialOf, pendingImport } from "./imported-material.js";
import { hasLiveReplicas, isScheduledForDeletion, multiRegionMetadata } from "./multi-region.js";
import { requireNotPendingDeletion } from "./key-states.js";
import { keyMetadata } from "./metadata.js";
import { paginate, PAGE_LIMITS, timeOrderedKey } from "./pagination.js";
import { liveKeys, saveKey, type KeyRecord } from "./records.js";
import { resolveKey } from "./resolve.js";
import { checkTags, mergeTags } from "./tags.js";
import { customKey, type KmsExtensions } from "./custom-tags.js";

/** ScheduleKeyDeletion's waiting period: 7–30 days, 30 by default [M-KMS]. */
const DELETION_WINDOW = { min: 7, max: 30, default: 30 };
const DAY_MS = 86_400_000;

/**
 * CreateKey. Order of checks: IAM allows kms:CreateKey (and kms:TagResource when Tags are given) [M-KMS]; the origin
 * and key store, spec and usage (checkSupportedKey); tags; then the policy (key-policy.ts keyPolicyFor: size,
 * grammar, principals, and the lockout check unless bypassed, K1-K3; the default policy unchecked). LocalStack's
 * `_custom_id_` and `_custom_key_material_` (custom-tags.ts) fix the id and material, checked after the tags.
 * MultiRegion makes an `mrk-` primary key (multi-region.ts); Origin EXTERNAL a key without material, PendingImport
 * (imported-material.ts).
 */
export function createKey(call: KmsCall, input: CreateKeyRequest, extensions?: KmsExtensions): KeyMetadata {
  authorizeIdentityAction(call, "kms:CreateKey");
  const tags = input.Tags ?? [];
  if (tags.length > 0) authorizeIdentityAction(call, "kms:TagResource");
  const kind = checkSupportedKey(input);
  checkTags(tags);

  const { accountId } = call.principal;
  const custom = customKey(call.env, accountId, call.region, tags, extensions, kind.KeySpec);
  // "Multi-Region keys have a distinctive key ID that begins with mrk-" [KMS multi-region-keys-overview].
  const keyId = custom.keyId ?? (input.MultiRegion === true ? newMultiRegionKeyId() : newKeyId());
  const subject = {
    KeyId: keyId,
    Arn: keyArn(call.region, accountId, keyId),
    AccountId: accountId,
    Region: call.region,
  };
  const policy = keyPolicyFor(call, subject, input);
  const built = buildKeyRecord({
    keyId,
    accountId,
    region: call.region,
    keyManager: "CUSTOMER",
    description: input.Description ?? "",
    policyText: policy.text,
    policy: policy.document,
    tags: mergeTags([], tags),
    now: call.env.clock.now(),
    material: custom.material,
    keyPairMadeAhead: call.keyPairMadeAhead,
    kind,
  });
  const key: KeyRecord = {
    ...built,
    ...(input.Origin === "EXTERNAL" ? pendingImport() : {}),
    ...(input.MultiRegion === true ? { MultiRegionKeyType: "PRIMARY" as const } : {}),
  };
  saveKey(call.env, key);
  return keyMetadata(key);
}

/**
 * The origin and key store (custom-key-stores.ts: none exists, so a CustomKeyStoreId is not found), then the spec
 * and usage (key-specs.ts). Trident imports symmetric, HMAC, RSA and ECC material only; other EXTERNAL keys are refused up
 * front, naming what is missing, rather than half-working.
 */
function checkSupportedKey(input: CreateKeyRequest): KeyKind {
  checkKeyStoreOrigin(input);
  const kind = keyKind(input);
  if (input.Origin === "EXTERNAL" && !importsMaterialOf(kind.KeySpec)) {
    throw kmsFault(
      "UnsupportedOperationException",
      `Trident's KMS imports key material for symmetric encryption, HMAC, RSA and ECC keys only, not for ${kind.KeySpec} keys.`,
    );
  }
  return kind;
}

/** DescribeKey: by key id, key ARN, alias name or alias ARN; another account's key by ARN [M-KMS DescribeKey]. */
export function describeKey(call: KmsCall, input: DescribeKeyRequest): KeyMetadata {
  const { key, alias } = resolveKey(call, input.KeyId, "any");
  authorizeKeyAction(call, key, { action: "kms:DescribeKey", context: alias ? { "kms:RequestAlias": alias } : {} });
  return { ...keyMetadata(key), ...multiRegionMetadata(call.env, key) };
}

/** The caller's own keys in the region (customer and AWS managed), oldest first. */
export function listKeys(call: KmsCall, input: ListKeysRequest): ListKeysResponse {
  authorizeIdentityAction(call, "kms:ListKeys");
  const keys = liveKeys(call.env, call.principal.accountId, call.region);
  const page = paginate(
    keys,
    (key) => timeOrderedKey(key.CreationDate, key.KeyId),
    input,
    PAGE_LIMITS.ListKeys,
    `${call.principal.accountId}:${call.region}`,
  );
  return {
    Keys: page.items.map((key) => ({ KeyId: key.KeyId, KeyArn: key.Arn })),
    NextMarker: page.NextMarker,
    Truncated: page.Truncated,
  };
}

export function enableKey(call: KmsCall, keyId: string): void {
  const { key } = resolveKey(call, keyId, "key");
  authorizeKeyAction(call, key, { action: "kms:EnableKey" });
  requireNotPendingDeletion(key);
  saveKey(call.env, { ...key, Enabled: true });
}

export function disableKey(call: KmsCall, keyId: string): void {
  const { key } = resolveKey(call, keyId, "key");
  authorizeKeyAction(call, key, { action: "kms:DisableKey" });
  requireNotPendingDeletion(key);
  saveKey(call.env, { ...key, Enabled: false });
}

/**
 * ScheduleKeyDeletion: the key is PendingDeletion until now + the window on the emulator's clock, then deleted
 * (records.ts derives both). An AWS-managed key's policy allows no one this action (K4).
 */
export function scheduleKeyDeletion(call: KmsCall, input: ScheduleKeyDeletionRequest): ScheduleKeyDeletionResponse {
  const days = input.PendingWindowInDays ?? DELETION_WINDOW.default;
  if (days < DELETION_WINDOW.min || days > DELETION_WINDOW.max) {
    throw rangeViolation("pendingWindowInDays", days, DELETION_WINDOW.min, DELETION_WINDOW.max);
  }
  const { key } = resolveKey(call, input.KeyId, "key");
  authorizeKeyAction(call, key, {
    action: "kms:ScheduleKeyDeletion",
    context: { "kms:ScheduleKeyDeletionPendingWindowInDays": days },
  });
  requireNotPendingDeletion(key);
  if (hasLiveReplicas(call.env, key)) {
    // A primary with replicas waits for them: PendingReplicaDeletion, no DeletionDate yet (multi-region.ts).
    saveKey(call.env, { ...key, ReplicaDeletionPending: true, PendingDeletionWindowInDays: days });
    return { KeyId: key.Arn, KeyState: "PendingReplicaDeletion", PendingWindowInDays: days };
  }
  const deletionDate = call.env.clock.now().getTime() + days * DAY_MS;
  saveKey(call.env, { ...key, DeletionDate: deletionDate, PendingDeletionWindowInDays: days });
  return {
    KeyId: key.Arn,
    DeletionDate: new Date(deletionDate),
    KeyState: "PendingDeletion",
    PendingWindowInDays: days,
  };
}

/** CancelKeyDeletion leaves the key Disabled, as AWS does [M-KMS CancelKeyDeletion]. */
export function cancelKeyDeletion(call: KmsCall, keyId: string): CancelKeyDeletionResponse {
  const { key } = resolveKey(call, keyId, "key");
  authorizeKeyAction(call, key, { action: "kms:CancelKeyDeletion" });
  if (!isScheduledForDeletion(key)) {
    throw kmsFault("KMSInvalidStateException", KmsMessages.notPendingDeletion(key.Arn));
  }
  saveKey(call.env, {
    ...key,
    Enabled: false,
    DeletionDate: undefined,
    PendingDeletionWindowInDays: undefined,
    ReplicaDeletionPending: undefined,
  });
  return { KeyId: key.Arn };
}

export function updateKeyDescription(call: KmsCall, input: UpdateKeyDescriptionRequest): void {
  const { key } = resolveKey(call, input.KeyId, "key");
  authorizeKeyAction(call, key, { action: "kms:UpdateKeyDescription" });
  requireNotPendingDeletion(key);
  saveKey(call.env, { ...key, Description: input.Description });
}
