import type {
  KeyMetadata,
  ReplicateKeyRequest,
  ReplicateKeyResponse,
  UpdatePrimaryRegionRequest,
} from "../../generated/kms.js";
import { isServedRegion } from "../../auth/regions.js";
import { authorizeIdentityAction, authorizeKeyAction } from "./access.js";
import type { KmsCall, KmsEnv } from "./env.js";
import { kmsFault, KmsMessages, validationException } from "./errors.js";
import { keyArn } from "./identifiers.js";
import { requireNotPendingDeletion } from "./key-states.js";
import { keyMetadata } from "./metadata.js";
import { keyPolicyFor } from "./key-policy.js";
import { pendingImport } from "./imported-material.js";
import { keyInEveryRegion, keyState, saveKey, type KeyRecord } from "./records.js";
import { resolveKey } from "./resolve.js";
import { checkTags, mergeTags } from "./tags.js";

/**
 * Multi-Region keys [M-KMS ReplicateKey, UpdatePrimaryRegion; KMS multi-region-keys-overview]: related keys in
 * several Regions of one account with the same `mrk-` key id and the same key material, so a ciphertext made in one
 * Region decrypts in another with the related key there. Each is its own record in its Region's table; the set is
 * found by key id across the account's Regions. Shared properties (material, spec, usage, origin, rotation status)
 * are the primary's and are copied to every replica when they change; policy, tags, description, aliases and state
 * are each key's own.
 */

export type MultiRegionRole = "PRIMARY" | "REPLICA";

export function multiRegionRole(key: KeyRecord): MultiRegionRole | undefined {
  return key.MultiRegionKeyType;
}

/**
 * Whether a ciphertext made under this key ARN can be decrypted in `region`: in its own Region, and for a
 * multi-Region key (`mrk-` id) in any Region, by the related key there: "you can use them interchangeably to
 * encrypt data in one AWS Region and decrypt it in a different AWS Region" [M-KMS ReplicateKey].
 */
export function decryptsHere(arn: { region: string; keyId: string }, region: string): boolean {
  return arn.region === region || arn.keyId.startsWith("mrk-");
}

/** DescribeKey's MultiRegionConfiguration: the primary and every replica, by ARN and Region [M-KMS KeyMetadata]. */
export function multiRegionMetadata(
  env: KmsEnv,
  key: KeyRecord,
): Pick<KeyMetadata, "MultiRegion" | "MultiRegionConfiguration"> {
  const role = multiRegionRole(key);
  if (!role) return { MultiRegion: false };
  const related = keyInEveryRegion(env, key.AccountId, key.KeyId);
  const primary = related.find((other) => other.MultiRegionKeyType === "PRIMARY");
  return {
    MultiRegion: true,
    MultiRegionConfiguration: {
      MultiRegionKeyType: role,
      PrimaryKey: primary && { Arn: primary.Arn, Region: primary.Region },
      ReplicaKeys: related
        .filter((other) => other.MultiRegionKeyType === "REPLICA")
        .map((replica) => ({ Arn: replica.Arn, Region: replica.Region })),
    },
  };
}

/** The replicas of a primary key (none for any other key). */
export function replicasOf(env: KmsEnv, key: KeyRecord): KeyRecord[] {
  if (multiRegionRole(key) !== "PRIMARY") return [];
  return keyInEveryRegion(env, key.AccountId, key.KeyId).filter((other) => other.MultiRegionKeyType === "REPLICA");
}

/** The primary of a replica key, if it still exists. */
export function primaryOf(env: KmsEnv, key: KeyRecord): KeyRecord | undefined {
  return keyInEveryRegion(env, key.AccountId, key.KeyId).find((other) => other.MultiRegionKeyType === "PRIMARY");
}

/** The shared properties, as a replica takes them from its primary. KMS-generated material only (imported material is imported into each key). */
export function sharedProperties(primary: KeyRecord): Partial<KeyRecord> {
  const shared: Partial<KeyRecord> = {
    KeySpec: primary.KeySpec,
    KeyUsage: primary.KeyUsage,
    Origin: primary.Origin,
    Rotation: primary.Rotation,
  };
  return primary.Origin === "EXTERNAL" ? shared : { ...shared, Material: primary.Material, Versions: primary.Versions };
}

/** After a primary changes (rotation, rotation status), its replicas take the shared properties. */
export function shareWithReplicas(env: KmsEnv, primary: KeyRecord): void {
  for (const replica of replicasOf(env, primary)) saveKey(env, { ...replica, ...sharedProperties(primary) });
}

/**
 * ReplicateKey [M-KMS ReplicateKey]: kms:ReplicateKey on the primary (its key policy), kms:CreateKey (and
 * kms:TagResource with tags) in the replica's Region (IAM). The primary must be a multi-Region primary key, not
 * pending deletion; the Region another served Region without a related key. The replica has its own policy (the
 * default one unless given, checked like CreateKey's), tags and description (empty unless given: "not a shared
 * property"). *Decided*: the replica is ready at once (AWS shows `Creating` for a moment); it is enabled or
 * disabled as its primary is.
 */
