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

/**
 * The stored form of graph bytes: sealed (with a data key), as base64 text. Text, not a Buffer: the store's row
 * codec reaches a Buffer through Buffer#toJSON, an array of one number per byte, which for an image of tens of MiB
 * costs tens of seconds; a string is copied as it is.
 */
export function sealGraphBytes(dataKey: DataKey, place: string, bytes: Buffer): string {
  return (dataKey ? seal(dataKey, place, bytes) : bytes).toString("base64");
}

export function unsealGraphBytes(dataKey: DataKey, place: string, stored: string): Buffer {
  const bytes = Buffer.from(stored, "base64");
  return dataKey ? unseal(dataKey, place, bytes) : bytes;
}
