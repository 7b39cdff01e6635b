import type { CreateKeyRequest, KeySpec, KeyUsageType, MacAlgorithmSpec } from "../../generated/kms.js";
import { kmsFault, validationException } from "./errors.js";
import type { KeyRecord } from "./records.js";

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

/** The usages AWS allows per spec; the first is none of a default (only SYMMETRIC_DEFAULT has one). */
const USAGES: Partial<Record<KeySpec, KeyUsageType[]>> = {
  SYMMETRIC_DEFAULT: ["ENCRYPT_DECRYPT"],
  HMAC_224: ["GENERATE_VERIFY_MAC"],
  HMAC_256: ["GENERATE_VERIFY_MAC"],
  HMAC_384: ["GENERATE_VERIFY_MAC"],
  HMAC_512: ["GENERATE_VERIFY_MAC"],
};

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
      `Trident's KMS does not support KeySpec ${spec}; it has SYMMETRIC_DEFAULT and HMAC_224/256/384/512 keys.`,
    );
  }
  if (!allowed.includes(usage)) {
    throw validationException(
      `KeyUsage ${usage} is not compatible with KeySpec ${spec}; use KeyUsage ${allowed.join(" or ")}.`,
    );
  }
  return { KeySpec: spec, KeyUsage: usage };
}

/** Fresh material for a key of this spec: the HMAC key's own length, else 256 bits of AES key. */
export function materialBytes(spec: KeySpec): number {
  return HMAC_SPECS[spec]?.bytes ?? 32;
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
