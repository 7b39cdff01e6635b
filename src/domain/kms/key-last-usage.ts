import type {
  GetKeyLastUsageRequest,
  GetKeyLastUsageResponse,
  KeyLastUsageTrackingOperation,
} from "../../generated/kms.js";
import { authorizeKeyAction } from "./access.js";
import type { KmsCall, KmsEnv } from "./env.js";
import { parseKeyArn } from "./identifiers.js";
import { resolveKey } from "./resolve.js";

/**
 * The last successful cryptographic operation of each key [M-KMS GetKeyLastUsage]: which operation, when (on the one
 * clock) and under which request id. "For multi-Region KMS keys, primary and replica keys track last usage
 * independently", so the record is per key and Region: the key that did the work. *Decided*: Trident tracks every key
 * from its creation, so TrackingStartDate is the key's CreationDate (an unused key shows no KeyLastUsage and a
 * KeyCreationDate on TrackingStartDate: "not used since it was created"); there is no CloudTrail, so no
 * CloudTrailEventId.
 */

export interface KeyUseRecord {
  Operation: KeyLastUsageTrackingOperation;
  Timestamp: number;
  KmsRequestId: string;
}

const TABLE = "kms.keyLastUsage";

/** The operations AWS tracks (the model's KeyLastUsageTrackingOperation). */
export const TRACKED_OPERATIONS: ReadonlySet<string> = new Set<KeyLastUsageTrackingOperation>([
  "Decrypt",
  "DeriveSharedSecret",
  "Encrypt",
  "GenerateDataKey",
  "GenerateDataKeyPair",
  "GenerateDataKeyPairWithoutPlaintext",
  "GenerateDataKeyWithoutPlaintext",
  "GenerateMac",
  "ReEncrypt",
  "Sign",
  "Verify",
  "VerifyMac",
]);

function usageTable(env: KmsEnv, accountId: string, region: string) {
  return env.store.table<KeyUseRecord>(TABLE, accountId, region);
}

/** Records a successful use of the key with this ARN (the ARN a response names). */
export function recordKeyUse(env: KmsEnv, keyArn: string, operation: string, requestId: string): void {
  const arn = parseKeyArn(keyArn);
  if (!arn || !TRACKED_OPERATIONS.has(operation)) return;
  usageTable(env, arn.accountId, arn.region).put(arn.keyId, {
    Operation: operation as KeyLastUsageTrackingOperation,
    Timestamp: env.clock.now().getTime(),
    KmsRequestId: requestId,
  });
}

/** A deleted key's usage goes with it. */
export function forgetKeyUse(env: KmsEnv, accountId: string, region: string, keyId: string): void {
  usageTable(env, accountId, region).delete(keyId);
}

/** GetKeyLastUsage: kms:GetKeyLastUsage on the key, by key id or key ARN, in any key state. */
export function getKeyLastUsage(call: KmsCall, input: GetKeyLastUsageRequest): GetKeyLastUsageResponse {
  const { key } = resolveKey(call, input.KeyId, "key");
  authorizeKeyAction(call, key, { action: "kms:GetKeyLastUsage" });
  const used = usageTable(call.env, key.AccountId, key.Region).get(key.KeyId);
  return {
    KeyId: key.Arn,
    KeyLastUsage: used && {
      Operation: used.Operation,
      Timestamp: new Date(used.Timestamp),
      KmsRequestId: used.KmsRequestId,
    },
    TrackingStartDate: new Date(key.CreationDate),
    KeyCreationDate: new Date(key.CreationDate),
  };
}
