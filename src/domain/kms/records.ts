import type { GrantConstraints, GrantOperation, KeySpec, KeyState, KeyUsageType, Tag } from "../../generated/kms.js";
import type { PolicyDocument } from "../../policy/index.js";
import type { Table } from "../../state/store.js";
import type { KmsEnv } from "./env.js";
import { catchUpKey } from "./key-clock.js";
import { forgetKeyUse } from "./key-last-usage.js";
import type { MaterialVersion } from "./materials.js";

/**
 * KMS state as plain records in the store, scoped by (account, region) like AWS scopes it. Times are epoch
 * milliseconds on the emulator's clock; states (PendingDeletion, deleted, next rotation) are derived from them.
 */

export interface KeyRecord {
  KeyId: string;
  Arn: string;
  AccountId: string;
  Region: string;
  CreationDate: number;
  Description: string;
  KeyManager: "CUSTOMER" | "AWS";
  /** Enabled or disabled by EnableKey/DisableKey; a key pending deletion is neither (its state wins). */
  Enabled: boolean;
  /** Set by ScheduleKeyDeletion: the key is PendingDeletion until then, and gone after. */
  DeletionDate?: number;
  PendingDeletionWindowInDays?: number;
  /** The key policy exactly as GetKeyPolicy returns it (KMS keeps the document as it was given). */
  PolicyText: string;
  /** The same policy, parsed once when it was set. */
  Policy: PolicyDocument;
  /** Absent on records made before keys had kinds: SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT (key-specs.ts). */
  KeySpec?: KeySpec;
  KeyUsage?: KeyUsageType;
  /** The key's secret: 256-bit AES key, or an HMAC key of its spec's length; never leaves the emulator through the API. */
  Material: Buffer;
  Tags: Tag[];
  Rotation: {
    Enabled: boolean;
    PeriodInDays?: number;
    EnabledAt?: number;
    /** The date of the last automatic rotation done (rotation.ts catches up on the clock). */
    RotatedThrough?: number;
  };
  /** Every material the key has had, oldest first, when it has had more than one (materials.ts). */
  Versions?: MaterialVersion[];
  /** Where the material comes from; absent is AWS_KMS. EXTERNAL: imported (imported-material.ts). */
  Origin?: "AWS_KMS" | "EXTERNAL";
  /** A multi-Region key's role among its related keys (multi-region.ts); absent for a single-Region key. */
  MultiRegionKeyType?: "PRIMARY" | "REPLICA";
  /** A primary scheduled for deletion while it has replicas: PendingReplicaDeletion until the last one is gone. */
  ReplicaDeletionPending?: boolean;
  /** Imported key material's parameters and state (imported-material.ts). */
  Import?: ImportRecord;
}

export interface ImportRecord {
  /** GetParametersForImport's sets still kept: wrapping private key (PKCS#8 DER), token, algorithm, expiry. */
  ParameterSets?: { Token: Buffer; PrivateKey: Buffer; WrappingAlgorithm: string; ValidTo: number }[];
  /** Whether the key has material now (else it is PendingImport). */
  Imported: boolean;
  /** The id of the material first imported: a key takes only that material ever after. */
  MaterialId?: string;
  ExpirationModel?: "KEY_MATERIAL_EXPIRES" | "KEY_MATERIAL_DOES_NOT_EXPIRE";
  ValidTo?: number;
  ImportDate?: number;
}

export interface AliasRecord {
  AliasName: string;
  AliasArn: string;
  /** The key id (not ARN) of a key in the same (account, region). */
  TargetKeyId: string;
  CreationDate: number;
  LastUpdatedDate: number;
}

export interface GrantRecord {
  GrantId: string;
  /** The key's id and ARN; grants live in the key owner's (account, region). */
  KeyId: string;
  KeyArn: string;
  Name?: string;
  CreationDate: number;
  GranteePrincipal: string;
  RetiringPrincipal?: string;
  /** `arn:aws:iam::ACCOUNT:root` of the account that created the grant. */
  IssuingAccount: string;
  Operations: GrantOperation[];
  Constraints?: GrantConstraints;
}

