import { randomBytes } from "node:crypto";
import type {
  DecryptRequest,
  DecryptResponse,
  EncryptionAlgorithmSpec,
  EncryptRequest,
  EncryptResponse,
  GenerateDataKeyRequest,
  GenerateDataKeyResponse,
  GenerateDataKeyWithoutPlaintextRequest,
  GenerateDataKeyWithoutPlaintextResponse,
  GenerateRandomRequest,
  GenerateRandomResponse,
  RecipientInfo,
  ReEncryptRequest,
  ReEncryptResponse,
} from "../../generated/kms.js";
import type { ConditionContext } from "../../policy/index.js";
import { authorizeIdentityAction, authorizeKeyAction } from "./access.js";
import { openSealed, parseBlob, seal } from "./ciphertext.js";
import { openLocalStackBlob, parseLocalStackBlob } from "./localstack-ciphertext.js";
import type { KmsCall } from "./env.js";
import { checkDryRun, kmsFault, KmsMessages, validationException } from "./errors.js";
import { keySpecOf, requireEncryptionAlgorithm, requireKeyUsage } from "./key-specs.js";
import { checkEncryptionContextSize } from "./encryption-context.js";
import { requireNoCustomKeyStore } from "./custom-key-stores.js";
import { decryptsHere } from "./multi-region.js";
import { checkGrantTokens } from "./grants.js";
import { keyArn, parseKeyArn } from "./identifiers.js";
import { requireEnabled } from "./key-states.js";
import { findKey, type KeyRecord } from "./records.js";
import { resolveKey, type ResolvedKey } from "./resolve.js";
import { maxOaepPlaintext, oaepDecrypt, oaepEncrypt } from "./rsa.js";

/**
 * The cryptographic operations, with real AES-256-GCM (ciphertext.ts) for symmetric keys and raw RSA-OAEP (rsa.ts)
 * for RSA keys. Order of checks for each: the encryption context's size (encryption-context.ts), grant tokens,
 * find the key, authorize (key policy, IAM, grants: access.ts), the key's state, its usage, the algorithm, the
 * encryption context (none with an RSA key), the plaintext's size, DryRun; then the work. Key material never
 * leaves: only ciphertexts and data-key plaintexts do.
 */

const SYMMETRIC_DEFAULT: EncryptionAlgorithmSpec = "SYMMETRIC_DEFAULT";

// AWS sends no message with InvalidCiphertextException ("…when calling the Decrypt operation: ").
const invalidCiphertext = () => kmsFault("InvalidCiphertextException", "");

export function encrypt(call: KmsCall, input: EncryptRequest): EncryptResponse {
  checkEncryptionContextSize(input.EncryptionContext, "encryptionContext");
  checkGrantTokens(input.GrantTokens);
  const resolved = resolveKey(call, input.KeyId, "any");
  const algorithm = input.EncryptionAlgorithm ?? SYMMETRIC_DEFAULT;
  const key = useKeyWithAlgorithm(call, resolved, "kms:Encrypt", input.EncryptionContext, algorithm);
  checkPlaintextSize(key, algorithm, input.Plaintext);
  checkDryRun(input.DryRun);
  return {
    CiphertextBlob: encryptUnder(key, algorithm, input.Plaintext, input.EncryptionContext),
    KeyId: key.Arn,
    EncryptionAlgorithm: algorithm,
  };
}

/**
 * Decrypt: a symmetric blob names its key, so KeyId is optional; when given it must name the same key
 * (IncorrectKeyException). An RSA ciphertext names nothing: KeyId is required. The key may belong to another
 * account: its owner's policy decides.
 */
export function decrypt(call: KmsCall, input: DecryptRequest): DecryptResponse {
  checkEncryptionContextSize(input.EncryptionContext, "encryptionContext");
  checkGrantTokens(input.GrantTokens);
  unsupportedRecipient(input.Recipient);
  const algorithm = input.EncryptionAlgorithm ?? SYMMETRIC_DEFAULT;
  const source = ciphertextSource(call, input.CiphertextBlob, input.KeyId, algorithm);
  const key = useKeyWithAlgorithm(call, source.resolved, "kms:Decrypt", input.EncryptionContext, algorithm);
  checkDryRun(input.DryRun);
  const plaintext = source.open(key, input.EncryptionContext);
  if (!plaintext) throw invalidCiphertext();
  return { KeyId: key.Arn, Plaintext: plaintext, EncryptionAlgorithm: algorithm };
}

