import type { TridentConfig } from "./config.js";

/** The demo accounts of the seed scenario: A owns the source cluster, B receives it. */
export const SOURCE_ACCOUNT = "111111111111";
export const TARGET_ACCOUNT = "222222222222";
export const DEFAULT_REGION = "us-east-1";

/**
 * Built-in identities when no --config is given. These are documented, public demo credentials for a local
 * emulator (README "Credentials"); they open nothing outside it.
 */
export const DEFAULT_CREDENTIALS = {
  [SOURCE_ACCOUNT]: { accessKeyId: "AKIA1111111111ADMIN1", secretAccessKey: "trident-demo-secret-111111111111-admin" },
  [TARGET_ACCOUNT]: { accessKeyId: "AKIA2222222222ADMIN2", secretAccessKey: "trident-demo-secret-222222222222-admin" },
} as const;

export function defaultConfig(): TridentConfig {
  return {
    accounts: Object.fromEntries(
      Object.entries(DEFAULT_CREDENTIALS).map(([accountId, creds]) => [
        accountId,
        { users: [{ name: "admin", ...creds }], roles: [] },
      ]),
    ),
  };
}
