import { constants, createDecipheriv, createPrivateKey, privateDecrypt, randomBytes } from "node:crypto";
import type {
  AlgorithmSpec,
  DeleteImportedKeyMaterialRequest,
  DeleteImportedKeyMaterialResponse,
  GetParametersForImportRequest,
  GetParametersForImportResponse,
  ImportKeyMaterialRequest,
  ImportKeyMaterialResponse,
  KeySpec,
  WrappingKeySpec,
} from "../../generated/kms.js";
import { authorizeKeyAction } from "./access.js";
import { checkWrappingFor, importedPrivateKey, importsPrivateKeyOf } from "./imported-key-pairs.js";
import type { KmsCall } from "./env.js";
import { kmsFault, validationException } from "./errors.js";
import { requireNotPendingDeletion } from "./key-states.js";
import { HMAC_SPECS, keySpecOf } from "./key-specs.js";
import { keyMaterialId } from "./materials.js";
import { wrappingKeyPair } from "./wrapping-keys.js";
import { saveKey, type ImportRecord, type KeyRecord } from "./records.js";
import { resolveKey } from "./resolve.js";

/**
 * Imported key material [M-KMS GetParametersForImport, ImportKeyMaterial, DeleteImportedKeyMaterial; KMS
 * importing-keys]: a key created with Origin EXTERNAL has no material (PendingImport) until its owner imports some,
 * wrapped under an RSA public key KMS hands out with an import token, both valid 24 hours. The material is then
 * the key's for good: a re-import must bring the same material (IncorrectKeyMaterialException). It may expire
 * (ExpirationModel/ValidTo, on the one clock) or be deleted, and the key is PendingImport again until re-imported.
 * Trident imports symmetric encryption, HMAC, and RSA and ECC private keys (imported-key-pairs.ts).
 */

const PARAMETERS_VALID_MS = 24 * 3_600_000;
/** "The maximum value is 365 days from the request date" for ValidTo [M-KMS ImportKeyMaterial ValidTo]. */
const MAX_VALID_TO_MS = 365 * 86_400_000;
/** *Decided*: the wrapping key pairs a key keeps at once (each valid 24 hours); the oldest goes first. */
const MAX_PARAMETER_SETS = 10;
const RSA_BITS: Partial<Record<WrappingKeySpec, number>> = { RSA_2048: 2048, RSA_3072: 3072, RSA_4096: 4096 };
const OAEP_HASH: Partial<Record<AlgorithmSpec, string>> = {
  RSAES_OAEP_SHA_1: "sha1",
  RSAES_OAEP_SHA_256: "sha256",
  RSA_AES_KEY_WRAP_SHA_1: "sha1",
  RSA_AES_KEY_WRAP_SHA_256: "sha256",
};
/** RFC 5649's alternative initial value, which node:crypto's id-aes256-wrap-pad takes as its IV. */
const KWP_IV = Buffer.from("A65959A6", "hex");

/** An EXTERNAL key is created without material. */
export function pendingImport(): Pick<KeyRecord, "Origin" | "Material" | "Import"> {
  return { Origin: "EXTERNAL", Material: Buffer.alloc(0), Import: { Imported: false } };
}

/** The key specs whose material Trident imports: symmetric encryption, HMAC, RSA and ECC keys. */
export function importsMaterialOf(spec: KeySpec): boolean {
  return spec === "SYMMETRIC_DEFAULT" || spec in HMAC_SPECS || importsPrivateKeyOf(spec);
}

export async function getParametersForImport(
  call: KmsCall,
  input: GetParametersForImportRequest,
): Promise<GetParametersForImportResponse> {
  const key = externalKey(call, input.KeyId, "kms:GetParametersForImport");
  // "As of October 10, 2023, KMS does not support the RSAES_PKCS1_V1_5 wrapping algorithm"; SM2 is for the China
  // Regions only [M-KMS GetParametersForImport WrappingAlgorithm]. *Decided* texts.
  if (input.WrappingAlgorithm === "RSAES_PKCS1_V1_5") {
    throw kmsFault("UnsupportedOperationException", "KMS no longer supports the RSAES_PKCS1_V1_5 wrapping algorithm.");
  }
  const bits = RSA_BITS[input.WrappingKeySpec];
  if (!bits || !OAEP_HASH[input.WrappingAlgorithm]) {
    throw kmsFault(
      "UnsupportedOperationException",
      `${input.WrappingAlgorithm} with wrapping key spec ${input.WrappingKeySpec} is available only in the China Regions.`,
    );
  }
  checkWrappingFor(keySpecOf(key), input.WrappingAlgorithm, input.WrappingKeySpec);
  const { publicKey, privateKey } = await wrappingKeyPair(bits);
  const token = randomBytes(64);
  const validTo = call.env.clock.now().getTime() + PARAMETERS_VALID_MS;
  const parameters = {
    Token: token,
    PrivateKey: privateKey,
    WrappingAlgorithm: input.WrappingAlgorithm,
    ValidTo: validTo,
  };
  const sets = [...(key.Import?.ParameterSets ?? []), parameters].slice(-MAX_PARAMETER_SETS);
  saveKey(call.env, { ...key, Import: { ...importOf(key), ParameterSets: sets } });
  return {
    KeyId: key.Arn,
    ImportToken: token,
    PublicKey: publicKey,
    ParametersValidTo: new Date(validTo),
  };
}

