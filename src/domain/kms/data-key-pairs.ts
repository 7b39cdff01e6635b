import type {
  DataKeyPairSpec,
  GenerateDataKeyPairRequest,
  GenerateDataKeyPairResponse,
  GenerateDataKeyPairWithoutPlaintextRequest,
  GenerateDataKeyPairWithoutPlaintextResponse,
} from "../../generated/kms.js";
import { seal } from "./ciphertext.js";
import { unsupportedRecipient, useKeyWithAlgorithm } from "./crypto.js";
import { checkEncryptionContextSize } from "./encryption-context.js";
import type { KmsCall } from "./env.js";
import { checkDryRun } from "./errors.js";
import { checkGrantTokens } from "./grants.js";
import { publicKeyDer } from "./key-pairs.js";
import { newMaterial, notInThisRegion } from "./key-specs.js";
import { resolveKey } from "./resolve.js";

/**
 * GenerateDataKeyPair and GenerateDataKeyPairWithoutPlaintext: a fresh key pair of KeyPairSpec whose private key
 * (PKCS#8 DER) is encrypted under a symmetric encryption KMS key, so that Decrypt of PrivateKeyCiphertextBlob gives
 * PrivateKeyPlaintext; the public key is DER SubjectPublicKeyInfo [M-KMS GenerateDataKeyPair]. Order of checks, as
 * for GenerateDataKey: the context's size, grant tokens, Recipient, the key, authorization (kms:DataKeyPairSpec and
 * kms:EncryptionAlgorithm in the context), its state, its usage, a symmetric key ("Algorithm SYMMETRIC_DEFAULT is
 * incompatible with key spec RSA_2048."), the pair's spec, DryRun; then the work.
 */

interface DataKeyPair {
  KeyId: string;
  KeyPairSpec: DataKeyPairSpec;
  PublicKey: Buffer;
  PrivateKeyPlaintext: Buffer;
  PrivateKeyCiphertextBlob: Buffer;
}

export function generateDataKeyPair(call: KmsCall, input: GenerateDataKeyPairRequest): GenerateDataKeyPairResponse {
  unsupportedRecipient(input.Recipient);
  return newDataKeyPair(call, input, "kms:GenerateDataKeyPair");
}

export function generateDataKeyPairWithoutPlaintext(
  call: KmsCall,
  input: GenerateDataKeyPairWithoutPlaintextRequest,
): GenerateDataKeyPairWithoutPlaintextResponse {
  const pair = newDataKeyPair(call, input, "kms:GenerateDataKeyPairWithoutPlaintext");
  return {
    KeyId: pair.KeyId,
    KeyPairSpec: pair.KeyPairSpec,
    PublicKey: pair.PublicKey,
    PrivateKeyCiphertextBlob: pair.PrivateKeyCiphertextBlob,
  };
}

function newDataKeyPair(
  call: KmsCall,
  input: GenerateDataKeyPairWithoutPlaintextRequest,
  action: "kms:GenerateDataKeyPair" | "kms:GenerateDataKeyPairWithoutPlaintext",
): DataKeyPair {
  checkEncryptionContextSize(input.EncryptionContext, "encryptionContext");
  checkGrantTokens(input.GrantTokens);
  const resolved = resolveKey(call, input.KeyId, "any");
  const key = useKeyWithAlgorithm(call, resolved, action, input.EncryptionContext, undefined, {
    "kms:DataKeyPairSpec": input.KeyPairSpec,
  });
  if (input.KeyPairSpec === "SM2") throw notInThisRegion("KeyPairSpec", input.KeyPairSpec);
  checkDryRun(input.DryRun);
  // The pair is made as a KMS key of that spec makes its own (key-specs.ts; an RSA pair before the turn).
  const privateKey = newMaterial(input.KeyPairSpec, call.keyPairMadeAhead);
  return {
    KeyId: key.Arn,
    KeyPairSpec: input.KeyPairSpec,
    PublicKey: publicKeyDer(privateKey),
    PrivateKeyPlaintext: privateKey,
    PrivateKeyCiphertextBlob: seal(key.Arn, key.Material, privateKey, input.EncryptionContext),
  };
}
