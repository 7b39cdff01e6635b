import {
  constants,
  generateKeyPair,
  createHash,
  privateDecrypt,
  privateEncrypt,
  publicDecrypt,
  publicEncrypt,
  randomBytes,
  timingSafeEqual,
} from "node:crypto";
import type { EncryptionAlgorithmSpec, KeySpec, SigningAlgorithmSpec } from "../../generated/kms.js";
import { privateKeyOf, publicKeyOf } from "./key-pairs.js";

/**
 * RSA key pairs, RSAES-OAEP and RSASSA-PSS / PKCS#1 v1.5, as KMS does them (the developer guide's key spec reference,
 * https://docs.aws.amazon.com/kms/latest/developerguide/symm-asymm-choose-key-spec.html: "RSA key specs for encryption
 * and decryption", "… for signing and verification"). The private key is kept as PKCS#8 DER in the key's
 * Material, like an ECC key's. Ciphertexts are the raw RSA-OAEP output (the modulus length), so data encrypted
 * offline with GetPublicKey's key decrypts here, and the other way round.
 *
 * Signing takes the digest: KMS signs a DIGEST message as it is, never hashing it again, and node:crypto's sign()
 * always hashes what it is given. So both paddings are built here over the digest (RFC 8017 §9.1 EMSA-PSS with a
 * salt as long as the digest, as KMS's RSASSA_PSS_* are; §9.2 EMSA-PKCS1-v1_5's DigestInfo) and the private-key
 * operation is node:crypto's privateEncrypt (RSA_NO_PADDING for PSS, RSA_PKCS1_PADDING for the DigestInfo, which
 * adds the type-1 padding itself). The encodings are RFC 8017's few lines, so no dependency for them; node:crypto's
 * and OpenSSL's verify() check them in the tests.
 */

/** The modulus length in bits per RSA key spec. */
export const RSA_SPECS: Partial<Record<KeySpec, { bits: number }>> = {
  RSA_2048: { bits: 2048 },
  RSA_3072: { bits: 3072 },
  RSA_4096: { bits: 4096 },
};

export const RSA_ENCRYPTION_ALGORITHMS: EncryptionAlgorithmSpec[] = ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"];

/** In AWS's order (DescribeKey's example for an RSA_2048 SIGN_VERIFY key) [X-KMS DescribeKey]. */
export const RSA_SIGNING_ALGORITHMS: SigningAlgorithmSpec[] = [
  "RSASSA_PKCS1_V1_5_SHA_256",
  "RSASSA_PKCS1_V1_5_SHA_384",
  "RSASSA_PKCS1_V1_5_SHA_512",
  "RSASSA_PSS_SHA_256",
  "RSASSA_PSS_SHA_384",
  "RSASSA_PSS_SHA_512",
];

/** OAEP's hash, used for MGF1 too ("SHA-256 for both the message digest and the MGF1 mask generation function"). */
const OAEP_HASH: Partial<Record<EncryptionAlgorithmSpec, { hash: string; bytes: number }>> = {
  RSAES_OAEP_SHA_1: { hash: "sha1", bytes: 20 },
  RSAES_OAEP_SHA_256: { hash: "sha256", bytes: 32 },
};

/** The digest each RSA signing algorithm signs, its length, and its DER DigestInfo prefix (RFC 8017 §9.2 note 1). */
const RSA_DIGESTS: Partial<Record<SigningAlgorithmSpec, { hash: string; bytes: number; pss: boolean }>> = {
  RSASSA_PKCS1_V1_5_SHA_256: { hash: "sha256", bytes: 32, pss: false },
  RSASSA_PKCS1_V1_5_SHA_384: { hash: "sha384", bytes: 48, pss: false },
  RSASSA_PKCS1_V1_5_SHA_512: { hash: "sha512", bytes: 64, pss: false },
  RSASSA_PSS_SHA_256: { hash: "sha256", bytes: 32, pss: true },
  RSASSA_PSS_SHA_384: { hash: "sha384", bytes: 48, pss: true },
  RSASSA_PSS_SHA_512: { hash: "sha512", bytes: 64, pss: true },
};

const DIGEST_INFO_PREFIX: Record<string, Buffer> = {
  sha256: Buffer.from("3031300d060960864801650304020105000420", "hex"),
  sha384: Buffer.from("3041300d060960864801650304020205000430", "hex"),
  sha512: Buffer.from("3051300d060960864801650304020305000440", "hex"),
};

/** A new RSA private key (PKCS#8 DER), made in libuv's thread pool, off the event loop (key-generation.ts). */
export function newRsaPrivateKey(bits: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    generateKeyPair(
      "rsa",
      {
        modulusLength: bits,
        publicExponent: 0x10001,
        privateKeyEncoding: { type: "pkcs8", format: "der" },
        publicKeyEncoding: { type: "spki", format: "der" },
      },
      (error, _publicKey, privateKey) => (error ? reject(error) : resolve(privateKey)),
    ),
  );
}

/**
 * The largest plaintext an algorithm encrypts under a key spec: k − 2·hLen − 2 bytes (RFC 8017 §7.1.1), which gives
 * KMS's table (RSA_2048: 214 with SHA-1, 190 with SHA-256; RSA_3072: 342, 318; RSA_4096: 470, 446).
 */
export function maxOaepPlaintext(spec: KeySpec, algorithm: EncryptionAlgorithmSpec): number {
  return RSA_SPECS[spec]!.bits / 8 - 2 * OAEP_HASH[algorithm]!.bytes - 2;
}

