import type {
  GetPublicKeyRequest,
  GetPublicKeyResponse,
  MessageType,
  SignRequest,
  SignResponse,
  SigningAlgorithmSpec,
  VerifyRequest,
  VerifyResponse,
} from "../../generated/kms.js";
import { authorizeKeyAction } from "./access.js";
import { ECC_SPECS, ECDSA_DIGESTS, ecdsaDigest, ecdsaSign, ecdsaVerify } from "./ecc.js";
import { ED25519_MESSAGE_TYPE, ED25519_PH_DIGEST_BYTES, ed25519Sign, ed25519Verify } from "./eddsa.js";
import type { KmsCall } from "./env.js";
import { checkDryRun, kmsFault, validationException } from "./errors.js";
import { checkGrantTokens } from "./grants.js";
import { requireEnabled } from "./key-states.js";
import {
  incompatibleAlgorithm,
  isAsymmetric,
  keyAlgorithms,
  keySpecOf,
  keyUsageOf,
  requireKeyUsage,
} from "./key-specs.js";
import { publicKeyDer } from "./key-pairs.js";
import { keyMetadata } from "./metadata.js";
import type { KeyRecord } from "./records.js";
import { resolveKey } from "./resolve.js";
import { rsaDigest, rsaDigestBytes, rsaSign, rsaVerify } from "./rsa.js";

/**
 * Sign, Verify and GetPublicKey with an asymmetric key. Order of checks: grant tokens, the key, authorization
 * (kms:SigningAlgorithm and kms:MessageType in the context), its state, its usage and algorithm, the digest's
 * length, DryRun; then the work.
 */

/**
 * How a key pair signs: ECDSA (ecc.ts), RSA (rsa.ts) or EdDSA (eddsa.ts). `digest` is what a RAW message is signed
 * as (pure Ed25519 signs the message itself); `messageType`, the one MessageType an algorithm takes, if only one.
 */
interface Signer {
  digestBytes(algorithm: SigningAlgorithmSpec): number;
  digest(algorithm: SigningAlgorithmSpec, message: Uint8Array): Uint8Array;
  messageType?: (algorithm: SigningAlgorithmSpec) => MessageType | undefined;
  sign(material: Buffer, algorithm: SigningAlgorithmSpec, digest: Uint8Array): Buffer;
  verify(material: Buffer, algorithm: SigningAlgorithmSpec, digest: Uint8Array, signature: Uint8Array): boolean;
}

const RSA_SIGNER: Signer = {
  digestBytes: (algorithm) => rsaDigestBytes(algorithm)!,
  digest: rsaDigest,
  sign: rsaSign,
  verify: rsaVerify,
};

const ED25519_SIGNER: Signer = {
  digestBytes: () => ED25519_PH_DIGEST_BYTES,
  digest: (_algorithm, message) => message,
  messageType: (algorithm) => ED25519_MESSAGE_TYPE[algorithm],
  sign: ed25519Sign,
  verify: ed25519Verify,
};

function signerOf(key: KeyRecord): Signer {
  const spec = keySpecOf(key);
  if (spec === "ECC_NIST_EDWARDS25519") return ED25519_SIGNER;
  const curve = ECC_SPECS[spec];
  if (!curve) return RSA_SIGNER;
  return {
    digestBytes: (algorithm) => ECDSA_DIGESTS[algorithm]!.bytes,
    digest: ecdsaDigest,
    sign: (material, _algorithm, digest) => ecdsaSign(curve, material, digest),
    verify: (material, _algorithm, digest, signature) => ecdsaVerify(curve, material, digest, signature),
  };
}

export function sign(call: KmsCall, input: SignRequest): SignResponse {
  const { key, signer, digest } = signingKey(call, input, "kms:Sign", "Sign");
  return {
    KeyId: key.Arn,
    Signature: signer.sign(key.Material, input.SigningAlgorithm, digest),
    SigningAlgorithm: input.SigningAlgorithm,
  };
}

/** A signature that does not verify is KMSInvalidSignatureException, never SignatureValid false [M-KMS Verify]. */
export function verify(call: KmsCall, input: VerifyRequest): VerifyResponse {
  const { key, signer, digest } = signingKey(call, input, "kms:Verify", "Verify");
  if (!signer.verify(key.Material, input.SigningAlgorithm, digest, input.Signature)) {
    throw kmsFault("KMSInvalidSignatureException", "");
  }
  return { KeyId: key.Arn, SignatureValid: true, SigningAlgorithm: input.SigningAlgorithm };
}

/** Only asymmetric keys have a public key. *Decided* text for the others. */
export function getPublicKey(call: KmsCall, input: GetPublicKeyRequest): GetPublicKeyResponse {
  checkGrantTokens(input.GrantTokens);
  const { key, alias } = resolveKey(call, input.KeyId, "any");
  authorizeKeyAction(call, key, { action: "kms:GetPublicKey", context: alias ? { "kms:RequestAlias": alias } : {} });
  requireEnabled(key);
  if (!isAsymmetric(keySpecOf(key))) {
    throw kmsFault("UnsupportedOperationException", `${key.Arn} is not an asymmetric KMS key; it has no public key.`);
  }
  const metadata = keyMetadata(key);
  return {
    KeyId: key.Arn,
    PublicKey: publicKeyDer(key.Material),
    CustomerMasterKeySpec: metadata.CustomerMasterKeySpec,
    KeySpec: metadata.KeySpec,
    KeyUsage: keyUsageOf(key),
    ...keyAlgorithms(key),
  };
}

function signingKey(
  call: KmsCall,
  input: SignRequest,
  action: "kms:Sign" | "kms:Verify",
  operation: string,
): { key: KeyRecord; signer: Signer; digest: Uint8Array } {
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
  if (!keyAlgorithms(key).SigningAlgorithms?.includes(input.SigningAlgorithm)) {
    throw incompatibleAlgorithm(input.SigningAlgorithm, key);
  }
  const signer = signerOf(key);
  // *Decided*: EXTERNAL_MU is an ML-DSA message representative, which no key here takes.
  if (messageType === "EXTERNAL_MU") throw validationException("MessageType EXTERNAL_MU is only for ML_DSA keys.");
  // *Decided* text: an Ed25519 algorithm takes one MessageType (eddsa.ts).
  const only = signer.messageType?.(input.SigningAlgorithm);
  if (only !== undefined && only !== messageType) {
    throw validationException(`The ${input.SigningAlgorithm} signing algorithm requires MessageType ${only}.`);
  }
  // A DIGEST is signed as it is, so it must be the algorithm's digest length [M-KMS Sign MessageType].
  if (messageType === "DIGEST" && input.Message.length !== signer.digestBytes(input.SigningAlgorithm)) {
    throw validationException(`Digest is invalid length for algorithm ${input.SigningAlgorithm}.`);
  }
  checkDryRun(input.DryRun);
  const digest = messageType === "RAW" ? signer.digest(input.SigningAlgorithm, input.Message) : input.Message;
  return { key, signer, digest };
}
