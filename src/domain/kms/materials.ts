import { createHash } from "node:crypto";
import type { RotationType } from "../../generated/kms.js";
import type { KeyRecord } from "./records.js";

/**
 * A key's backing key material, version by version. `KeyRecord.Material` is always the current material (what new
 * encryptions use, and what signing and MAC keys use); `Versions`, when present, holds every material the key has had,
 * oldest first, the current one last. A ciphertext names the version that sealed it (ciphertext.ts), so rotation
 * never strands an old ciphertext: "KMS retains all key material for a KMS key … so it can decrypt any ciphertext
 * encrypted with that KMS key" [KMS rotate-keys].
 */
export interface MaterialVersion {
  Material: Buffer;
  /** When it became current by a rotation; absent for the key's first material. */
  RotationDate?: number;
  RotationType?: RotationType;
}

/** Every material of the key, oldest first; the last one is current. */
export function materialVersions(key: Pick<KeyRecord, "Material" | "Versions">): MaterialVersion[] {
  return key.Versions ?? [{ Material: key.Material }];
}

/**
 * A material's KeyMaterialId: "KMS assigns a unique identifier to the key material based on the KMS key ID and the
 * … key material" [M-KMS ImportKeyMaterial KeyMaterialId]. *Decided*: SHA-256 of both, 64 hex digits, so related
 * multi-Region keys (same key id, same material) give the same id, and the same material imported twice into one
 * key is recognised.
 */
export function keyMaterialId(keyId: string, material: Buffer): string {
  return materialIdOf(keyId, material).hex;
}

/** The id as a ciphertext carries it (32 bytes), and as the API shows it (hex). */
export interface MaterialId {
  bytes: Buffer;
  hex: string;
}

/**
 * Each material's id, worked out once per (material, key id) rather than hashed on every seal and open. A
 * material's Buffer is never changed in place (records are replaced, not edited: records.ts), so it is the key.
 */
const materialIds = new WeakMap<Buffer, Map<string, MaterialId>>();

export function materialIdOf(keyId: string, material: Buffer): MaterialId {
  let byKey = materialIds.get(material);
  if (!byKey) materialIds.set(material, (byKey = new Map()));
  let id = byKey.get(keyId);
  if (!id) {
    const bytes = createHash("sha256").update(keyId, "utf8").update(material).digest();
    byKey.set(keyId, (id = { bytes, hex: bytes.toString("hex") }));
  }
  return id;
}

export function currentMaterialId(key: Pick<KeyRecord, "KeyId" | "Material">): string {
  return keyMaterialId(key.KeyId, key.Material);
}

/**
 * The material a ciphertext names by id, or undefined when the key no longer has it. A blob that names none (an
 * older Trident blob, a LocalStack one) is opened with the current material.
 */
export function materialFor(key: KeyRecord, materialId: string | undefined): Buffer | undefined {
  if (materialId === undefined) return key.Material;
  return materialVersions(key).find((version) => keyMaterialId(key.KeyId, version.Material) === materialId)?.Material;
}

/** The key with `material` as its new current material, the old ones kept. */
export function withNewMaterial(key: KeyRecord, material: Buffer, date: number, type: RotationType): KeyRecord {
  return {
    ...key,
    Material: material,
    Versions: [...materialVersions(key), { Material: material, RotationDate: date, RotationType: type }],
  };
}
