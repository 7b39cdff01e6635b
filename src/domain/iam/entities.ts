import { randomId } from "../../auth/ids.js";
import { validateResourcePolicyPrincipals } from "../../policy/index.js";
import { asMalformedPolicy, checkTrustPolicy, policySize } from "./documents.js";
import { IamErrors } from "./errors.js";
import { attachmentFor, holderFor, setBoundary } from "./holders.js";
import type { GroupRecord, RoleRecord, TagRecord, UserRecord } from "./records.js";
import { iamArn, nameKey, type IamState } from "./state.js";

/** Users, groups and roles: their creation, membership, tags and deletion, with AWS's rules and wording. */

export const MAX_TAGS = 50;
export const MAX_GROUPS_PER_USER = 10;
/** A role's trust policy: "Role trust policy length: 2,048 characters" by default [IAM and STS quotas]. */
export const MAX_TRUST_POLICY = 2048;

/** A fresh unique id: the prefix and 17 characters, as IAM's [IAM identifiers: unique ids]. */
function uniqueId(prefix: "AIDA" | "AGPA" | "AROA"): string {
  return randomId(prefix, 17);
}

export interface CreateUserInput {
  UserName: string;
  Path?: string;
  PermissionsBoundary?: string;
  Tags?: TagRecord[];
  /** A stable id (config-seeded users keep theirs across starts); otherwise a fresh one. */
  UserId?: string;
}

export function createUser(iam: IamState, accountId: string, input: CreateUserInput): UserRecord {
  const table = iam.users(accountId);
  if (table.has(nameKey(input.UserName)))
    throw IamErrors.alreadyExists(`User with name ${input.UserName} already exists.`);
  checkTags(input.Tags);
  const path = input.Path ?? "/";
  const user: UserRecord = {
    UserName: input.UserName,
    UserId: input.UserId ?? uniqueId("AIDA"),
    Path: path,
    Arn: iamArn(accountId, "user", path, input.UserName),
    CreateDate: iam.now(),
    inlinePolicies: {},
    attachedPolicies: [],
    groups: [],
    accessKeys: [],
    tags: [...(input.Tags ?? [])],
  };
  if (input.PermissionsBoundary !== undefined) setBoundary(iam, accountId, user, input.PermissionsBoundary);
  table.put(nameKey(user.UserName), user);
  return user;
}

export function userFor(iam: IamState, accountId: string, name: string): UserRecord {
  return holderFor(iam, accountId, "user", name) as UserRecord;
}

/**
 * Order of checks as AWS reports them: access keys, inline policies, attached policies, group memberships, each
 * a DeleteConflict ("Cannot delete entity, must … first.") [IAM API: DeleteUser: "you must delete the items
 * attached to the user manually"].
 */
export function deleteUser(iam: IamState, accountId: string, name: string): void {
  const user = userFor(iam, accountId, name);
  if (user.accessKeys.length > 0)
    throw IamErrors.deleteConflict("Cannot delete entity, must delete access keys first.");
  checkNoPolicies(user);
  if (user.groups.length > 0)
    throw IamErrors.deleteConflict("Cannot delete entity, must remove user from all groups first.");
  setBoundary(iam, accountId, user, undefined);
  iam.users(accountId).delete(nameKey(name));
}

function checkNoPolicies(holder: { inlinePolicies: Record<string, string>; attachedPolicies: string[] }): void {
  if (Object.keys(holder.inlinePolicies).length > 0)
    throw IamErrors.deleteConflict("Cannot delete entity, must delete policies first.");
  if (holder.attachedPolicies.length > 0)
    throw IamErrors.deleteConflict("Cannot delete entity, must detach all policies first.");
}

/** UpdateUser: a new name and/or path; the user's groups, keys and attachments follow the new name. */
export function updateUser(
  iam: IamState,
  accountId: string,
  name: string,
  newName: string | undefined,
  newPath: string | undefined,
): void {
  const user = userFor(iam, accountId, name);
  const table = iam.users(accountId);
  const renamed = newName ?? user.UserName;
  if (nameKey(renamed) !== nameKey(user.UserName) && table.has(nameKey(renamed)))
    throw IamErrors.alreadyExists(`User with name ${renamed} already exists.`);
  const oldName = user.UserName;
  user.UserName = renamed;
  user.Path = newPath ?? user.Path;
  user.Arn = iamArn(accountId, "user", user.Path, renamed);
  table.delete(nameKey(oldName));
  table.put(nameKey(renamed), user);
  for (const groupName of user.groups) {
    const group = iam.groups(accountId).get(nameKey(groupName))!;
    group.members = group.members.map((member) => (member === oldName ? renamed : member));
  }
  for (const id of user.accessKeys) iam.accessKeys().get(id)!.UserName = renamed;
  for (const arn of user.attachedPolicies) {
    const attachment = attachmentFor(iam, accountId, arn);
    attachment.users = attachment.users.map((member) => (member === oldName ? renamed : member));
  }
}

export function createGroup(iam: IamState, accountId: string, name: string, path = "/"): GroupRecord {
  const table = iam.groups(accountId);
  if (table.has(nameKey(name))) throw IamErrors.alreadyExists(`Group with name ${name} already exists.`);
  const group: GroupRecord = {
    GroupName: name,
    GroupId: uniqueId("AGPA"),
    Path: path,
    Arn: iamArn(accountId, "group", path, name),
    CreateDate: iam.now(),
    inlinePolicies: {},
    attachedPolicies: [],
    members: [],
  };
  table.put(nameKey(name), group);
  return group;
}

