import { readFileSync } from "node:fs";
import { defaultConfig } from "./defaults.js";

/**
 * The identities the emulator knows, from `trident serve --config FILE` (or TRIDENT_CONFIG), else the
 * built-in demo accounts. A user or role without `policy` has full access, like an administrator.
 */
export interface UserConfig {
  name: string;
  path?: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** An identity-based policy document (JSON object). */
  policy?: unknown;
}

export interface RoleConfig {
  name: string;
  path?: string;
  /** The role's trust policy: who may call sts:AssumeRole on it. */
  trustPolicy: unknown;
  policy?: unknown;
  maxSessionDuration?: number;
}

export interface AccountConfig {
  users?: UserConfig[];
  roles?: RoleConfig[];
}

export interface TridentConfig {
  accounts: Record<string, AccountConfig>;
}

export class ConfigError extends Error {}

export function loadConfigFile(path: string): TridentConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new ConfigError(`cannot read config ${path}: ${(error as Error).message}`);
  }
  return checkConfig(parsed, path);
}

/** The config named by the flag, else by TRIDENT_CONFIG, else the defaults. */
export function resolveConfig(path: string | undefined, env = process.env): TridentConfig {
  const file = path ?? env.TRIDENT_CONFIG;
  return file ? loadConfigFile(file) : defaultConfig();
}

function checkConfig(value: unknown, source: string): TridentConfig {
  const fail = (why: string): never => {
    throw new ConfigError(`invalid config ${source}: ${why}`);
  };
  if (!value || typeof value !== "object" || !("accounts" in value)) fail("expected an object with 'accounts'");
  const accounts = (value as TridentConfig).accounts;
  if (!accounts || typeof accounts !== "object") fail("'accounts' must be an object keyed by account id");
  const keys = new Set<string>();
  for (const [accountId, account] of Object.entries(accounts)) {
    if (!/^\d{12}$/.test(accountId)) fail(`account id '${accountId}' is not 12 digits`);
    for (const user of account.users ?? []) {
      if (!user.name || !user.accessKeyId || !user.secretAccessKey)
        fail(`a user of ${accountId} lacks name, accessKeyId or secretAccessKey`);
      if (keys.has(user.accessKeyId)) fail(`access key ${user.accessKeyId} is declared twice`);
      keys.add(user.accessKeyId);
    }
    for (const role of account.roles ?? []) {
      if (!role.name || !role.trustPolicy) fail(`a role of ${accountId} lacks name or trustPolicy`);
    }
  }
  return value as TridentConfig;
}
