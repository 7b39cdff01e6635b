import { constants, createCipheriv, createPublicKey, publicEncrypt, randomBytes } from "node:crypto";
import {
  GetParametersForImportCommand,
  ImportKeyMaterialCommand,
  type AlgorithmSpec,
  type KMSClient,
  type WrappingKeySpec,
} from "@aws-sdk/client-kms";

/** Wraps key material as a client does for ImportKeyMaterial [KMS importing-keys-encrypt-key-material]. */
export function wrap(publicKeyDer: Uint8Array, algorithm: AlgorithmSpec, material: Buffer): Buffer {
  const key = createPublicKey({ key: Buffer.from(publicKeyDer), format: "der", type: "spki" });
  const oaepHash = algorithm.endsWith("SHA_1") ? "sha1" : "sha256";
  const rsa = (data: Buffer) => publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, data);
  if (algorithm.startsWith("RSAES_OAEP")) return rsa(material);
  // RSA_AES_KEY_WRAP: an ephemeral AES-256 key under RSA-OAEP, then the material under AES key wrap with padding.
  const aesKey = randomBytes(32);
  const kwp = createCipheriv("id-aes256-wrap-pad", aesKey, Buffer.from("A65959A6", "hex"));
  return Buffer.concat([rsa(aesKey), kwp.update(material), kwp.final()]);
}

/**
 * GetParametersForImport, then ImportKeyMaterial of `material` wrapped under its public key; material that does not
 * expire unless `extra` says otherwise (AWS's default is KEY_MATERIAL_EXPIRES, which needs a ValidTo).
 */
export async function importInto(
  kms: KMSClient,
  KeyId: string,
  material: Buffer,
  algorithm: AlgorithmSpec = "RSAES_OAEP_SHA_256",
  spec: WrappingKeySpec = "RSA_2048",
  extra: { ValidTo?: Date; ExpirationModel?: "KEY_MATERIAL_EXPIRES" | "KEY_MATERIAL_DOES_NOT_EXPIRE" } = {},
) {
  const parameters = await kms.send(
    new GetParametersForImportCommand({ KeyId, WrappingAlgorithm: algorithm, WrappingKeySpec: spec }),
  );
  return kms.send(
    new ImportKeyMaterialCommand({
      KeyId,
      ImportToken: parameters.ImportToken,
      EncryptedKeyMaterial: wrap(parameters.PublicKey!, algorithm, material),
      ...(extra.ValidTo ? {} : { ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE" }),
      ...extra,
    }),
  );
}
