import assert from "node:assert/strict";
import { test } from "node:test";
import {
  AddUserToGroupCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteGroupCommand,
  DeleteUserCommand,
  GetAccessKeyLastUsedCommand,
  GetGroupCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  ListGroupsForUserCommand,
  ListUsersCommand,
  ListUserTagsCommand,
  PutUserPolicyCommand,
  RemoveUserFromGroupCommand,
  TagUserCommand,
  UntagUserCommand,
  UpdateAccessKeyCommand,
  UpdateUserCommand,
} from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { A, rejection } from "../helpers/harness.js";
import { ALLOW_ALL, iamWorld } from "./fixture.js";

test("CreateUser answers the user with AWS's ARN, AIDA id and date; GetUser and ListUsers find it", async () => {
  const { admin } = iamWorld();
  const { User } = await admin.iam.send(
    new CreateUserCommand({ UserName: "alice", Path: "/team/", Tags: [{ Key: "k", Value: "v" }] }),
  );
  assert.equal(User!.Arn, `arn:aws:iam::${A}:user/team/alice`);
  assert.match(User!.UserId!, /^AIDA[A-Z2-7]{17}$/);
  assert.ok(User!.CreateDate instanceof Date);
  const got = await admin.iam.send(new GetUserCommand({ UserName: "ALICE" }));
  assert.equal(got.User!.UserName, "alice");
  assert.deepEqual(got.User!.Tags, [{ Key: "k", Value: "v" }]);
  const listed = await admin.iam.send(new ListUsersCommand({ PathPrefix: "/team/" }));
  assert.deepEqual(
    listed.Users!.map((u) => u.UserName),
    ["alice"],
  );
  assert.equal(listed.IsTruncated, false);
});

test("names are unique regardless of case: EntityAlreadyExists (409), nothing changed", async () => {
  const { admin, raw } = iamWorld();
  await admin.iam.send(new CreateUserCommand({ UserName: "Bob" }));
  const result = await raw({
    service: "iam",
    params: { Action: "CreateUser", Version: "2010-05-08", UserName: "bob" },
  });
  assert.equal(result.status, 409);
  assert.equal(result.code, "EntityAlreadyExists");
  assert.equal(result.message, "User with name bob already exists.");
  const listed = await admin.iam.send(new ListUsersCommand({}));
  assert.equal(listed.Users!.filter((u) => u.UserName!.toLowerCase() === "bob").length, 1);
});

test("a missing user is NoSuchEntity (404) in AWS's words; a bad name is ValidationError", async () => {
  const { raw } = iamWorld();
  const missing = await raw({
    service: "iam",
    params: { Action: "GetUser", Version: "2010-05-08", UserName: "nobody" },
  });
  assert.equal(missing.status, 404);
  assert.equal(missing.code, "NoSuchEntity");
  assert.equal(missing.message, "The user with name nobody cannot be found.");
  const bad = await raw({
    service: "iam",
    params: { Action: "CreateUser", Version: "2010-05-08", UserName: "no spaces" },
  });
  assert.equal(bad.status, 400);
  assert.equal(bad.code, "ValidationError");
  assert.match(
    bad.message!,
    /at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern/,
  );
});

test("ListUsers pages with Marker, IsTruncated and MaxItems, in name order", async () => {
  const { admin } = iamWorld();
  for (const name of ["u3", "u1", "u2"]) await admin.iam.send(new CreateUserCommand({ UserName: name, Path: "/p/" }));
  const first = await admin.iam.send(new ListUsersCommand({ PathPrefix: "/p/", MaxItems: 2 }));
  assert.deepEqual(
    first.Users!.map((u) => u.UserName),
    ["u1", "u2"],
  );
  assert.equal(first.IsTruncated, true);
  const second = await admin.iam.send(new ListUsersCommand({ PathPrefix: "/p/", MaxItems: 2, Marker: first.Marker }));
  assert.deepEqual(
    second.Users!.map((u) => u.UserName),
    ["u3"],
  );
  assert.equal(second.IsTruncated, false);
});

