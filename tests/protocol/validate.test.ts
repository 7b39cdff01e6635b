import assert from "node:assert/strict";
import { test } from "node:test";
import { AwsError } from "../../src/protocol/errors.js";
import { loadModel } from "../../src/protocol/model.js";
import { validateInput } from "../../src/protocol/validate.js";

const sts = loadModel("sts");

test("a validation message echoes a list of structures member by member, never [object Object]", () => {
  const Tags = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: `v${i}` }));
  assert.throws(
    () =>
      validateInput(
        sts,
        "AssumeRoleRequest",
        { RoleArn: "arn:aws:iam::111111111111:role/r", RoleSessionName: "session", Tags },
        { code: "ValidationError", missingAsMissingParameter: false },
      ),
    (error: unknown) => {
      assert.ok(error instanceof AwsError);
      assert.equal(error.code, "ValidationError");
      assert.ok(!error.message.includes("[object Object]"), error.message);
      assert.ok(
        error.message.startsWith("1 validation error detected: Value '[{Key=k0, Value=v0}, {Key=k1, Value=v1}"),
      );
      assert.ok(error.message.endsWith("Member must have length less than or equal to 50"), error.message);
      return true;
    },
  );
});
