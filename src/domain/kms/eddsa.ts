import { createHash, generateKeyPairSync, sign as nodeSign, verify as nodeVerify } from "node:crypto";
import { eddsa } from "@noble/curves/abstract/edwards.js";
import { ed25519 } from "@noble/curves/ed25519.js";
import type { MessageType, SigningAlgorithmSpec } from "../../generated/kms.js";
import { privateKeyOf, publicKeyOf } from "./key-pairs.js";

/**
 * ECC_NIST_EDWARDS25519 keys: EdDSA (RFC 8032). The private key is kept as PKCS#8 DER like the other key pairs.
 * ED25519_SHA_512 is pure Ed25519 over the whole message (node:crypto), so it takes MessageType RAW only;
 * ED25519_PH_SHA_512 is Ed25519ph over a SHA-512 digest, so it takes MessageType DIGEST only ("ED25519_SHA_512 signing
 * algorithm requires KMS MessageType:RAW; ED25519_PH_SHA_512 signing algorithm requires KMS MessageType:DIGEST"
 * [M-KMS Sign MessageType]). Node's crypto has no Ed25519ph and @noble/curves' ed25519ph hashes what it is given, so
 * the digest is signed by an EdDSA instance of @noble/curves whose prehash step is the identity: the same curve,
 * hash, clamping and RFC 8032 §5.1 dom2 prefix as ed25519ph.
 */

export const ED25519_SIGNING_ALGORITHMS: SigningAlgorithmSpec[] = ["ED25519_SHA_512", "ED25519_PH_SHA_512"];

/** The one MessageType each algorithm takes. */
export const ED25519_MESSAGE_TYPE: Partial<Record<SigningAlgorithmSpec, MessageType>> = {
  ED25519_SHA_512: "RAW",
  ED25519_PH_SHA_512: "DIGEST",
};

/** ED25519_PH_SHA_512's digest is SHA-512's. */
export const ED25519_PH_DIGEST_BYTES = 64;

const sha512 = (data: Uint8Array) => new Uint8Array(createHash("sha512").update(data).digest());

/** RFC 8032 §5.1: dom2(phflag, context) = "SigEd25519 no Ed25519 collisions" || phflag || len(context) || context. */
function dom2(data: Uint8Array, context: Uint8Array, prehashed: boolean): Uint8Array {
  if (context.length === 0 && !prehashed) return data;
  const prefix = Buffer.from("SigEd25519 no Ed25519 collisions", "latin1");
  return Buffer.concat([prefix, Buffer.of(prehashed ? 1 : 0, context.length), context, data]);
}

/** RFC 8032 §5.1.5 step 2: clamp the secret scalar. */
function clamp(bytes: Uint8Array): Uint8Array {
  const clamped = Uint8Array.from(bytes);
  clamped[0]! &= 248;
  clamped[31]! &= 127;
  clamped[31]! |= 64;
  return clamped;
}

/** Ed25519ph whose message is already SHA-512(message). */
const ed25519phOfDigest = eddsa(ed25519.Point, sha512, {
  adjustScalarBytes: clamp,
  domain: dom2,
  prehash: (digest: Uint8Array) => digest,
  zip215: true,
});

export function newEd25519PrivateKey(): Buffer {
  return generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "der" });
}

export function ed25519Sign(material: Buffer, algorithm: SigningAlgorithmSpec, data: Uint8Array): Buffer {
  if (algorithm === "ED25519_SHA_512") return nodeSign(null, data, privateKeyOf(material));
  const seed = Buffer.from(privateKeyOf(material).export({ format: "jwk" }).d!, "base64url");
  return Buffer.from(ed25519phOfDigest.sign(data, seed));
}

/** False for a signature that does not verify or is not an Ed25519 signature at all. */
export function ed25519Verify(
  material: Buffer,
  algorithm: SigningAlgorithmSpec,
  data: Uint8Array,
  signature: Uint8Array,
): boolean {
  try {
    if (algorithm === "ED25519_SHA_512") return nodeVerify(null, data, publicKeyOf(material), signature);
    const point = Buffer.from(publicKeyOf(material).export({ format: "jwk" }).x!, "base64url");
    return ed25519phOfDigest.verify(signature, data, point);
  } catch {
    return false;
  }
}
