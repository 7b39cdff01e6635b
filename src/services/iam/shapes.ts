import type { AttachedPermissionsBoundary, Group, Policy, Role, Tag, User } from "../../generated/iam.js";
import type { AwsManagedPolicy } from "../../domain/iam/aws-managed.js";
import type { GroupRecord, ManagedPolicyRecord, RoleRecord, TagRecord, UserRecord } from "../../domain/iam/records.js";

/** IAM's records in the wire shapes of its model. */

/**
 * Policy documents leave IAM URL-encoded: "The policy document returned in this structure is URL-encoded compliant
 * with RFC 3986" [IAM API: GetUserPolicy, GetRole, GetPolicyVersion]; the AWS CLI and boto3 decode them.
 */
export function encodeDocument(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

function tags(list: TagRecord[]): Tag[] | undefined {
  return list.length > 0 ? list.map(({ Key, Value }) => ({ Key, Value })) : undefined;
}

function boundaryShape(arn: string | undefined): AttachedPermissionsBoundary | undefined {
  return arn === undefined
    ? undefined
    : { PermissionsBoundaryType: "PermissionsBoundaryPolicy", PermissionsBoundaryArn: arn };
}

/** Tags and the boundary are in GetUser's answer and ListUsers' leaves them out [IAM API: ListUsers]. */
export function userShape(user: UserRecord, full = true): User {
  return {
    Path: user.Path,
    UserName: user.UserName,
    UserId: user.UserId,
    Arn: user.Arn,
    CreateDate: new Date(user.CreateDate),
    ...(full ? { PermissionsBoundary: boundaryShape(user.permissionsBoundary), Tags: tags(user.tags) } : {}),
  };
}

export function groupShape(group: GroupRecord): Group {
  return {
    Path: group.Path,
    GroupName: group.GroupName,
    GroupId: group.GroupId,
    Arn: group.Arn,
    CreateDate: new Date(group.CreateDate),
  };
}

export function roleShape(role: RoleRecord, full = true): Role {
  return {
    Path: role.Path,
    RoleName: role.RoleName,
    RoleId: role.RoleId,
    Arn: role.Arn,
    CreateDate: new Date(role.CreateDate),
    AssumeRolePolicyDocument: encodeDocument(role.trustPolicy),
    Description: role.Description,
    MaxSessionDuration: role.MaxSessionDuration,
    ...(full
      ? {
          PermissionsBoundary: boundaryShape(role.permissionsBoundary),
          Tags: tags(role.tags),
          RoleLastUsed: role.lastUsed
            ? { LastUsedDate: new Date(role.lastUsed.date), Region: role.lastUsed.region }
            : {},
        }
      : {}),
  };
}

/** A managed policy, customer or AWS; `attachments` is how many entities have it attached in the account. */
export function policyShape(
  policy: ManagedPolicyRecord | AwsManagedPolicy,
  attachmentCount: number,
  boundaryUses: number,
): Policy {
  return {
    PolicyName: policy.PolicyName,
    PolicyId: policy.PolicyId,
    Arn: policy.Arn,
    Path: policy.Path,
    DefaultVersionId: policy.DefaultVersionId,
    AttachmentCount: attachmentCount,
    PermissionsBoundaryUsageCount: boundaryUses,
    IsAttachable: true,
    Description: policy.Description,
    CreateDate: new Date(policy.CreateDate),
    UpdateDate: new Date(policy.UpdateDate),
    Tags: "tags" in policy ? tags(policy.tags) : undefined,
  };
}