export function importKeyMaterial(call: KmsCall, input: ImportKeyMaterialRequest): ImportKeyMaterialResponse {
  const key = externalKey(call, input.KeyId, "kms:ImportKeyMaterial", {
    "kms:ExpirationModel": expirationModel(input),
  });
  const now = call.env.clock.now().getTime();
  const expiry = checkExpiry(input, now);
  const token = Buffer.from(input.ImportToken);
  const parameters = importOf(key).ParameterSets?.find((set) => set.Token.equals(token));
  // "The request was rejected because the provided import token is invalid or is associated with a different KMS key."
  if (!parameters)
    throw kmsFault(
      "InvalidImportTokenException",
      "The import token is invalid or is associated with a different KMS key.",
    );
  if (parameters.ValidTo <= now) {
    throw kmsFault(
      "ExpiredImportTokenException",
      "The import token has expired. Use GetParametersForImport to get a new one.",
    );
  }
  const unwrapped = unwrap(parameters, Buffer.from(input.EncryptedKeyMaterial));
  if (!unwrapped) throw kmsFault("InvalidCiphertextException", "");
  const material = fittingMaterial(key, unwrapped);
  const materialId = keyMaterialId(key.KeyId, material);
  const before = importOf(key).MaterialId;
  if (before !== undefined && before !== materialId) {
    // "you can reimport the same key material into that KMS key, but you cannot import different key material".
    throw kmsFault(
      "IncorrectKeyMaterialException",
      "The key material in the request is not the same key material that was previously imported into this KMS key.",
    );
  }
  if (input.KeyMaterialId !== undefined && input.KeyMaterialId !== materialId) {
    throw kmsFault(
      "IncorrectKeyMaterialException",
      `The key material in the request does not have KeyMaterialId ${input.KeyMaterialId}.`,
    );
  }
  saveKey(call.env, {
    ...key,
    Material: material,
    Import: { ...importOf(key), Imported: true, MaterialId: materialId, ImportDate: now, ...expiry },
  });
  return { KeyId: key.Arn, KeyMaterialId: materialId };
}

export function deleteImportedKeyMaterial(
  call: KmsCall,
  input: DeleteImportedKeyMaterialRequest,
): DeleteImportedKeyMaterialResponse {
  const key = externalKey(call, input.KeyId, "kms:DeleteImportedKeyMaterial");
  const { MaterialId } = importOf(key);
  if (input.KeyMaterialId !== undefined && input.KeyMaterialId !== MaterialId) {
    throw kmsFault("NotFoundException", `Key material ${input.KeyMaterialId} is not associated with ${key.Arn}.`);
  }
  saveKey(call.env, withoutMaterial(key));
  return { KeyId: key.Arn, KeyMaterialId: MaterialId };
}

/** Material whose ValidTo has passed is deleted, and the key is PendingImport (from key-clock.ts). */
export function expireImportedMaterial(key: KeyRecord, now: number): KeyRecord {
  const expires = key.Import?.Imported && key.Import.ExpirationModel === "KEY_MATERIAL_EXPIRES";
  return expires && key.Import!.ValidTo! <= now ? withoutMaterial(key) : key;
}

/** DescribeKey's ExpirationModel and ValidTo, once material was imported [M-KMS KeyMetadata]. */
export function importMetadata(key: KeyRecord): { ExpirationModel?: ImportRecord["ExpirationModel"]; ValidTo?: Date } {
  const imported = key.Import;
  if (key.Origin !== "EXTERNAL" || !imported?.Imported) return {};
  return {
    ExpirationModel: imported.ExpirationModel,
    ValidTo: imported.ValidTo === undefined ? undefined : new Date(imported.ValidTo),
  };
}

function withoutMaterial(key: KeyRecord): KeyRecord {
  const Import = { ...importOf(key), Imported: false, ExpirationModel: undefined, ValidTo: undefined };
  return { ...key, Material: Buffer.alloc(0), Import };
}

