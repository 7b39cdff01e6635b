import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { keyMaterialId, materialFor } from "./materials.js";
import type { KeyRecord } from "./records.js";

/**
 * The ciphertext blob: self-describing like AWS's (it names its key, so Decrypt needs no KeyId and finds the
 * owner's key in another account too [DESIGN §4]), sealed with AES-256-GCM under the key's material, with the
 * header and the encryption context bound as additional authenticated data: a changed byte, another key or
 * another context all fail authentication.
 *
 *   "TKMS" | version (2) | key ARN length (2, big-endian) | key ARN (UTF-8) | key material id (32) | IV (12) |
 *   tag (16) | ciphertext
 *
 * Version 2 names the backing key material (materials.ts), as AWS's ciphertext names its backing key, so a ciphertext
 * made before a rotation still decrypts after it. Version 1 (no material id) is still read.
 */
const MAGIC = Buffer.from("TKMS", "latin1");
const VERSION = 2;
const VERSION_WITHOUT_MATERIAL_ID = 1;
const MATERIAL_ID_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface SealedBlob {
  keyArn: string;
  /** The KeyMaterialId (hex) of the material that sealed it; absent in version 1 blobs. */
  materialId?: string;
  header: Buffer;
  iv: Buffer;
  tag: Buffer;
  body: Buffer;
}

export function seal(
  keyArn: string,
  material: Buffer,
  plaintext: Uint8Array,
  encryptionContext: Record<string, string> = {},
): Buffer {
  const arn = Buffer.from(keyArn, "utf8");
  const materialId = Buffer.from(keyMaterialId(keyArn.slice(keyArn.lastIndexOf("/") + 1), material), "hex");
  const header = Buffer.alloc(MAGIC.length + 3 + arn.length + MATERIAL_ID_BYTES);
  MAGIC.copy(header, 0);
  header.writeUInt8(VERSION, MAGIC.length);
  header.writeUInt16BE(arn.length, MAGIC.length + 1);
  arn.copy(header, MAGIC.length + 3);
  materialId.copy(header, MAGIC.length + 3 + arn.length);

  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", material, iv);
  cipher.setAAD(additionalData(header, encryptionContext));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([header, iv, cipher.getAuthTag(), body]);
}

/** The blob's parts, or undefined when it is not a Trident ciphertext at all. */
export function parseBlob(blob: Uint8Array): SealedBlob | undefined {
  const data = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const fixed = MAGIC.length + 3;
  if (data.length < fixed || !data.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const version = data.readUInt8(MAGIC.length);
  if (version !== VERSION && version !== VERSION_WITHOUT_MATERIAL_ID) return undefined;
  const arnLength = data.readUInt16BE(MAGIC.length + 1);
  const idLength = version === VERSION ? MATERIAL_ID_BYTES : 0;
  const headerLength = fixed + arnLength + idLength;
  if (data.length < headerLength + IV_BYTES + TAG_BYTES) return undefined;
  return {
    keyArn: data.subarray(fixed, fixed + arnLength).toString("utf8"),
    materialId: idLength ? data.subarray(fixed + arnLength, headerLength).toString("hex") : undefined,
    header: data.subarray(0, headerLength),
    iv: data.subarray(headerLength, headerLength + IV_BYTES),
    tag: data.subarray(headerLength + IV_BYTES, headerLength + IV_BYTES + TAG_BYTES),
    body: data.subarray(headerLength + IV_BYTES + TAG_BYTES),
  };
}

/** The plaintext, or undefined when authentication fails (tampered blob, wrong material or encryption context). */
export function open(
  sealed: SealedBlob,
  material: Buffer,
  encryptionContext: Record<string, string> = {},
): Buffer | undefined {
  try {
    const decipher = createDecipheriv("aes-256-gcm", material, sealed.iv);
    decipher.setAAD(additionalData(sealed.header, encryptionContext));
    decipher.setAuthTag(sealed.tag);
    return Buffer.concat([decipher.update(sealed.body), decipher.final()]);
  } catch {
    return undefined;
  }
}

/** Opens a blob with the key's material that sealed it; undefined when the key no longer has that material. */
export function openSealed(
  sealed: SealedBlob,
  key: KeyRecord,
  encryptionContext: Record<string, string> = {},
): Buffer | undefined {
  const material = materialFor(key, sealed.materialId);
  return material && open(sealed, material, encryptionContext);
}

/** The context is an unordered map: sort it so `{a, b}` and `{b, a}` bind the same bytes. */
function additionalData(header: Buffer, encryptionContext: Record<string, string>): Buffer {
  const pairs = Object.entries(encryptionContext).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.concat([header, Buffer.from(JSON.stringify(pairs), "utf8")]);
}
