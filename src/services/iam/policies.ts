import { awsManagedPolicies, awsManagedPolicy } from "../../domain/iam/aws-managed.js";
import { IamErrors } from "../../domain/iam/errors.js";
import {
  attachPolicy,
  deleteInlinePolicy,
  detachPolicy,
  holderFor,
  inlinePolicy,
  putInlinePolicy,
} from "../../domain/iam/holders.js";
import {
  createPolicy,
  createPolicyVersion,
  customerPolicy,
  deletePolicy,
  deletePolicyVersion,
  policyVersion,
  setDefaultPolicyVersion,
} from "../../domain/iam/managed-policies.js";
import { findManagedPolicy } from "../../domain/iam/effective.js";
import type { EntityKind, PolicyVersionRecord } from "../../domain/iam/records.js";
import { nameKey, type IamState } from "../../domain/iam/state.js";
import type { IamOperations, Policy, PolicyVersion } from "../../generated/iam.js";
import type { AnyHandler, HandlerMap } from "../service.js";
import { refuseAwsManagedWrite } from "./authorize.js";
import { authorizeFor, authorizeOn } from "./context.js";
import { byName, page, underPath } from "./paging.js";
import { encodeDocument, policyShape } from "./shapes.js";

/** The wire names of the three kinds: `User` in PutUserPolicy, `UserName` in its input. */
const KINDS: Record<EntityKind, string> = { user: "User", group: "Group", role: "Role" };

interface HolderInput {
  UserName?: string;
  GroupName?: string;
  RoleName?: string;
  PolicyName: string;
  PolicyDocument: string;
  PolicyArn: string;
  Marker?: string;
  MaxItems?: number;
  PathPrefix?: string;
}

/**
 * Inline and attached policies work alike for users, groups and roles: one handler per operation family, made
 * for each kind (PutUserPolicy, PutGroupPolicy, PutRolePolicy …).
 */
function holderHandlers(kind: EntityKind): Record<string, AnyHandler> {
  const Kind = KINDS[kind];
  const nameOf = (input: HolderInput) => input[`${Kind}Name` as "UserName"]!;
  type Handler = (input: HolderInput, ctx: Parameters<typeof authorizeOn>[0]) => unknown;
  const handlers: Record<string, Handler> = {
    [`Put${Kind}Policy`]: (input, ctx) => {
      const { iam, accountId } = authorizeOn(ctx, `Put${Kind}Policy`, kind, nameOf(input));
      putInlinePolicy(iam, accountId, kind, nameOf(input), input.PolicyName, input.PolicyDocument);
    },
    [`Get${Kind}Policy`]: (input, ctx) => {
      const { iam, accountId } = authorizeOn(ctx, `Get${Kind}Policy`, kind, nameOf(input));
      const { holderName, document } = inlinePolicy(iam, accountId, kind, nameOf(input), input.PolicyName);
      return { [`${Kind}Name`]: holderName, PolicyName: input.PolicyName, PolicyDocument: encodeDocument(document) };
    },
    [`List${Kind}Policies`]: (input, ctx) => {
      const { iam, accountId } = authorizeOn(ctx, `List${Kind}Policies`, kind, nameOf(input));
      const names = Object.keys(holderFor(iam, accountId, kind, nameOf(input)).inlinePolicies).sort();
      const { items, ...rest } = page(names, input.Marker, input.MaxItems);
      return { PolicyNames: items, ...rest };
    },
    [`Delete${Kind}Policy`]: (input, ctx) => {
      const { iam, accountId } = authorizeOn(ctx, `Delete${Kind}Policy`, kind, nameOf(input));
      deleteInlinePolicy(iam, accountId, kind, nameOf(input), input.PolicyName);
    },
    [`Attach${Kind}Policy`]: (input, ctx) => {
      const { iam, accountId } = authorizeOn(ctx, `Attach${Kind}Policy`, kind, nameOf(input));
      attachPolicy(iam, accountId, kind, nameOf(input), input.PolicyArn);
    },
    [`Detach${Kind}Policy`]: (input, ctx) => {
      const { iam, accountId } = authorizeOn(ctx, `Detach${Kind}Policy`, kind, nameOf(input));
      detachPolicy(iam, accountId, kind, nameOf(input), input.PolicyArn);
    },
    [`ListAttached${Kind}Policies`]: (input, ctx) => {
      const { iam, accountId } = authorizeOn(ctx, `ListAttached${Kind}Policies`, kind, nameOf(input));
      const attached = holderFor(iam, accountId, kind, nameOf(input)).attachedPolicies.map((arn) => ({
        PolicyArn: arn,
        PolicyName: arn.slice(arn.lastIndexOf("/") + 1),
        Path: arn.slice(arn.indexOf(":policy") + ":policy".length, arn.lastIndexOf("/") + 1),
      }));
      const listed = byName(underPath(attached, input.PathPrefix), (policy) => policy.PolicyName);
      const { items, ...rest } = page(listed, input.Marker, input.MaxItems);
      return { AttachedPolicies: items.map(({ PolicyArn, PolicyName }) => ({ PolicyArn, PolicyName })), ...rest };
    },
  };
  return handlers as unknown as Record<string, AnyHandler>;
}

