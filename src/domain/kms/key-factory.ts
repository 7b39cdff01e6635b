import { randomBytes, randomUUID } from "node:crypto";
import type { Tag } from "../../generated/kms.js";
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
  /** Known ahead when the policy had to be checked against the key's ARN (the lockout check). */
  keyId?: string;
}

/** A fresh symmetric key: a random id and 256 bits of random material of its own. */
export function buildKeyRecord(spec: NewKey): KeyRecord {
  const keyId = spec.keyId ?? randomUUID();
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
    Material: randomBytes(32),
    Tags: spec.tags ?? [],
    Rotation: spec.rotation ?? { Enabled: false },
  };
}
