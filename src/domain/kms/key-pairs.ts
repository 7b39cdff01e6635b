import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import type { KeySpec } from "../../generated/kms.js";
import { ML_DSA_SPECS, MlDsaKey } from "./ml-dsa.js";

/**
 * A key pair's Material is its private key as PKCS#8 DER (ECC, RSA and data key pairs alike), an ML-DSA key's its
 * seed (ml-dsa.ts); its public key goes out as DER SubjectPublicKeyInfo, as GetPublicKey returns it [M-KMS
 * GetPublicKey PublicKey].
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

/** A KMS key's public key, whatever its spec keeps as Material. */
export function keyPublicKeyDer(spec: KeySpec, material: Buffer): Buffer {
  const mlDsa = ML_DSA_SPECS[spec];
  return mlDsa ? new MlDsaKey(mlDsa, material).publicKeyDer() : publicKeyDer(material);
}
