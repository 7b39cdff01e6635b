import assert from "node:assert/strict";
import { test } from "node:test";
import {
  AddUserToGroupCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DeleteUserPermissionsBoundaryCommand,
  DetachUserPolicyCommand,
  GetUserCommand,
  PutGroupPolicyCommand,
  PutRolePolicyCommand,
  PutUserPermissionsBoundaryCommand,
  CreatePolicyCommand,
  RemoveUserFromGroupCommand,
  UpdateAssumeRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { CreateKeyCommand, ListKeysCommand, PutKeyPolicyCommand } from "@aws-sdk/client-kms";
import { DescribeDBClustersCommand } from "@aws-sdk/client-neptune";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { A, rejection } from "../helpers/harness.js";
import { allow, iamWorld, roleSession, userWithKey } from "./fixture.js";

test("an attached managed policy allows exactly what it says, at once; detached, the next call is denied", async () => {
  const world = iamWorld();
  const dev = await userWithKey(world, "dev");
  const denied = await rejection(() => dev.neptune.send(new DescribeDBClustersCommand({})));
  assert.equal(denied.name, "AccessDenied");
  assert.equal(denied.$metadata?.httpStatusCode, 403);
  assert.equal(
    denied.message,
    `User: arn:aws:iam::${A}:user/dev is not authorized to perform: rds:DescribeDBClusters because no identity-based policy allows the rds:DescribeDBClusters action`,
  );
  await world.admin.iam.send(
    new AttachUserPolicyCommand({ UserName: "dev", PolicyArn: "arn:aws:iam::aws:policy/NeptuneReadOnlyAccess" }),
  );
  assert.deepEqual((await dev.neptune.send(new DescribeDBClustersCommand({}))).DBClusters, []);
  // NeptuneReadOnlyAccess lists KMS keys but cannot make one.
  await dev.kms.send(new ListKeysCommand({}));
  const createKey = await rejection(() => dev.kms.send(new CreateKeyCommand({})));
  assert.equal(createKey.name, "AccessDeniedException");
  await world.admin.iam.send(
    new DetachUserPolicyCommand({ UserName: "dev", PolicyArn: "arn:aws:iam::aws:policy/NeptuneReadOnlyAccess" }),
  );
  assert.equal((await rejection(() => dev.neptune.send(new DescribeDBClustersCommand({})))).name, "AccessDenied");
});

test("a group's policy applies to its members, and stops when the user leaves the group", async () => {
  const world = iamWorld();
  const dev = await userWithKey(world, "member");
  await world.admin.iam.send(new CreateGroupCommand({ GroupName: "kms-users" }));
  await world.admin.iam.send(
    new PutGroupPolicyCommand({ GroupName: "kms-users", PolicyName: "keys", PolicyDocument: allow(["kms:ListKeys"]) }),
  );
  assert.equal((await rejection(() => dev.kms.send(new ListKeysCommand({})))).name, "AccessDeniedException");
  await world.admin.iam.send(new AddUserToGroupCommand({ GroupName: "kms-users", UserName: "member" }));
  await dev.kms.send(new ListKeysCommand({}));
  await world.admin.iam.send(new RemoveUserFromGroupCommand({ GroupName: "kms-users", UserName: "member" }));
  assert.equal((await rejection(() => dev.kms.send(new ListKeysCommand({})))).name, "AccessDeniedException");
});

test("a permissions boundary narrows: AdministratorAccess under a KMS-only boundary is KMS only", async () => {
  const world = iamWorld();
  const dev = await userWithKey(world, "bounded");
  await world.admin.iam.send(
    new AttachUserPolicyCommand({ UserName: "bounded", PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }),
  );
  const { Policy } = await world.admin.iam.send(
    new CreatePolicyCommand({ PolicyName: "kms-only", PolicyDocument: allow(["kms:*"]) }),
  );
  await world.admin.iam.send(
    new PutUserPermissionsBoundaryCommand({ UserName: "bounded", PermissionsBoundary: Policy!.Arn }),
  );
  const got = await world.admin.iam.send(new GetUserCommand({ UserName: "bounded" }));
  assert.deepEqual(got.User!.PermissionsBoundary, {
    PermissionsBoundaryType: "PermissionsBoundaryPolicy",
    PermissionsBoundaryArn: Policy!.Arn,
  });
  await dev.kms.send(new ListKeysCommand({}));
  const denied = await rejection(() => dev.neptune.send(new DescribeDBClustersCommand({})));
  assert.equal(denied.name, "AccessDenied");
  assert.match(denied.message, /because no permissions boundary allows the rds:DescribeDBClusters action$/);
  await world.admin.iam.send(new DeleteUserPermissionsBoundaryCommand({ UserName: "bounded" }));
  await dev.neptune.send(new DescribeDBClustersCommand({}));
});

test("a role made by the API, assumed through STS: its inline policy changed, the existing session's next call sees it", async () => {
  const world = iamWorld();
  const { session } = await roleSession(world, "worker");
  await session.kms.send(new ListKeysCommand({}));
  assert.equal((await rejection(() => session.neptune.send(new DescribeDBClustersCommand({})))).name, "AccessDenied");
  await world.admin.iam.send(
    new PutRolePolicyCommand({
      RoleName: "worker",
      PolicyName: "p",
      PolicyDocument: allow(["rds:DescribeDBClusters"]),
    }),
  );
  await session.neptune.send(new DescribeDBClustersCommand({}));
  const denied = await rejection(() => session.kms.send(new ListKeysCommand({})));
  assert.equal(denied.name, "AccessDeniedException");
  assert.match(denied.message, new RegExp(`^User: arn:aws:sts::${A}:assumed-role/worker/s1 is not authorized`));
});

test("K2: a key policy naming a role that does not exist is refused, and accepted once the role exists", async () => {
  const world = iamWorld();
  const { KeyMetadata } = await world.admin.kms.send(new CreateKeyCommand({}));
  const policy = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Sid: "root", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: "kms:*", Resource: "*" },
      {
        Sid: "app",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${A}:role/app` },
        Action: "kms:Decrypt",
        Resource: "*",
      },
    ],
  });
  const put = () =>
    world.admin.kms.send(new PutKeyPolicyCommand({ KeyId: KeyMetadata!.KeyId, PolicyName: "default", Policy: policy }));
  const refused = await rejection(put);
  assert.equal(refused.name, "MalformedPolicyDocumentException");
  assert.equal(refused.message, "Policy contains a statement with one or more invalid principals.");
  await world.admin.iam.send(
    new CreateRoleCommand({
      RoleName: "app",
      AssumeRolePolicyDocument: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
    }),
  );
  await put();
});

test("IAM's own actions are authorized by the same engine: a user without iam:CreateUser is refused and nothing is made", async () => {
  const world = iamWorld();
  const dev = await userWithKey(world, "limited");
  await world.admin.iam.send(
    new AttachUserPolicyCommand({ UserName: "limited", PolicyArn: "arn:aws:iam::aws:policy/IAMReadOnlyAccess" }),
  );
  await dev.iam.send(new GetUserCommand({}));
  const denied = await rejection(() => dev.iam.send(new CreateUserCommand({ UserName: "sneaky" })));
  assert.equal(denied.name, "AccessDenied");
  assert.equal(denied.$metadata?.httpStatusCode, 403);
  assert.equal(
    denied.message,
    `User: arn:aws:iam::${A}:user/limited is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${A}:user/sneaky because no identity-based policy allows the iam:CreateUser action`,
  );
  assert.equal(
    (await rejection(() => world.admin.iam.send(new GetUserCommand({ UserName: "sneaky" })))).name,
    "NoSuchEntityException",
  );
});

test("a role's trust policy is read at AssumeRole time; its sessions must name a user for GetUser; a deleted role's session may do nothing", async () => {
  const world = iamWorld();
  const trusting = (principal: string) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: principal }, Action: "sts:AssumeRole" }],
    });
  const { role, session } = await roleSession(world, "ops");
  const noName = await rejection(() => session.iam.send(new GetUserCommand({})));
  assert.equal(noName.name, "ValidationError");
  assert.equal(noName.message, "Must specify userName when calling with non-User credentials");
  assert.equal(noName.$metadata?.httpStatusCode, 400);

  await world.admin.iam.send(new CreateUserCommand({ UserName: "other" }));
  await world.admin.iam.send(
    new UpdateAssumeRolePolicyCommand({ RoleName: "ops", PolicyDocument: trusting(`arn:aws:iam::${A}:user/other`) }),
  );
  const refused = await rejection(() =>
    world.admin.sts.send(new AssumeRoleCommand({ RoleArn: role.Arn, RoleSessionName: "s2" })),
  );
  assert.equal(refused.name, "AccessDenied");
  assert.equal(refused.$metadata?.httpStatusCode, 403);

  await session.kms.send(new ListKeysCommand({}));
  await world.admin.iam.send(new DeleteRolePolicyCommand({ RoleName: "ops", PolicyName: "p" }));
  await world.admin.iam.send(new DeleteRoleCommand({ RoleName: "ops" }));
  assert.equal((await rejection(() => session.kms.send(new ListKeysCommand({})))).name, "AccessDeniedException");
});

test("ReadOnlyAccess (abridged to the services Trident serves) reads every service and writes none", async () => {
  const world = iamWorld();
  const dev = await userWithKey(world, "auditor");
  await world.admin.iam.send(
    new AttachUserPolicyCommand({ UserName: "auditor", PolicyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }),
  );
  assert.deepEqual((await dev.neptune.send(new DescribeDBClustersCommand({}))).DBClusters, []);
  await dev.kms.send(new ListKeysCommand({}));
  assert.equal((await dev.iam.send(new GetUserCommand({}))).User!.UserName, "auditor");
  const createKey = await rejection(() => dev.kms.send(new CreateKeyCommand({})));
  assert.equal(createKey.name, "AccessDeniedException");
  const createUser = await rejection(() => dev.iam.send(new CreateUserCommand({ UserName: "other" })));
  assert.equal(createUser.name, "AccessDenied");
  assert.match(createUser.message, /is not authorized to perform: iam:CreateUser/);
});
