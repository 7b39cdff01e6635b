import type { KeySpec, Tag } from "../../generated/kms.js";
import { materialBytes } from "./key-specs.js";
import { kmsFault, validationException } from "./errors.js";
import { parseKeyReference } from "./identifiers.js";
import { keyTable } from "./records.js";
import type { KmsEnv } from "./env.js";

/**
 * LocalStack's CreateKey tags that pin a key, so that fixtures written for it work here unchanged
 * (localstack `services/kms/models.py` and `utils.py`; ecosystem.md §1.8):
 *   `_custom_id_`            the KeyId. LocalStack keeps it as a visible tag; so does Trident.
 *   `_custom_key_material_`  the key material, base64. LocalStack takes it out of the tags "to not readily expose
 *                            the custom key material" and skips the 256-character tag value limit for it
 *                            (`validate_and_filter_tags`): here it leaves the input before the model validates it
 *                            (takeKmsExtensions, the KMS service's extension hook), so it is never a tag.
 */
export const CUSTOM_ID_TAG = "_custom_id_";
export const CUSTOM_KEY_MATERIAL_TAG = "_custom_key_material_";

export type KmsExtensions = { customKeyMaterial?: string };

/** The KMS service's extension hook: CreateKey's `_custom_key_material_` tag, taken out of `input.Tags`. */
export function takeKmsExtensions(operation: string, input: Record<string, unknown>): KmsExtensions | undefined {
  if (operation !== "CreateKey" || !Array.isArray(input.Tags)) return undefined;
  const tags = input.Tags as Partial<Tag>[];
  const material = tags.filter((tag) => tag?.TagKey === CUSTOM_KEY_MATERIAL_TAG);
  if (material.length === 0) return undefined;
  input.Tags = tags.filter((tag) => tag?.TagKey !== CUSTOM_KEY_MATERIAL_TAG);
  // Later tags with the same key replace earlier ones (tags.ts mergeTags).
  return { customKeyMaterial: String(material[material.length - 1]!.TagValue ?? "") };
}

/**
 * The fixed id and material a CreateKey asks for, checked after the key spec (a material for an RSA key is refused
 * as the spec, first). *Decided*: the id must be a KMS key id (a UUID; LocalStack too expects one, PR #8870), since
 * no KeyId parameter could name anything else, and must not be taken in the (account, region): AlreadyExists,
 * as for an alias. The material must be base64, of the spec's length (256 bits for SYMMETRIC_DEFAULT).
 */
export function customKey(
  env: KmsEnv,
  accountId: string,
  region: string,
  tags: Tag[],
  extensions: KmsExtensions | undefined,
  spec: KeySpec = "SYMMETRIC_DEFAULT",
): { keyId?: string; material?: Buffer } {
  const idTag = tags.filter((tag) => tag.TagKey === CUSTOM_ID_TAG).pop();
  const keyId = idTag?.TagValue.trim();
  if (keyId !== undefined) {
    if (parseKeyReference(keyId).kind !== "key-id")
      throw validationException(`The ${CUSTOM_ID_TAG} tag must be a KMS key id (a UUID), not '${keyId}'.`);
    if (keyTable(env, accountId, region).get(keyId))
      throw kmsFault("AlreadyExistsException", `A key with the id ${keyId} already exists.`);
  }
  const encoded = extensions?.customKeyMaterial;
  if (encoded === undefined) return { keyId };
  const material = Buffer.from(encoded, "base64");
  const bytes = materialBytes(spec);
  if (bytes === undefined) {
    throw validationException(`The ${CUSTOM_KEY_MATERIAL_TAG} tag is for symmetric and HMAC keys, not ${spec}.`);
  }
  if (material.length !== bytes || material.toString("base64") !== encoded.replace(/\s/g, ""))
    throw validationException(
      `The ${CUSTOM_KEY_MATERIAL_TAG} tag must be ${bytes} bytes of key material in base64 (a ${spec} key); got ${material.length} bytes.`,
    );
  return { keyId, material };
}
