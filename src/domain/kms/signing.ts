import type {
  GetPublicKeyRequest,
  GetPublicKeyResponse,
  SignRequest,
  SignResponse,
  VerifyRequest,
  VerifyResponse,
} from "../../generated/kms.js";
import { authorizeKeyAction } from "./access.js";
import { ECC_SPECS, ECDSA_DIGESTS, ecdsaSign, ecdsaVerify, messageDigest, publicKeyDer } from "./ecc.js";
import type { KmsCall } from "./env.js";
import { checkDryRun, kmsFault, validationException } from "./errors.js";
import { checkGrantTokens } from "./grants.js";
import { requireEnabled } from "./key-states.js";
import { incompatibleAlgorithm, keySpecOf, keyUsageOf, requireKeyUsage } from "./key-specs.js";
import { keyMetadata } from "./metadata.js";
import type { KeyRecord } from "./records.js";
import { resolveKey } from "./resolve.js";

/**
 * Sign, Verify and GetPublicKey with an asymmetric key. Order of checks: grant tokens, the key, authorization
 * (kms:SigningAlgorithm and kms:MessageType in the context), its state, its usage and algorithm, the digest's
 * length, DryRun; then the work.
 */

export function sign(call: KmsCall, input: SignRequest): SignResponse {
  const { key, digest } = signingKey(call, input, "kms:Sign", "Sign");
  const curve = ECC_SPECS[keySpecOf(key)]!;
  return {
    KeyId: key.Arn,
    Signature: ecdsaSign(curve, key.Material, digest),
    SigningAlgorithm: input.SigningAlgorithm,
  };
}

/** A signature that does not verify is KMSInvalidSignatureException, never SignatureValid false [M-KMS Verify]. */
export function verify(call: KmsCall, input: VerifyRequest): VerifyResponse {
  const { key, digest } = signingKey(call, input, "kms:Verify", "Verify");
  const curve = ECC_SPECS[keySpecOf(key)]!;
  if (!ecdsaVerify(curve, key.Material, digest, input.Signature)) throw kmsFault("KMSInvalidSignatureException", "");
  return { KeyId: key.Arn, SignatureValid: true, SigningAlgorithm: input.SigningAlgorithm };
}

/** Only asymmetric keys have a public key. *Decided* text for the others. */
export function getPublicKey(call: KmsCall, input: GetPublicKeyRequest): GetPublicKeyResponse {
  checkGrantTokens(input.GrantTokens);
  const { key, alias } = resolveKey(call, input.KeyId, "any");
  authorizeKeyAction(call, key, { action: "kms:GetPublicKey", context: alias ? { "kms:RequestAlias": alias } : {} });
  requireEnabled(key);
  if (!ECC_SPECS[keySpecOf(key)]) {
    throw kmsFault("UnsupportedOperationException", `${key.Arn} is not an asymmetric KMS key; it has no public key.`);
  }
  const metadata = keyMetadata(key);
  return {
    KeyId: key.Arn,
    PublicKey: publicKeyDer(key.Material),
    CustomerMasterKeySpec: metadata.CustomerMasterKeySpec,
    KeySpec: metadata.KeySpec,
    KeyUsage: keyUsageOf(key),
    SigningAlgorithms: metadata.SigningAlgorithms,
  };
}

function signingKey(
  call: KmsCall,
  input: SignRequest,
  action: "kms:Sign" | "kms:Verify",
  operation: string,
): { key: KeyRecord; digest: Uint8Array } {
  checkGrantTokens(input.GrantTokens);
  const messageType = input.MessageType ?? "RAW";
  const { key, alias } = resolveKey(call, input.KeyId, "any");
  const context = {
    "kms:SigningAlgorithm": input.SigningAlgorithm,
    "kms:MessageType": messageType,
    ...(alias ? { "kms:RequestAlias": alias } : {}),
  };
  authorizeKeyAction(call, key, { action, context });
  requireEnabled(key);
  requireKeyUsage(key, "SIGN_VERIFY", operation);
  if (ECC_SPECS[keySpecOf(key)]?.algorithm !== input.SigningAlgorithm) {
    throw incompatibleAlgorithm(input.SigningAlgorithm, key);
  }
  // *Decided*: EXTERNAL_MU is an ML-DSA message representative, which no key here takes.
  if (messageType === "EXTERNAL_MU") throw validationException("MessageType EXTERNAL_MU is only for ML_DSA keys.");
  // A DIGEST is signed as it is, so it must be the algorithm's digest length [M-KMS Sign MessageType].
  if (messageType === "DIGEST" && input.Message.length !== ECDSA_DIGESTS[input.SigningAlgorithm]!.bytes) {
    throw validationException(`Digest is invalid length for algorithm ${input.SigningAlgorithm}.`);
  }
  checkDryRun(input.DryRun);
  return { key, digest: messageDigest(input.SigningAlgorithm, input.Message, messageType === "RAW") };
}
