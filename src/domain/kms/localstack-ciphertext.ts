import { createDecipheriv } from "node:crypto";
import { parseKeyReference } from "./identifiers.js";

/**
 * Ciphertexts made by LocalStack's KMS, so that a suite moving from LocalStack keeps the ciphertexts it recorded:
 * give the key the same id and material (`_custom_id_` and `_custom_key_material_`, or a seed file) and Trident
 * decrypts them. LocalStack's frame (localstack `services/kms/models.py`: `_serialize_ciphertext_blob`,
 * `_serialize_encryption_context`; `utils/crypto.py`: `encrypt`):
 *
 *   key id (36 bytes, UTF-8) | IV (16) | GCM tag (16) | AES-256-GCM of the plaintext PKCS#7-padded to 16 bytes
 *
 * with the encryption context as additional data: each pair's key then value, sorted by key, concatenated
 * (`aws-crypto-public-key` left out). The blob names a key id, not an ARN: it is the caller's key, in the
 * request's account and region. Read-only: Trident encrypts in its own format (ciphertext.ts).
 */
const KEY_ID_BYTES = 36;
const IV_BYTES = 16;
const TAG_BYTES = 16;
const BLOCK = 16;
const IGNORED_CONTEXT_KEYS = new Set(["aws-crypto-public-key"]);

export interface LocalStackBlob {
  keyId: string;
  iv: Buffer;
  tag: Buffer;
  body: Buffer;
}

/** The blob's parts, or undefined when it is not in LocalStack's frame. */
export function parseLocalStackBlob(blob: Uint8Array): LocalStackBlob | undefined {
  const data = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const header = KEY_ID_BYTES + IV_BYTES + TAG_BYTES;
  if (data.length < header + BLOCK || (data.length - header) % BLOCK !== 0) return undefined;
  const keyId = data.subarray(0, KEY_ID_BYTES).toString("latin1");
  if (parseKeyReference(keyId).kind !== "key-id") return undefined;
  return {
    keyId,
    iv: data.subarray(KEY_ID_BYTES, KEY_ID_BYTES + IV_BYTES),
    tag: data.subarray(KEY_ID_BYTES + IV_BYTES, header),
    body: data.subarray(header),
  };
}

/** The plaintext, or undefined when authentication or the padding fails. */
export function openLocalStackBlob(
  blob: LocalStackBlob,
  material: Buffer,
  encryptionContext: Record<string, string> = {},
): Buffer | undefined {
  let padded: Buffer;
  try {
    const decipher = createDecipheriv("aes-256-gcm", material, blob.iv);
    decipher.setAAD(additionalData(encryptionContext));
    decipher.setAuthTag(blob.tag);
    padded = Buffer.concat([decipher.update(blob.body), decipher.final()]);
  } catch {
    return undefined;
  }
  const pad = padded[padded.length - 1]!;
  if (pad < 1 || pad > BLOCK || padded.subarray(-pad).some((byte) => byte !== pad)) return undefined;
  return padded.subarray(0, padded.length - pad);
}

function additionalData(encryptionContext: Record<string, string>): Buffer {
  const pairs = Object.entries(encryptionContext)
    .filter(([key]) => !IGNORED_CONTEXT_KEYS.has(key))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(pairs.map(([key, value]) => key + value).join(""), "utf8");
}
