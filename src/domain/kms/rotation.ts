import type {
  EnableKeyRotationRequest,
  GetKeyRotationStatusResponse,
  ListKeyRotationsRequest,
  ListKeyRotationsResponse,
  RotateKeyOnDemandResponse,
  RotationsListEntry,
} from "../../generated/kms.js";
import { authorizeKeyAction } from "./access.js";
import type { KmsCall, KmsEnv } from "./env.js";
import { kmsFault } from "./errors.js";
import { requireEnabled } from "./key-states.js";
import { keySpecOf, newMaterial } from "./key-specs.js";
import { keyMaterialId, materialVersions, withNewMaterial } from "./materials.js";
import { multiRegionRole, shareWithReplicas } from "./multi-region.js";
import { paginate, PAGE_LIMITS, timeOrderedKey } from "./pagination.js";
import { saveKey, type KeyRecord } from "./records.js";
import { resolveKey } from "./resolve.js";

/** Automatic rotation every 365 days unless RotationPeriodInDays (90–2560, checked by the model) says otherwise. */
const DEFAULT_ROTATION_DAYS = 365;
const DAY_MS = 86_400_000;
/** "You can perform on-demand key rotation a maximum of 10 times per KMS key"; the quota is not adjustable [M-KMS RotateKeyOnDemand; KMS resource-limits]. */
export const ON_DEMAND_ROTATION_QUOTA = 10;

/**
 * Rotation gives the key new material and keeps the old (materials.ts): new encryptions use the new material, and
 * every ciphertext names the material that sealed it, so old ones still decrypt [KMS rotate-keys]. Automatic
 * rotation follows the one clock: a key whose rotation date has passed is rotated when it is next looked at
 * (catchUpRotations, from records.ts), dated at its rotation dates. Related multi-Region keys share material and
 * rotation status: the primary rotates and its replicas follow [M-KMS ReplicateKey].
 */
export function enableKeyRotation(call: KmsCall, input: EnableKeyRotationRequest): void {
  const { key } = resolveKey(call, input.KeyId, "key");
  authorizeKeyAction(call, key, {
    action: "kms:EnableKeyRotation",
    context: rotationContext(input.RotationPeriodInDays),
  });
  requireEnabled(key); // Disabled: DisabledException; PendingDeletion: KMSInvalidStateException [KMS-STATE]
  requireRotatable(key, "automatic key rotation");
  const period = input.RotationPeriodInDays ?? key.Rotation.PeriodInDays ?? DEFAULT_ROTATION_DAYS;
  const enabledAt = key.Rotation.Enabled ? key.Rotation.EnabledAt : call.env.clock.now().getTime();
  saveShared(call.env, { ...key, Rotation: { Enabled: true, PeriodInDays: period, EnabledAt: enabledAt } });
}

export function disableKeyRotation(call: KmsCall, keyId: string): void {
  const { key } = resolveKey(call, keyId, "key");
  authorizeKeyAction(call, key, { action: "kms:DisableKeyRotation" });
  requireEnabled(key);
  requireRotatable(key, "automatic key rotation");
  saveShared(call.env, { ...key, Rotation: { Enabled: false, PeriodInDays: key.Rotation.PeriodInDays } });
}

/**
 * Works across accounts by key ARN [KMS-XACCT]; NextRotationDate is derived from the clock. On-demand rotations
 * complete within the request here, so OnDemandRotationStartDate (an on-demand rotation *in progress*) never shows.
 */
export function getKeyRotationStatus(call: KmsCall, keyId: string): GetKeyRotationStatusResponse {
  const { key } = resolveKey(call, keyId, "key");
  authorizeKeyAction(call, key, { action: "kms:GetKeyRotationStatus" });
  const { Enabled, PeriodInDays } = key.Rotation;
  if (!Enabled) return { KeyRotationEnabled: false, KeyId: key.Arn };
  return {
    KeyRotationEnabled: true,
    KeyId: key.Arn,
    RotationPeriodInDays: PeriodInDays,
    NextRotationDate: new Date(rotationDatesAfter(key, call.env.clock.now().getTime())),
  };
}

/**
 * RotateKeyOnDemand: new material now, the automatic schedule unchanged [M-KMS RotateKeyOnDemand]. Customer-managed
 * symmetric encryption keys only, on the primary of multi-Region keys, ten times per key.
 */
