import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CreateRoleCommand, ListUsersCommand, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { CreateKeyCommand, ListKeysCommand } from "@aws-sdk/client-kms";
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  GetFederationTokenCommand,
  type Credentials as StsCredentials,
} from "@aws-sdk/client-sts";
import { A, rejection } from "../helpers/harness.js";
import { allow, iamWorld, userWithKey } from "../iam/fixture.js";

type World = ReturnType<typeof iamWorld>;

/** A user allowed GetFederationToken and all of KMS: the identity a federated user's session narrows. */
async function federator(world: World) {
  const clients = await userWithKey(world, "broker");
  await world.admin.iam.send(
    new PutUserPolicyCommand({
      UserName: "broker",
      PolicyName: "p",
      PolicyDocument: allow(["sts:GetFederationToken", "sts:AssumeRole", "kms:*", "iam:*"]),
    }),
  );
  return clients;
}

function signedWith(world: World, credentials: StsCredentials | undefined) {
  return world.clients({
    accessKeyId: credentials!.AccessKeyId!,
    secretAccessKey: credentials!.SecretAccessKey!,
    sessionToken: credentials!.SessionToken!,
  });
}

describe("STS GetFederationToken", () => {
  test("a federated user's identity, and a session narrowed to its policy", async () => {
    const world = iamWorld();
    const broker = await federator(world);
    const answer = await broker.sts.send(
      new GetFederationTokenCommand({ Name: "bob", Policy: allow(["kms:ListKeys"]) }),
    );
    assert.deepEqual(answer.FederatedUser, {
      FederatedUserId: `${A}:bob`,
      Arn: `arn:aws:sts::${A}:federated-user/bob`,
    });
    assert.equal(answer.PackedPolicySize, 5);
    assert.match(answer.Credentials!.AccessKeyId!, /^ASIA/);
    // The default duration is 12 hours [STS API Reference: GetFederationToken].
    assert.equal(answer.Credentials!.Expiration!.getTime(), world.clock.now().getTime() + 43_200_000);

    const bob = signedWith(world, answer.Credentials);
    const who = await bob.sts.send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, `arn:aws:sts::${A}:federated-user/bob`);
    assert.equal(who.UserId, `${A}:bob`);
    assert.equal(who.Account, A);

    await bob.kms.send(new ListKeysCommand({}));
    // The broker may create keys; its federated user's policy does not let it.
    await broker.kms.send(new CreateKeyCommand({}));
    const refused = await rejection(() => bob.kms.send(new CreateKeyCommand({})));
    assert.equal(refused.name, "AccessDeniedException");
    assert.equal(
      refused.message,
      `User: arn:aws:sts::${A}:federated-user/bob is not authorized to perform: kms:CreateKey because no session policy allows the kms:CreateKey action`,
    );
  });

  test("the session is never wider than the federating user's policies, read at each call", async () => {
    const world = iamWorld();
    const broker = await federator(world);
    const { Credentials } = await broker.sts.send(
      new GetFederationTokenCommand({ Name: "carol", Policy: allow(["kms:*"]) }),
    );
    const carol = signedWith(world, Credentials);
    await carol.kms.send(new ListKeysCommand({}));
    await world.admin.iam.send(
      new PutUserPolicyCommand({ UserName: "broker", PolicyName: "p", PolicyDocument: allow(["sts:*"]) }),
    );
    const refused = await rejection(() => carol.kms.send(new ListKeysCommand({})));
    assert.equal(refused.name, "AccessDeniedException");
    assert.match(refused.message, /because no identity-based policy allows the kms:ListKeys action$/);
  });

  test("without a policy the federated user may do nothing; managed PolicyArns count as session policy", async () => {
    const world = iamWorld();
    const broker = await federator(world);
    const bare = signedWith(world, (await broker.sts.send(new GetFederationTokenCommand({ Name: "dan" }))).Credentials);
    assert.equal((await rejection(() => bare.kms.send(new ListKeysCommand({})))).name, "AccessDeniedException");

    const managed = await broker.sts.send(
      new GetFederationTokenCommand({
        Name: "erin",
        PolicyArns: [{ arn: "arn:aws:iam::aws:policy/AWSKeyManagementServicePowerUser" }],
      }),
    );
    assert.equal(managed.PackedPolicySize, 1);
    await signedWith(world, managed.Credentials).kms.send(new ListKeysCommand({}));

    const missing = await rejection(() =>
      broker.sts.send(
        new GetFederationTokenCommand({ Name: "fay", PolicyArns: [{ arn: `arn:aws:iam::${A}:policy/none` }] }),
      ),
    );
    assert.equal(missing.name, "MalformedPolicyDocumentException");
    assert.equal(missing.message, `Policy arn:aws:iam::${A}:policy/none does not exist or is not attachable.`);
    assert.equal(missing.$metadata?.httpStatusCode, 400);

    const malformed = await rejection(() =>
      broker.sts.send(new GetFederationTokenCommand({ Name: "gus", Policy: "{not json" })),
    );
    assert.equal(malformed.name, "MalformedPolicyDocumentException");
  });

  test("a federated user may call no IAM operation and no STS operation but GetCallerIdentity", async () => {
    const world = iamWorld();
    const broker = await federator(world);
    const { Credentials } = await broker.sts.send(
      new GetFederationTokenCommand({ Name: "hal", Policy: allow(["iam:*", "sts:*"]) }),
    );
    const hal = signedWith(world, Credentials);
    const iam = await rejection(() => hal.iam.send(new ListUsersCommand({})));
    assert.equal(iam.name, "AccessDenied");
    assert.equal(
      iam.message,
      `User: arn:aws:sts::${A}:federated-user/hal is not authorized to perform: iam:ListUsers with an explicit deny in a session policy`,
    );
    const again = await rejection(() => hal.sts.send(new GetFederationTokenCommand({ Name: "ivy" })));
    assert.equal(again.name, "AccessDenied");
    assert.equal(again.message, "Cannot call GetFederationToken with session credentials");
    // A role its account trusts: the broker itself may assume it, the federated user may not.
    const trust = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: "sts:AssumeRole" }],
    });
    const { Role } = await world.admin.iam.send(
      new CreateRoleCommand({ RoleName: "open", AssumeRolePolicyDocument: trust }),
    );
    await broker.sts.send(new AssumeRoleCommand({ RoleArn: Role!.Arn, RoleSessionName: "s1" }));
    const assume = await rejection(() =>
      hal.sts.send(new AssumeRoleCommand({ RoleArn: Role!.Arn, RoleSessionName: "s1" })),
    );
    assert.equal(assume.name, "AccessDenied");
    assert.equal(
      assume.message,
      `User: arn:aws:sts::${A}:federated-user/hal is not authorized to perform: sts:AssumeRole on resource: ${Role!.Arn}`,
    );
  });

  test("the caller needs sts:GetFederationToken on the federated user's ARN", async () => {
    const world = iamWorld();
    const plain = await userWithKey(world, "plain");
    const refused = await rejection(() => plain.sts.send(new GetFederationTokenCommand({ Name: "jo" })));
    assert.equal(refused.name, "AccessDenied");
    assert.equal(refused.$metadata?.httpStatusCode, 403);
    assert.equal(
      refused.message,
      `User: arn:aws:iam::${A}:user/plain is not authorized to perform: sts:GetFederationToken on resource: arn:aws:sts::${A}:federated-user/jo because no identity-based policy allows the sts:GetFederationToken action`,
    );
  });

  test("durations: up to 36 hours for a user, root's clamped to one hour", async () => {
    const world = iamWorld({ relaxedAuth: true });
    const broker = await federator(world);
    const now = world.clock.now().getTime();
    const long = await broker.sts.send(new GetFederationTokenCommand({ Name: "kim", DurationSeconds: 129_600 }));
    assert.equal(long.Credentials!.Expiration!.getTime(), now + 129_600_000);
    const tooLong = await rejection(() =>
      broker.sts.send(new GetFederationTokenCommand({ Name: "kim", DurationSeconds: 129_601 })),
    );
    assert.equal(tooLong.name, "ValidationError");

    const root = world.clients({ accessKeyId: A, secretAccessKey: "anything" });
    assert.equal((await root.sts.send(new GetCallerIdentityCommand({}))).Arn, `arn:aws:iam::${A}:root`);
    const rooted = await root.sts.send(
      new GetFederationTokenCommand({ Name: "lee", DurationSeconds: 7200, Policy: allow(["kms:ListKeys"]) }),
    );
    assert.equal(rooted.Credentials!.Expiration!.getTime(), now + 3_600_000);
    await signedWith(world, rooted.Credentials).kms.send(new ListKeysCommand({}));
  });
});
