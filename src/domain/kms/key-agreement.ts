import { createPublicKey, diffieHellman, type KeyObject } from "node:crypto";
import type { DeriveSharedSecretRequest, DeriveSharedSecretResponse } from "../../generated/kms.js";
import { authorizeKeyAction } from "./access.js";
import { unsupportedRecipient } from "./crypto.js";
import { ECC_SPECS } from "./ecc.js";
import type { KmsCall } from "./env.js";
import { checkDryRun, validationException } from "./errors.js";
import { checkGrantTokens } from "./grants.js";
import { privateKeyOf } from "./key-pairs.js";
import { requireEnabled } from "./key-states.js";
import { incompatibleAlgorithm, keyAlgorithms, keySpecOf, requireKeyUsage } from "./key-specs.js";
import { resolveKey } from "./resolve.js";

/**
 * DeriveSharedSecret with a KEY_AGREEMENT key: ECDH of the key's private key and the peer's public key (DER
 * SubjectPublicKeyInfo, on the key's curve), the raw shared secret (the x-coordinate, as node:crypto's and OpenSSL's
 * ECDH give it) [M-KMS DeriveSharedSecret]. Order of checks, as for the other cryptographic operations: grant tokens,
 * Recipient (Nitro Enclaves are outside what Trident emulates), the key, authorization (kms:KeyAgreementAlgorithm in
 * the context), its state, its usage and algorithm, the public key, DryRun; then the work.
 */
export function deriveSharedSecret(call: KmsCall, input: DeriveSharedSecretRequest): DeriveSharedSecretResponse {
  checkGrantTokens(input.GrantTokens);
  unsupportedRecipient(input.Recipient);
  const { key, alias } = resolveKey(call, input.KeyId, "any");
  const context = {
    "kms:KeyAgreementAlgorithm": input.KeyAgreementAlgorithm,
    ...(alias ? { "kms:RequestAlias": alias } : {}),
  };
  authorizeKeyAction(call, key, { action: "kms:DeriveSharedSecret", context });
  requireEnabled(key);
  requireKeyUsage(key, "KEY_AGREEMENT", "DeriveSharedSecret");
  if (!keyAlgorithms(key).KeyAgreementAlgorithms?.includes(input.KeyAgreementAlgorithm)) {
    throw incompatibleAlgorithm(input.KeyAgreementAlgorithm, key);
  }
  const peer = peerPublicKey(input.PublicKey, ECC_SPECS[keySpecOf(key)]!.nodeName, keySpecOf(key));
  checkDryRun(input.DryRun);
  return {
    KeyId: key.Arn,
    SharedSecret: diffieHellman({ privateKey: privateKeyOf(key.Material), publicKey: peer }),
    KeyAgreementAlgorithm: input.KeyAgreementAlgorithm,
    KeyOrigin: "AWS_KMS",
  };
}

/**
 * "The public key must be a DER-encoded X.509 public key, also known as SubjectPublicKeyInfo (SPKI)" of the same
 * curve as the KMS key [M-KMS DeriveSharedSecret PublicKey]. *Decided* text for one that is not.
 */
function peerPublicKey(der: Uint8Array, curve: string, spec: string): KeyObject {
  let key: KeyObject | undefined;
  try {
    key = createPublicKey({ key: Buffer.from(der), format: "der", type: "spki" });
  } catch {
    key = undefined;
  }
  if (key?.asymmetricKeyType !== "ec" || key.asymmetricKeyDetails?.namedCurve !== curve) {
    throw validationException(
      `PublicKey must be a DER-encoded SubjectPublicKeyInfo of an elliptic curve public key on the curve of key spec ${spec}.`,
    );
  }
  return key;
}
