import { createHash } from "node:crypto";
import { stableUniqueId } from "../../auth/ids.js";
import type { TridentConfig } from "../../config/config.js";
import { parsePolicyValue } from "../../policy/index.js";
import { createAccessKey } from "./access-keys.js";
import { createRole, createUser } from "./entities.js";
import { attachPolicy, holderFor } from "./holders.js";
import type { Table } from "../../state/store.js";
import { nameKey, type IamState } from "./state.js";

/** The inline policy a configured `policy` becomes. */
export const CONFIG_POLICY_NAME = "trident-config";
/** A configured user or role without `policy` has full access (config.ts): AWS's AdministratorAccess, attached. */
export const FULL_ACCESS_POLICY = "arn:aws:iam::aws:policy/AdministratorAccess";

const MARKER = "config";

function iamPath(path: string | undefined): string {
  if (!path) return "/";
  return path.startsWith("/") && path.endsWith("/") ? path : `/${path.replace(/^\/|\/$/g, "")}/`;
}

/**
 * The configuration seeds IAM's state: a configured user is an IAM user with its access key and its policy inline
 * (or AdministratorAccess attached), a configured role an IAM role with its trust policy. Seeded when the state
 * has not been seeded from this configuration: at start, and again after a reset cleared IAM (the marker row goes
 * with the rest of `iam.*`), so a reset brings IAM back to the seed without the reset knowing about it. A durable
 * state seeded from the same configuration is left as the API left it. Entities that exist already are kept.
 * Costs one keyed read when there is nothing to do.
 */
export function ensureSeeded(iam: IamState, config: TridentConfig, fingerprint: string): void {
  if (iam.seedMarker().peek(MARKER)?.fingerprint === fingerprint) return;
  const exists = () => true; // configured trust policies may name principals of accounts seeded later
  for (const [accountId, account] of Object.entries(config.accounts)) {
    for (const user of account.users ?? []) {
      const path = iamPath(user.path);
      const arn = `arn:aws:iam::${accountId}:user${path}${user.name}`;
      if (!iam.users(accountId).has(nameKey(user.name)))
        createUser(iam, accountId, { UserName: user.name, Path: path, UserId: stableUniqueId("AIDA", arn) });
      if (!iam.accessKeys().has(user.accessKeyId))
        createAccessKey(iam, accountId, user.name, {
          AccessKeyId: user.accessKeyId,
          SecretAccessKey: user.secretAccessKey,
        });
      grant(iam, accountId, "user", user.name, user.policy);
    }
    for (const role of account.roles ?? []) {
      const path = iamPath(role.path);
      const arn = `arn:aws:iam::${accountId}:role${path}${role.name}`;
      if (!iam.roles(accountId).has(nameKey(role.name)))
        createRole(
          iam,
          accountId,
          {
            RoleName: role.name,
            Path: path,
            AssumeRolePolicyDocument: JSON.stringify(role.trustPolicy),
            MaxSessionDuration: role.maxSessionDuration,
            RoleId: stableUniqueId("AROA", arn),
          },
          exists,
        );
      grant(iam, accountId, "role", role.name, role.policy);
    }
  }
  iam.seedMarker().put(MARKER, { fingerprint });
  persistAll(iam, Object.keys(config.accounts));
}

/**
 * Puts every seeded row again: at start the seed runs outside a unit of work, where a put is committed at once but
 * a record changed in place after it (a policy attached to a user just created) is not; put again, it is.
 */
function persistAll(iam: IamState, accountIds: string[]): void {
  again(iam.accessKeys(), (key) => key.AccessKeyId);
  for (const id of accountIds) {
    again(iam.users(id), (user) => nameKey(user.UserName));
    again(iam.roles(id), (role) => nameKey(role.RoleName));
    again(iam.attachments(id), (attachment) => attachment.policyArn);
  }
}

function again<T>(table: Table<T>, idOf: (row: T) => string): void {
  for (const row of table.values()) table.put(idOf(row), row);
}

/**
 * The configured policy goes in as it is: the operator's file is not an API call, so IAM's size quota does not
 * apply to it.
 */
function grant(iam: IamState, accountId: string, kind: "user" | "role", name: string, policy: unknown): void {
  if (policy === undefined) attachPolicy(iam, accountId, kind, name, FULL_ACCESS_POLICY);
  else {
    parsePolicyValue(policy); // a bad configured policy stops the start, as before
    holderFor(iam, accountId, kind, name).inlinePolicies[CONFIG_POLICY_NAME] = JSON.stringify(policy);
  }
}

export function configFingerprint(config: TridentConfig): string {
  return createHash("sha256").update(JSON.stringify(config)).digest("hex");
}
