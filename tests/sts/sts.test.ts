import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  AssumeRoleCommand,
  GetAccessKeyInfoCommand,
  GetCallerIdentityCommand,
  GetSessionTokenCommand,
} from "@aws-sdk/client-sts";
import { CreateKeyCommand, ListKeysCommand } from "@aws-sdk/client-kms";
import type { TridentConfig } from "../../src/config/config.js";
import { DEFAULT_CREDENTIALS } from "../../src/config/defaults.js";
import { A, ADMIN, B, inProcess, rejection } from "../helpers/harness.js";

const config: TridentConfig = {
  accounts: {
    [A]: {
      users: [
        { name: "admin", ...DEFAULT_CREDENTIALS[A] },
        {
          name: "reader",
          path: "/team/",
          accessKeyId: "AKIAREADER0000000001",
          secretAccessKey: "reader-secret",
          policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "kms:Describe*", Resource: "*" }] },
        },
      ],
    },
    [B]: {
      users: [{ name: "admin", ...DEFAULT_CREDENTIALS[B] }],
      roles: [
        {
          name: "migrator",
          trustPolicy: {
            Version: "2012-10-17",
            Statement: [
              { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${A}:user/admin` }, Action: "sts:AssumeRole" },
            ],
          },
        },
        {
          name: "locked",
          trustPolicy: {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: "sts:AssumeRole" }],
          },
        },
      ],
    },
  },
};

/** A raw AssumeRole into B's migrator role, for checking the wire of its refusals. */
function assumeMigratorRaw(raw: ReturnType<typeof inProcess>["raw"], params: Record<string, string>) {
  return raw({
    service: "sts",
    params: { Action: "AssumeRole", Version: "2011-06-15", RoleArn: `arn:aws:iam::${B}:role/migrator`, ...params },
  });
}

describe("STS GetCallerIdentity", () => {
  test("each default admin is its own account and user", async () => {
    const { a, b } = inProcess();
    const idA = await a.sts.send(new GetCallerIdentityCommand({}));
    assert.equal(idA.Account, A);
    assert.equal(idA.Arn, `arn:aws:iam::${A}:user/admin`);
    assert.match(idA.UserId!, /^AIDA[A-Z2-7]{17}$/);
    const idB = await b.sts.send(new GetCallerIdentityCommand({}));
    assert.equal(idB.Account, B);
    assert.equal(idB.Arn, `arn:aws:iam::${B}:user/admin`);
  });

  test("a wrong secret is SignatureDoesNotMatch (403) on the wire", async () => {
    const { raw, clientsFor } = inProcess();
    const result = await raw({
      service: "sts",
      params: { Action: "GetCallerIdentity", Version: "2011-06-15" },
      credentials: { ...ADMIN[A]!, secretAccessKey: "wrong" },
    });
    assert.equal(result.status, 403);
    assert.equal(result.code, "SignatureDoesNotMatch");
    assert.match(result.body, /<Type>Sender<\/Type>/);
    assert.match(result.body, /^<ErrorResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/">/);
    assert.match(result.body, /<\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/);
    assert.equal(result.headers["x-amzn-requestid"], /<RequestId>([^<]+)</.exec(result.body)![1]);
    const error = await rejection(() =>
      clientsFor({ ...ADMIN[A]!, secretAccessKey: "wrong" }).sts.send(new GetCallerIdentityCommand({})),
    );
    assert.equal(error.name, "SignatureDoesNotMatch");
    assert.equal(error.$metadata?.httpStatusCode, 403);
  });

  test("an unknown access key is InvalidClientTokenId (403)", async () => {
    const { raw } = inProcess();
    const result = await raw({
      service: "sts",
      params: { Action: "GetCallerIdentity", Version: "2011-06-15" },
      credentials: { accessKeyId: "AKIANOBODY0000000000", secretAccessKey: "x" },
    });
    assert.equal(result.status, 403);
    assert.equal(result.code, "InvalidClientTokenId");
    assert.equal(result.message, "The security token included in the request is invalid.");
  });

  test("relaxed auth: a 12-digit access key id names the account root, any secret", async () => {
    const { clientsFor } = inProcess({ relaxedAuth: true });
    const id = await clientsFor({ accessKeyId: "333333333333", secretAccessKey: "anything" }).sts.send(
      new GetCallerIdentityCommand({}),
    );
    assert.equal(id.Account, "333333333333");
    assert.equal(id.Arn, "arn:aws:iam::333333333333:root");
  });

  test("without relaxed auth a 12-digit key id is just an unknown key", async () => {
    const { clientsFor } = inProcess();
    const error = await rejection(() =>
      clientsFor({ accessKeyId: "333333333333", secretAccessKey: "x" }).sts.send(new GetCallerIdentityCommand({})),
    );
    assert.equal(error.name, "InvalidClientTokenId");
  });
});

describe("STS AssumeRole", () => {
  test("into a role of the other account when its trust policy allows it", async () => {
    const { a, clock, clientsFor } = inProcess({ config });
    const out = await a.sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${B}:role/migrator`,
        RoleSessionName: "move-1",
        DurationSeconds: 900,
      }),
    );
    assert.match(out.Credentials!.AccessKeyId!, /^ASIA[A-Z2-7]{16}$/);
    assert.equal(out.AssumedRoleUser!.Arn, `arn:aws:sts::${B}:assumed-role/migrator/move-1`);
    assert.match(out.AssumedRoleUser!.AssumedRoleId!, /^AROA[A-Z2-7]{17}:move-1$/);
    assert.equal(out.Credentials!.Expiration!.getTime(), clock.now().getTime() + 900_000);

    const session = clientsFor({
      accessKeyId: out.Credentials!.AccessKeyId!,
      secretAccessKey: out.Credentials!.SecretAccessKey!,
      sessionToken: out.Credentials!.SessionToken!,
    });
    const id = await session.sts.send(new GetCallerIdentityCommand({}));
    assert.equal(id.Account, B);
    assert.equal(id.Arn, `arn:aws:sts::${B}:assumed-role/migrator/move-1`);
    assert.equal(id.UserId, out.AssumedRoleUser!.AssumedRoleId);

    clock.advanceSeconds(901);
    const expired = await rejection(() => session.sts.send(new GetCallerIdentityCommand({})));
    assert.equal(expired.name, "ExpiredToken");
    assert.equal(expired.$metadata?.httpStatusCode, 403);
    assert.equal(expired.message, "The security token included in the request is expired");
  });

  test("refused with AccessDenied when the trust policy does not name the caller", async () => {
    const { a } = inProcess({ config });
    const error = await rejection(() =>
      a.sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${B}:role/locked`, RoleSessionName: "s1" })),
    );
    assert.equal(error.name, "AccessDenied");
    assert.equal(error.$metadata?.httpStatusCode, 403);
    assert.equal(
      error.message,
      `User: arn:aws:iam::${A}:user/admin is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${B}:role/locked`,
    );
  });

  test("a role that does not exist is refused the same way", async () => {
    const { a } = inProcess({ config });
    const error = await rejection(() =>
      a.sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${B}:role/ghost`, RoleSessionName: "s1" })),
    );
    assert.equal(error.name, "AccessDenied");
  });

  test("a session token must accompany temporary credentials", async () => {
    const { a, clientsFor } = inProcess({ config });
    const out = await a.sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${B}:role/migrator`, RoleSessionName: "s2" }),
    );
    const noToken = clientsFor({
      accessKeyId: out.Credentials!.AccessKeyId!,
      secretAccessKey: out.Credentials!.SecretAccessKey!,
    });
    const error = await rejection(() => noToken.sts.send(new GetCallerIdentityCommand({})));
    assert.equal(error.name, "InvalidClientTokenId");
  });

  test("a session policy narrows the role: what it does not allow is refused", async () => {
    const { a, clientsFor } = inProcess({ config });
    const policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "kms:List*", Resource: "*" }],
    });
    const out = await a.sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${B}:role/migrator`, RoleSessionName: "narrow", Policy: policy }),
    );
    assert.equal(typeof out.PackedPolicySize, "number");
    const session = clientsFor({
      accessKeyId: out.Credentials!.AccessKeyId!,
      secretAccessKey: out.Credentials!.SecretAccessKey!,
      sessionToken: out.Credentials!.SessionToken!,
    });
    const keys = await session.kms.send(new ListKeysCommand({}));
    assert.deepEqual(keys.Keys, []);
    const refused = await rejection(() => session.kms.send(new CreateKeyCommand({})));
    assert.equal(refused.name, "AccessDeniedException");
    assert.match(
      refused.message,
      /^User: arn:aws:sts::222222222222:assumed-role\/migrator\/narrow is not authorized to perform: kms:CreateKey/,
    );
  });

  test("a session policy that names a principal is MalformedPolicyDocument", async () => {
    const { raw } = inProcess({ config });
    const policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }],
    });
    const result = await assumeMigratorRaw(raw, { RoleSessionName: "s3", Policy: policy });
    assert.equal(result.status, 400);
    assert.equal(result.code, "MalformedPolicyDocument");
    assert.equal(result.message, "Policy document should not specify a principal.");
  });

  test("RoleSessionName is validated from the model with STS's wording", async () => {
    const { raw } = inProcess({ config });
    const result = await assumeMigratorRaw(raw, { RoleSessionName: "bad/name" });
    assert.equal(result.status, 400);
    assert.equal(result.code, "ValidationError");
    assert.equal(
      result.message,
      "1 validation error detected: Value 'bad/name' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    );
    const missing = await assumeMigratorRaw(raw, {});
    assert.equal(missing.code, "ValidationError");
    assert.equal(
      missing.message,
      "1 validation error detected: Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null",
    );
  });
});

describe("STS GetSessionToken and GetAccessKeyInfo", () => {
  test("a user's session token identifies as the user", async () => {
    const { a, clientsFor } = inProcess();
    const out = await a.sts.send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
    const session = clientsFor({
      accessKeyId: out.Credentials!.AccessKeyId!,
      secretAccessKey: out.Credentials!.SecretAccessKey!,
      sessionToken: out.Credentials!.SessionToken!,
    });
    const id = await session.sts.send(new GetCallerIdentityCommand({}));
    assert.equal(id.Arn, `arn:aws:iam::${A}:user/admin`);
    const again = await rejection(() => session.sts.send(new GetSessionTokenCommand({})));
    assert.equal(again.name, "AccessDenied");
  });

  test("GetAccessKeyInfo names the owning account", async () => {
    const { a } = inProcess();
    const out = await a.sts.send(new GetAccessKeyInfoCommand({ AccessKeyId: ADMIN[B]!.accessKeyId }));
    assert.equal(out.Account, B);
  });
});
