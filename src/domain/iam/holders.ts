import type { Table } from "../../state/store.js";
import { checkIdentityPolicy, policySize } from "./documents.js";
import { findManagedPolicy } from "./effective.js";
import { IamErrors } from "./errors.js";
import type { AttachmentRecord, EntityKind, PolicyHolder } from "./records.js";
import { nameKey, type IamState } from "./state.js";

/**
 * Users, groups and roles hold policies the same way: inline policies by name and attached managed policies. One
 * implementation for the three kinds, told apart by HOLDERS.
 */
interface HolderKind {
  table(iam: IamState, accountId: string): Table<PolicyHolder>;
  /**
   * The aggregate size of a holder's inline policies, as IAM counts it (no white space) [IAM and STS quotas:
   * "User policy size cannot exceed 2,048 characters", "Role policy size cannot exceed 10,240 characters",
   * "Group policy size cannot exceed 5,120 characters"].
   */
  inlineQuota: number;
  /** The quota name of attached managed policies [IAM and STS quotas: "Managed policies attached to …": 10]. */
  attachedQuotaName: string;
  attachments: "users" | "groups" | "roles";
}

export const MAX_ATTACHED_POLICIES = 10;

export const HOLDERS: Record<EntityKind, HolderKind> = {
  user: {
    table: (iam, accountId) => iam.users(accountId),
    inlineQuota: 2048,
    attachedQuotaName: "PoliciesPerUser",
    attachments: "users",
  },
  group: {
    table: (iam, accountId) => iam.groups(accountId),
    inlineQuota: 5120,
    attachedQuotaName: "PoliciesPerGroup",
    attachments: "groups",
  },
  role: {
    table: (iam, accountId) => iam.roles(accountId),
    inlineQuota: 10240,
    attachedQuotaName: "PoliciesPerRole",
    attachments: "roles",
  },
};

/** A user's, group's or role's name, as it spells it: the last segment of its ARN. */
export function holderName(holder: PolicyHolder): string {
  return holder.Arn.slice(holder.Arn.lastIndexOf("/") + 1);
}

/** The holder for writing (tracked by the unit of work), or NoSuchEntity in AWS's words. */
export function holderFor(iam: IamState, accountId: string, kind: EntityKind, name: string): PolicyHolder {
  const holder = HOLDERS[kind].table(iam, accountId).get(nameKey(name));
  if (!holder) throw IamErrors.noSuch(kind, name);
  return holder;
}

export function putInlinePolicy(
  iam: IamState,
  accountId: string,
  kind: EntityKind,
  name: string,
  policyName: string,
  document: string,
): void {
  const holder = holderFor(iam, accountId, kind, name);
  checkIdentityPolicy(document);
  const others = Object.entries(holder.inlinePolicies).filter(([existing]) => existing !== policyName);
  const total = others.reduce((sum, [, text]) => sum + policySize(text), policySize(document));
  const { inlineQuota } = HOLDERS[kind];
  if (total > inlineQuota)
    throw IamErrors.limitExceeded(
      `Maximum policy size of ${inlineQuota} bytes exceeded for ${kind} ${holderName(holder)}`,
    );
  holder.inlinePolicies[policyName] = document;
}

export function inlinePolicy(
  iam: IamState,
  accountId: string,
  kind: EntityKind,
  name: string,
  policyName: string,
): { holderName: string; document: string } {
  const holder = holderFor(iam, accountId, kind, name);
  const document = Object.hasOwn(holder.inlinePolicies, policyName) ? holder.inlinePolicies[policyName] : undefined;
  if (document === undefined) throw IamErrors.noSuchInline(kind, policyName);
  return { holderName: holderName(holder), document };
}

export function deleteInlinePolicy(
  iam: IamState,
  accountId: string,
  kind: EntityKind,
  name: string,
  policyName: string,
): void {
  const holder = holderFor(iam, accountId, kind, name);
  if (!Object.hasOwn(holder.inlinePolicies, policyName)) throw IamErrors.noSuchInline(kind, policyName);
  delete holder.inlinePolicies[policyName];
}

/** Attaching twice is not an error (AWS answers 200 and changes nothing). */
export function attachPolicy(iam: IamState, accountId: string, kind: EntityKind, name: string, arn: string): void {
  const holder = holderFor(iam, accountId, kind, name);
  if (!findManagedPolicy(iam, accountId, arn)) throw IamErrors.noSuchPolicy(arn);
  if (holder.attachedPolicies.includes(arn)) return;
  if (holder.attachedPolicies.length >= MAX_ATTACHED_POLICIES)
    throw IamErrors.limitExceeded(
      `Cannot exceed quota for ${HOLDERS[kind].attachedQuotaName}: ${MAX_ATTACHED_POLICIES}`,
    );
  holder.attachedPolicies.push(arn);
  const attachment = attachmentFor(iam, accountId, arn);
  attachment[HOLDERS[kind].attachments].push(holderName(holder));
}

export function detachPolicy(iam: IamState, accountId: string, kind: EntityKind, name: string, arn: string): void {
  const holder = holderFor(iam, accountId, kind, name);
  const index = holder.attachedPolicies.indexOf(arn);
  if (index < 0) {
    if (!findManagedPolicy(iam, accountId, arn)) throw IamErrors.noSuchPolicy(arn);
    throw IamErrors.noSuchEntity(`Policy ${arn} was not found.`);
  }
  holder.attachedPolicies.splice(index, 1);
  const attachment = attachmentFor(iam, accountId, arn);
  const list = attachment[HOLDERS[kind].attachments];
  list.splice(list.indexOf(holderName(holder)), 1);
  dropIfUnused(iam, accountId, attachment);
}

/** Who has `arn` attached in the account (created empty, for writing). */
export function attachmentFor(iam: IamState, accountId: string, arn: string): AttachmentRecord {
  const table = iam.attachments(accountId);
  let record = table.get(arn);
  if (!record) {
    record = { policyArn: arn, users: [], groups: [], roles: [], boundaryUses: 0 };
    table.put(arn, record);
  }
  return record;
}

export function dropIfUnused(iam: IamState, accountId: string, record: AttachmentRecord): void {
  if (record.users.length + record.groups.length + record.roles.length + record.boundaryUses === 0)
    iam.attachments(accountId).delete(record.policyArn);
}

/** Sets or clears a user's or role's permissions boundary, keeping the policy's usage count. */
export function setBoundary(
  iam: IamState,
  accountId: string,
  holder: { permissionsBoundary?: string },
  arn: string | undefined,
): void {
  if (arn !== undefined && !findManagedPolicy(iam, accountId, arn))
    throw IamErrors.noSuchEntity(`Scope ARN: ${arn} does not exist or is not attachable.`);
  if (holder.permissionsBoundary !== undefined) {
    const previous = attachmentFor(iam, accountId, holder.permissionsBoundary);
    previous.boundaryUses--;
    dropIfUnused(iam, accountId, previous);
  }
  if (arn === undefined) delete holder.permissionsBoundary;
  else {
    holder.permissionsBoundary = arn;
    attachmentFor(iam, accountId, arn).boundaryUses++;
  }
}