/** ReEncrypt needs kms:ReEncryptFrom on the source key and kms:ReEncryptTo on the destination [M-KMS]. */
export function reEncrypt(call: KmsCall, input: ReEncryptRequest): ReEncryptResponse {
  checkEncryptionContextSize(input.SourceEncryptionContext, "sourceEncryptionContext");
  checkEncryptionContextSize(input.DestinationEncryptionContext, "destinationEncryptionContext");
  checkGrantTokens(input.GrantTokens);
  const sourceAlgorithm = input.SourceEncryptionAlgorithm ?? SYMMETRIC_DEFAULT;
  const destinationAlgorithm = input.DestinationEncryptionAlgorithm ?? SYMMETRIC_DEFAULT;
  const ciphertext = ciphertextSource(call, input.CiphertextBlob, input.SourceKeyId, sourceAlgorithm);
  const source = useKeyWithAlgorithm(
    call,
    ciphertext.resolved,
    "kms:ReEncryptFrom",
    input.SourceEncryptionContext,
    sourceAlgorithm,
  );
  const destination = useKeyWithAlgorithm(
    call,
    resolveKey(call, input.DestinationKeyId, "any"),
    "kms:ReEncryptTo",
    input.DestinationEncryptionContext,
    destinationAlgorithm,
  );
  checkDryRun(input.DryRun);
  const plaintext = ciphertext.open(source, input.SourceEncryptionContext);
  if (!plaintext) throw invalidCiphertext();
  // The plaintext is known only now: too large for the destination's RSA key is refused like Encrypt refuses it.
  checkPlaintextSize(destination, destinationAlgorithm, plaintext);
  return {
    CiphertextBlob: encryptUnder(destination, destinationAlgorithm, plaintext, input.DestinationEncryptionContext),
    SourceKeyId: source.Arn,
    KeyId: destination.Arn,
    SourceEncryptionAlgorithm: sourceAlgorithm,
    DestinationEncryptionAlgorithm: destinationAlgorithm,
  };
}

export function generateDataKey(call: KmsCall, input: GenerateDataKeyRequest): GenerateDataKeyResponse {
  checkGrantTokens(input.GrantTokens);
  unsupportedRecipient(input.Recipient);
  const { key, plaintext, CiphertextBlob } = newDataKey(call, input, "kms:GenerateDataKey");
  return { CiphertextBlob, Plaintext: plaintext, KeyId: key.Arn };
}

export function generateDataKeyWithoutPlaintext(
  call: KmsCall,
  input: GenerateDataKeyWithoutPlaintextRequest,
): GenerateDataKeyWithoutPlaintextResponse {
  checkGrantTokens(input.GrantTokens);
  const { key, CiphertextBlob } = newDataKey(call, input, "kms:GenerateDataKeyWithoutPlaintext");
  return { CiphertextBlob, KeyId: key.Arn };
}

/** The shared steps of both GenerateDataKey calls: size, key, DryRun, then a random data key sealed under the key. */
function newDataKey(
  call: KmsCall,
  input: GenerateDataKeyWithoutPlaintextRequest,
  action: "kms:GenerateDataKey" | "kms:GenerateDataKeyWithoutPlaintext",
): { key: KeyRecord; plaintext: Buffer; CiphertextBlob: Uint8Array } {
  checkEncryptionContextSize(input.EncryptionContext, "encryptionContext");
  const size = dataKeyBytes(input);
  const key = useKeyWithAlgorithm(call, resolveKey(call, input.KeyId, "any"), action, input.EncryptionContext);
  checkDryRun(input.DryRun);
  const plaintext = randomBytes(size);
  return { key, plaintext, CiphertextBlob: seal(key.Arn, key.Material, plaintext, input.EncryptionContext) };
}

/** GenerateRandom needs only IAM's kms:GenerateRandom; no custom key store exists here (custom-key-stores.ts). */
export function generateRandom(call: KmsCall, input: GenerateRandomRequest): GenerateRandomResponse {
  authorizeIdentityAction(call, "kms:GenerateRandom");
  unsupportedRecipient(input.Recipient);
  requireNoCustomKeyStore(input.CustomKeyStoreId);
  // *Decided*: the model leaves NumberOfBytes optional, but there is no sensible default length.
  if (input.NumberOfBytes === undefined) throw validationException("NumberOfBytes is required.");
  return { Plaintext: randomBytes(input.NumberOfBytes) };
}

