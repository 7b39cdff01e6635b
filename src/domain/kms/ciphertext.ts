import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from "node:crypto";
import { materialFor, materialIdOf } from "./materials.js";
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
  const keyId = keyArn.slice(keyArn.lastIndexOf("/") + 1);
  const headerLength = MAGIC.length + 3 + Buffer.byteLength(keyArn, "utf8") + MATERIAL_ID_BYTES;
  // The blob is written in place, in one buffer: header, IV, tag (once known), then the ciphertext.
  const blob = Buffer.allocUnsafe(headerLength + IV_BYTES + TAG_BYTES + plaintext.byteLength);
  MAGIC.copy(blob, 0);
  blob.writeUInt8(VERSION, MAGIC.length);
  const arnLength = blob.write(keyArn, MAGIC.length + 3, "utf8");
  blob.writeUInt16BE(arnLength, MAGIC.length + 1);
  materialIdOf(keyId, material).bytes.copy(blob, MAGIC.length + 3 + arnLength);
  const header = blob.subarray(0, headerLength);
  const iv = nextIv();
  iv.copy(blob, headerLength);

  const cipher = createCipheriv("aes-256-gcm", secretKeyOf(material), iv);
  setAdditionalData(cipher, header, encryptionContext);
  const body = cipher.update(plaintext);
  cipher.final(); // GCM is a stream mode: everything came out of update
  body.copy(blob, headerLength + IV_BYTES + TAG_BYTES);
  cipher.getAuthTag().copy(blob, headerLength + IV_BYTES);
  return blob;
}

/**
 * IVs: 96 random bits each [NIST SP 800-38D §8.2.2], drawn from the system's random source a page at a time rather
 * than one call per blob. Each is copied into its blob at once and the page is never handed out, so no IV is used
 * twice.
 */
const IV_PAGE_BYTES = 4096;
let ivPage = Buffer.alloc(0);
let ivOffset = 0;

function nextIv(): Buffer {
  if (ivOffset + IV_BYTES > ivPage.length) {
    ivPage = randomBytes(IV_PAGE_BYTES);
    ivOffset = 0;
  }
  ivOffset += IV_BYTES;
  return ivPage.subarray(ivOffset - IV_BYTES, ivOffset);
}

/** The material as a KeyObject, made once per material (a material's Buffer is never changed in place). */
const secretKeys = new WeakMap<Buffer, KeyObject>();

function secretKeyOf(material: Buffer): KeyObject {
  let key = secretKeys.get(material);
  if (!key) secretKeys.set(material, (key = createSecretKey(material)));
  return key;
}

/** The blob's parts, or undefined when it is not a Trident ciphertext at all. */
export function parseBlob(blob: Uint8Array): SealedBlob | undefined {
  const data = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const fixed = MAGIC.length + 3;
  if (data.length < fixed || data.compare(MAGIC, 0, MAGIC.length, 0, MAGIC.length) !== 0) return undefined;
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
    const decipher = createDecipheriv("aes-256-gcm", secretKeyOf(material), sealed.iv);
    setAdditionalData(decipher, sealed.header, encryptionContext);
    decipher.setAuthTag(sealed.tag);
    const plaintext = decipher.update(sealed.body);
    decipher.final(); // checks the tag; GCM gives no more bytes here
    return plaintext;
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

/**
 * The additional data is the header, then the encryption context's pairs sorted by key as JSON (the context is an
 * unordered map: `{a, b}` and `{b, a}` bind the same bytes). GCM takes it in parts (NIST SP 800-38D: the AAD is one
 * bit string, however it is fed), so the header is given as it lies in the blob, not copied next to the context.
 */
function setAdditionalData(
  cipher: { setAAD(data: Buffer): unknown },
  header: Buffer,
  encryptionContext: Record<string, string>,
): void {
  cipher.setAAD(header);
  cipher.setAAD(contextBytes(encryptionContext));
}

const NO_CONTEXT = Buffer.from("[]", "utf8");

function contextBytes(encryptionContext: Record<string, string>): Buffer {
  const pairs = Object.entries(encryptionContext);
  if (pairs.length === 0) return NO_CONTEXT;
  pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(JSON.stringify(pairs), "utf8");
}
