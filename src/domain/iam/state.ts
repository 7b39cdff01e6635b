import type { Clock } from "../../state/clock.js";
import type { Store, Table } from "../../state/store.js";
import {
  IAM_REGION_SCOPE,
  IAM_TABLES,
  type AccessKeyRecord,
  type AttachmentRecord,
  type GroupRecord,
  type KeyUse,
  type ManagedPolicyRecord,
  type RoleRecord,
  type UserRecord,
} from "./records.js";

/**
 * The door to IAM's state in the store: one table per kind and account (global scope), keyed by lower-cased
 * name, and the access keys by id. Everything IAM does goes through here, so every lookup is a keyed read.
 */
export class IamState {
  /** Access keys' last use by key id (access-keys.ts says why it is not in the store). */
  readonly keyUse = new Map<string, KeyUse>();

  constructor(
    readonly store: Store,
    readonly clock: Clock,
  ) {}

  users(accountId: string): Table<UserRecord> {
    return this.store.table(IAM_TABLES.users, accountId, IAM_REGION_SCOPE);
  }
  groups(accountId: string): Table<GroupRecord> {
    return this.store.table(IAM_TABLES.groups, accountId, IAM_REGION_SCOPE);
  }
  roles(accountId: string): Table<RoleRecord> {
    return this.store.table(IAM_TABLES.roles, accountId, IAM_REGION_SCOPE);
  }
  policies(accountId: string): Table<ManagedPolicyRecord> {
    return this.store.table(IAM_TABLES.policies, accountId, IAM_REGION_SCOPE);
  }
  attachments(accountId: string): Table<AttachmentRecord> {
    return this.store.table(IAM_TABLES.attachments, accountId, IAM_REGION_SCOPE);
  }
  accessKeys(): Table<AccessKeyRecord> {
    return this.store.table(IAM_TABLES.accessKeys, IAM_REGION_SCOPE, IAM_REGION_SCOPE);
  }
  seedMarker(): Table<{ fingerprint: string }> {
    return this.store.table(IAM_TABLES.seed, IAM_REGION_SCOPE, IAM_REGION_SCOPE);
  }

  now(): number {
    return this.clock.now().getTime();
  }

  /** Whether the account has IAM users or roles (then a principal that names a missing one can be judged). */
  hasIdentities(accountId: string): boolean {
    return this.users(accountId).size > 0 || this.roles(accountId).size > 0;
  }
}

/** Names are unique per account regardless of case [IAM: "not distinguished by case"]: the key of a row. */
export function nameKey(name: string): string {
  return name.toLowerCase();
}

/** `arn:aws:iam::A:user/PATH/NAME` → { accountId, kind, path, name }, or undefined for anything else. */
export function parseIamArn(arn: string): { accountId: string; kind: string; path: string; name: string } | undefined {
  const parts = arn.split(":");
  if (parts.length !== 6 || parts[0] !== "arn" || parts[1] !== "aws" || parts[2] !== "iam") return undefined;
  const accountId = parts[4]!;
  const resource = parts[5]!;
  const slash = resource.indexOf("/");
  if (slash < 0) return undefined;
  const last = resource.lastIndexOf("/");
  return {
    accountId,
    kind: resource.slice(0, slash),
    path: resource.slice(slash, last + 1),
    name: resource.slice(last + 1),
  };
}

export function iamArn(accountId: string, kind: "user" | "group" | "role" | "policy", path: string, name: string) {
  return `arn:aws:iam::${accountId}:${kind}${path}${name}`;
}
