import type { EnableKeyRotationRequest, GetKeyRotationStatusResponse } from "../../generated/kms.js";
import { authorizeKeyAction } from "./access.js";
import type { KmsCall } from "./env.js";
import { kmsFault } from "./errors.js";
import { requireEnabled } from "./key-states.js";
import { keySpecOf } from "./key-specs.js";
import { saveKey, type KeyRecord } from "./records.js";
import { resolveKey } from "./resolve.js";

/** Automatic rotation every 365 days unless RotationPeriodInDays (90–2560, checked by the model) says otherwise. */
const DEFAULT_ROTATION_DAYS = 365;
const DAY_MS = 86_400_000;

/**
 * Rotation is bookkeeping here: the schedule is kept and reported, and the key keeps one material (every
 * ciphertext stays decryptable, which is all rotation promises a caller). *Decided*.
 */
export function enableKeyRotation(call: KmsCall, input: EnableKeyRotationRequest): void {
  const { key } = resolveKey(call, input.KeyId, "key");
  authorizeKeyAction(call, key, {
    action: "kms:EnableKeyRotation",
    context: rotationContext(input.RotationPeriodInDays),
  });
  requireEnabled(key); // Disabled: DisabledException; PendingDeletion: KMSInvalidStateException [KMS-STATE]
  // "Automatic key rotation is supported only on symmetric encryption KMS keys" [M-KMS EnableKeyRotation].
  if (keySpecOf(key) !== "SYMMETRIC_DEFAULT") {
    throw kmsFault("UnsupportedOperationException", `${key.Arn} does not support automatic key rotation.`);
  }
  const period = input.RotationPeriodInDays ?? key.Rotation.PeriodInDays ?? DEFAULT_ROTATION_DAYS;
  const enabledAt = key.Rotation.Enabled ? key.Rotation.EnabledAt : call.env.clock.now().getTime();
  saveKey(call.env, { ...key, Rotation: { Enabled: true, PeriodInDays: period, EnabledAt: enabledAt } });
}

export function disableKeyRotation(call: KmsCall, keyId: string): void {
  const { key } = resolveKey(call, keyId, "key");
  authorizeKeyAction(call, key, { action: "kms:DisableKeyRotation" });
  requireEnabled(key);
  saveKey(call.env, { ...key, Rotation: { Enabled: false, PeriodInDays: key.Rotation.PeriodInDays } });
}

/** Works across accounts by key ARN [KMS-XACCT]; NextRotationDate is derived from the clock. */
export function getKeyRotationStatus(call: KmsCall, keyId: string): GetKeyRotationStatusResponse {
  const { key } = resolveKey(call, keyId, "key");
  authorizeKeyAction(call, key, { action: "kms:GetKeyRotationStatus" });
  const { Enabled, PeriodInDays } = key.Rotation;
  if (!Enabled) return { KeyRotationEnabled: false, KeyId: key.Arn };
  return {
    KeyRotationEnabled: true,
    KeyId: key.Arn,
    RotationPeriodInDays: PeriodInDays,
    NextRotationDate: nextRotation(key, call.env.clock.now()),
  };
}

/** The first rotation after now: enabledAt + n × period. */
function nextRotation(key: KeyRecord, now: Date): Date {
  const period = (key.Rotation.PeriodInDays ?? DEFAULT_ROTATION_DAYS) * DAY_MS;
  const start = key.Rotation.EnabledAt ?? key.CreationDate;
  const elapsed = Math.max(0, now.getTime() - start);
  return new Date(start + (Math.floor(elapsed / period) + 1) * period);
}

function rotationContext(days: number | undefined) {
  return days === undefined ? {} : { "kms:RotationPeriodInDays": days };
}
