import { createPrivateKey, type KeyObject } from "node:crypto";
import type { AlgorithmSpec, KeySpec, WrappingKeySpec } from "../../generated/kms.js";
import { ECC_SPECS } from "./ecc.js";
import { kmsFault } from "./errors.js";
import { RSA_SPECS } from "./rsa.js";

/**
 * Imported key material for asymmetric keys [KMS importing-keys-conceptual]: "the asymmetric key material must be the
 * private key of the key pair, in PKCS #8 DER encoding (RFC 5208)", of the KMS key's spec. The private key becomes the
 * key's Material in the form every other key pair keeps (key-pairs.ts), so Sign, Verify, Encrypt, Decrypt,
 * DeriveSharedSecret and GetPublicKey work on it as on a key KMS made.
 *
 * *Decided*: ECC covers the NIST curves, secp256k1 and Edwards25519; ML-DSA and SM2 keys are not imported here
 * (SM2 exists only in the China Regions, key-specs.ts).
 */

/** What the private key of each importable spec is, as node:crypto describes it. */
function expectedKey(spec: KeySpec): ((key: KeyObject) => boolean) | undefined {
  const rsa = RSA_SPECS[spec];
  if (rsa) return (key) => key.asymmetricKeyType === "rsa" && key.asymmetricKeyDetails?.modulusLength === rsa.bits;
  const curve = ECC_SPECS[spec];
  if (curve) return (key) => key.asymmetricKeyType === "ec" && key.asymmetricKeyDetails?.namedCurve === curve.nodeName;
  if (spec === "ECC_NIST_EDWARDS25519") return (key) => key.asymmetricKeyType === "ed25519";
  return undefined;
}

/** A key pair's spec whose private key Trident imports. */
export function importsPrivateKeyOf(spec: KeySpec): boolean {
  return expectedKey(spec) !== undefined;
}

/**
 * The wrapping algorithms AWS allows per kind of material [M-KMS GetParametersForImport WrappingAlgorithm]:
 * "To import an RSA private key, you must use an RSA_AES wrapping algorithm" (an RSA private key is larger than any
 * RSAES_OAEP plaintext), and "You cannot use the RSAES_OAEP_SHA_* wrapping algorithm with the RSA_2048 wrapping key
 * spec to wrap ECC_NIST_P521 key material". *Decided* texts, UnsupportedOperationException ("a specified parameter is
 * not supported … for this operation").
 */
export function checkWrappingFor(spec: KeySpec, algorithm: AlgorithmSpec, wrappingKeySpec: WrappingKeySpec): void {
  if (!algorithm.startsWith("RSAES_OAEP")) return;
  if (RSA_SPECS[spec]) {
    throw kmsFault(
      "UnsupportedOperationException",
      `${algorithm} cannot wrap RSA key material; use RSA_AES_KEY_WRAP_SHA_1 or RSA_AES_KEY_WRAP_SHA_256.`,
    );
  }
  if (spec === "ECC_NIST_P521" && wrappingKeySpec === "RSA_2048") {
    throw kmsFault(
      "UnsupportedOperationException",
      `${algorithm} with wrapping key spec RSA_2048 cannot wrap ECC_NIST_P521 key material; use a larger wrapping key spec or an RSA_AES_KEY_WRAP algorithm.`,
    );
  }
}

/**
 * The imported private key as the key keeps it, or IncorrectKeyMaterialException ("the key material in the request is … invalid"
 * [M-KMS ImportKeyMaterial]) for anything that is not a private key of the key's spec. *Decided* text.
 */
export function importedPrivateKey(spec: KeySpec, material: Buffer): Buffer {
  const expected = expectedKey(spec);
  let key: KeyObject | undefined;
  try {
    key = createPrivateKey({ key: material, format: "der", type: "pkcs8" });
  } catch {
    key = undefined;
  }
  if (!expected || !key || !expected(key)) {
    throw kmsFault(
      "IncorrectKeyMaterialException",
      `The key material is not a PKCS #8 DER-encoded private key of key spec ${spec}.`,
    );
  }
  return canonicalPkcs8(key);
}

/**
 * One PKCS#8 encoding per key pair, so that a re-import of the same key brought in another encoding (an EC key
 * without its optional public key, RFC 5915 §3) is the same material: the JWK form holds every component, derived
 * where the DER left one out, and node:crypto writes it back the one way.
 */
function canonicalPkcs8(key: KeyObject): Buffer {
  const complete = createPrivateKey({ key: key.export({ format: "jwk" }), format: "jwk" });
  return complete.export({ type: "pkcs8", format: "der" });
}
