import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { isServedRegion } from "../../auth/regions.js";
import { parseKeyReference } from "./identifiers.js";
import type { KmsSeed, SeedAlias, SeedKey } from "./seeding.js";

/**
 * Reads KMS seed files in local-kms's YAML shape (3.x, its README's "Seeding file format"):
 *
 *   Keys:
 *     Symmetric:
 *       Aes:
 *         - Metadata: { KeyId: bc436485-…, Description: "…", Origin: EXTERNAL }   # Description, Origin optional
 *           NextKeyRotation: "2019-09-12T15:19:21+00:00"                          # optional
 *           BackingKeys: [5cdaead2…]                                              # hex, 256 bits each
 *     Asymmetric: { Rsa: […], Ecc: […] }
 *   Aliases:
 *     - { AliasName: alias/testing, TargetKeyId: bc436485-… }
 *
 * local-kms serves one account and one region per process; Trident serves many, so a file may say where its keys
 * go with two top-level fields of Trident's own, `Account: "123456789012"` and `Region: eu-west-2`. *Decided*:
 * without them, the default account (--default-account, as relaxed auth's unknown keys use it) and us-east-1.
 *
 * What Trident cannot hold is said, not half-done: asymmetric keys (Trident's KMS has symmetric keys only) and an
 * EXTERNAL key without material (PendingImport) are skipped with a warning, as are aliases to them. Of several
 * backing keys (local-kms's simulated rotations) the last is the key's material, the one local-kms encrypts with;
 * the earlier ones are dropped with a warning (Trident's keys have one material: rotation.ts). Anything malformed
 * is a SeedFileError naming the file and the entry.
 */

export class SeedFileError extends Error {}

export interface SeedDefaults {
  accountId: string;
  region: string;
}

export interface ReadSeeds {
  seeds: KmsSeed[];
  warnings: string[];
}

const AES_KEY_HEX = /^[0-9a-fA-F]{64}$/;
const ACCOUNT_ID = /^\d{12}$/;
const TOP_LEVEL = new Set(["Keys", "Aliases", "Account", "Region"]);

/** Each --seed path: a file, or every `.yaml`/`.yml` file of a directory in name order. */
export function readSeedPaths(paths: readonly string[], defaults: SeedDefaults): ReadSeeds {
  const result: ReadSeeds = { seeds: [], warnings: [] };
  const seen = new Map<string, string>();
  for (const file of paths.flatMap(seedFiles)) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      throw new SeedFileError(`cannot read ${file}: ${(error as Error).message}`);
    }
    const { seed, warnings } = readSeedText(text, file, defaults);
    for (const key of seed.keys) {
      const place = `${seed.accountId}/${seed.region}/${key.keyId}`;
      const earlier = seen.get(place);
      if (earlier) throw new SeedFileError(`${file}: key ${key.keyId} is seeded by ${earlier} too`);
      seen.set(place, file);
    }
    result.seeds.push(seed);
    result.warnings.push(...warnings);
  }
  return result;
}

function seedFiles(path: string): string[] {
  let files: string[];
  try {
    files = statSync(path).isDirectory()
      ? readdirSync(path)
          .filter((name) => /\.ya?ml$/.test(name))
          .sort()
          .map((name) => join(path, name))
      : [path];
  } catch (error) {
    throw new SeedFileError(`cannot read ${path}: ${(error as Error).message}`);
  }
  if (files.length === 0) throw new SeedFileError(`${path} holds no .yaml or .yml file`);
  return files;
}

