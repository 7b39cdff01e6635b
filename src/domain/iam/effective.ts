import type { PolicyDocument } from "../../policy/types.js";
import { awsManagedPolicy, AWS_MANAGED_PREFIX } from "./aws-managed.js";
import { parsedPolicy } from "./documents.js";
import type { ManagedPolicyRecord, PolicyHolder, RoleRecord, UserRecord } from "./records.js";
import { nameKey, parseIamArn, type IamState } from "./state.js";

/**
 * What a caller may do, read from IAM's state at the moment of the request (never copied into credentials): a
 * user's inline and attached policies and those of its groups, or a role's; and the permissions boundary. The cost
 * is the caller's own policies: a handful of keyed reads, and documents parsed once (documents.ts).
 */
export interface EffectivePolicies {
  identityPolicies: PolicyDocument[];
  permissionsBoundary?: PolicyDocument;
}

/** A customer managed policy of `accountId`, or an AWS managed one, by ARN; undefined when there is none. */
export function findManagedPolicy(
  iam: IamState,
  accountId: string,
  arn: string,
): { record?: ManagedPolicyRecord; document: string } | undefined {
  if (arn.startsWith(AWS_MANAGED_PREFIX)) {
    const aws = awsManagedPolicy(arn);
    return aws && { document: aws.document };
  }
  const parsed = parseIamArn(arn);
  if (!parsed || parsed.kind !== "policy" || parsed.accountId !== accountId) return undefined;
  const record = iam.policies(accountId).peek(nameKey(parsed.name));
  if (!record || record.Arn !== arn) return undefined;
  return { record, document: defaultDocument(record) };
}

export function defaultDocument(record: ManagedPolicyRecord): string {
  return record.versions.find((version) => version.VersionId === record.DefaultVersionId)!.Document;
}

function holderPolicies(iam: IamState, accountId: string, holder: PolicyHolder, into: PolicyDocument[]): void {
  for (const text of Object.values(holder.inlinePolicies)) into.push(parsedPolicy(text));
  for (const arn of holder.attachedPolicies) {
    const policy = findManagedPolicy(iam, accountId, arn);
    if (policy) into.push(parsedPolicy(policy.document));
  }
}

function boundary(iam: IamState, accountId: string, arn: string | undefined): PolicyDocument | undefined {
  if (arn === undefined) return undefined;
  const policy = findManagedPolicy(iam, accountId, arn);
  // A boundary whose policy is gone allows nothing: deleting a policy in use as a boundary is refused anyway.
  return policy ? parsedPolicy(policy.document) : { Statement: [] };
}

export function userPolicies(iam: IamState, accountId: string, user: UserRecord): EffectivePolicies {
  const identityPolicies: PolicyDocument[] = [];
  holderPolicies(iam, accountId, user, identityPolicies);
  for (const groupName of user.groups) {
    const group = iam.groups(accountId).peek(nameKey(groupName));
    if (group) holderPolicies(iam, accountId, group, identityPolicies);
  }
  return { identityPolicies, permissionsBoundary: boundary(iam, accountId, user.permissionsBoundary) };
}

/** A group's own policies (SimulatePrincipalPolicy on a group: groups have no boundary). */
export function groupPolicies(iam: IamState, accountId: string, group: PolicyHolder): EffectivePolicies {
  const identityPolicies: PolicyDocument[] = [];
  holderPolicies(iam, accountId, group, identityPolicies);
  return { identityPolicies };
}

export function rolePolicies(iam: IamState, accountId: string, role: RoleRecord): EffectivePolicies {
  const identityPolicies: PolicyDocument[] = [];
  holderPolicies(iam, accountId, role, identityPolicies);
  return { identityPolicies, permissionsBoundary: boundary(iam, accountId, role.permissionsBoundary) };
}
