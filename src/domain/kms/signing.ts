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
import { keyPublicKeyDer } from "./key-pairs.js";
import { keyMetadata } from "./metadata.js";
import { ML_DSA_MU_BYTES, ML_DSA_SPECS, MlDsaKey } from "./ml-dsa.js";
import type { KeyRecord } from "./records.js";
import { resolveKey } from "./resolve.js";
import { rsaDigest, rsaDigestBytes, rsaSign, rsaVerify } from "./rsa.js";

/**
 * Sign, Verify and GetPublicKey with an asymmetric key. Order of checks: grant tokens, the key, authorization
 * (kms:SigningAlgorithm and kms:MessageType in the context), its state, its usage and algorithm, the digest's
 * length, DryRun; then the work.
 */

/**
 * How a key pair signs: ECDSA (ecc.ts), RSA (rsa.ts), EdDSA (eddsa.ts) or ML-DSA (ml-dsa.ts), bound to the key's
 * material. `prehashed` is the MessageType whose Message is signed as it is (a hash's DIGEST; ML-DSA's μ, EXTERNAL_MU)
 * and `digestBytes` its length; `digest` is what a RAW message is signed as (pure Ed25519 signs the message itself);
 * `messageType`, the one MessageType an algorithm takes, if only one.
 */
interface Signer {
  prehashed: MessageType;
  digestBytes(algorithm: SigningAlgorithmSpec): number;
  digest(algorithm: SigningAlgorithmSpec, message: Uint8Array): Uint8Array;
  messageType?: (algorithm: SigningAlgorithmSpec) => MessageType | undefined;
  sign(algorithm: SigningAlgorithmSpec, digest: Uint8Array): Buffer;
  verify(algorithm: SigningAlgorithmSpec, digest: Uint8Array, signature: Uint8Array): boolean;
}

function signerOf(key: KeyRecord): Signer {
  const spec = keySpecOf(key);
  const material = key.Material;
  const mlDsa = ML_DSA_SPECS[spec];
  if (mlDsa) {
    const pair = new MlDsaKey(mlDsa, material);
    return {
      prehashed: "EXTERNAL_MU",
      digestBytes: () => ML_DSA_MU_BYTES,
      digest: (_algorithm, message) => pair.mu(message),
      sign: (_algorithm, mu) => pair.sign(mu),
      verify: (_algorithm, mu, signature) => pair.verify(mu, signature),
    };
  }
  if (spec === "ECC_NIST_EDWARDS25519") {
    return {
      prehashed: "DIGEST",
      digestBytes: () => ED25519_PH_DIGEST_BYTES,
      digest: (_algorithm, message) => message,
      messageType: (algorithm) => ED25519_MESSAGE_TYPE[algorithm],
      sign: (algorithm, data) => ed25519Sign(material, algorithm, data),
      verify: (algorithm, data, signature) => ed25519Verify(material, algorithm, data, signature),
    };
  }
  const curve = ECC_SPECS[spec];
  if (curve) {
    return {
      prehashed: "DIGEST",
      digestBytes: (algorithm) => ECDSA_DIGESTS[algorithm]!.bytes,
      digest: ecdsaDigest,
      sign: (_algorithm, digest) => ecdsaSign(curve, material, digest),
      verify: (_algorithm, digest, signature) => ecdsaVerify(curve, material, digest, signature),
    };
  }
  return {
    prehashed: "DIGEST",
    digestBytes: (algorithm) => rsaDigestBytes(algorithm)!,
    digest: rsaDigest,
    sign: (algorithm, digest) => rsaSign(material, algorithm, digest),
    verify: (algorithm, digest, signature) => rsaVerify(material, algorithm, digest, signature),
  };
}

export function sign(call: KmsCall, input: SignRequest): SignResponse {
  const { key, signer, digest } = signingKey(call, input, "kms:Sign", "Sign");
  return {
    KeyId: key.Arn,
    Signature: signer.sign(input.SigningAlgorithm, digest),
    SigningAlgorithm: input.SigningAlgorithm,
  };
}

/** A signature that does not verify is KMSInvalidSignatureException, never SignatureValid false [M-KMS Verify]. */
export function verify(call: KmsCall, input: VerifyRequest): VerifyResponse {
  const { key, signer, digest } = signingKey(call, input, "kms:Verify", "Verify");
  if (!signer.verify(input.SigningAlgorithm, digest, input.Signature)) {
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
    PublicKey: keyPublicKeyDer(keySpecOf(key), key.Material),
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
  // *Decided* texts: EXTERNAL_MU is ML-DSA's μ, and ML-DSA signs no hash's DIGEST ("Note that this signing is different
  // from the "pre-hash" ML-DSA or HashML-DSA" [KMS mldsa.html]).
  if (messageType !== "RAW" && messageType !== signer.prehashed) {
    throw validationException(
      messageType === "EXTERNAL_MU"
        ? "MessageType EXTERNAL_MU is only for ML_DSA keys."
        : `The ${input.SigningAlgorithm} signing algorithm takes MessageType RAW or ${signer.prehashed}, not ${messageType}.`,
    );
  }
  // *Decided* text: an Ed25519 algorithm takes one MessageType (eddsa.ts).
  const only = signer.messageType?.(input.SigningAlgorithm);
  if (only !== undefined && only !== messageType) {
    throw validationException(`The ${input.SigningAlgorithm} signing algorithm requires MessageType ${only}.`);
  }
  // A DIGEST is signed as it is, so it must be the algorithm's digest length [M-KMS Sign MessageType]; "When the value
  // of MessageType is EXTERNAL_MU the length of the Message value must be 64 bytes" (*decided* text).
  if (messageType === signer.prehashed && input.Message.length !== signer.digestBytes(input.SigningAlgorithm)) {
    throw validationException(
      messageType === "EXTERNAL_MU"
        ? `An EXTERNAL_MU message must be ${ML_DSA_MU_BYTES} bytes for algorithm ${input.SigningAlgorithm}.`
        : `Digest is invalid length for algorithm ${input.SigningAlgorithm}.`,
    );
  }
  checkDryRun(input.DryRun);
  const digest = messageType === "RAW" ? signer.digest(input.SigningAlgorithm, input.Message) : input.Message;
  return { key, signer, digest };
}