/** One seed file's text. */
export function readSeedText(
  text: string,
  source: string,
  defaults: SeedDefaults,
): { seed: KmsSeed; warnings: string[] } {
  const refuse = (what: string): never => {
    throw new SeedFileError(`${source}: ${what}`);
  };
  let document: unknown;
  try {
    // The failsafe schema reads every scalar as text: an account id of zeros or a backing key of digits alone stays
    // what was written, rather than becoming a number.
    document = parse(text, { schema: "failsafe" });
  } catch (error) {
    return refuse(`not YAML: ${(error as Error).message.split("\n", 1)[0]}`);
  }
  if (document === null || document === undefined) document = {};
  const top = mapping(document, "the file", refuse);
  for (const field of Object.keys(top))
    if (!TOP_LEVEL.has(field)) refuse(`unknown field '${field}' (a seed file has ${[...TOP_LEVEL].join(", ")})`);

  const accountId = top.Account === undefined ? defaults.accountId : String(top.Account);
  if (!ACCOUNT_ID.test(accountId)) refuse(`Account must be a 12-digit account id, not '${accountId}'`);
  const region = top.Region === undefined ? defaults.region : String(top.Region);
  if (!isServedRegion(region)) refuse(`Region '${region}' is not a region of partition aws`);

  const warnings: string[] = [];
  const keys: SeedKey[] = [];
  const skipped = new Set<string>();
  const keyGroups = top.Keys === undefined ? {} : mapping(top.Keys, "Keys", refuse);
  for (const group of Object.keys(keyGroups))
    if (group !== "Symmetric" && group !== "Asymmetric") refuse(`unknown key group Keys.${group}`);
  const symmetric = keyGroups.Symmetric === undefined ? {} : mapping(keyGroups.Symmetric, "Keys.Symmetric", refuse);
  for (const kind of Object.keys(symmetric)) if (kind !== "Aes") refuse(`unknown key type Keys.Symmetric.${kind}`);
  list(symmetric.Aes ?? [], "Keys.Symmetric.Aes", refuse).forEach((entry, i) => {
    const key = aesKey(entry, `Keys.Symmetric.Aes[${i}]`, refuse, warnings);
    if (typeof key === "string") skipped.add(key);
    else if (keys.some((other) => other.keyId === key.keyId)) refuse(`key ${key.keyId} is listed twice`);
    else keys.push(key);
  });
  const asymmetric = keyGroups.Asymmetric === undefined ? {} : mapping(keyGroups.Asymmetric, "Keys.Asymmetric", refuse);
  for (const [kind, entries] of Object.entries(asymmetric)) {
    if (kind !== "Rsa" && kind !== "Ecc") refuse(`unknown key type Keys.Asymmetric.${kind}`);
    list(entries, `Keys.Asymmetric.${kind}`, refuse).forEach((entry, i) => {
      const id = mapping(
        mapping(entry, `Keys.Asymmetric.${kind}[${i}]`, refuse).Metadata ?? {},
        "Metadata",
        refuse,
      ).KeyId;
      skipped.add(String(id));
      warnings.push(`${source}: skipped ${kind} key ${String(id)}: Trident's KMS has symmetric encryption keys only`);
    });
  }

  const aliases: SeedAlias[] = [];
  list(top.Aliases ?? [], "Aliases", refuse).forEach((entry, i) => {
    const where = `Aliases[${i}]`;
    const fields = mapping(entry, where, refuse);
    const aliasName = requiredText(fields.AliasName, `${where}.AliasName`, refuse);
    const targetKeyId = requiredText(fields.TargetKeyId, `${where}.TargetKeyId`, refuse);
    // Alias names: "alias/" then letters, digits, /_-; alias/aws/ is AWS's [M-KMS CreateAlias].
    if (!/^alias\/[a-zA-Z0-9/_-]{1,250}$/.test(aliasName) || aliasName.startsWith("alias/aws/"))
      refuse(`${where}: '${aliasName}' is not an alias name a customer may use (alias/NAME, not alias/aws/…)`);
    if (aliases.some((other) => other.aliasName === aliasName)) refuse(`alias ${aliasName} is listed twice`);
    if (skipped.has(targetKeyId)) {
      warnings.push(`${source}: skipped ${aliasName}: its key ${targetKeyId} was skipped`);
      return;
    }
    if (!keys.some((key) => key.keyId === targetKeyId))
      refuse(`${where}: ${aliasName} targets ${targetKeyId}, which is not a key of this file`);
    aliases.push({ aliasName, targetKeyId });
  });
  return { seed: { source, accountId, region, keys, aliases }, warnings };
}

/** One AES entry, or the id of a key skipped with a warning. */
function aesKey(entry: unknown, where: string, refuse: (what: string) => never, warnings: string[]): SeedKey | string {
  const fields = mapping(entry, where, refuse);
  const metadata = mapping(fields.Metadata, `${where}.Metadata`, refuse);
  const keyId = requiredText(metadata.KeyId, `${where}.Metadata.KeyId`, refuse);
  // local-kms takes any id (its README seeds an Ethereum address); AWS's key ids are UUIDs (or mrk-… for
  // multi-Region keys), and no KeyId parameter could name anything else (identifiers.ts).
  if (parseKeyReference(keyId).kind !== "key-id") refuse(`${where}: KeyId '${keyId}' is not a KMS key id (a UUID)`);
  const origin = metadata.Origin === undefined ? "AWS_KMS" : String(metadata.Origin);
  if (origin !== "AWS_KMS" && origin !== "EXTERNAL") refuse(`${where}: Origin must be AWS_KMS or EXTERNAL`);
  const backing = list(fields.BackingKeys ?? [], `${where}.BackingKeys`, refuse).map((hex, i) => {
    const value = String(hex);
    if (!AES_KEY_HEX.test(value)) refuse(`${where}.BackingKeys[${i}] must be 256 bits in hex (64 hex digits)`);
    return Buffer.from(value, "hex");
  });
  if (backing.length === 0) {
    if (origin === "EXTERNAL") {
      warnings.push(`${where}: skipped ${keyId}: an EXTERNAL key without material (PendingImport) is not supported`);
      return keyId;
    }
    refuse(`${where}.BackingKeys must list one or more keys`);
  }
  if (origin === "EXTERNAL" && backing.length > 1) refuse(`${where}: an EXTERNAL key has at most one backing key`);
  if (backing.length > 1)
    warnings.push(`${where}: ${keyId} keeps its last backing key; the ${backing.length - 1} earlier ones are dropped`);
  let nextRotation: Date | undefined;
  if (fields.NextKeyRotation !== undefined) {
    nextRotation = new Date(String(fields.NextKeyRotation));
    if (Number.isNaN(nextRotation.getTime())) refuse(`${where}.NextKeyRotation must be an ISO 8601 date`);
  }
  const description = metadata.Description === undefined ? "" : String(metadata.Description);
  return { keyId, description, material: backing[backing.length - 1]!, nextRotation };
}

function mapping(value: unknown, where: string, refuse: (what: string) => never): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return refuse(`${where} must be a mapping`);
  return value as Record<string, unknown>;
}

function list(value: unknown, where: string, refuse: (what: string) => never): unknown[] {
  if (!Array.isArray(value)) return refuse(`${where} must be a list`);
  return value;
}

function requiredText(value: unknown, where: string, refuse: (what: string) => never): string {
  if (typeof value !== "string" || value === "") return refuse(`${where} is required (text)`);
  return value;
}
