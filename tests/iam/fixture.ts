import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { STSClient } from "@aws-sdk/client-sts";
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

/** A trust policy letting an identity provider's users assume a role, under `condition`. */
export function federatedTrust(provider: string, action: string, condition: Record<string, Record<string, string>>) {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Federated: provider }, Action: action, Condition: condition }],
  });
}
