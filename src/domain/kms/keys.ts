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
import { buildKeyRecord, newKeyId } from "./key-factory.js";
import { checkLockoutSafety, parseKeyPolicy } from "./key-policy.js";
import { requireNotPendingDeletion } from "./key-states.js";
import { keyMetadata } from "./metadata.js";
import { paginate, PAGE_LIMITS, timeOrderedKey } from "./pagination.js";
import { defaultKeyPolicy, prettyPolicy } from "./policy-text.js";
import { keyState, liveKeys, saveKey } from "./records.js";
import { resolveKey } from "./resolve.js";
import { checkTags, mergeTags } from "./tags.js";
import { customKey, type KmsExtensions } from "./custom-tags.js";
import { parsePolicyValue } from "../../policy/index.js";

/** ScheduleKeyDeletion's waiting period: 7–30 days, 30 by default [M-KMS]. */
const DELETION_WINDOW = { min: 7, max: 30, default: 30 };
const DAY_MS = 86_400_000;

/**
 * CreateKey. Order of checks: IAM allows kms:CreateKey (and kms:TagResource when Tags are given) [M-KMS]; the key
 * is one Trident has (key-specs.ts; AWS_KMS origin, one region); tags; then the policy: size, grammar,
 * principals, and the lockout check unless bypassed (K1-K3). LocalStack's `_custom_id_` and `_custom_key_material_`
 * (custom-tags.ts) fix the id and material, checked after the tags. Without a Policy, the default policy is attached and
 * not checked [aws-behaviour §6.4 (1)].
 */
export function createKey(call: KmsCall, input: CreateKeyRequest, extensions?: KmsExtensions): KeyMetadata {
  authorizeIdentityAction(call, "kms:CreateKey");
  const tags = input.Tags ?? [];
  if (tags.length > 0) authorizeIdentityAction(call, "kms:TagResource");
  const kind = checkSupportedKey(input);
  checkTags(tags);

  const { accountId } = call.principal;
  const custom = customKey(call.env, accountId, call.region, tags, extensions, kind.KeySpec);
  const keyId = custom.keyId ?? newKeyId();
  const subject = {
    KeyId: keyId,
    Arn: keyArn(call.region, accountId, keyId),
    AccountId: accountId,
    Region: call.region,
  };
  let policyText: string;
  let policy;
  if (input.Policy !== undefined) {
    policy = parseKeyPolicy(call, input.Policy);
    if (input.BypassPolicyLockoutSafetyCheck !== true) checkLockoutSafety(call, subject, policy);
    policyText = input.Policy;
  } else {
    const document = defaultKeyPolicy(accountId);
    policyText = prettyPolicy(document);
    policy = parsePolicyValue(document);
  }
  const key = buildKeyRecord({
    keyId,
    accountId,
    region: call.region,
    keyManager: "CUSTOMER",
    description: input.Description ?? "",
    policyText,
    policy,
    tags: mergeTags([], tags),
    now: call.env.clock.now(),
    material: custom.material,
    keyPairMadeAhead: call.keyPairMadeAhead,
    kind,
  });
  saveKey(call.env, key);
  return keyMetadata(key);
}

/**
 * What Trident's KMS does not have (other origins, custom key stores, multi-Region keys) is refused up front,
 * naming what is missing, rather than half-working. The spec and usage are key-specs.ts's.
 */
function checkSupportedKey(input: CreateKeyRequest): KeyKind {
  const unsupported = (what: string) =>
    kmsFault(
      "UnsupportedOperationException",
      `Trident's KMS supports only keys with Origin AWS_KMS in a single Region; ${what} is not supported.`,
    );
  const kind = keyKind(input);
  if (input.Origin !== undefined && input.Origin !== "AWS_KMS") throw unsupported(`Origin ${input.Origin}`);
  if (input.CustomKeyStoreId !== undefined || input.XksKeyId !== undefined) throw unsupported("a custom key store");
  if (input.MultiRegion === true) throw unsupported("a multi-Region key");
  return kind;
}

/** DescribeKey: by key id, key ARN, alias name or alias ARN; another account's key by ARN [M-KMS DescribeKey]. */
export function describeKey(call: KmsCall, input: DescribeKeyRequest): KeyMetadata {
  const { key, alias } = resolveKey(call, input.KeyId, "any");
  authorizeKeyAction(call, key, { action: "kms:DescribeKey", context: alias ? { "kms:RequestAlias": alias } : {} });
  return keyMetadata(key);
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
  if (keyState(key) !== "PendingDeletion") {
    throw kmsFault("KMSInvalidStateException", KmsMessages.notPendingDeletion(key.Arn));
  }
  saveKey(call.env, { ...key, Enabled: false, DeletionDate: undefined, PendingDeletionWindowInDays: undefined });
  return { KeyId: key.Arn };
}

export function updateKeyDescription(call: KmsCall, input: UpdateKeyDescriptionRequest): void {
  const { key } = resolveKey(call, input.KeyId, "key");
  authorizeKeyAction(call, key, { action: "kms:UpdateKeyDescription" });
  requireNotPendingDeletion(key);
  saveKey(call.env, { ...key, Description: input.Description });
}
