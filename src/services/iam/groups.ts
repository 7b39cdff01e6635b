import {
  addUserToGroup,
  createGroup,
  deleteGroup,
  groupFor,
  removeUserFromGroup,
  userFor,
} from "../../domain/iam/entities.js";
import { nameKey } from "../../domain/iam/state.js";
import type { IamOperations } from "../../generated/iam.js";
import type { HandlerMap } from "../service.js";
import { authorizeFor, authorizeOn } from "./context.js";
import { byName, page, underPath } from "./paging.js";
import { groupShape, userShape } from "./shapes.js";

export const groupHandlers: HandlerMap<IamOperations> = {
  CreateGroup: (input, ctx) => {
    const { iam, accountId } = authorizeFor(
      ctx,
      "CreateGroup",
      `arn:aws:iam::${ctx.principal.accountId}:group${input.Path ?? "/"}${input.GroupName}`,
    );
    return { Group: groupShape(createGroup(iam, accountId, input.GroupName, input.Path)) };
  },

  GetGroup: (input, ctx) => {
    const { iam, accountId } = authorizeOn(ctx, "GetGroup", "group", input.GroupName);
    const group = groupFor(iam, accountId, input.GroupName);
    const members = byName(
      group.members.map((name) => iam.users(accountId).peek(nameKey(name))!),
      (user) => user.UserName,
    );
    const { items, ...rest } = page(members, input.Marker, input.MaxItems);
    return { Group: groupShape(group), Users: items.map((user) => userShape(user, false)), ...rest };
  },

  ListGroups: (input, ctx) => {
    const { iam, accountId } = authorizeFor(ctx, "ListGroups", "*");
    const groups = byName(underPath(iam.groups(accountId).values(), input.PathPrefix), (group) => group.GroupName);
    const { items, ...rest } = page(groups, input.Marker, input.MaxItems);
    return { Groups: items.map(groupShape), ...rest };
  },

  ListGroupsForUser: (input, ctx) => {
    const { iam, accountId } = authorizeOn(ctx, "ListGroupsForUser", "user", input.UserName);
    const user = userFor(iam, accountId, input.UserName);
    const groups = byName(
      user.groups.map((name) => iam.groups(accountId).peek(nameKey(name))!),
      (group) => group.GroupName,
    );
    const { items, ...rest } = page(groups, input.Marker, input.MaxItems);
    return { Groups: items.map(groupShape), ...rest };
  },

  AddUserToGroup: (input, ctx) => {
    const { iam, accountId } = authorizeOn(ctx, "AddUserToGroup", "group", input.GroupName);
    addUserToGroup(iam, accountId, input.GroupName, input.UserName);
  },

  RemoveUserFromGroup: (input, ctx) => {
    const { iam, accountId } = authorizeOn(ctx, "RemoveUserFromGroup", "group", input.GroupName);
    removeUserFromGroup(iam, accountId, input.GroupName, input.UserName);
  },

  DeleteGroup: (input, ctx) => {
    const { iam, accountId } = authorizeOn(ctx, "DeleteGroup", "group", input.GroupName);
    deleteGroup(iam, accountId, input.GroupName);
  },
};
