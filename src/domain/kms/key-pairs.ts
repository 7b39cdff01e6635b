import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";

/**
 * A key pair's Material is its private key as PKCS#8 DER (ECC, RSA and data key pairs alike); its public key goes
 * out as DER SubjectPublicKeyInfo, as GetPublicKey returns it [M-KMS GetPublicKey PublicKey].
 */
export function privateKeyOf(material: Buffer): KeyObject {
  return createPrivateKey({ key: material, format: "der", type: "pkcs8" });
}

export function publicKeyOf(material: Buffer): KeyObject {
  return createPublicKey(privateKeyOf(material));
}

export function publicKeyDer(material: Buffer): Buffer {
  return publicKeyOf(material).export({ type: "spki", format: "der" });
}