// ── shared steps ─────────────────────────────────────────────────────────────────────────────────────────────

/** Authorize the action on the resolved key, then require it enabled; returns the key. */
function useKey(
  call: KmsCall,
  resolved: ResolvedKey,
  action: string,
  encryptionContext: Record<string, string> | undefined,
  context: ConditionContext = {},
): KeyRecord {
  const { key, alias } = resolved;
  authorizeKeyAction(call, key, {
    action,
    encryptionContext: encryptionContext ?? {},
    context: alias ? { ...context, "kms:RequestAlias": alias } : context,
  });
  requireEnabled(key);
  requireKeyUsage(key, "ENCRYPT_DECRYPT", operationOf(action));
  return key;
}

/** The operation an action authorizes, as KMS names it in its messages (kms:ReEncryptFrom → ReEncrypt). */
function operationOf(action: string): string {
  const name = action.replace(/^kms:/, "");
  return name.startsWith("ReEncrypt") ? "ReEncrypt" : name;
}

/**
 * useKey for an operation that encrypts or decrypts with an algorithm (SYMMETRIC_DEFAULT when not given, as for
 * data keys): the algorithm is in the request context (kms:EncryptionAlgorithm) and checked once the key may be
 * used, so an RSA key without EncryptionAlgorithm is "Algorithm SYMMETRIC_DEFAULT is incompatible with key spec
 * RSA_2048." (key-specs.ts). Then an RSA key refuses an encryption context.
 */
export function useKeyWithAlgorithm(
  call: KmsCall,
  resolved: ResolvedKey,
  action: string,
  encryptionContext: Record<string, string> | undefined,
  algorithm: EncryptionAlgorithmSpec = SYMMETRIC_DEFAULT,
  context: ConditionContext = {},
): KeyRecord {
  const key = useKey(call, resolved, action, encryptionContext, { ...context, "kms:EncryptionAlgorithm": algorithm });
  requireEncryptionAlgorithm(key, algorithm);
  if (algorithm !== SYMMETRIC_DEFAULT && Object.keys(encryptionContext ?? {}).length > 0) {
    // AWS's text, as measured against AWS in us-east-1 (floci-io/floci#3038); asymmetric keys take no context
    // [M-KMS Encrypt EncryptionContext].
    throw validationException("EncryptionContext is not supported when encrypting/decrypting with asymmetric CMKs.");
  }
  return key;
}

/** SYMMETRIC_DEFAULT seals a Trident blob (ciphertext.ts); an RSA algorithm gives the raw RSA-OAEP ciphertext. */
function encryptUnder(
  key: KeyRecord,
  algorithm: EncryptionAlgorithmSpec,
  plaintext: Uint8Array,
  encryptionContext: Record<string, string> | undefined,
): Buffer {
  if (algorithm === SYMMETRIC_DEFAULT) return seal(key.Arn, key.Material, plaintext, encryptionContext);
  return oaepEncrypt(key.Material, algorithm, plaintext);
}

/**
 * RSA-OAEP holds at most k − 2·hLen − 2 bytes (rsa.ts). AWS's text, as measured against AWS in us-east-1
 * (floci-io/floci#3038): "Algorithm RSAES_OAEP_SHA_256 and key spec RSA_2048 cannot encrypt data larger than 190
 * bytes."
 */
function checkPlaintextSize(key: KeyRecord, algorithm: EncryptionAlgorithmSpec, plaintext: Uint8Array): void {
  if (algorithm === SYMMETRIC_DEFAULT) return;
  const spec = keySpecOf(key);
  const max = maxOaepPlaintext(spec, algorithm);
  if (plaintext.length > max) {
    throw validationException(
      `Algorithm ${algorithm} and key spec ${spec} cannot encrypt data larger than ${max} bytes.`,
    );
  }
}

/** The key a ciphertext is decrypted with, and how to open it with that key. */
interface CiphertextSource {
  resolved: ResolvedKey;
  open(key: KeyRecord, encryptionContext?: Record<string, string>): Buffer | undefined;
}

/**
 * A SYMMETRIC_DEFAULT ciphertext is a blob that names its key. An RSA one is the bare RSA-OAEP output, which names
 * none: KeyId must be given, and the key it names decrypts it (any failure is InvalidCiphertextException). *Decided*
 * text for a missing KeyId, as emulators that measured AWS answer it (floci-io/floci#3038): "KeyId must not be null".
 */
