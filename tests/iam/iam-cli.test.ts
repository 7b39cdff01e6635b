import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { CreateKeyCommand, ListKeysCommand } from "@aws-sdk/client-kms";
import { DescribeDBClustersCommand } from "@aws-sdk/client-neptune";
import { KMSClient } from "@aws-sdk/client-kms";
import { NeptuneClient } from "@aws-sdk/client-neptune";
import { Emulator } from "../../src/emulator.js";
import { startServer, type RunningServer } from "../../src/server/http.js";
import { awsCli, cliError } from "../helpers/aws-cli.js";
import { A, ADMIN, REGION, rejection, type Credentials } from "../helpers/harness.js";

/**
 * The AWS CLI drives IAM end to end against a real server; the key it makes is then used by SDK clients, whose
 * Neptune and KMS calls are allowed or denied exactly as the policies say.
 */
describe("the AWS CLI against trident serve: IAM", () => {
  let running: RunningServer;
  const cli = (args: string[], credentials: Credentials = ADMIN[A]!) => awsCli(running.endpoint, credentials, args);
  const ok = async (args: string[]) => {
    const result = await cli(args);
    assert.equal(result.code, 0, result.stderr);
    return result.json;
  };
  const sdk = (credentials: Credentials) => {
    const config = { region: REGION, endpoint: running.endpoint, credentials, maxAttempts: 1 };
    return { kms: new KMSClient(config), neptune: new NeptuneClient(config) };
  };
  before(async () => {
    running = await startServer(new Emulator(), { port: 0 });
  });
  after(() => running.close());

  test("user, key, managed policy, group policy, boundary, detach, DeleteConflict", async () => {
    const user = (await ok(["iam", "create-user", "--user-name", "ci"]))!.User as Record<string, string>;
    assert.equal(user.Arn, `arn:aws:iam::${A}:user/ci`);
    const key = (await ok(["iam", "create-access-key", "--user-name", "ci"]))!.AccessKey as Record<string, string>;
    const credentials = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
    const ci = sdk(credentials);
    assert.equal((await rejection(() => ci.neptune.send(new DescribeDBClustersCommand({})))).name, "AccessDenied");

    await ok([
      "iam",
      "attach-user-policy",
      "--user-name",
      "ci",
      "--policy-arn",
      "arn:aws:iam::aws:policy/NeptuneFullAccess",
    ]);
    await ci.neptune.send(new DescribeDBClustersCommand({}));
    assert.equal((await rejection(() => ci.kms.send(new CreateKeyCommand({})))).name, "AccessDeniedException");

    // A group's inline policy applies to its members.
    await ok(["iam", "create-group", "--group-name", "kms"]);
    await ok([
      "iam",
      "put-group-policy",
      "--group-name",
      "kms",
      "--policy-name",
      "keys",
      "--policy-document",
      JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "kms:*", Resource: "*" }] }),
    ]);
    await ok(["iam", "add-user-to-group", "--group-name", "kms", "--user-name", "ci"]);
    await ci.kms.send(new CreateKeyCommand({}));
    // The CLI decodes the URL-encoded document it gets back.
    const got = await ok(["iam", "get-group-policy", "--group-name", "kms", "--policy-name", "keys"]);
    assert.deepEqual(got!.PolicyDocument, {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "kms:*", Resource: "*" }],
    });

    // A boundary narrows: Neptune only.
    const boundary = (await ok([
      "iam",
      "create-policy",
      "--policy-name",
      "neptune-only",
      "--policy-document",
      JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "rds:*", Resource: "*" }] }),
    ]))!.Policy as Record<string, string>;
    await ok(["iam", "put-user-permissions-boundary", "--user-name", "ci", "--permissions-boundary", boundary.Arn!]);
    await ci.neptune.send(new DescribeDBClustersCommand({}));
    const bounded = await rejection(() => ci.kms.send(new ListKeysCommand({})));
    assert.equal(bounded.name, "AccessDeniedException");
    assert.match(bounded.message, /because no permissions boundary allows the kms:ListKeys action$/);
    await ok(["iam", "delete-user-permissions-boundary", "--user-name", "ci"]);

    // Detached: denied at once.
    await ok([
      "iam",
      "detach-user-policy",
      "--user-name",
      "ci",
      "--policy-arn",
      "arn:aws:iam::aws:policy/NeptuneFullAccess",
    ]);
    assert.equal((await rejection(() => ci.neptune.send(new DescribeDBClustersCommand({})))).name, "AccessDenied");

    // DeleteConflict paths, in the CLI's words.
    const conflict = await cli(["iam", "delete-user", "--user-name", "ci"]);
    assert.notEqual(conflict.code, 0);
    assert.match(
      conflict.stderr,
      cliError("DeleteConflict", "DeleteUser", "Cannot delete entity, must delete access keys first."),
    );
    await ok(["iam", "delete-access-key", "--user-name", "ci", "--access-key-id", key.AccessKeyId!]);
    const inGroup = await cli(["iam", "delete-user", "--user-name", "ci"]);
    assert.match(
      inGroup.stderr,
      cliError("DeleteConflict", "DeleteUser", "Cannot delete entity, must remove user from all groups first."),
    );
    const groupConflict = await cli(["iam", "delete-group", "--group-name", "kms"]);
    assert.match(
      groupConflict.stderr,
      cliError("DeleteConflict", "DeleteGroup", "Cannot delete entity, must remove users from group first."),
    );
    await ok(["iam", "remove-user-from-group", "--group-name", "kms", "--user-name", "ci"]);
    await ok(["iam", "delete-user", "--user-name", "ci"]);
    const gone = await cli(["iam", "get-user", "--user-name", "ci"]);
    assert.match(gone.stderr, cliError("NoSuchEntity", "GetUser", "The user with name ci cannot be found."));
    const policyConflict = await cli(["iam", "delete-group", "--group-name", "kms"]);
    assert.match(
      policyConflict.stderr,
      cliError("DeleteConflict", "DeleteGroup", "Cannot delete entity, must delete policies first."),
    );
  });

  test("list-users, list-roles and get-user answer as Terraform's account lookup expects", async () => {
    const me = await ok(["iam", "get-user"]);
    assert.equal((me!.User as Record<string, string>).Arn, `arn:aws:iam::${A}:user/admin`);
    const users = await ok(["iam", "list-users"]);
    assert.ok((users!.Users as { UserName: string }[]).some((u) => u.UserName === "admin"));
    const roles = await ok(["iam", "list-roles"]);
    assert.ok(Array.isArray(roles!.Roles));
  });
});
