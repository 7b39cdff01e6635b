import assert from "node:assert/strict";
import { test } from "node:test";
import {
  AddUserToGroupCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  PutGroupPolicyCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  SimulatePrincipalPolicyCommand,
} from "@aws-sdk/client-iam";
import { A, rejection } from "../helpers/harness.js";
import { allow, iamWorld } from "./fixture.js";

const KEY = `arn:aws:kms:us-east-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const DENY_DELETE = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Action: "kms:*", Resource: "*" },
    { Effect: "Deny", Action: "kms:ScheduleKeyDeletion", Resource: "*" },
  ],
});

/** Each (action, resource) and its decision. */
const decisions = (results: { EvalActionName?: string; EvalResourceName?: string; EvalDecision?: string }[]) =>
  results.map((r) => `${r.EvalActionName} ${r.EvalResourceName} ${r.EvalDecision}`);

test("SimulatePrincipalPolicy decides as requests are decided: inline, group, boundary, explicit deny", async () => {
  const { admin } = iamWorld();
  await admin.iam.send(new CreateUserCommand({ UserName: "ops" }));
  await admin.iam.send(new PutUserPolicyCommand({ UserName: "ops", PolicyName: "kms", PolicyDocument: DENY_DELETE }));
  await admin.iam.send(new CreateGroupCommand({ GroupName: "readers" }));
  await admin.iam.send(
    new PutGroupPolicyCommand({ GroupName: "readers", PolicyName: "rds", PolicyDocument: allow(["rds:Describe*"]) }),
  );
  await admin.iam.send(new AddUserToGroupCommand({ GroupName: "readers", UserName: "ops" }));
  const simulate = (actions: string[]) =>
    admin.iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: `arn:aws:iam::${A}:user/ops`,
        ActionNames: actions,
        ResourceArns: [KEY],
      }),
    );
  const first = await simulate(["kms:Decrypt", "kms:ScheduleKeyDeletion", "rds:DescribeDBClusters", "iam:ListUsers"]);
  assert.equal(first.IsTruncated, false);
  assert.deepEqual(decisions(first.EvaluationResults!), [
    `kms:Decrypt ${KEY} allowed`,
    `kms:ScheduleKeyDeletion ${KEY} explicitDeny`,
    `rds:DescribeDBClusters ${KEY} allowed`,
    `iam:ListUsers ${KEY} implicitDeny`,
  ]);
  // A boundary allowing only KMS narrows the group's rds:Describe*.
  const { Policy } = await admin.iam.send(
    new CreatePolicyCommand({ PolicyName: "kms-only", PolicyDocument: allow(["kms:*"]) }),
  );
  await admin.iam.send(new PutUserPermissionsBoundaryCommand({ UserName: "ops", PermissionsBoundary: Policy!.Arn }));
  assert.deepEqual(decisions((await simulate(["kms:Decrypt", "rds:DescribeDBClusters"])).EvaluationResults!), [
    `kms:Decrypt ${KEY} allowed`,
    `rds:DescribeDBClusters ${KEY} implicitDeny`,
  ]);
});

test("SimulatePrincipalPolicy: no resource is `*`; a group is simulated alone; unknown entities and callers refused", async () => {
  const world = iamWorld();
  const { admin } = world;
  await admin.iam.send(new CreateGroupCommand({ GroupName: "devs" }));
  await admin.iam.send(
    new PutGroupPolicyCommand({ GroupName: "devs", PolicyName: "kms", PolicyDocument: allow(["kms:List*"]) }),
  );
  const group = await admin.iam.send(
    new SimulatePrincipalPolicyCommand({
      PolicySourceArn: `arn:aws:iam::${A}:group/devs`,
      ActionNames: ["kms:ListKeys", "kms:CreateKey"],
    }),
  );
  assert.deepEqual(decisions(group.EvaluationResults!), ["kms:ListKeys * allowed", "kms:CreateKey * implicitDeny"]);

  const missing = await rejection(() =>
    admin.iam.send(
      new SimulatePrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${A}:user/ghost`, ActionNames: ["s3:*"] }),
    ),
  );
  assert.equal(missing.name, "NoSuchEntityException");
  assert.equal(missing.message, "The user with name ghost cannot be found.");
  assert.equal(missing.$metadata?.httpStatusCode, 404);

  // A caller without iam:SimulatePrincipalPolicy is refused, in IAM's words.
  await admin.iam.send(new CreateUserCommand({ UserName: "plain" }));
  await admin.iam.send(
    new PutUserPolicyCommand({ UserName: "plain", PolicyName: "kms", PolicyDocument: allow(["kms:*"]) }),
  );
  const { AccessKey } = await admin.iam.send(new CreateAccessKeyCommand({ UserName: "plain" }));
  const plain = world.clients({ accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! });
  const denied = await rejection(() =>
    plain.iam.send(
      new SimulatePrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${A}:user/plain`, ActionNames: ["kms:*"] }),
    ),
  );
  assert.equal(denied.name, "AccessDenied");
  assert.match(denied.message, /is not authorized to perform: iam:SimulatePrincipalPolicy on resource: arn:aws:iam::/);
});