function ciphertextSource(
  call: KmsCall,
  blob: Uint8Array | undefined,
  keyId: string | undefined,
  algorithm: EncryptionAlgorithmSpec,
): CiphertextSource {
  if (algorithm === SYMMETRIC_DEFAULT) {
    const sealed = sealedBlob(blob);
    return { resolved: { key: blobKey(call, sealed, keyId) }, open: sealed.open };
  }
  const ciphertext = requireCiphertext(blob);
  if (keyId === undefined) throw validationException("KeyId must not be null");
  return {
    resolved: resolveKey(call, keyId, "any"),
    open: (key) => oaepDecrypt(key.Material, algorithm, ciphertext),
  };
}

/** A ciphertext blob as Decrypt and ReEncrypt read it: the key it names, and how to open it with that key. */
interface ReadBlob {
  /** Trident's blobs name the key's ARN; LocalStack's its id alone, a key of the caller's account and region. */
  keyArn?: string;
  keyId?: string;
  /** Opens it with the key's material that sealed it (materials.ts), the current one for a blob that names none. */
  open(key: KeyRecord, encryptionContext?: Record<string, string>): Buffer | undefined;
}

function requireCiphertext(blob: Uint8Array | undefined): Uint8Array {
  if (blob === undefined) {
    throw validationException(
      "1 validation error detected: Value null at 'ciphertextBlob' failed to satisfy constraint: Member must not be null",
    );
  }
  return blob;
}

/** Trident's ciphertexts (ciphertext.ts), or LocalStack's (localstack-ciphertext.ts); anything else is invalid. */
function sealedBlob(given: Uint8Array | undefined): ReadBlob {
  const blob = requireCiphertext(given);
  const sealed = parseBlob(blob);
  if (sealed) return { keyArn: sealed.keyArn, open: (key, context) => openSealed(sealed, key, context) };
  const foreign = parseLocalStackBlob(blob);
  if (foreign)
    return { keyId: foreign.keyId, open: (key, context) => openLocalStackBlob(foreign, key.Material, context) };
  throw invalidCiphertext();
}

/**
 * The key a blob names, looked up in its owner's (account, region). With a KeyId, that must be the same key
 * [M-KMS Decrypt KeyId]. A blob of another region is not a ciphertext this region can read, unless its key is
 * multi-Region: then the related key of this Region decrypts it (multi-region.ts). *Decided*: a blob whose
 * key has been deleted is NotFoundException, like any call naming that key.
 */
function blobKey(call: KmsCall, sealed: ReadBlob, keyId: string | undefined): KeyRecord {
  const named = sealed.keyArn ?? keyArn(call.region, call.principal.accountId, sealed.keyId!);
  const arn = parseKeyArn(named);
  if (!arn || !decryptsHere(arn, call.region)) throw invalidCiphertext();
  const local = keyArn(call.region, arn.accountId, arn.keyId);
  if (keyId !== undefined && resolveKey(call, keyId, "any").key.Arn !== local) {
    throw kmsFault(
      "IncorrectKeyException",
      "The key ID in the request does not identify a KMS key that can perform this operation.",
    );
  }
  const key = findKey(call.env, arn.accountId, call.region, arn.keyId);
  if (!key) throw kmsFault("NotFoundException", KmsMessages.keyNotFound(local));
  return key;
}

/** KeySpec (AES_256, AES_128) or NumberOfBytes, exactly one [M-KMS GenerateDataKey]. *Decided* text. */
function dataKeyBytes(input: { KeySpec?: string; NumberOfBytes?: number }): number {
  if ((input.KeySpec === undefined) === (input.NumberOfBytes === undefined)) {
    throw validationException("Specify either KeySpec or NumberOfBytes, but not both.");
  }
  if (input.NumberOfBytes !== undefined) return input.NumberOfBytes;
  return input.KeySpec === "AES_128" ? 16 : 32;
}

/** Nitro Enclaves attestation (Recipient) is outside what Trident emulates. */
export function unsupportedRecipient(recipient: RecipientInfo | undefined): void {
  if (recipient !== undefined) {
    throw kmsFault(
      "UnsupportedOperationException",
      "Trident's KMS does not support Recipient (AWS Nitro Enclaves attestation).",
    );
  }
}
