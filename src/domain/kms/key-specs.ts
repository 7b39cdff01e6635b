import { randomBytes } from "node:crypto";
import type {
  CreateKeyRequest,
  CustomerMasterKeySpec,
  EncryptionAlgorithmSpec,
  KeyAgreementAlgorithmSpec,
  KeySpec,
  KeyUsageType,
  MacAlgorithmSpec,
  SigningAlgorithmSpec,
} from "../../generated/kms.js";
import { ECC_SPECS, newEccPrivateKey } from "./ecc.js";
import { ED25519_SIGNING_ALGORITHMS, newEd25519PrivateKey } from "./eddsa.js";
import { kmsFault, validationException } from "./errors.js";
import { ML_DSA_SIGNING_ALGORITHMS, ML_DSA_SPECS, newMlDsaSeed } from "./ml-dsa.js";
import type { KeyRecord } from "./records.js";
import { RSA_ENCRYPTION_ALGORITHMS, RSA_SIGNING_ALGORITHMS, RSA_SPECS } from "./rsa.js";

/**
 * Which key specs Trident's KMS has, the key usages each allows, and the operations a key's usage permits
 * [M-KMS CreateKey KeySpec/KeyUsage]. A record without KeySpec/KeyUsage predates them: a symmetric encryption key.
 */

/** HMAC key specs: the key's length is the spec's bits, and it computes exactly one MAC algorithm [M-KMS HMAC keys]. */
export const HMAC_SPECS: Partial<Record<KeySpec, { algorithm: MacAlgorithmSpec; bytes: number }>> = {
  HMAC_224: { algorithm: "HMAC_SHA_224", bytes: 28 },
  HMAC_256: { algorithm: "HMAC_SHA_256", bytes: 32 },
  HMAC_384: { algorithm: "HMAC_SHA_384", bytes: 48 },
  HMAC_512: { algorithm: "HMAC_SHA_512", bytes: 64 },
};

/**
 * The usages AWS allows per spec that Trident has: RSA keys encrypt or sign; the NIST curves sign or agree keys
 * ("You must use an asymmetric NIST-recommended elliptic curve (ECC) or SM2 (China Regions only) KMS key pair with a
 * KeyUsage value of KEY_AGREEMENT" [M-KMS DeriveSharedSecret]); secp256k1 only signs.
 */
const USAGES: Partial<Record<KeySpec, KeyUsageType[]>> = {
  SYMMETRIC_DEFAULT: ["ENCRYPT_DECRYPT"],
  HMAC_224: ["GENERATE_VERIFY_MAC"],
  HMAC_256: ["GENERATE_VERIFY_MAC"],
  HMAC_384: ["GENERATE_VERIFY_MAC"],
  HMAC_512: ["GENERATE_VERIFY_MAC"],
  RSA_2048: ["ENCRYPT_DECRYPT", "SIGN_VERIFY"],
  RSA_3072: ["ENCRYPT_DECRYPT", "SIGN_VERIFY"],
  RSA_4096: ["ENCRYPT_DECRYPT", "SIGN_VERIFY"],
  ECC_NIST_P256: ["SIGN_VERIFY", "KEY_AGREEMENT"],
  ECC_NIST_P384: ["SIGN_VERIFY", "KEY_AGREEMENT"],
  ECC_NIST_P521: ["SIGN_VERIFY", "KEY_AGREEMENT"],
  ECC_SECG_P256K1: ["SIGN_VERIFY"],
  ECC_NIST_EDWARDS25519: ["SIGN_VERIFY"],
  // "KeyUsage: SIGN_VERIFY" is the only one ML-DSA keys have [KMS mldsa.html].
  ML_DSA_44: ["SIGN_VERIFY"],
  ML_DSA_65: ["SIGN_VERIFY"],
  ML_DSA_87: ["SIGN_VERIFY"],
};

/**
 * SM2 is offered in the China Regions only, and Trident serves the `aws` partition: AWS answers in us-east-1
 * "UnsupportedOperationException: KeySpec SM2 is not supported in this Region" (measured against AWS, reported in
 * floci-io/floci#3026). The same answer, *decided*, for a data key pair's KeyPairSpec SM2.
 */