test("an access key works at once for every service; Inactive is refused as an unknown key; last use recorded", async () => {
  const { admin, clients, clock } = iamWorld();
  await admin.iam.send(new CreateUserCommand({ UserName: "dev" }));
  await admin.iam.send(new PutUserPolicyCommand({ UserName: "dev", PolicyName: "all", PolicyDocument: ALLOW_ALL }));
  const { AccessKey } = await admin.iam.send(new CreateAccessKeyCommand({ UserName: "dev" }));
  assert.match(AccessKey!.AccessKeyId!, /^AKIA[A-Z2-7]{16}$/);
  assert.equal(AccessKey!.Status, "Active");
  const before = await admin.iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: AccessKey!.AccessKeyId }));
  assert.deepEqual(before.AccessKeyLastUsed, { ServiceName: "N/A", Region: "N/A" });

  const dev = clients({ accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! });
  const me = await dev.sts.send(new GetCallerIdentityCommand({}));
  assert.equal(me.Arn, `arn:aws:iam::${A}:user/dev`);
  const self = await dev.iam.send(new GetUserCommand({}));
  assert.equal(self.User!.UserName, "dev");
  const after = await admin.iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: AccessKey!.AccessKeyId }));
  assert.equal(after.UserName, "dev");
  assert.equal(after.AccessKeyLastUsed!.ServiceName, "iam");
  assert.equal(after.AccessKeyLastUsed!.Region, "us-east-1");
  assert.equal(after.AccessKeyLastUsed!.LastUsedDate!.getTime(), clock.now().getTime());

  await admin.iam.send(
    new UpdateAccessKeyCommand({ UserName: "dev", AccessKeyId: AccessKey!.AccessKeyId, Status: "Inactive" }),
  );
  const refused = await rejection(() => dev.sts.send(new GetCallerIdentityCommand({})));
  assert.equal(refused.name, "InvalidClientTokenId");
  assert.equal(refused.$metadata?.httpStatusCode, 403);
  await admin.iam.send(
    new UpdateAccessKeyCommand({ UserName: "dev", AccessKeyId: AccessKey!.AccessKeyId, Status: "Active" }),
  );
  assert.equal((await dev.sts.send(new GetCallerIdentityCommand({}))).Arn, `arn:aws:iam::${A}:user/dev`);

  await admin.iam.send(new DeleteAccessKeyCommand({ UserName: "dev", AccessKeyId: AccessKey!.AccessKeyId }));
  const gone = await rejection(() => dev.sts.send(new GetCallerIdentityCommand({})));
  assert.equal(gone.name, "InvalidClientTokenId");
});

test("two keys per user: the third is LimitExceeded (409) and is not created", async () => {
  const { admin, raw } = iamWorld();
  await admin.iam.send(new CreateUserCommand({ UserName: "k" }));
  await admin.iam.send(new CreateAccessKeyCommand({ UserName: "k" }));
  await admin.iam.send(new CreateAccessKeyCommand({ UserName: "k" }));
  const third = await raw({
    service: "iam",
    params: { Action: "CreateAccessKey", Version: "2010-05-08", UserName: "k" },
  });
  assert.equal(third.status, 409);
  assert.equal(third.code, "LimitExceeded");
  assert.equal(third.message, "Cannot exceed quota for AccessKeysPerUser: 2");
  const listed = await admin.iam.send(new ListAccessKeysCommand({ UserName: "k" }));
  assert.equal(listed.AccessKeyMetadata!.length, 2);
});

