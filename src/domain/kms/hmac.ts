import { createHmac, timingSafeEqual } from "node:crypto";
import type {
  GenerateMacRequest,
  GenerateMacResponse,
  MacAlgorithmSpec,
  VerifyMacRequest,
  VerifyMacResponse,
} from "../../generated/kms.js";
import { authorizeKeyAction } from "./access.js";
import type { KmsCall } from "./env.js";
import { checkDryRun, kmsFault } from "./errors.js";
import { checkGrantTokens } from "./grants.js";
import { requireEnabled } from "./key-states.js";
import { HMAC_SPECS, incompatibleAlgorithm, keySpecOf, requireKeyUsage } from "./key-specs.js";
import type { KeyRecord } from "./records.js";
import { resolveKey } from "./resolve.js";

/**
 * GenerateMac and VerifyMac with an HMAC key: RFC 2104 HMAC by node:crypto over the key's own material. Order of
 * checks, as for the other cryptographic operations: grant tokens, the key, authorization (kms:MacAlgorithm in
 * the context), its state, its usage and algorithm, DryRun; then the work.
 */

const DIGEST: Record<MacAlgorithmSpec, string> = {
  HMAC_SHA_224: "sha224",
  HMAC_SHA_256: "sha256",
  HMAC_SHA_384: "sha384",
  HMAC_SHA_512: "sha512",
};

export function generateMac(call: KmsCall, input: GenerateMacRequest): GenerateMacResponse {
  const key = macKey(call, input, "kms:GenerateMac", "GenerateMac");
  return { Mac: mac(key, input), MacAlgorithm: input.MacAlgorithm, KeyId: key.Arn };
}

/** A MAC that does not match is KMSInvalidMacException, never MacValid false [M-KMS VerifyMac]. */
export function verifyMac(call: KmsCall, input: VerifyMacRequest): VerifyMacResponse {
  const key = macKey(call, input, "kms:VerifyMac", "VerifyMac");
  const expected = mac(key, input);
  const given = Buffer.from(input.Mac);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw kmsFault("KMSInvalidMacException", "");
  }
  return { KeyId: key.Arn, MacValid: true, MacAlgorithm: input.MacAlgorithm };
}

function macKey(
  call: KmsCall,
  input: GenerateMacRequest,
  action: "kms:GenerateMac" | "kms:VerifyMac",
  operation: string,
): KeyRecord {
  checkGrantTokens(input.GrantTokens);
  const { key, alias } = resolveKey(call, input.KeyId, "any");
  const context = { "kms:MacAlgorithm": input.MacAlgorithm, ...(alias ? { "kms:RequestAlias": alias } : {}) };
  authorizeKeyAction(call, key, { action, context });
  requireEnabled(key);
  requireKeyUsage(key, "GENERATE_VERIFY_MAC", operation);
  const supported = HMAC_SPECS[keySpecOf(key)]?.algorithm;
  if (supported !== input.MacAlgorithm) throw incompatibleAlgorithm(input.MacAlgorithm, key);
  checkDryRun(input.DryRun);
  return key;
}

function mac(key: KeyRecord, input: GenerateMacRequest): Buffer {
  return createHmac(DIGEST[input.MacAlgorithm], key.Material).update(input.Message).digest();
}
