import { parsePolicyValue } from "../../policy/index.js";
import type { KmsEnv } from "./env.js";
import { aliasArn } from "./identifiers.js";
import { buildKeyRecord } from "./key-factory.js";
import { defaultKeyPolicy, prettyPolicy } from "./policy-text.js";
import { aliasTable, keyTable, saveKey } from "./records.js";

/**
 * KMS fixtures: keys with fixed ids and material, and aliases, put into an (account, region) at start and again
 * after a reset that clears KMS (a seed is configuration, like --config's identities). What a seed file says
 * (seed-file.ts reads local-kms's YAML into this) is applied as local-kms applies it: "If a key in the seeding
 * file already exists, it will not be overwritten or amended by the seeding process" [local-kms README, Seeding];
 * so with a data directory, a restart keeps what was done to a seeded key since.
 */

const DAY_MS = 86_400_000;
/** A seeded key with NextKeyRotation rotates yearly, as a key with automatic rotation does by default [M-KMS]. */
const SEEDED_ROTATION_DAYS = 365;

export interface SeedKey {
  keyId: string;
  description: string;
  /** 256-bit AES material: local-kms's current backing key (the last one listed). */
  material: Buffer;
  /** local-kms's NextKeyRotation: rotation is enabled and the next one falls on this date. */
  nextRotation?: Date;
}

export interface SeedAlias {
  aliasName: string;
  targetKeyId: string;
}

export interface KmsSeed {
  /** Where the seed came from, for messages. */
  source: string;
  accountId: string;
  region: string;
  keys: SeedKey[];
  aliases: SeedAlias[];
}

/** Puts the seeds' keys and aliases that do not exist yet; returns how many of each it put. */
export function applyKmsSeeds(env: KmsEnv, seeds: readonly KmsSeed[]): { keys: number; aliases: number } {
  let keys = 0;
  let aliases = 0;
  const now = env.clock.now();
  for (const seed of seeds) {
    const existingKeys = keyTable(env, seed.accountId, seed.region);
    for (const key of seed.keys) {
      if (existingKeys.get(key.keyId)) continue;
      const document = defaultKeyPolicy(seed.accountId);
      saveKey(
        env,
        buildKeyRecord({
          accountId: seed.accountId,
          region: seed.region,
          keyManager: "CUSTOMER",
          keyId: key.keyId,
          material: key.material,
          description: key.description,
          policyText: prettyPolicy(document),
          policy: parsePolicyValue(document),
          now,
          rotation: key.nextRotation && {
            Enabled: true,
            PeriodInDays: SEEDED_ROTATION_DAYS,
            // GetKeyRotationStatus derives the next rotation as EnabledAt + n × period (rotation.ts).
            EnabledAt: key.nextRotation.getTime() - SEEDED_ROTATION_DAYS * DAY_MS,
          },
        }),
      );
      keys++;
    }
    const existingAliases = aliasTable(env, seed.accountId, seed.region);
    for (const alias of seed.aliases) {
      if (existingAliases.get(alias.aliasName)) continue;
      existingAliases.put(alias.aliasName, {
        AliasName: alias.aliasName,
        AliasArn: aliasArn(seed.region, seed.accountId, alias.aliasName),
        TargetKeyId: alias.targetKeyId,
        CreationDate: now.getTime(),
        LastUpdatedDate: now.getTime(),
      });
      aliases++;
    }
  }
  return { keys, aliases };
}