export function notInThisRegion(member: "KeySpec" | "KeyPairSpec", spec: string) {
  return kmsFault("UnsupportedOperationException", `${member} ${spec} is not supported in this Region`);
}

/** The algorithms a key of this spec and usage does, as DescribeKey and GetPublicKey list them [X-KMS]. */
export interface KeyAlgorithms {
  EncryptionAlgorithms?: EncryptionAlgorithmSpec[];
  SigningAlgorithms?: SigningAlgorithmSpec[];
  MacAlgorithms?: MacAlgorithmSpec[];
  KeyAgreementAlgorithms?: KeyAgreementAlgorithmSpec[];
}

export function keyAlgorithms(key: KeyRecord): KeyAlgorithms {
  const spec = keySpecOf(key);
  const usage = keyUsageOf(key);
  const mac = HMAC_SPECS[spec];
  if (mac) return { MacAlgorithms: [mac.algorithm] };
  if (usage === "KEY_AGREEMENT") return { KeyAgreementAlgorithms: ["ECDH"] };
  const curve = ECC_SPECS[spec];
  if (curve) return { SigningAlgorithms: [curve.algorithm] };
  if (spec === "ECC_NIST_EDWARDS25519") return { SigningAlgorithms: ED25519_SIGNING_ALGORITHMS };
  if (ML_DSA_SPECS[spec]) return { SigningAlgorithms: ML_DSA_SIGNING_ALGORITHMS };
  if (RSA_SPECS[spec]) {
    return usage === "SIGN_VERIFY"
      ? { SigningAlgorithms: RSA_SIGNING_ALGORITHMS }
      : { EncryptionAlgorithms: RSA_ENCRYPTION_ALGORITHMS };
  }
  return { EncryptionAlgorithms: ["SYMMETRIC_DEFAULT"] };
}

/** A key pair's spec (RSA, ECC, Edwards or ML-DSA): it has a public key; the others are secret keys. */
export function isAsymmetric(spec: KeySpec): boolean {
  return (
    ECC_SPECS[spec] !== undefined ||
    RSA_SPECS[spec] !== undefined ||
    ML_DSA_SPECS[spec] !== undefined ||
    spec === "ECC_NIST_EDWARDS25519"
  );
}

/**
 * The deprecated CustomerMasterKeySpec repeats KeySpec for every spec its enum has [M-KMS KeyMetadata]; the specs
 * that came after it (Edwards, ML-DSA) have none.
 */
export function customerMasterKeySpecOf(spec: KeySpec): CustomerMasterKeySpec | undefined {
  return spec === "ECC_NIST_EDWARDS25519" || ML_DSA_SPECS[spec] ? undefined : (spec as CustomerMasterKeySpec);
}

export interface KeyKind {
  KeySpec: KeySpec;
  KeyUsage: KeyUsageType;
}

export function keySpecOf(key: KeyRecord): KeySpec {
  return key.KeySpec ?? "SYMMETRIC_DEFAULT";
}

export function keyUsageOf(key: KeyRecord): KeyUsageType {
  return key.KeyUsage ?? "ENCRYPT_DECRYPT";
}

/**
 * CreateKey's KeySpec (or the deprecated CustomerMasterKeySpec) and KeyUsage. KeyUsage defaults to
 * ENCRYPT_DECRYPT, which only symmetric keys allow; a spec/usage pair AWS does not allow is ValidationException.
 * *Decided* texts (AWS's are not published); a spec Trident does not have yet is UnsupportedOperationException.
 */