export function groupFor(iam: IamState, accountId: string, name: string): GroupRecord {
  return holderFor(iam, accountId, "group", name) as GroupRecord;
}

export function addUserToGroup(iam: IamState, accountId: string, groupName: string, userName: string): void {
  const group = groupFor(iam, accountId, groupName);
  const user = userFor(iam, accountId, userName);
  if (user.groups.includes(group.GroupName)) return;
  if (user.groups.length >= MAX_GROUPS_PER_USER)
    throw IamErrors.limitExceeded(`Cannot exceed quota for GroupsPerUser: ${MAX_GROUPS_PER_USER}`);
  user.groups.push(group.GroupName);
  group.members.push(user.UserName);
}

export function removeUserFromGroup(iam: IamState, accountId: string, groupName: string, userName: string): void {
  const group = groupFor(iam, accountId, groupName);
  const user = userFor(iam, accountId, userName);
  const index = user.groups.indexOf(group.GroupName);
  if (index < 0) throw IamErrors.noSuch("user", userName);
  user.groups.splice(index, 1);
  group.members.splice(group.members.indexOf(user.UserName), 1);
}

/** Members first, then policies [IAM API: DeleteGroup: "The group must not contain any users or have any attached policies"]. */
export function deleteGroup(iam: IamState, accountId: string, name: string): void {
  const group = groupFor(iam, accountId, name);
  if (group.members.length > 0)
    throw IamErrors.deleteConflict("Cannot delete entity, must remove users from group first.");
  checkNoPolicies(group);
  iam.groups(accountId).delete(nameKey(name));
}

export interface CreateRoleInput {
  RoleName: string;
  Path?: string;
  AssumeRolePolicyDocument: string;
  Description?: string;
  MaxSessionDuration?: number;
  PermissionsBoundary?: string;
  Tags?: TagRecord[];
  RoleId?: string;
}

export function createRole(iam: IamState, accountId: string, input: CreateRoleInput, exists: (arn: string) => boolean) {
  const table = iam.roles(accountId);
  if (table.has(nameKey(input.RoleName)))
    throw IamErrors.alreadyExists(`Role with name ${input.RoleName} already exists.`);
  checkTrust(input.AssumeRolePolicyDocument, exists);
  checkTags(input.Tags);
  const path = input.Path ?? "/";
  const role: RoleRecord = {
    RoleName: input.RoleName,
    RoleId: input.RoleId ?? uniqueId("AROA"),
    Path: path,
    Arn: iamArn(accountId, "role", path, input.RoleName),
    CreateDate: iam.now(),
    trustPolicy: input.AssumeRolePolicyDocument,
    Description: input.Description,
    MaxSessionDuration: input.MaxSessionDuration ?? 3600,
    inlinePolicies: {},
    attachedPolicies: [],
    tags: [...(input.Tags ?? [])],
  };
  if (input.PermissionsBoundary !== undefined) setBoundary(iam, accountId, role, input.PermissionsBoundary);
  table.put(nameKey(role.RoleName), role);
  return role;
}

/** A trust policy: grammar, size, and principals that exist, as for a key policy (K2). */
export function checkTrust(document: string, exists: (arn: string) => boolean): void {
  if (policySize(document) > MAX_TRUST_POLICY)
    throw IamErrors.limitExceeded(`Cannot exceed quota for ACLSizePerRole: ${MAX_TRUST_POLICY}`);
  const parsed = checkTrustPolicy(document);
  asMalformedPolicy(() => validateResourcePolicyPrincipals(parsed, exists));
}

export function roleFor(iam: IamState, accountId: string, name: string): RoleRecord {
  return holderFor(iam, accountId, "role", name) as RoleRecord;
}

export function deleteRole(iam: IamState, accountId: string, name: string): void {
  const role = roleFor(iam, accountId, name);
  checkNoPolicies(role);
  setBoundary(iam, accountId, role, undefined);
  iam.roles(accountId).delete(nameKey(name));
}

/** At most 50 tags, keys unique [IAM: tagging IAM resources]. */
export function checkTags(tags: TagRecord[] | undefined): void {
  if (!tags) return;
  if (tags.length > MAX_TAGS) throw IamErrors.limitExceeded("The number of tags has reached the maximum limit.");
  const keys = new Set(tags.map((tag) => tag.Key.toLowerCase()));
  if (keys.size !== tags.length)
    throw IamErrors.invalidInput("Duplicate tag keys found. Please note that Tag keys are case insensitive.");
}

/** TagUser/TagRole: a tag with an existing key (case-insensitively) replaces its value. */
export function addTags(holder: { tags: TagRecord[] }, tags: TagRecord[]): void {
  checkTags(tags);
  const merged = [...holder.tags];
  for (const tag of tags) {
    const index = merged.findIndex((existing) => existing.Key.toLowerCase() === tag.Key.toLowerCase());
    if (index >= 0) merged[index] = tag;
    else merged.push(tag);
  }
  if (merged.length > MAX_TAGS) throw IamErrors.limitExceeded("The number of tags has reached the maximum limit.");
  holder.tags = merged;
}

export function removeTags(holder: { tags: TagRecord[] }, keys: string[]): void {
  const drop = new Set(keys.map((key) => key.toLowerCase()));
  holder.tags = holder.tags.filter((tag) => !drop.has(tag.Key.toLowerCase()));
}