function importOf(key: KeyRecord): ImportRecord {
  return key.Import ?? { Imported: false };
}

/** The caller's own EXTERNAL key, authorized, not pending deletion ("Cross-account use: No"). */
function externalKey(call: KmsCall, keyId: string, action: string, context = {}): KeyRecord {
  const { key } = resolveKey(call, keyId, "key");
  authorizeKeyAction(call, key, { action, context });
  requireNotPendingDeletion(key);
  if (key.Origin !== "EXTERNAL") {
    throw kmsFault(
      "UnsupportedOperationException",
      `${key.Arn} origin is ${key.Origin ?? "AWS_KMS"} which is not valid for this operation.`,
    );
  }
  return key;
}

/**
 * The import's ExpirationModel. "The default is KEY_MATERIAL_EXPIRES, in which case you must include the ValidTo
 * parameter" (API reference, ImportKeyMaterial): a ValidTo alone sets an expiry, and neither is refused below.
 */
const expirationModel = (input: ImportKeyMaterialRequest) => input.ExpirationModel ?? "KEY_MATERIAL_EXPIRES";

/**
 * ExpirationModel and ValidTo [M-KMS ImportKeyMaterial]: KEY_MATERIAL_EXPIRES (the default) needs a ValidTo in the
 * future and at most 365 days away; KEY_MATERIAL_DOES_NOT_EXPIRE takes none. *Decided* texts.
 */
function checkExpiry(input: ImportKeyMaterialRequest, now: number): Pick<ImportRecord, "ExpirationModel" | "ValidTo"> {
  const model = expirationModel(input);
  const validTo = input.ValidTo?.getTime();
  if (model === "KEY_MATERIAL_DOES_NOT_EXPIRE") {
    if (validTo !== undefined)
      throw validationException("ValidTo must be omitted when ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE.");
    return { ExpirationModel: model };
  }
  if (validTo === undefined)
    throw validationException("ValidTo is required when ExpirationModel is KEY_MATERIAL_EXPIRES.");
  if (validTo <= now || validTo > now + MAX_VALID_TO_MS) {
    throw validationException("ValidTo must be a time in the future and at most 365 days from now.");
  }
  return { ExpirationModel: model, ValidTo: validTo };
}

/**
 * Unwraps the material with the parameter set's private key: RSAES_OAEP_* is RSA-OAEP of the material itself;
 * RSA_AES_KEY_WRAP_* is RSA-OAEP of an ephemeral AES-256 key followed by the material wrapped under that key with
 * AES key wrap with padding (RFC 5649) [KMS importing-keys-encrypt-key-material]. Undefined when it does not open.
 */
function unwrap(parameters: NonNullable<ImportRecord["ParameterSets"]>[number], wrapped: Buffer): Buffer | undefined {
  const privateKey = createPrivateKey({ key: parameters.PrivateKey, format: "der", type: "pkcs8" });
  const oaep = {
    key: privateKey,
    padding: constants.RSA_PKCS1_OAEP_PADDING,
    oaepHash: OAEP_HASH[parameters.WrappingAlgorithm as AlgorithmSpec],
  };
  try {
    if (!parameters.WrappingAlgorithm.startsWith("RSA_AES_KEY_WRAP")) return privateDecrypt(oaep, wrapped);
    const rsaBytes = (privateKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8;
    const aesKey = privateDecrypt(oaep, wrapped.subarray(0, rsaBytes));
    const decipher = createDecipheriv("id-aes256-wrap-pad", aesKey, KWP_IV);
    return Buffer.concat([decipher.update(wrapped.subarray(rsaBytes)), decipher.final()]);
  } catch {
    return undefined;
  }
}

/**
 * The material as the key keeps it. Symmetric encryption key material is 256 bits; HMAC key material is between the
 * spec's length and its block size [KMS importing-keys-conceptual]; a key pair's is its PKCS#8 private key
 * (imported-key-pairs.ts). *Decided*: anything else is IncorrectKeyMaterialException.
 */
function fittingMaterial(key: KeyRecord, material: Buffer): Buffer {
  const spec = keySpecOf(key);
  if (importsPrivateKeyOf(spec)) return importedPrivateKey(spec, material);
  const hmac = HMAC_SPECS[spec];
  const [min, max] = hmac ? [hmac.bytes, hmac.bytes <= 32 ? 64 : 128] : [32, 32];
  if (material.length < min || material.length > max) {
    throw kmsFault(
      "IncorrectKeyMaterialException",
      `Key material for a ${spec} key must be ${min === max ? `${min}` : `${min} to ${max}`} bytes; this is ${material.length}.`,
    );
  }
  return material;
}
