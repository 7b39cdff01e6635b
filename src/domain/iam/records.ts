/**
 * IAM's state, as stored. IAM is global: every table lives in the region scope IAM_REGION_SCOPE, and each account's
 * users, groups, roles and managed policies are rows of that account's table, keyed by the lower-cased name (names
 * are unique per account regardless of case [IAM: "names must be unique within an account … not distinguished by
 * case"]), so every lookup by name is one keyed read. Access keys are keyed by their id in one global table, since
 * a request names the key and nothing else. Dates are epoch milliseconds.
 */
export const IAM_REGION_SCOPE = "aws-global";
export const IAM_TABLES = {
  users: "iam.users",
  groups: "iam.groups",
  roles: "iam.roles",
  policies: "iam.policies",
  /** Per account, by policy ARN: who has that managed policy attached (AWS managed ones included). */
  attachments: "iam.attachments",
  accessKeys: "iam.accessKeys",
  /** One row: which configuration the IAM state was seeded from (seed.ts). */
  seed: "iam.seed",
} as const;

export interface TagRecord {
  Key: string;
  Value: string;
}

/** What users, groups and roles have in common: inline policies (name → document text) and attached ARNs. */
export interface PolicyHolder {
  Path: string;
  Arn: string;
  CreateDate: number;
  /** Inline policies by name, in the order they were put; the documents as given (returned URL-encoded). */
  inlinePolicies: Record<string, string>;
  attachedPolicies: string[];
}

export interface UserRecord extends PolicyHolder {
  UserName: string;
  UserId: string;
  /** The names of the groups the user is in, as the groups spell them. */
  groups: string[];
  accessKeys: string[];
  permissionsBoundary?: string;
  tags: TagRecord[];
}

export interface GroupRecord extends PolicyHolder {
  GroupName: string;
  GroupId: string;
  /** The names of the member users, as they spell them. */
  members: string[];
}

export interface RoleRecord extends PolicyHolder {
  RoleName: string;
  RoleId: string;
  /** The trust policy, as given. */
  trustPolicy: string;
  Description?: string;
  MaxSessionDuration: number;
  permissionsBoundary?: string;
  tags: TagRecord[];
  lastUsed?: { date: number; region: string };
}

export interface PolicyVersionRecord {
  VersionId: string;
  Document: string;
  CreateDate: number;
}

export interface ManagedPolicyRecord {
  PolicyName: string;
  PolicyId: string;
  Path: string;
  Arn: string;
  Description?: string;
  CreateDate: number;
  UpdateDate: number;
  DefaultVersionId: string;
  versions: PolicyVersionRecord[];
  /** The next version number to give (`v3` after v1 and v2, even once v2 is deleted). */
  nextVersion: number;
  tags: TagRecord[];
}

export type EntityKind = "user" | "group" | "role";

export interface AttachmentRecord {
  policyArn: string;
  users: string[];
  groups: string[];
  roles: string[];
  /** How many users and roles have it as their permissions boundary. */
  boundaryUses: number;
}

export interface AccessKeyRecord {
  AccessKeyId: string;
  SecretAccessKey: string;
  accountId: string;
  UserName: string;
  Status: "Active" | "Inactive" | "Expired";
  CreateDate: number;
}

/** When a key was last used, and for what (access-keys.ts: kept in memory). */
export interface KeyUse {
  date: number;
  service: string;
  region: string;
}
