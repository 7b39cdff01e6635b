import { createHash, generateKeyPairSync } from "node:crypto";
import { p256, p384, p521 } from "@noble/curves/nist.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import type { KeySpec, SigningAlgorithmSpec } from "../../generated/kms.js";
import { privateKeyOf, publicKeyOf } from "./key-pairs.js";

/**
 * ECC key pairs and ECDSA. The private key is kept as PKCS#8 DER in the key's Material (sealed at rest like any
 * material); the public key is DER SubjectPublicKeyInfo, as GetPublicKey returns it. Signing takes the digest
 * itself: node:crypto always hashes what it signs, so a DIGEST message (which AWS never hashes again) is signed
 * with @noble/curves, without prehashing, into a DER signature (high S allowed, as OpenSSL's).
 */

interface Curve {
  nodeName: string;
  algorithm: SigningAlgorithmSpec;
  ecdsa: typeof p256;
}

/** One signing algorithm per curve [M-KMS asymmetric key specs]. */
export const ECC_SPECS: Partial<Record<KeySpec, Curve>> = {
  ECC_NIST_P256: { nodeName: "prime256v1", algorithm: "ECDSA_SHA_256", ecdsa: p256 },
  ECC_NIST_P384: { nodeName: "secp384r1", algorithm: "ECDSA_SHA_384", ecdsa: p384 },
  ECC_NIST_P521: { nodeName: "secp521r1", algorithm: "ECDSA_SHA_512", ecdsa: p521 },
  ECC_SECG_P256K1: { nodeName: "secp256k1", algorithm: "ECDSA_SHA_256", ecdsa: secp256k1 },
};

/** The digest each ECDSA algorithm signs, and its length in bytes. */
export const ECDSA_DIGESTS: Partial<Record<SigningAlgorithmSpec, { hash: string; bytes: number }>> = {
  ECDSA_SHA_256: { hash: "sha256", bytes: 32 },
  ECDSA_SHA_384: { hash: "sha384", bytes: 48 },
  ECDSA_SHA_512: { hash: "sha512", bytes: 64 },
};

export function newEccPrivateKey(curve: Curve): Buffer {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: curve.nodeName });
  return privateKey.export({ type: "pkcs8", format: "der" });
}

/** The digest of a RAW message, with the algorithm's hash (a DIGEST message is taken as it is). */
export function ecdsaDigest(algorithm: SigningAlgorithmSpec, message: Uint8Array): Uint8Array {
  return createHash(ECDSA_DIGESTS[algorithm]!.hash).update(message).digest();
}

export function ecdsaSign(curve: Curve, material: Buffer, digest: Uint8Array): Buffer {
  const d = Buffer.from(privateKeyOf(material).export({ format: "jwk" }).d!, "base64url");
  return Buffer.from(curve.ecdsa.sign(digest, d, { prehash: false, lowS: false, format: "der" }));
}

/** False for a signature that does not verify or is not a DER ECDSA signature at all. */
export function ecdsaVerify(curve: Curve, material: Buffer, digest: Uint8Array, signature: Uint8Array): boolean {
  const jwk = publicKeyOf(material).export({ format: "jwk" });
  const point = Buffer.concat([Buffer.of(4), Buffer.from(jwk.x!, "base64url"), Buffer.from(jwk.y!, "base64url")]);
  try {
    return curve.ecdsa.verify(signature, digest, point, { prehash: false, lowS: false, format: "der" });
  } catch {
    return false;
  }
}
