import assert from "node:assert/strict";
import { test } from "node:test";
import {
  AddUserToGroupCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  DeleteRolePolicyCommand,
  PutGroupPolicyCommand,
  UpdateAccessKeyCommand,
} from "@aws-sdk/client-iam";
import { ListKeysCommand } from "@aws-sdk/client-kms";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { A, rejection } from "../helpers/harness.js";
import { allow, iamWorld, roleSession, userWithKey } from "../iam/fixture.js";

/**
 * A key's owner and policies are resolved once and kept while the tables they were read from are unchanged
 * (src/auth/derived-cache.ts): every change below is made after the key has been used, so each test fails if a
 * kept resolution outlived the change.
 */

async function accessDenied(call: () => Promise<unknown>) {
  const error = await rejection(call);
  assert.equal(error.name, "AccessDeniedException");
  assert.equal(error.$metadata?.httpStatusCode, 400);
}

test("a key made inactive is refused at its next use, and works again once active", async () => {
  const world = iamWorld();
  const dev = await userWithKey(world, "dev");
  const accessKeyId = await dev.sts.config.credentials().then((c) => c.accessKeyId);
  const identity = await dev.sts.send(new GetCallerIdentityCommand({}));
  assert.equal(identity.Arn, `arn:aws:iam::${A}:user/dev`);

  await world.admin.iam.send(
    new UpdateAccessKeyCommand({ UserName: "dev", AccessKeyId: accessKeyId, Status: "Inactive" }),
  );
  const refused = await rejection(() => dev.sts.send(new GetCallerIdentityCommand({})));
  assert.equal(refused.name, "InvalidClientTokenId");
  assert.equal(refused.message, "The security token included in the request is invalid.");
  assert.equal(refused.$metadata?.httpStatusCode, 403);

  await world.admin.iam.send(
    new UpdateAccessKeyCommand({ UserName: "dev", AccessKeyId: accessKeyId, Status: "Active" }),
  );
  assert.equal((await dev.sts.send(new GetCallerIdentityCommand({}))).Arn, identity.Arn);
});

test("a managed policy's new default version applies to the next call of a user it is attached to", async () => {
  const world = iamWorld();
  const dev = await userWithKey(world, "dev");
  const { Policy } = await world.admin.iam.send(
    new CreatePolicyCommand({ PolicyName: "keys", PolicyDocument: allow(["kms:ListKeys"]) }),
  );
  await world.admin.iam.send(new AttachUserPolicyCommand({ UserName: "dev", PolicyArn: Policy!.Arn }));
  assert.ok((await dev.kms.send(new ListKeysCommand({}))).Keys);

  // Only the policy's own row changes: the user's record still names the same ARN.
  await world.admin.iam.send(
    new CreatePolicyVersionCommand({
      PolicyArn: Policy!.Arn,
      PolicyDocument: allow(["kms:DescribeKey"]),
      SetAsDefault: true,
    }),
  );
  await accessDenied(() => dev.kms.send(new ListKeysCommand({})));
});

test("a policy put on a user's group applies to the user's next call", async () => {
  const world = iamWorld();
  const dev = await userWithKey(world, "dev");
  await world.admin.iam.send(new CreateGroupCommand({ GroupName: "devs" }));
  await world.admin.iam.send(new AddUserToGroupCommand({ GroupName: "devs", UserName: "dev" }));
  await accessDenied(() => dev.kms.send(new ListKeysCommand({})));

  await world.admin.iam.send(
    new PutGroupPolicyCommand({ GroupName: "devs", PolicyName: "keys", PolicyDocument: allow(["kms:ListKeys"]) }),
  );
  assert.ok((await dev.kms.send(new ListKeysCommand({}))).Keys);
});

test("a role's policy deleted applies to its session's next call", async () => {
  const world = iamWorld();
  const { session } = await roleSession(world, "r", "keys");
  assert.ok((await session.kms.send(new ListKeysCommand({}))).Keys);

  await world.admin.iam.send(new DeleteRolePolicyCommand({ RoleName: "r", PolicyName: "keys" }));
  await accessDenied(() => session.kms.send(new ListKeysCommand({})));
});