function versionShape(version: PolicyVersionRecord, defaultVersionId: string): PolicyVersion {
  return {
    Document: encodeDocument(version.Document),
    VersionId: version.VersionId,
    IsDefaultVersion: version.VersionId === defaultVersionId,
    CreateDate: new Date(version.CreateDate),
  };
}

/** A managed policy's wire shape with its usage in the account. */
function describePolicy(iam: IamState, accountId: string, arn: string): Policy {
  const aws = awsManagedPolicy(arn);
  const attachment = iam.attachments(accountId).peek(arn);
  const count = attachment ? attachment.users.length + attachment.groups.length + attachment.roles.length : 0;
  const record = aws ?? findManagedPolicy(iam, accountId, arn)?.record;
  if (!record) throw IamErrors.noSuchPolicy(arn);
  return policyShape(record, count, attachment?.boundaryUses ?? 0);
}

const managedPolicyHandlers: HandlerMap<IamOperations> = {
  CreatePolicy: (input, ctx) => {
    const { iam, accountId } = authorizeFor(
      ctx,
      "CreatePolicy",
      `arn:aws:iam::${ctx.principal.accountId}:policy${input.Path ?? "/"}${input.PolicyName}`,
    );
    const record = createPolicy(iam, accountId, input);
    return { Policy: describePolicy(iam, accountId, record.Arn) };
  },

  GetPolicy: (input, ctx) => {
    const { iam, accountId } = authorizeFor(ctx, "GetPolicy", input.PolicyArn);
    return { Policy: describePolicy(iam, accountId, input.PolicyArn) };
  },

  /**
   * Scope `All` (default), `AWS` or `Local`; OnlyAttached keeps those attached to something in the account (or
   * used as a boundary, with PolicyUsageFilter) [IAM API: ListPolicies].
   */
  ListPolicies: (input, ctx) => {
    const { iam, accountId } = authorizeFor(ctx, "ListPolicies", "*");
    const scope = input.Scope ?? "All";
    const arns = [
      ...(scope === "Local" ? [] : awsManagedPolicies().map((policy) => policy.Arn)),
      ...(scope === "AWS"
        ? []
        : iam
            .policies(accountId)
            .values()
            .map((policy) => policy.Arn)),
    ];
    let policies = arns.map((arn) => describePolicy(iam, accountId, arn));
    if (input.OnlyAttached)
      policies = policies.filter((policy) => policy.AttachmentCount! + policy.PermissionsBoundaryUsageCount! > 0);
    if (input.PolicyUsageFilter === "PermissionsPolicy")
      policies = policies.filter((policy) => !input.OnlyAttached || policy.AttachmentCount! > 0);
    if (input.PolicyUsageFilter === "PermissionsBoundary")
      policies = policies.filter((policy) => !input.OnlyAttached || policy.PermissionsBoundaryUsageCount! > 0);
    const listed = byName(underPath(policies as (Policy & { Path: string })[], input.PathPrefix), (p) => p.PolicyName!);
    const { items, ...rest } = page(listed, input.Marker, input.MaxItems);
    return { Policies: items, ...rest };
  },

  DeletePolicy: (input, ctx) => {
    const { iam, accountId } = authorizeFor(ctx, "DeletePolicy", input.PolicyArn);
    refuseAwsManagedWrite(ctx, "DeletePolicy", input.PolicyArn);
    deletePolicy(iam, accountId, input.PolicyArn);
  },

  CreatePolicyVersion: (input, ctx) => {
    const { iam, accountId } = authorizeFor(ctx, "CreatePolicyVersion", input.PolicyArn);
    refuseAwsManagedWrite(ctx, "CreatePolicyVersion", input.PolicyArn);
    const version = createPolicyVersion(
      iam,
      accountId,
      input.PolicyArn,
      input.PolicyDocument,
      input.SetAsDefault ?? false,
    );
    const record = customerPolicy(iam, accountId, input.PolicyArn);
    return { PolicyVersion: versionShape(version, record.DefaultVersionId) };
  },

  GetPolicyVersion: (input, ctx) => {
    const { iam, accountId } = authorizeFor(ctx, "GetPolicyVersion", input.PolicyArn);
    const aws = awsManagedPolicy(input.PolicyArn);
    if (aws) {
      if (input.VersionId !== aws.DefaultVersionId)
        throw IamErrors.noSuchEntity(
          `Policy ${aws.Arn} version ${input.VersionId} does not exist or is not attachable.`,
        );
      return {
        PolicyVersion: versionShape(
          { VersionId: aws.DefaultVersionId, Document: aws.document, CreateDate: aws.UpdateDate },
          aws.DefaultVersionId,
        ),
      };
    }
    const record = customerPolicy(iam, accountId, input.PolicyArn);
    return { PolicyVersion: versionShape(policyVersion(record, input.VersionId), record.DefaultVersionId) };
  },

  ListPolicyVersions: (input, ctx) => {
    const { iam, accountId } = authorizeFor(ctx, "ListPolicyVersions", input.PolicyArn);
    const aws = awsManagedPolicy(input.PolicyArn);
    const versions = aws
      ? [
          versionShape(
            { VersionId: aws.DefaultVersionId, Document: aws.document, CreateDate: aws.UpdateDate },
            aws.DefaultVersionId,
          ),
        ]
      : (() => {
          const record = customerPolicy(iam, accountId, input.PolicyArn);
          // Newest first, as IAM lists them; without the documents [IAM API: ListPolicyVersions].
          return [...record.versions]
            .reverse()
            .map((version) => ({ ...versionShape(version, record.DefaultVersionId), Document: undefined }));
        })();
    const { items, ...rest } = page(versions, input.Marker, input.MaxItems);
    return { Versions: items, ...rest };
  },

  SetDefaultPolicyVersion: (input, ctx) => {
    const { iam, accountId } = authorizeFor(ctx, "SetDefaultPolicyVersion", input.PolicyArn);
    refuseAwsManagedWrite(ctx, "SetDefaultPolicyVersion", input.PolicyArn);
    setDefaultPolicyVersion(iam, accountId, input.PolicyArn, input.VersionId);
  },

  DeletePolicyVersion: (input, ctx) => {
    const { iam, accountId } = authorizeFor(ctx, "DeletePolicyVersion", input.PolicyArn);
    refuseAwsManagedWrite(ctx, "DeletePolicyVersion", input.PolicyArn);
    deletePolicyVersion(iam, accountId, input.PolicyArn, input.VersionId);
  },

  ListEntitiesForPolicy: (input, ctx) => {
    const { iam, accountId } = authorizeFor(ctx, "ListEntitiesForPolicy", input.PolicyArn);
    if (!findManagedPolicy(iam, accountId, input.PolicyArn)) throw IamErrors.noSuchPolicy(input.PolicyArn);
    const attachment = iam.attachments(accountId).peek(input.PolicyArn);
    const filter = input.EntityFilter;
    const want = (kind: string) => filter === undefined || filter === kind;
    const boundaryOnly = input.PolicyUsageFilter === "PermissionsBoundary";
    const users = want("User") && !boundaryOnly ? (attachment?.users ?? []) : [];
    const groups = want("Group") && !boundaryOnly ? (attachment?.groups ?? []) : [];
    const roles = want("Role") && !boundaryOnly ? (attachment?.roles ?? []) : [];
    const entity = <K extends EntityKind>(kind: K, record: { Path: string }, fields: object) => ({
      kind,
      record,
      fields,
    });
    const entities = [
      ...users
        .map((name) => iam.users(accountId).peek(nameKey(name))!)
        .map((u) => entity("user", u, { UserName: u.UserName, UserId: u.UserId })),
      ...groups
        .map((name) => iam.groups(accountId).peek(nameKey(name))!)
        .map((g) => entity("group", g, { GroupName: g.GroupName, GroupId: g.GroupId })),
      ...roles
        .map((name) => iam.roles(accountId).peek(nameKey(name))!)
        .map((r) => entity("role", r, { RoleName: r.RoleName, RoleId: r.RoleId })),
    ];
    const { items, ...rest } = page(
      entities.filter(({ record }) => input.PathPrefix === undefined || record.Path.startsWith(input.PathPrefix)),
      input.Marker,
      input.MaxItems,
    );
    const of = (kind: EntityKind) => items.filter((item) => item.kind === kind).map((item) => item.fields);
    return { PolicyUsers: of("user"), PolicyGroups: of("group"), PolicyRoles: of("role"), ...rest };
  },
};

export const policyHandlers: HandlerMap<IamOperations> = {
  ...(holderHandlers("user") as HandlerMap<IamOperations>),
  ...(holderHandlers("group") as HandlerMap<IamOperations>),
  ...(holderHandlers("role") as HandlerMap<IamOperations>),
  ...managedPolicyHandlers,
};
