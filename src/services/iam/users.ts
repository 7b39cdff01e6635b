import { accessKeyById, accessKeyOf, createAccessKey, deleteAccessKey } from "../../domain/iam/access-keys.js";
import { addTags, createUser, deleteUser, removeTags, updateUser, userFor } from "../../domain/iam/entities.js";
import { IamErrors } from "../../domain/iam/errors.js";
import { setBoundary } from "../../domain/iam/holders.js";
import type { IamOperations, User } from "../../generated/iam.js";
import { AwsError } from "../../protocol/errors.js";
import type { HandlerMap, RequestContext } from "../service.js";
import { authorizeFor, authorizeOn } from "./context.js";
import { byName, page, underPath } from "./paging.js";
import { userShape } from "./shapes.js";

/**
 * The user a call without UserName acts on: the caller, when it is an IAM user. Root and role sessions have no
 * user name to default to: "Must specify userName when calling with non-User credentials" (ValidationError).
 */
function callerUserName(ctx: RequestContext, given: string | undefined): string | undefined {
  if (given !== undefined) return given;
  const { principal } = ctx;
  if (principal.kind === "user" && !principal.temporary) return principal.arn.slice(principal.arn.lastIndexOf("/") + 1);
  if (principal.kind === "root") return undefined;
  throw new AwsError("ValidationError", "Must specify userName when calling with non-User credentials", 400);
}

/** The user whose key a call names; root has no IAM keys of its own here, so its key is not found. */
function keyOwnerName(ctx: RequestContext, given: string | undefined, accessKeyId: string): string {
  const name = callerUserName(ctx, given);
  if (name === undefined) throw IamErrors.noSuchEntity(`The Access Key with id ${accessKeyId} cannot be found.`);
  return name;
}

