import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  IAMClient,
  PutGroupPolicyCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
} from "@aws-sdk/client-iam";
import { DEFAULT_CREDENTIALS, SOURCE_ACCOUNT } from "../src/config/defaults.js";
import { formatResult, parseBenchArgs, runLoad, startChildServer } from "./lib/load.js";
import { presign, type BenchCredentials } from "./lib/sign.js";

/**
 * The cost of evaluating a caller's current IAM policies on every request. Signed KMS ListKeys (no domain work
 * besides authorization) by three callers: the configured admin (one attached policy), a user whose permissions
 * come from everything IAM allows at once (10 attached policies, 10 inline, 10 groups each with 10 attached and 10
 * inline, and a boundary: 221 documents), and the same after 5,000 other users exist in the account (a lookup must
 * not scan them). Usage: node dist/bench/iam.js [--endpoint URL] [--concurrency 32] [--seconds 10]
 */
const args = parseBenchArgs();
const own = args.endpoint ? undefined : await startChildServer("trident");
const endpoint = args.endpoint ?? own!.endpoint;
const admin = DEFAULT_CREDENTIALS[SOURCE_ACCOUNT];
const iam = new IAMClient({ region: "us-east-1", endpoint, credentials: admin, maxAttempts: 1 });

const document = (action: string) =>
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: action, Resource: "*" }] });

async function heavyUser(): Promise<BenchCredentials> {
  await iam.send(new CreateUserCommand({ UserName: "heavy" }));
  const policies: string[] = [];
  for (let i = 0; i < 10; i++) {
    const { Policy } = await iam.send(
      new CreatePolicyCommand({ PolicyName: `p${i}`, PolicyDocument: document(`kms:List*`) }),
    );
    policies.push(Policy!.Arn!);
    await iam.send(new AttachUserPolicyCommand({ UserName: "heavy", PolicyArn: Policy!.Arn }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: "heavy",
        PolicyName: `i${i}`,
        PolicyDocument: document(`kms:Describe${i}`),
      }),
    );
    await iam.send(new CreateGroupCommand({ GroupName: `g${i}` }));
    await iam.send(new AddUserToGroupCommand({ GroupName: `g${i}`, UserName: "heavy" }));
  }
  for (let g = 0; g < 10; g++)
    for (let i = 0; i < 10; i++) {
      await iam.send(new AttachGroupPolicyCommand({ GroupName: `g${g}`, PolicyArn: policies[i] }));
      await iam.send(
        new PutGroupPolicyCommand({ GroupName: `g${g}`, PolicyName: `i${i}`, PolicyDocument: document(`kms:Get${i}`) }),
      );
    }
  await iam.send(new PutUserPermissionsBoundaryCommand({ UserName: "heavy", PermissionsBoundary: policies[0] }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: "heavy" }));
  return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
}

async function measure(label: string, credentials: BenchCredentials): Promise<void> {
  const prepared = await presign(endpoint, credentials, { service: "kms", target: "ListKeys", json: {} });
  const result = await runLoad(
    { endpoint, concurrency: args.concurrency, requests: args.requests, durationMs: args.durationMs },
    () => prepared,
  );
  console.log(formatResult(label, result, args.concurrency));
}

try {
  await measure("KMS ListKeys, admin (1 attached policy)", admin);
  const heavy = await heavyUser();
  await measure("KMS ListKeys, user with 221 policy documents and a boundary", heavy);
  for (let i = 0; i < 5000; i++) await iam.send(new CreateUserCommand({ UserName: `crowd${i}` }));
  await measure("KMS ListKeys, the same user among 5,000 others", heavy);
} finally {
  iam.destroy();
  own?.child.kill();
}