test("DeleteUser: DeleteConflict while it has keys, policies or groups; then it goes", async () => {
  const { admin, raw } = iamWorld();
  const deleteUser = () =>
    raw({ service: "iam", params: { Action: "DeleteUser", Version: "2010-05-08", UserName: "c" } });
  await admin.iam.send(new CreateUserCommand({ UserName: "c" }));
  const { AccessKey } = await admin.iam.send(new CreateAccessKeyCommand({ UserName: "c" }));
  await admin.iam.send(new PutUserPolicyCommand({ UserName: "c", PolicyName: "p", PolicyDocument: ALLOW_ALL }));
  await admin.iam.send(new CreateGroupCommand({ GroupName: "g" }));
  await admin.iam.send(new AddUserToGroupCommand({ GroupName: "g", UserName: "c" }));

  let result = await deleteUser();
  assert.equal(result.status, 409);
  assert.equal(result.code, "DeleteConflict");
  assert.equal(result.message, "Cannot delete entity, must delete access keys first.");
  await admin.iam.send(new DeleteAccessKeyCommand({ UserName: "c", AccessKeyId: AccessKey!.AccessKeyId }));
  result = await deleteUser();
  assert.equal(result.message, "Cannot delete entity, must delete policies first.");
  await raw({
    service: "iam",
    params: { Action: "DeleteUserPolicy", Version: "2010-05-08", UserName: "c", PolicyName: "p" },
  });
  result = await deleteUser();
  assert.equal(result.message, "Cannot delete entity, must remove user from all groups first.");
  const groupDelete = await raw({
    service: "iam",
    params: { Action: "DeleteGroup", Version: "2010-05-08", GroupName: "g" },
  });
  assert.equal(groupDelete.code, "DeleteConflict");
  assert.equal(groupDelete.message, "Cannot delete entity, must remove users from group first.");
  await admin.iam.send(new RemoveUserFromGroupCommand({ GroupName: "g", UserName: "c" }));
  await admin.iam.send(new DeleteUserCommand({ UserName: "c" }));
  await admin.iam.send(new DeleteGroupCommand({ GroupName: "g" }));
  assert.equal(
    (await rejection(() => admin.iam.send(new GetUserCommand({ UserName: "c" })))).name,
    "NoSuchEntityException",
  );
});

test("groups: GetGroup lists members, ListGroupsForUser the user's groups; rename keeps membership", async () => {
  const { admin } = iamWorld();
  await admin.iam.send(new CreateUserCommand({ UserName: "m" }));
  const { Group } = await admin.iam.send(new CreateGroupCommand({ GroupName: "devs", Path: "/eng/" }));
  assert.equal(Group!.Arn, `arn:aws:iam::${A}:group/eng/devs`);
  assert.match(Group!.GroupId!, /^AGPA/);
  await admin.iam.send(new AddUserToGroupCommand({ GroupName: "devs", UserName: "m" }));
  await admin.iam.send(new UpdateUserCommand({ UserName: "m", NewUserName: "m2" }));
  const got = await admin.iam.send(new GetGroupCommand({ GroupName: "devs" }));
  assert.deepEqual(
    got.Users!.map((u) => u.UserName),
    ["m2"],
  );
  const groups = await admin.iam.send(new ListGroupsForUserCommand({ UserName: "m2" }));
  assert.deepEqual(
    groups.Groups!.map((g) => g.GroupName),
    ["devs"],
  );
});

test("user tags: TagUser merges, UntagUser removes, ListUserTags lists", async () => {
  const { admin } = iamWorld();
  await admin.iam.send(new CreateUserCommand({ UserName: "t", Tags: [{ Key: "a", Value: "1" }] }));
  await admin.iam.send(
    new TagUserCommand({
      UserName: "t",
      Tags: [
        { Key: "A", Value: "2" },
        { Key: "b", Value: "3" },
      ],
    }),
  );
  await admin.iam.send(new UntagUserCommand({ UserName: "t", TagKeys: ["b"] }));
  const { Tags } = await admin.iam.send(new ListUserTagsCommand({ UserName: "t" }));
  assert.deepEqual(Tags, [{ Key: "A", Value: "2" }]);
});

test("GetUser without a name answers the calling user (the configured admin is an IAM user)", async () => {
  const { admin } = iamWorld();
  const self = await admin.iam.send(new GetUserCommand({}));
  assert.equal(self.User!.UserName, "admin");
  assert.equal(self.User!.Arn, `arn:aws:iam::${A}:user/admin`);
});

test("GetUser without a name, as an account's root (relaxed auth): the root ARN and account id, no user name", async () => {
  const world = iamWorld({ relaxedAuth: true });
  const root = world.clients({ accessKeyId: "123456789012", secretAccessKey: "unchecked" });
  const { User } = await root.iam.send(new GetUserCommand({}));
  assert.equal(User!.Arn, "arn:aws:iam::123456789012:root");
  assert.equal(User!.UserId, "123456789012");
  assert.equal(User!.UserName, undefined);
  // Root may do everything in its account, IAM included: its users' keys then work at once.
  await root.iam.send(new CreateUserCommand({ UserName: "first" }));
  const { AccessKey } = await root.iam.send(new CreateAccessKeyCommand({ UserName: "first" }));
  const first = world.clients({ accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! });
  assert.equal((await first.sts.send(new GetCallerIdentityCommand({}))).Arn, "arn:aws:iam::123456789012:user/first");
});
