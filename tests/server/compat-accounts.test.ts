import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { CreateKeyCommand, ListKeysCommand } from "@aws-sdk/client-kms";
import { CreateAccessKeyCommand, CreateUserCommand, UpdateAccessKeyCommand } from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { A, ADMIN, inProcess, rejection } from "../helpers/harness.js";
import { iamWorld } from "../iam/fixture.js";

/** The account of a key ARN `arn:aws:kms:REGION:ACCOUNT:key/ID`. */
const accountOf = (arn: string) => arn.split(":")[4];

describe("relaxed auth's account model (dummy keys)", () => {
  for (const [name, options, account] of [
    ["LocalStack's default account", {}, "000000000000"],
    ["moto's account via --default-account", { defaultAccount: "123456789012" }, "123456789012"],
  ] as const) {
    test(`a key like 'test' is the root of ${name}; GetCallerIdentity agrees with where its key lives`, async () => {
      const { clientsFor } = inProcess({ relaxedAuth: true, ...options });
      for (const accessKeyId of ["test", "FOOBARKEY", "AKIAIOSFODNN7EXAMPLE"]) {
        const caller = clientsFor({ accessKeyId, secretAccessKey: "test" });
        const key = (await caller.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
        const id = await caller.sts.send(new GetCallerIdentityCommand({}));
        assert.equal(id.Account, account);
        assert.equal(id.Arn, `arn:aws:iam::${account}:root`);
        assert.equal(accountOf(key.Arn!), id.Account);
        assert.equal(key.AWSAccountId, account);
      }
      // All three keys are the same account's: one caller lists them all.
      const keys = await clientsFor({ accessKeyId: "test", secretAccessKey: "x" }).kms.send(new ListKeysCommand({}));
      assert.equal(keys.Keys!.length, 3);
    });
  }

  test("a 12-digit key id is that account, and a configured key keeps its own identity", async () => {
    const { clientsFor } = inProcess({ relaxedAuth: true, defaultAccount: "123456789012" });
    const other = await clientsFor({ accessKeyId: "444444444444", secretAccessKey: "x" }).sts.send(
      new GetCallerIdentityCommand({}),
    );
    assert.equal(other.Account, "444444444444");
    const admin = await clientsFor({ ...ADMIN[A]!, secretAccessKey: "not its secret" }).sts.send(
      new GetCallerIdentityCommand({}),
    );
    assert.equal(admin.Arn, `arn:aws:iam::${A}:user/admin`);
  });

  test("an IAM user's key made Inactive stays refused; relaxed auth does not turn it into the default root", async () => {
    const { admin, clients } = iamWorld({ relaxedAuth: true });
    await admin.iam.send(new CreateUserCommand({ UserName: "dev" }));
    const { AccessKey } = await admin.iam.send(new CreateAccessKeyCommand({ UserName: "dev" }));
    const dev = clients({ accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: "any secret" });
    assert.equal((await dev.sts.send(new GetCallerIdentityCommand({}))).Arn, `arn:aws:iam::${A}:user/dev`);
    await admin.iam.send(
      new UpdateAccessKeyCommand({ UserName: "dev", AccessKeyId: AccessKey!.AccessKeyId, Status: "Inactive" }),
    );
    const refused = await rejection(() => dev.sts.send(new GetCallerIdentityCommand({})));
    assert.equal(refused.name, "InvalidClientTokenId");
  });

  test("an unsigned request is the default account's root (us-east-1)", async () => {
    const { raw } = inProcess({ relaxedAuth: true, defaultAccount: "123456789012" });
    const created = await raw({ service: "kms", target: "CreateKey", json: {}, credentials: undefined });
    assert.equal(created.status, 200);
    const arn = (JSON.parse(created.body) as { KeyMetadata: { Arn: string } }).KeyMetadata.Arn;
    assert.match(arn, /^arn:aws:kms:us-east-1:123456789012:key\//);
    const id = await raw({
      service: "sts",
      params: { Action: "GetCallerIdentity", Version: "2011-06-15" },
      credentials: undefined,
    });
    assert.equal(id.status, 200);
    assert.match(id.body, /<Account>123456789012<\/Account>/);
  });

  test("without relaxed auth nothing changes: dummy keys and unsigned requests are refused", async () => {
    const { clientsFor, raw, emulator } = inProcess({ defaultAccount: "123456789012" });
    const before = [...emulator.store.rows()].length; // IAM's seed of the configuration
    const error = await rejection(() =>
      clientsFor({ accessKeyId: "test", secretAccessKey: "test" }).kms.send(new CreateKeyCommand({})),
    );
    assert.equal(error.name, "UnrecognizedClientException");
    assert.equal(error.$metadata?.httpStatusCode, 400);
    const unsigned = await raw({ service: "kms", target: "CreateKey", json: {}, credentials: undefined });
    assert.equal(unsigned.status, 400);
    assert.equal(unsigned.code, "MissingAuthenticationTokenException");
    assert.equal([...emulator.store.rows()].length, before);
  });
});
