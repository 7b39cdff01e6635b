import type {
  GetKeyLastUsageRequest,
  GetKeyLastUsageResponse,
  KeyLastUsageTrackingOperation,
} from "../../generated/kms.js";
import { authorizeKeyAction } from "./access.js";
import type { KmsCall, KmsEnv } from "./env.js";
import { parseKeyArn } from "./identifiers.js";
import { resolveKey } from "./resolve.js";
import type { Table } from "../../state/store.js";

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

function usageTable(env: KmsEnv, accountId: string, region: string): Table<KeyUseRecord> {
  return env.store.table<KeyUseRecord>(TABLE, accountId, region);
}

/**
 * *Decided*: how often a use is written. AWS's last-usage data is not a real-time log either (it is a summary of
 * successful operations, with its own TrackingStartDate), and writing a row on every Encrypt and Decrypt made every
 * use of a key a write to the store (a unit-of-work change, and a database row with a data directory). So the latest
 * use of each key is kept in memory and answered from there, exactly, and its row is written at most once per key
 * per second of the clock: by the first use in a second that the row does not already hold. What survives a restart
 * is then the first use of the last second in which the key was used, at most a second older than the last use.
 *
 * A use kept in memory stands only while the table still holds the very row it was kept beside: a row that was
 * rolled back, deleted, reset or imported since is a different object (or none), and then the row is the answer.
 */
interface LatestUse {
  /** The row this process last wrote for the key (the object put in the table). */
  row: KeyUseRecord;
  /** The key's latest use: the row itself, or a later use of the same clock second. */
  use: KeyUseRecord;
}

const latestUses = new WeakMap<Table<KeyUseRecord>, Map<string, LatestUse>>();

function latestUsesOf(table: Table<KeyUseRecord>): Map<string, LatestUse> {
  let latest = latestUses.get(table);
  if (!latest) latestUses.set(table, (latest = new Map()));
  return latest;
}

const secondOf = (time: number) => Math.floor(time / 1000);

/**
 * Records the successful use of the key(s) a tracked operation's output names (KeyId; ReEncrypt's SourceKeyId too),
 * under the id of the KMS request that did the work. Both ways into KMS's cryptography record through here: a
 * caller's API call (services/kms/key-usage.ts) and a service using a key on a caller's behalf (via-service.ts).
 */
export function recordKeyUses(env: KmsEnv, operation: string, requestId: string, output: unknown): void {
  if (!TRACKED_OPERATIONS.has(operation)) return;
  const { KeyId, SourceKeyId } = (output ?? {}) as { KeyId?: string; SourceKeyId?: string };
  if (SourceKeyId !== undefined) recordKeyUse(env, SourceKeyId, operation, requestId);
  if (KeyId !== undefined && KeyId !== SourceKeyId) recordKeyUse(env, KeyId, operation, requestId);
}

/** Records a successful use of the key with this ARN (the ARN a response names). */
function recordKeyUse(env: KmsEnv, keyArn: string, operation: string, requestId: string): void {
  const arn = parseKeyArn(keyArn);
  if (!arn) return;
  const use: KeyUseRecord = {
    Operation: operation as KeyLastUsageTrackingOperation,
    Timestamp: env.clock.now().getTime(),
    KmsRequestId: requestId,
  };
  const table = usageTable(env, arn.accountId, arn.region);
  const latest = latestUsesOf(table);
  const kept = latest.get(arn.keyId);
  const row = table.peek(arn.keyId);
  if (kept !== undefined && kept.row === row && secondOf(row.Timestamp) === secondOf(use.Timestamp)) {
    kept.use = use;
    return;
  }
  table.put(arn.keyId, use);
  latest.set(arn.keyId, { row: use, use });
}

/** The key's latest recorded use: the one kept in memory while its row stands, else the row. */
function lastUse(env: KmsEnv, accountId: string, region: string, keyId: string): KeyUseRecord | undefined {
  const table = usageTable(env, accountId, region);
  const row = table.peek(keyId);
  const kept = latestUses.get(table)?.get(keyId);
  return kept !== undefined && kept.row === row ? kept.use : row;
}

/** A deleted key's usage goes with it. */
export function forgetKeyUse(env: KmsEnv, accountId: string, region: string, keyId: string): void {
  const table = usageTable(env, accountId, region);
  table.delete(keyId);
  latestUses.get(table)?.delete(keyId);
}

/** GetKeyLastUsage: kms:GetKeyLastUsage on the key, by key id or key ARN, in any key state. */
export function getKeyLastUsage(call: KmsCall, input: GetKeyLastUsageRequest): GetKeyLastUsageResponse {
  const { key } = resolveKey(call, input.KeyId, "key");
  authorizeKeyAction(call, key, { action: "kms:GetKeyLastUsage" });
  const used = lastUse(call.env, key.AccountId, key.Region, key.KeyId);
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
