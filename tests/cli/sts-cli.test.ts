import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Emulator } from "../../src/emulator.js";
import { startServer, type RunningServer } from "../../src/server/http.js";
import { awsCli, cliError } from "../helpers/aws-cli.js";
import { A, ADMIN, B } from "../helpers/harness.js";

describe("the AWS CLI against trident serve: STS", () => {
  let running: RunningServer;
  before(async () => {
    running = await startServer(new Emulator(), { port: 0 });
  });
  after(() => running.close());

  test("get-caller-identity with each default user returns its account and ARN", async () => {
    for (const account of [A, B]) {
      const result = await awsCli(running.endpoint, ADMIN[account]!, ["sts", "get-caller-identity"]);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.json!.Account, account);
      assert.equal(result.json!.Arn, `arn:aws:iam::${account}:user/admin`);
    }
  });

  test("a wrong secret is SignatureDoesNotMatch; an unknown key InvalidClientTokenId", async () => {
    const wrong = await awsCli(running.endpoint, { ...ADMIN[A]!, secretAccessKey: "wrong" }, [
      "sts",
      "get-caller-identity",
    ]);
    assert.notEqual(wrong.code, 0);
    assert.match(
      wrong.stderr,
      cliError("SignatureDoesNotMatch", "GetCallerIdentity", "The request signature we calculated does not match"),
    );
    const unknown = await awsCli(running.endpoint, { accessKeyId: "AKIANOBODY0000000000", secretAccessKey: "x" }, [
      "sts",
      "get-caller-identity",
    ]);
    assert.match(
      unknown.stderr,
      cliError("InvalidClientTokenId", "GetCallerIdentity", "The security token included in the request is invalid."),
    );
  });
});
