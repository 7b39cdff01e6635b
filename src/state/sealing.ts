import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * Secrets at rest. Some tables hold secrets (tables.ts says which); wherever state leaves memory (the durable
 * store, an exported state document) those rows are sealed: AES-256-GCM under a 32-byte key, with the row's place
 * as additional data so a sealed row cannot be moved to another row.
 */

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** nonce ‖ ciphertext ‖ tag of `plaintext` under `key`, bound to `place`. */
export function seal(key: Buffer, place: string, plaintext: Buffer): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  cipher.setAAD(Buffer.from(place, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]);
}

/** The plaintext `seal` sealed; throws SealError for a wrong key, a wrong place or a tampered blob. */
export function unseal(key: Buffer, place: string, sealed: Buffer): Buffer {
  if (sealed.length < NONCE_BYTES + TAG_BYTES) throw new SealError("sealed data is truncated");
  const decipher = createDecipheriv("aes-256-gcm", key, sealed.subarray(0, NONCE_BYTES));
  decipher.setAAD(Buffer.from(place, "utf8"));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new SealError("sealed data does not open with this key (wrong key, or the data was altered)");
  }
}

export class SealError extends Error {}