export function keyKind(input: CreateKeyRequest): KeyKind {
  if (input.KeySpec !== undefined && input.CustomerMasterKeySpec !== undefined) {
    throw validationException(
      "You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec is deprecated.",
    );
  }
  const spec: KeySpec = input.KeySpec ?? input.CustomerMasterKeySpec ?? "SYMMETRIC_DEFAULT";
  const usage: KeyUsageType = input.KeyUsage ?? "ENCRYPT_DECRYPT";
  if (spec === "SM2") throw notInThisRegion("KeySpec", spec);
  const allowed = USAGES[spec];
  // "This parameter is required only for asymmetric KMS keys and HMAC KMS keys" [M-KMS CreateKey KeyUsage].
  if (input.KeyUsage === undefined && spec !== "SYMMETRIC_DEFAULT" && allowed) {
    throw validationException(
      "You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.",
    );
  }
  if (!allowed) {
    throw kmsFault(
      "UnsupportedOperationException",
      `Trident's KMS does not support KeySpec ${spec}; it has SYMMETRIC_DEFAULT, HMAC_224/256/384/512, RSA_2048/3072/4096, ECC_NIST_P256/P384/P521, ECC_SECG_P256K1, ECC_NIST_EDWARDS25519 and ML_DSA_44/65/87 keys.`,
    );
  }
  if (!allowed.includes(usage)) {
    throw validationException(
      `KeyUsage ${usage} is not compatible with KeySpec ${spec}; use KeyUsage ${allowed.join(" or ")}.`,
    );
  }
  return { KeySpec: spec, KeyUsage: usage };
}

/** The length of a secret key's material: the HMAC key's own, or 256 bits of AES key; undefined for a key pair. */
export function materialBytes(spec: KeySpec): number | undefined {
  if (isAsymmetric(spec)) return undefined;
  return HMAC_SPECS[spec]?.bytes ?? 32;
}

/**
 * Fresh material for a key of this spec: random secret bytes, a new key pair's PKCS#8 private key, or an ML-DSA
 * key's seed (ml-dsa.ts). An RSA key is never made here: it is the one the request made before its turn
 * (key-generation.ts), given as `madeAhead`.
 */
export function newMaterial(spec: KeySpec, madeAhead?: Buffer): Buffer {
  const curve = ECC_SPECS[spec];
  if (curve) return newEccPrivateKey(curve);
  if (RSA_SPECS[spec]) {
    if (!madeAhead) throw new Error(`No ${spec} key pair was made ahead of the turn (key-generation.ts)`);
    return madeAhead;
  }
  if (ML_DSA_SPECS[spec]) return newMlDsaSeed();
  return spec === "ECC_NIST_EDWARDS25519" ? newEd25519PrivateKey() : randomBytes(materialBytes(spec)!);
}

/**
 * An algorithm the key's spec does not do: "InvalidKeyUsageException: Algorithm SYMMETRIC_DEFAULT is incompatible
 * with key spec RSA_4096." (AWS's text, as reported in zalando/spring-cloud-config-aws-kms#82 and getsops/sops#684).
 */
export function incompatibleAlgorithm(algorithm: string, key: KeyRecord) {
  return kmsFault(
    "InvalidKeyUsageException",
    `Algorithm ${algorithm} is incompatible with key spec ${keySpecOf(key)}.`,
  );
}

/**
 * An operation needs the key usage it serves, and symmetric operations (Encrypt, GenerateDataKey …) a symmetric
 * key: "<key ARN> key usage is SIGN_VERIFY which is not valid for Encrypt." (the text KMS answers, as emulators
 * that capture it reproduce it).
 */
export function requireKeyUsage(key: KeyRecord, usage: KeyUsageType, operation: string): void {
  const actual = keyUsageOf(key);
  if (actual !== usage) {
    throw kmsFault(
      "InvalidKeyUsageException",
      `${key.Arn} key usage is ${actual} which is not valid for ${operation}.`,
    );
  }
}

/**
 * The encryption algorithm (SYMMETRIC_DEFAULT when not given) must be one the key does: so an RSA key needs its
 * EncryptionAlgorithm, and a symmetric key refuses an RSA one [M-KMS Encrypt EncryptionAlgorithm].
 */
export function requireEncryptionAlgorithm(key: KeyRecord, algorithm: EncryptionAlgorithmSpec): void {
  if (!keyAlgorithms(key).EncryptionAlgorithms?.includes(algorithm)) throw incompatibleAlgorithm(algorithm, key);
}
