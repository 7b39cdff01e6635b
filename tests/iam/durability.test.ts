import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  DeleteUserCommand,
  DetachUserPolicyCommand,
  GetPolicyCommand,
  GetUserCommand,
  ListAttachedUserPoliciesCommand,
  ListUsersCommand,
} from "@aws-sdk/client-iam";
import { ListKeysCommand } from "@aws-sdk/client-kms";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { openDurableStore } from "../../src/state/durable-store.js";
import { A, rejection } from "../helpers/harness.js";
import { allow, iamWorld } from "./fixture.js";

test("a durable world keeps users, access keys and policies across a restart, and the keys still work", async () => {
  const dir = mkdtempSync(join(tmpdir(), "trident-iam-"));
  try {
    const first = iamWorld({ store: openDurableStore(dir, {}) });
    await first.admin.iam.send(new CreateUserCommand({ UserName: "kept" }));
    const { Policy } = await first.admin.iam.send(
      new CreatePolicyCommand({ PolicyName: "keys", PolicyDocument: allow(["kms:ListKeys"]) }),
    );
    await first.admin.iam.send(new AttachUserPolicyCommand({ UserName: "kept", PolicyArn: Policy!.Arn }));
    const { AccessKey } = await first.admin.iam.send(new CreateAccessKeyCommand({ UserName: "kept" }));
    const before = await first.admin.iam.send(new GetUserCommand({ UserName: "kept" }));
    // The configured admin, removed from IAM by the API, stays removed: the seed is not applied twice.
    await first.admin.iam.send(new CreateUserCommand({ UserName: "temp" }));
    await first.admin.iam.send(new DeleteUserCommand({ UserName: "temp" }));
    first.emulator.store.close();

    const second = iamWorld({ store: openDurableStore(dir, {}) });
    const after = await second.admin.iam.send(new GetUserCommand({ UserName: "kept" }));
    assert.deepEqual(after.User, before.User);
    assert.equal(
      (await second.admin.iam.send(new GetPolicyCommand({ PolicyArn: Policy!.Arn }))).Policy!.AttachmentCount,
      1,
    );
    const attached = await second.admin.iam.send(new ListAttachedUserPoliciesCommand({ UserName: "kept" }));
    assert.deepEqual(
      attached.AttachedPolicies!.map((p) => p.PolicyArn),
      [Policy!.Arn],
    );
    const users = await second.admin.iam.send(new ListUsersCommand({}));
    assert.deepEqual(
      users.Users!.map((u) => u.UserName),
      ["admin", "kept"],
    );
    const kept = second.clients({ accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! });
    assert.equal((await kept.sts.send(new GetCallerIdentityCommand({}))).Arn, `arn:aws:iam::${A}:user/kept`);
    await kept.kms.send(new ListKeysCommand({}));
    await second.admin.iam.send(new DetachUserPolicyCommand({ UserName: "kept", PolicyArn: Policy!.Arn }));
    assert.equal((await rejection(() => kept.kms.send(new ListKeysCommand({})))).name, "AccessDeniedException");
    second.emulator.store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