export function replicateKey(call: KmsCall, input: ReplicateKeyRequest): ReplicateKeyResponse {
  const { key } = resolveKey(call, input.KeyId, "key");
  authorizeKeyAction(call, key, { action: "kms:ReplicateKey" });
  const region = input.ReplicaRegion;
  const there: KmsCall = { ...call, region };
  if (!isServedRegion(region)) {
    // *Decided*: a Region that does not exist is invalid input, in Coral's words for an enum-like constraint.
    throw validationException(`${region} is not a valid AWS Region.`);
  }
  authorizeIdentityAction(there, "kms:CreateKey");
  const tags = input.Tags ?? [];
  if (tags.length > 0) authorizeIdentityAction(there, "kms:TagResource");
  if (multiRegionRole(key) !== "PRIMARY") {
    throw kmsFault(
      "UnsupportedOperationException",
      multiRegionRole(key) === "REPLICA"
        ? `${key.Arn} is a multi-Region replica key; replicate its primary key.`
        : `${key.Arn} is not a multi-Region key; only multi-Region primary keys can be replicated.`,
    );
  }
  requireNotPendingDeletion(key);
  const existing = keyInEveryRegion(call.env, key.AccountId, key.KeyId).find((other) => other.Region === region);
  if (existing) {
    // "You can create multiple replicas of a primary key, but each must be in a different Region" (and not the
    // primary's own). *Decided* text.
    throw kmsFault("AlreadyExistsException", `A related multi-Region key already exists in ${region}: ${existing.Arn}`);
  }
  checkTags(tags);
  const subject = {
    KeyId: key.KeyId,
    Arn: keyArn(region, key.AccountId, key.KeyId),
    AccountId: key.AccountId,
    Region: region,
  };
  const policy = keyPolicyFor(there, subject, input);
  const replica: KeyRecord = {
    ...key,
    ...sharedProperties(key),
    ...subject,
    CreationDate: call.env.clock.now().getTime(),
    Description: input.Description ?? "",
    PolicyText: policy.text,
    Policy: policy.document,
    Tags: mergeTags([], tags),
    DeletionDate: undefined,
    PendingDeletionWindowInDays: undefined,
    ReplicaDeletionPending: undefined,
    MultiRegionKeyType: "REPLICA",
    // Imported material is imported into each related key: the replica starts PendingImport [KMS multi-region-keys-import].
    ...(key.Origin === "EXTERNAL" ? pendingImport() : {}),
  };
  saveKey(call.env, replica);
  return {
    ReplicaKeyMetadata: { ...keyMetadata(replica), ...multiRegionMetadata(call.env, replica) },
    ReplicaPolicy: replica.PolicyText,
    ReplicaTags: replica.Tags,
  };
}

/**
 * UpdatePrimaryRegion [M-KMS UpdatePrimaryRegion]: the replica in PrimaryRegion becomes the primary and the primary
 * a replica; kms:UpdatePrimaryRegion on both keys. The key named must be the primary; a Region without a related
 * key is NotFoundException. *Decided*: naming the primary's own Region changes nothing.
 */
export function updatePrimaryRegion(call: KmsCall, input: UpdatePrimaryRegionRequest): void {
  const { key } = resolveKey(call, input.KeyId, "key");
  authorizeKeyAction(call, key, { action: "kms:UpdatePrimaryRegion" });
  if (multiRegionRole(key) !== "PRIMARY") {
    throw kmsFault(
      "UnsupportedOperationException",
      `${key.Arn} is not a multi-Region primary key; call UpdatePrimaryRegion on the primary key.`,
    );
  }
  requireNotPendingDeletion(key);
  if (input.PrimaryRegion === key.Region) return;
  const replica = replicasOf(call.env, key).find((other) => other.Region === input.PrimaryRegion);
  if (!replica) {
    throw kmsFault("NotFoundException", KmsMessages.keyNotFound(keyArn(input.PrimaryRegion, key.AccountId, key.KeyId)));
  }
  authorizeKeyAction({ ...call, region: replica.Region }, replica, { action: "kms:UpdatePrimaryRegion" });
  requireNotPendingDeletion(replica);
  saveKey(call.env, { ...key, MultiRegionKeyType: "REPLICA" });
  saveKey(call.env, { ...replica, MultiRegionKeyType: "PRIMARY" });
}

/**
 * ScheduleKeyDeletion of a primary key that still has replicas: "KMS will not delete a multi-Region primary key
 * with existing replica keys … its key state changes to PendingReplicaDeletion"; its waiting period begins when the
 * last replica is deleted [M-KMS ScheduleKeyDeletion].
 */
export function hasLiveReplicas(env: KmsEnv, key: KeyRecord): boolean {
  return replicasOf(env, key).length > 0;
}

/** A primary waiting for its replicas: once none is left, its waiting period starts now. */
export function startWaitingPeriodWhenAlone(env: KmsEnv, key: KeyRecord, now: number): KeyRecord {
  if (!key.ReplicaDeletionPending || hasLiveReplicas(env, key)) return key;
  const days = key.PendingDeletionWindowInDays ?? 30;
  return { ...key, ReplicaDeletionPending: undefined, DeletionDate: now + days * 86_400_000 };
}

/** Whether the key is in a state that ScheduleKeyDeletion sets (either waiting state). */
export function isScheduledForDeletion(key: KeyRecord): boolean {
  const state = keyState(key);
  return state === "PendingDeletion" || state === "PendingReplicaDeletion";
}
