import { seal, unseal } from "../../../state/sealing.js";

/**
 * A cluster's graph at rest (its images and change log) is sealed with the cluster's storage data key, AES-256-GCM
 * (state/sealing.ts), each blob bound to its place so that one can't stand in for another. The plaintext data key
 * comes from KMS under Neptune's grant for the cluster (cluster-graphs.ts) and lives only in memory.
 *
 * *Decided*: an unencrypted cluster (StorageEncrypted false, as AWS allows) has no data key, so its graph is kept
 * as is; its tables are secret tables all the same (state/tables.ts), so the data directory's master key seals
 * them on disk and a state document's passphrase in an export: no property value is ever written in clear.
 */
export type DataKey = Buffer | undefined;

export function sealGraphBytes(dataKey: DataKey, place: string, bytes: Buffer): Buffer {
  return dataKey ? seal(dataKey, place, bytes) : bytes;
}

export function unsealGraphBytes(dataKey: DataKey, place: string, stored: Buffer): Buffer {
  return dataKey ? unseal(dataKey, place, stored) : stored;
}