export const userHandlers: HandlerMap<IamOperations> = {
  CreateUser: (input, ctx) => {
    const { iam, accountId } = authorizeFor(
      ctx,
      "CreateUser",
      `arn:aws:iam::${ctx.principal.accountId}:user${input.Path ?? "/"}${input.UserName}`,
    );
    return { User: userShape(createUser(iam, accountId, input)) };
  },

  GetUser: (input, ctx) => {
    const name = callerUserName(ctx, input.UserName);
    if (name === undefined) {
      // Root asking about itself: its account id and root ARN, and no user name although the model requires one
      // [IAM API: GetUser, "If you do not specify a user name, IAM determines the user name implicitly"]. *Decided*:
      // CreateDate is when this server started (Trident does not know when the account was made).
      const { principal } = ctx;
      const root = { UserId: principal.accountId, Arn: principal.arn, CreateDate: ctx.emulator.startedAt };
      return { User: root as User };
    }
    const { iam, accountId } = authorizeOn(ctx, "GetUser", "user", name);
    return { User: userShape(userFor(iam, accountId, name)) };
  },

  ListUsers: (input, ctx) => {
    const { iam, accountId } = authorizeFor(ctx, "ListUsers", "*");
    const users = byName(underPath(iam.users(accountId).values(), input.PathPrefix), (user) => user.UserName);
    const { items, ...rest } = page(users, input.Marker, input.MaxItems);
    return { Users: items.map((user) => userShape(user, false)), ...rest };
  },

  UpdateUser: (input, ctx) => {
    const { iam, accountId } = authorizeOn(ctx, "UpdateUser", "user", input.UserName);
    updateUser(iam, accountId, input.UserName, input.NewUserName, input.NewPath);
  },

  DeleteUser: (input, ctx) => {
    const { iam, accountId } = authorizeOn(ctx, "DeleteUser", "user", input.UserName);
    deleteUser(iam, accountId, input.UserName);
  },

  TagUser: (input, ctx) => {
    const { iam, accountId } = authorizeOn(ctx, "TagUser", "user", input.UserName);
    addTags(userFor(iam, accountId, input.UserName), input.Tags);
  },

  UntagUser: (input, ctx) => {
    const { iam, accountId } = authorizeOn(ctx, "UntagUser", "user", input.UserName);
    removeTags(userFor(iam, accountId, input.UserName), input.TagKeys);
  },

  ListUserTags: (input, ctx) => {
    const { iam, accountId } = authorizeOn(ctx, "ListUserTags", "user", input.UserName);
    const { items, ...rest } = page(userFor(iam, accountId, input.UserName).tags, input.Marker, input.MaxItems);
    return { Tags: items, ...rest };
  },

  PutUserPermissionsBoundary: (input, ctx) => {
    const { iam, accountId } = authorizeOn(ctx, "PutUserPermissionsBoundary", "user", input.UserName);
    setBoundary(iam, accountId, userFor(iam, accountId, input.UserName), input.PermissionsBoundary);
  },

  DeleteUserPermissionsBoundary: (input, ctx) => {
    const { iam, accountId } = authorizeOn(ctx, "DeleteUserPermissionsBoundary", "user", input.UserName);
    setBoundary(iam, accountId, userFor(iam, accountId, input.UserName), undefined);
  },

  CreateAccessKey: (input, ctx) => {
    const name = callerUserName(ctx, input.UserName);
    // *Decided*: root's own access keys are not issued (AWS advises against them; the config names root's keys).
    if (name === undefined)
      throw new AwsError(
        "ValidationError",
        "Trident does not issue access keys for the root user; create an IAM user.",
        400,
      );
    const { iam, accountId } = authorizeOn(ctx, "CreateAccessKey", "user", name);
    const key = createAccessKey(iam, accountId, name);
    return {
      AccessKey: {
        UserName: key.UserName,
        AccessKeyId: key.AccessKeyId,
        Status: key.Status,
        SecretAccessKey: key.SecretAccessKey,
        CreateDate: new Date(key.CreateDate),
      },
    };
  },

  ListAccessKeys: (input, ctx) => {
    const name = callerUserName(ctx, input.UserName);
    if (name === undefined) return { AccessKeyMetadata: [], IsTruncated: false };
    const { iam, accountId } = authorizeOn(ctx, "ListAccessKeys", "user", name);
    const user = userFor(iam, accountId, name);
    const keys = user.accessKeys.map((id) => iam.accessKeys().peek(id)!);
    const { items, ...rest } = page(keys, input.Marker, input.MaxItems);
    return {
      AccessKeyMetadata: items.map((key) => ({
        UserName: key.UserName,
        AccessKeyId: key.AccessKeyId,
        Status: key.Status,
        CreateDate: new Date(key.CreateDate),
      })),
      ...rest,
    };
  },

  UpdateAccessKey: (input, ctx) => {
    const name = keyOwnerName(ctx, input.UserName, input.AccessKeyId);
    const { iam, accountId } = authorizeOn(ctx, "UpdateAccessKey", "user", name);
    accessKeyOf(iam, accountId, name, input.AccessKeyId).Status = input.Status;
  },

  DeleteAccessKey: (input, ctx) => {
    const name = keyOwnerName(ctx, input.UserName, input.AccessKeyId);
    const { iam, accountId } = authorizeOn(ctx, "DeleteAccessKey", "user", name);
    deleteAccessKey(iam, accountId, name, input.AccessKeyId);
  },

  /** Never used: ServiceName and Region are "N/A" and there is no date [IAM API: AccessKeyLastUsed]. */
  GetAccessKeyLastUsed: (input, ctx) => {
    const { iam, accountId } = authorizeFor(
      ctx,
      "GetAccessKeyLastUsed",
      `arn:aws:iam::${ctx.principal.accountId}:user/*`,
    );
    const key = accessKeyById(iam, accountId, input.AccessKeyId);
    const last = iam.keyUse.get(key.AccessKeyId);
    return {
      UserName: key.UserName,
      AccessKeyLastUsed: last
        ? { LastUsedDate: new Date(last.date), ServiceName: last.service, Region: last.region }
        : { ServiceName: "N/A", Region: "N/A" },
    };
  },
};
