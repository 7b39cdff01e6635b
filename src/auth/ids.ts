import { createHash, randomBytes } from "node:crypto";
import { idBytes } from "../util/random.js";

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function base32(bytes: Uint8Array, length: number): string {
  let out = "";
  for (let i = 0; out.length < length; i++) out += BASE32[bytes[i % bytes.length]! % 32];
  return out;
}

/** The prefixes of IAM unique ids [IAM identifiers: unique ids]. */
export type IamIdPrefix = "AIDA" | "AROA" | "AGPA" | "ANPA";

/**
 * IAM unique ids (`AIDA…` users, `AROA…` roles, `AGPA…` groups, `ANPA…` managed policies) are stable for a name, so derive them from a hash: the same
 * config gives the same ids on every start.
 */
export function stableUniqueId(prefix: IamIdPrefix, seed: string): string {
  return prefix + base32(createHash("sha256").update(seed).digest(), 17);
}

/** A fresh id of AWS's usual shapes: `ASIA…` temporary keys, `cluster-…` resource ids (seeded per prefix: random.ts). */
export function randomId(prefix: string, length: number): string {
  return prefix + base32(idBytes(prefix, length), length);
}

export function randomSecret(): string {
  return randomBytes(30).toString("base64");
}
