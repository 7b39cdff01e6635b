import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  PutRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import type { EmulatorOptions } from "../../src/emulator.js";
import { InProcessHandler } from "../../src/server/inprocess.js";
import { ADMIN, A, inProcess, REGION, type Credentials } from "../helpers/harness.js";

/** The emulator in-process with an IAM client beside the harness's STS, KMS and Neptune clients. */
export function iamWorld(options: EmulatorOptions = {}) {
  const env = inProcess(options);
  const handler = new InProcessHandler(env.emulator);
  const clients = (credentials: Credentials) => ({
    ...env.clientsFor(credentials),
    iam: new IAMClient({
      region: REGION,
      endpoint: "http://trident.local",
      credentials,
      requestHandler: handler,
      maxAttempts: 1,
    }),
  });
  // No credentials: what the SDK sends unsigned (AssumeRoleWithWebIdentity, AssumeRoleWithSAML) goes unsigned.
  const unsignedSts = new STSClient({
    region: REGION,
    endpoint: "http://trident.local",
    requestHandler: handler,
    maxAttempts: 1,
  });
  return { ...env, clients, admin: clients(ADMIN[A]!), unsignedSts };
}

export const ALLOW_ALL = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
});

export function allow(actions: string[], resource = "*"): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: actions, Resource: resource }],
  });
}

/** A new user with one access key, and clients signed with it. */
export async function userWithKey(world: ReturnType<typeof iamWorld>, name: string) {
  await world.admin.iam.send(new CreateUserCommand({ UserName: name }));
  const { AccessKey } = await world.admin.iam.send(new CreateAccessKeyCommand({ UserName: name }));
  return world.clients({ accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! });
}

/**
 * A role trusting its account, with an inline policy (`policyName`) allowing kms:ListKeys, assumed by the admin: the
 * role and clients signed with the session's credentials.
 */
export async function roleSession(world: ReturnType<typeof iamWorld>, name: string, policyName = "p") {
  const trust = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: "sts:AssumeRole" }],
  });
  const { Role } = await world.admin.iam.send(
    new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust }),
  );
  await world.admin.iam.send(
    new PutRolePolicyCommand({ RoleName: name, PolicyName: policyName, PolicyDocument: allow(["kms:ListKeys"]) }),
  );
  const { Credentials } = await world.admin.sts.send(
    new AssumeRoleCommand({ RoleArn: Role!.Arn, RoleSessionName: "s1" }),
  );
  const session = world.clients({
    accessKeyId: Credentials!.AccessKeyId!,
    secretAccessKey: Credentials!.SecretAccessKey!,
    sessionToken: Credentials!.SessionToken!,
  });
  return { role: Role!, session };
}

/** A trust policy letting an identity provider's users assume a role, under `condition`. */
export function federatedTrust(provider: string, action: string, condition: Record<string, Record<string, string>>) {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Federated: provider }, Action: action, Condition: condition }],
  });
}