export function oaepEncrypt(material: Buffer, algorithm: EncryptionAlgorithmSpec, plaintext: Uint8Array): Buffer {
  const key = publicKeyOf(material);
  return publicEncrypt(
    { key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: OAEP_HASH[algorithm]!.hash },
    plaintext,
  );
}

/** The plaintext, or undefined for a ciphertext that is not one of this key and algorithm. */
export function oaepDecrypt(
  material: Buffer,
  algorithm: EncryptionAlgorithmSpec,
  ciphertext: Uint8Array,
): Buffer | undefined {
  try {
    return privateDecrypt(
      { key: privateKeyOf(material), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: OAEP_HASH[algorithm]!.hash },
      ciphertext,
    );
  } catch {
    return undefined;
  }
}

export function rsaDigestBytes(algorithm: SigningAlgorithmSpec): number | undefined {
  return RSA_DIGESTS[algorithm]?.bytes;
}

export function rsaDigest(algorithm: SigningAlgorithmSpec, message: Uint8Array): Buffer {
  return createHash(RSA_DIGESTS[algorithm]!.hash).update(message).digest();
}

export function rsaSign(material: Buffer, algorithm: SigningAlgorithmSpec, digest: Uint8Array): Buffer {
  const { hash, pss } = RSA_DIGESTS[algorithm]!;
  const key = privateKeyOf(material);
  if (!pss) return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, digestInfo(hash, digest));
  const modBits = key.asymmetricKeyDetails!.modulusLength!;
  const encoded = emsaPssEncode(hash, Buffer.from(digest), modBits - 1);
  // The encoded message is one octet shorter than the modulus only when modBits ≡ 1 (mod 8); KMS's sizes are not.
  return privateEncrypt({ key, padding: constants.RSA_NO_PADDING }, encoded);
}

/** False for a signature that does not verify or is not one of this key at all. */
export function rsaVerify(
  material: Buffer,
  algorithm: SigningAlgorithmSpec,
  digest: Uint8Array,
  signature: Uint8Array,
): boolean {
  const { hash, pss } = RSA_DIGESTS[algorithm]!;
  const key = publicKeyOf(material);
  const modBits = key.asymmetricKeyDetails!.modulusLength!;
  if (signature.length !== modBits / 8) return false;
  try {
    if (!pss) {
      const recovered = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
      const expected = digestInfo(hash, digest);
      return recovered.length === expected.length && timingSafeEqual(recovered, expected);
    }
    const encoded = publicDecrypt({ key, padding: constants.RSA_NO_PADDING }, signature);
    return emsaPssVerify(hash, Buffer.from(digest), encoded, modBits - 1);
  } catch {
    return false;
  }
}

function digestInfo(hash: string, digest: Uint8Array): Buffer {
  return Buffer.concat([DIGEST_INFO_PREFIX[hash]!, digest]);
}

/** RFC 8017 §9.1.1 with sLen = hLen. */
function emsaPssEncode(hash: string, mHash: Buffer, emBits: number): Buffer {
  const hLen = mHash.length;
  const emLen = Math.ceil(emBits / 8);
  const salt = randomBytes(hLen);
  const h = createHash(hash)
    .update(Buffer.concat([Buffer.alloc(8), mHash, salt]))
    .digest();
  const db = Buffer.concat([Buffer.alloc(emLen - 2 * hLen - 2), Buffer.of(1), salt]);
  const masked = xor(db, mgf1(hash, h, db.length));
  masked[0]! &= 0xff >> (8 * emLen - emBits);
  return Buffer.concat([masked, h, Buffer.of(0xbc)]);
}

/** RFC 8017 §9.1.2 with sLen = hLen; `encoded` is the modulus-length integer the public key recovered. */
function emsaPssVerify(hash: string, mHash: Buffer, encoded: Buffer, emBits: number): boolean {
  const hLen = mHash.length;
  const emLen = Math.ceil(emBits / 8);
  const em = encoded.subarray(encoded.length - emLen);
  if (encoded.length > emLen && encoded.subarray(0, encoded.length - emLen).some((byte) => byte !== 0)) return false;
  if (emLen < 2 * hLen + 2 || em[emLen - 1] !== 0xbc) return false;
  const masked = em.subarray(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const topBits = 0xff >> (8 * emLen - emBits);
  if ((masked[0]! & ~topBits) !== 0) return false;
  const db = xor(masked, mgf1(hash, h, masked.length));
  db[0]! &= topBits;
  const separator = emLen - 2 * hLen - 2;
  if (db.subarray(0, separator).some((byte) => byte !== 0) || db[separator] !== 1) return false;
  const salt = db.subarray(separator + 1);
  const expected = createHash(hash)
    .update(Buffer.concat([Buffer.alloc(8), mHash, salt]))
    .digest();
  return timingSafeEqual(expected, h);
}

/** RFC 8017 B.2.1. */
function mgf1(hash: string, seed: Buffer, length: number): Buffer {
  const blocks: Buffer[] = [];
  for (let counter = 0; blocks.length * seed.length < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    blocks.push(createHash(hash).update(seed).update(c).digest());
  }
  return Buffer.concat(blocks).subarray(0, length);
}

function xor(a: Buffer, b: Buffer): Buffer {
  return Buffer.from(a.map((byte, i) => byte ^ b[i]!));
}
