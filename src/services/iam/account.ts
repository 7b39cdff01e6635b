import { awsManagedPolicies, awsManagedPolicy } from "../../domain/iam/aws-managed.js";
import { findManagedPolicy } from "../../domain/iam/effective.js";
import { MAX_ATTACHED_POLICIES } from "../../domain/iam/holders.js";
import { MAX_MANAGED_POLICY, MAX_POLICY_VERSIONS } from "../../domain/iam/managed-policies.js";
import { MAX_ACCESS_KEYS_PER_USER } from "../../domain/iam/access-keys.js";
import { MAX_GROUPS_PER_USER, MAX_TRUST_POLICY } from "../../domain/iam/entities.js";
import type { PolicyHolder } from "../../domain/iam/records.js";
import type { AttachedPolicy, EntityType, IamOperations, PolicyDetail } from "../../generated/iam.js";
import type { HandlerMap } from "../service.js";
import { authorizeFor } from "./context.js";
import { byName, page } from "./paging.js";
import { encodeDocument, groupShape, roleShape, userShape } from "./shapes.js";

function inlineList(holder: PolicyHolder): PolicyDetail[] {
  return Object.entries(holder.inlinePolicies).map(([PolicyName, text]) => ({
    PolicyName,
    PolicyDocument: encodeDocument(text),
  }));
}

function attachedList(holder: PolicyHolder): AttachedPolicy[] {
  return holder.attachedPolicies.map((arn) => ({ PolicyArn: arn, PolicyName: arn.slice(arn.lastIndexOf("/") + 1) }));
}

export const accountHandlers: HandlerMap<IamOperations> = {
  /**
   * Everything about the account's identities in one answer, filtered by entity type (User, Group, Role,
   * LocalManagedPolicy, AWSManagedPolicy) [IAM API: GetAccountAuthorizationDetails]. AWS managed policies are
   * listed when attached in the account, as AWS lists them. Paged over the concatenation.
   */
  GetAccountAuthorizationDetails: (input, ctx) => {
    const { iam, accountId } = authorizeFor(ctx, "GetAccountAuthorizationDetails", "*");
    const want = (type: EntityType) => !input.Filter || input.Filter.length === 0 || input.Filter.includes(type);
    const items: { list: "UserDetailList" | "GroupDetailList" | "RoleDetailList" | "Policies"; value: object }[] = [];
    if (want("User"))
      for (const user of byName(iam.users(accountId).values(), (u) => u.UserName))
        items.push({
          list: "UserDetailList",
          value: {
            ...userShape(user),
            UserPolicyList: inlineList(user),
            GroupList: [...user.groups],
            AttachedManagedPolicies: attachedList(user),
          },
        });
    if (want("Group"))
      for (const group of byName(iam.groups(accountId).values(), (g) => g.GroupName))
        items.push({
          list: "GroupDetailList",
          value: {
            ...groupShape(group),
            GroupPolicyList: inlineList(group),
            AttachedManagedPolicies: attachedList(group),
          },
        });
    if (want("Role"))
      for (const role of byName(iam.roles(accountId).values(), (r) => r.RoleName))
        items.push({
          list: "RoleDetailList",
          value: {
            ...roleShape(role),
            InstanceProfileList: [],
            RolePolicyList: inlineList(role),
            AttachedManagedPolicies: attachedList(role),
          },
        });
    const policies = [
      ...(want("AWSManagedPolicy")
        ? awsManagedPolicies()
            .filter((policy) => iam.attachments(accountId).has(policy.Arn))
            .map((policy) => policy.Arn)
        : []),
      ...(want("LocalManagedPolicy")
        ? iam
            .policies(accountId)
            .values()
            .map((policy) => policy.Arn)
        : []),
    ];
    for (const arn of policies) {
      const attachment = iam.attachments(accountId).peek(arn);
      const aws = awsManagedPolicy(arn);
      const record = findManagedPolicy(iam, accountId, arn)!.record;
      const base = (aws ?? record)!;
      const versions = aws
        ? [
            {
              Document: encodeDocument(aws.document),
              VersionId: aws.DefaultVersionId,
              IsDefaultVersion: true,
              CreateDate: new Date(aws.UpdateDate),
            },
          ]
        : record!.versions.map((version) => ({
            Document: encodeDocument(version.Document),
            VersionId: version.VersionId,
            IsDefaultVersion: version.VersionId === record!.DefaultVersionId,
            CreateDate: new Date(version.CreateDate),
          }));
      items.push({
        list: "Policies",
        value: {
          PolicyName: base.PolicyName,
          PolicyId: base.PolicyId,
          Arn: base.Arn,
          Path: base.Path,
          DefaultVersionId: base.DefaultVersionId,
          AttachmentCount: attachment
            ? attachment.users.length + attachment.groups.length + attachment.roles.length
            : 0,
          PermissionsBoundaryUsageCount: attachment?.boundaryUses ?? 0,
          IsAttachable: true,
          Description: base.Description,
          CreateDate: new Date(base.CreateDate),
          UpdateDate: new Date(base.UpdateDate),
          PolicyVersionList: versions,
        },
      });
    }
    const { items: shown, ...rest } = page(items, input.Marker, input.MaxItems);
    const of = (list: (typeof items)[number]["list"]) =>
      shown.filter((item) => item.list === list).map((item) => item.value);
    return {
      UserDetailList: of("UserDetailList"),
      GroupDetailList: of("GroupDetailList"),
      RoleDetailList: of("RoleDetailList"),
      Policies: of("Policies"),
      ...rest,
    };
  },

  /** Counts and quotas of the account [IAM API: GetAccountSummary]; the quotas are those Trident enforces. */
  GetAccountSummary: (_input, ctx) => {
    const { iam, accountId } = authorizeFor(ctx, "GetAccountSummary", "*");
    const policies = iam.policies(accountId).values();
    return {
      SummaryMap: {
        Users: iam.users(accountId).size,
        UsersQuota: 5000,
        Groups: iam.groups(accountId).size,
        GroupsQuota: 300,
        Roles: iam.roles(accountId).size,
        RolesQuota: 1000,
        Policies: policies.length,
        PoliciesQuota: 1500,
        PolicyVersionsInUse: policies.reduce((sum, policy) => sum + policy.versions.length, 0),
        PolicyVersionsInUseQuota: 10000,
        VersionsPerPolicyQuota: MAX_POLICY_VERSIONS,
        PolicySizeQuota: MAX_MANAGED_POLICY,
        UserPolicySizeQuota: 2048,
        GroupPolicySizeQuota: 5120,
        RolePolicySizeQuota: 10240,
        AssumeRolePolicySizeQuota: MAX_TRUST_POLICY,
        GroupsPerUserQuota: MAX_GROUPS_PER_USER,
        AccessKeysPerUserQuota: MAX_ACCESS_KEYS_PER_USER,
        AttachedPoliciesPerUserQuota: MAX_ATTACHED_POLICIES,
        AttachedPoliciesPerGroupQuota: MAX_ATTACHED_POLICIES,
        AttachedPoliciesPerRoleQuota: MAX_ATTACHED_POLICIES,
        AccountMFAEnabled: 0,
        AccountAccessKeysPresent: 0,
        MFADevices: 0,
        MFADevicesInUse: 0,
        InstanceProfiles: 0,
        InstanceProfilesQuota: 1000,
        Providers: 0,
        ServerCertificates: 0,
        ServerCertificatesQuota: 20,
        SigningCertificatesPerUserQuota: 2,
        GlobalEndpointTokenVersion: 1,
        AccountPasswordPresent: 0,
        AccountSigningCertificatesPresent: 0,
      },
    };
  },
};
