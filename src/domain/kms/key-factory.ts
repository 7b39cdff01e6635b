import { idUuid } from "../../util/random.js";
import type { Tag } from "../../generated/kms.js";
import { newMaterial, type KeyKind } from "./key-specs.js";
import type { PolicyDocument } from "../../policy/index.js";
import { keyArn } from "./identifiers.js";
import type { KeyRecord } from "./records.js";

export interface NewKey {
  accountId: string;
  region: string;
  keyManager: KeyRecord["KeyManager"];
  description: string;
  policyText: string;
  policy: PolicyDocument;
  tags?: Tag[];
  now: Date;
  rotation?: KeyRecord["Rotation"];
  /** Known ahead when the policy had to be checked against the key's ARN (the lockout check), or fixed by a fixture. */
  keyId?: string;
  /** The key's spec and usage; a symmetric encryption key when absent. */
  kind?: KeyKind;
  /** Fixed 256-bit material (a seed file's backing key, the `_custom_key_material_` tag). */
  material?: Buffer;
  /** An RSA key's private key, made before the request's turn (key-generation.ts). */
  keyPairMadeAhead?: Buffer;
}

/** A new key's id: a UUID (from the emulator's id source, so that --seed-random makes it stable). */
export function newKeyId(): string {
  return idUuid("kms-key");
}

/** A multi-Region key's id: `mrk-` and 32 hex digits [aws-behaviour §6.1], from the same id source. */
export function newMultiRegionKeyId(): string {
  return `mrk-${idUuid("kms-key").replace(/-/g, "")}`;
}

/** A fresh key: a new id and random material of its own (its spec's length), unless the spec gives them. */
export function buildKeyRecord(spec: NewKey): KeyRecord {
  const keyId = spec.keyId ?? newKeyId();
  return {
    KeyId: keyId,
    Arn: keyArn(spec.region, spec.accountId, keyId),
    AccountId: spec.accountId,
    Region: spec.region,
    CreationDate: spec.now.getTime(),
    Description: spec.description,
    KeyManager: spec.keyManager,
    Enabled: true,
    PolicyText: spec.policyText,
    Policy: spec.policy,
    ...spec.kind,
    Material: spec.material ?? newMaterial(spec.kind?.KeySpec ?? "SYMMETRIC_DEFAULT", spec.keyPairMadeAhead),
    Tags: spec.tags ?? [],
    Rotation: spec.rotation ?? { Enabled: false },
  };
}
