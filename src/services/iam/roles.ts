import { addTags, checkTrust, createRole, deleteRole, removeTags, roleFor } from "../../domain/iam/entities.js";
import { setBoundary } from "../../domain/iam/holders.js";
import type { IamOperations } from "../../generated/iam.js";
import type { HandlerMap, RequestContext } from "../service.js";
import { authorizeFor, authorizeOn } from "./context.js";
import { byName, page, underPath } from "./paging.js";
import { roleShape } from "./shapes.js";

/** A trust policy may name only principals that exist (K2, as for key policies). */
function principalExists(ctx: RequestContext) {
  return (arn: string) => ctx.emulator.identities.principalExists(arn);
}

export const roleHandlers: HandlerMap<IamOperations> = {
  CreateRole: (input, ctx) => {
    const { iam, accountId } = authorizeFor(
      ctx,
      "CreateRole",
      `arn:aws:iam::${ctx.principal.accountId}:role${input.Path ?? "/"}${input.RoleName}`,
    );
    return { Role: roleShape(createRole(iam, accountId, input, principalExists(ctx))) };
  },

  GetRole: (input, ctx) => {
    const { iam, accountId } = authorizeOn(ctx, "GetRole", "role", input.RoleName);
    return { Role: roleShape(roleFor(iam, accountId, input.RoleName)) };
  },

  ListRoles: (input, ctx) => {
    const { iam, accountId } = authorizeFor(ctx, "ListRoles", "*");
    const roles = byName(underPath(iam.roles(accountId).values(), input.PathPrefix), (role) => role.RoleName);
    const { items, ...rest } = page(roles, input.Marker, input.MaxItems);
    return { Roles: items.map((role) => roleShape(role, false)), ...rest };
  },

  UpdateRole: (input, ctx) => {
    const { iam, accountId } = authorizeOn(ctx, "UpdateRole", "role", input.RoleName);
    const role = roleFor(iam, accountId, input.RoleName);
    if (input.Description !== undefined) role.Description = input.Description;
    if (input.MaxSessionDuration !== undefined) role.MaxSessionDuration = input.MaxSessionDuration;
    return {};
  },

  UpdateAssumeRolePolicy: (input, ctx) => {
    const { iam, accountId } = authorizeOn(ctx, "UpdateAssumeRolePolicy", "role", input.RoleName);
    const role = roleFor(iam, accountId, input.RoleName);
    checkTrust(input.PolicyDocument, principalExists(ctx));
    role.trustPolicy = input.PolicyDocument;
  },

  DeleteRole: (input, ctx) => {
    const { iam, accountId } = authorizeOn(ctx, "DeleteRole", "role", input.RoleName);
    deleteRole(iam, accountId, input.RoleName);
  },

  TagRole: (input, ctx) => {
    const { iam, accountId } = authorizeOn(ctx, "TagRole", "role", input.RoleName);
    addTags(roleFor(iam, accountId, input.RoleName), input.Tags);
  },

  UntagRole: (input, ctx) => {
    const { iam, accountId } = authorizeOn(ctx, "UntagRole", "role", input.RoleName);
    removeTags(roleFor(iam, accountId, input.RoleName), input.TagKeys);
  },

  ListRoleTags: (input, ctx) => {
    const { iam, accountId } = authorizeOn(ctx, "ListRoleTags", "role", input.RoleName);
    const { items, ...rest } = page(roleFor(iam, accountId, input.RoleName).tags, input.Marker, input.MaxItems);
    return { Tags: items, ...rest };
  },

  PutRolePermissionsBoundary: (input, ctx) => {
    const { iam, accountId } = authorizeOn(ctx, "PutRolePermissionsBoundary", "role", input.RoleName);
    setBoundary(iam, accountId, roleFor(iam, accountId, input.RoleName), input.PermissionsBoundary);
  },

  DeleteRolePermissionsBoundary: (input, ctx) => {
    const { iam, accountId } = authorizeOn(ctx, "DeleteRolePermissionsBoundary", "role", input.RoleName);
    setBoundary(iam, accountId, roleFor(iam, accountId, input.RoleName), undefined);
  },
};
