import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  DetachUserPolicyCommand,
  GetUserCommand,
  ListUsersCommand,
} from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { handleRequest } from "../../src/server/pipeline.js";
import { A, rejection } from "../helpers/harness.js";
import { iamWorld } from "./fixture.js";

async function reset(world: ReturnType<typeof iamWorld>, query: string) {
  const { response } = await handleRequest(world.emulator, {
    method: "POST",
    url: `/_trident/reset${query}`,
    headers: {},
    body: Buffer.alloc(0),
  });
  assert.equal(response.status, 200);
}

for (const query of ["?service=iam", ""]) {
  test(`reset${query}: IAM is back to the config seed; the configured admin works, API-made users and keys are gone`, async () => {
    const world = iamWorld();
    await world.admin.iam.send(new CreateUserCommand({ UserName: "made" }));
    const { AccessKey } = await world.admin.iam.send(new CreateAccessKeyCommand({ UserName: "made" }));
    // Even the seed's own state, changed by the API, comes back as configured.
    await world.admin.iam.send(
      new DetachUserPolicyCommand({ UserName: "admin", PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }),
    );
    await reset(world, query);
    assert.equal((await world.admin.sts.send(new GetCallerIdentityCommand({}))).Arn, `arn:aws:iam::${A}:user/admin`);
    const users = await world.admin.iam.send(new ListUsersCommand({}));
    assert.deepEqual(
      users.Users!.map((u) => u.UserName),
      ["admin"],
    );
    assert.equal(
      (await rejection(() => world.admin.iam.send(new GetUserCommand({ UserName: "made" })))).name,
      "NoSuchEntityException",
    );
    const made = world.clients({ accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! });
    assert.equal((await rejection(() => made.sts.send(new GetCallerIdentityCommand({})))).name, "InvalidClientTokenId");
  });
}
