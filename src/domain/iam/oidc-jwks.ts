import type { JSONWebKeySet } from "jose";
import { IamErrors } from "./errors.js";

/**
 * Trident's extension for OIDC providers' keys. AWS fetches a provider's JWKS from its issuer
 * (`/.well-known/openid-configuration` → `jwks_uri`); Trident makes no outbound call, so the JWKS is given as the
 * tag `trident:jwks` (its value the JWKS JSON, `{"keys": [...]}`) on CreateOpenIDConnectProvider or
 * TagOpenIDConnectProvider. Like LocalStack's `_custom_key_material_` on KMS keys, it is taken out of the tags before
 * the model checks them (so AWS's 256-character tag value limit does not apply to it) and is never listed as a tag;
 * UntagOpenIDConnectProvider with the key drops the keys.
 */
export const JWKS_TAG = "trident:jwks";

const OPERATIONS = new Set(["CreateOpenIDConnectProvider", "TagOpenIDConnectProvider"]);

export function takeIamExtensions(
  operation: string,
  input: Record<string, unknown>,
): Record<string, string> | undefined {
  if (!OPERATIONS.has(operation) || !Array.isArray(input.Tags)) return undefined;
  const tags = input.Tags as { Key?: unknown; Value?: unknown }[];
  const jwks = tags.filter((tag) => tag?.Key === JWKS_TAG);
  if (jwks.length === 0) return undefined;
  input.Tags = tags.filter((tag) => tag?.Key !== JWKS_TAG);
  return { jwks: String(jwks[jwks.length - 1]!.Value ?? "") };
}

/** The JWKS a `trident:jwks` tag holds; InvalidInput when it is not one. */
export function parseJwks(text: string | undefined): JSONWebKeySet | undefined {
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const keys = (parsed as { keys?: unknown } | undefined)?.keys;
  if (!Array.isArray(keys) || !keys.every((key) => typeof key === "object" && key !== null && !Array.isArray(key)))
    throw IamErrors.invalidInput(`The ${JWKS_TAG} tag must hold a JSON Web Key Set: {"keys": [...]}.`);
  return parsed as JSONWebKeySet;
}