export function rotateKeyOnDemand(call: KmsCall, keyId: string): RotateKeyOnDemandResponse {
  const { key } = resolveKey(call, keyId, "key");
  authorizeKeyAction(call, key, { action: "kms:RotateKeyOnDemand" });
  requireEnabled(key);
  requireRotatable(key, "on-demand key rotation");
  const done = materialVersions(key).filter((version) => version.RotationType === "ON_DEMAND").length;
  if (done >= ON_DEMAND_ROTATION_QUOTA) {
    // *Decided* text; the code is the one KMS gives for its resource quotas [KMS resource-limits].
    throw kmsFault(
      "LimitExceededException",
      `${key.Arn} has reached the maximum of ${ON_DEMAND_ROTATION_QUOTA} on-demand rotations per KMS key.`,
    );
  }
  saveShared(
    call.env,
    withNewMaterial(key, newMaterial("SYMMETRIC_DEFAULT"), call.env.clock.now().getTime(), "ON_DEMAND"),
  );
  return { KeyId: key.Arn };
}

/**
 * ListKeyRotations: the completed rotations, oldest first [M-KMS ListKeyRotations]; with IncludeKeyMaterial
 * ALL_KEY_MATERIAL also the key's first material. Not across accounts (by key id or ARN of the caller's key).
 */
export function listKeyRotations(call: KmsCall, input: ListKeyRotationsRequest): ListKeyRotationsResponse {
  const { key } = resolveKey(call, input.KeyId, "key");
  authorizeKeyAction(call, key, { action: "kms:ListKeyRotations" });
  const versions = materialVersions(key);
  const listed = versions
    .map((version, index) => ({ version, index }))
    .filter(({ version }) => input.IncludeKeyMaterial === "ALL_KEY_MATERIAL" || version.RotationType !== undefined);
  const page = paginate(
    listed,
    ({ version, index }) => timeOrderedKey(version.RotationDate ?? key.CreationDate, String(index).padStart(6, "0")),
    input,
    PAGE_LIMITS.ListKeyRotations,
    key.Arn,
  );
  return {
    Rotations: page.items.map(({ version, index }): RotationsListEntry => ({
      KeyId: key.Arn,
      KeyMaterialId: keyMaterialId(key.KeyId, version.Material),
      KeyMaterialState: index === versions.length - 1 ? "CURRENT" : "NON_CURRENT",
      RotationDate: version.RotationDate === undefined ? undefined : new Date(version.RotationDate),
      RotationType: version.RotationType,
    })),
    NextMarker: page.NextMarker,
    Truncated: page.Truncated,
  };
}

/**
 * The key with every automatic rotation due by `now` done, each dated at its rotation date; the key itself when none
 * is due. Replicas never rotate by themselves: their primary does, for all of them.
 */
export function catchUpRotations(key: KeyRecord, now: number): KeyRecord {
  const { Enabled, RotatedThrough } = key.Rotation;
  if (!Enabled || multiRegionRole(key) === "REPLICA") return key;
  let rotated = key;
  for (let date = rotationDatesAfter(key, RotatedThrough ?? 0); date <= now; date = rotationDatesAfter(key, date)) {
    rotated = withNewMaterial(rotated, newMaterial("SYMMETRIC_DEFAULT"), date, "AUTOMATIC");
    rotated = { ...rotated, Rotation: { ...rotated.Rotation, RotatedThrough: date } };
  }
  return rotated;
}

/** The first automatic rotation date after `time`: enabledAt + n × period. */
function rotationDatesAfter(key: KeyRecord, time: number): number {
  const period = (key.Rotation.PeriodInDays ?? DEFAULT_ROTATION_DAYS) * DAY_MS;
  const start = key.Rotation.EnabledAt ?? key.CreationDate;
  const elapsed = Math.max(0, time - start);
  return start + (Math.floor(elapsed / period) + 1) * period;
}

/**
 * Which keys rotate [M-KMS EnableKeyRotation, RotateKeyOnDemand]: symmetric encryption keys with KMS's own material,
 * customer managed, and for multi-Region keys the primary. *Decided* texts.
 */
function requireRotatable(key: KeyRecord, what: string): void {
  if (keySpecOf(key) !== "SYMMETRIC_DEFAULT") {
    throw kmsFault("UnsupportedOperationException", `${key.Arn} does not support ${what}.`);
  }
  const refuse = (why: string) =>
    kmsFault("UnsupportedOperationException", `${key.Arn} ${why}; it does not support ${what}.`);
  if (key.Origin === "EXTERNAL") throw refuse("has imported key material");
  if (key.KeyManager === "AWS") throw refuse("is an AWS managed key");
  if (multiRegionRole(key) === "REPLICA") throw refuse("is a multi-Region replica key (rotate its primary key)");
}

/** Saves the key and, for a multi-Region primary, gives its replicas the same material and rotation status. */
function saveShared(env: KmsEnv, key: KeyRecord): void {
  saveKey(env, key);
  shareWithReplicas(env, key);
}

function rotationContext(days: number | undefined) {
  return days === undefined ? {} : { "kms:RotationPeriodInDays": days };
}