const KEYS = "kms.keys";
const ALIASES = "kms.aliases";
const GRANTS = "kms.grants";

export function keyTable(env: KmsEnv, accountId: string, region: string): Table<KeyRecord> {
  return env.store.table<KeyRecord>(KEYS, accountId, region);
}

export function aliasTable(env: KmsEnv, accountId: string, region: string): Table<AliasRecord> {
  return env.store.table<AliasRecord>(ALIASES, accountId, region);
}

export function grantTable(env: KmsEnv, accountId: string, region: string): Table<GrantRecord> {
  return env.store.table<GrantRecord>(GRANTS, accountId, region);
}

/**
 * The live key with this id, or undefined. A key whose deletion date has passed is deleted here, on first sight.
 * The record is peeked, not taken for writing: key records are never changed in place (a change is a new record,
 * saveKey), so a request that only uses a key costs the store's unit of work nothing.
 */
export function findKey(env: KmsEnv, accountId: string, region: string, keyId: string): KeyRecord | undefined {
  const key = keyTable(env, accountId, region).peek(keyId) as KeyRecord | undefined;
  if (!key) return undefined;
  if (isDeleted(key, env.clock.now())) {
    purgeKey(env, key);
    return undefined;
  }
  return catchUpKey(env, key);
}

/**
 * The key with this id in every Region of the account, as stored (not caught up on the clock): a multi-Region key
 * and its related keys (multi-region.ts). Keys past their deletion date are left out.
 */
export function keyInEveryRegion(env: KmsEnv, accountId: string, keyId: string): KeyRecord[] {
  const now = env.clock.now();
  return env.store
    .scopes(KEYS)
    .filter((scope) => scope.accountId === accountId)
    .map((scope) => keyTable(env, accountId, scope.region).get(keyId))
    .filter((key): key is KeyRecord => key !== undefined && !isDeleted(key, now));
}

/** Every live key of an (account, region). */
export function liveKeys(env: KmsEnv, accountId: string, region: string): KeyRecord[] {
  return keyTable(env, accountId, region)
    .peekValues()
    .filter((key) => findKey(env, accountId, region, key.KeyId) !== undefined) as KeyRecord[];
}

/** Records are plain data, never changed in place: a change is written back as a new record. */
export function saveKey(env: KmsEnv, key: KeyRecord): void {
  keyTable(env, key.AccountId, key.Region).put(key.KeyId, key);
}

export type KeyStateName = ReturnType<typeof keyState>;

/** The state a caller sees [aws-behaviour §6.8]; a key past its deletion date was already purged by findKey. */
export function keyState(
  key: KeyRecord,
): Extract<KeyState, "Enabled" | "Disabled" | "PendingDeletion" | "PendingReplicaDeletion" | "PendingImport"> {
  if (key.DeletionDate !== undefined) return "PendingDeletion";
  if (key.ReplicaDeletionPending) return "PendingReplicaDeletion";
  // A key without its imported material is PendingImport, whatever Enabled says [KMS key-state].
  if (key.Origin === "EXTERNAL" && !key.Import?.Imported) return "PendingImport";
  return key.Enabled ? "Enabled" : "Disabled";
}

function isDeleted(key: KeyRecord, now: Date): boolean {
  return key.DeletionDate !== undefined && now.getTime() >= key.DeletionDate;
}

/**
 * "When the waiting period expires, KMS deletes the KMS key, its key material, and all AWS KMS data associated
 * with it, including all aliases that refer to it" [M-KMS ScheduleKeyDeletion]; its grants go with it.
 */
function purgeKey(env: KmsEnv, key: KeyRecord): void {
  keyTable(env, key.AccountId, key.Region).delete(key.KeyId);
  const aliases = aliasTable(env, key.AccountId, key.Region);
  for (const alias of aliases.values()) if (alias.TargetKeyId === key.KeyId) aliases.delete(alias.AliasName);
  const grants = grantTable(env, key.AccountId, key.Region);
  for (const grant of grants.values()) if (grant.KeyId === key.KeyId) grants.delete(grant.GrantId);
  forgetKeyUse(env, key.AccountId, key.Region, key.KeyId);
}
