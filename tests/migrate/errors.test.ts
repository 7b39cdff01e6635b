import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  DBClusterQuotaExceededFault,
  InstanceQuotaExceededFault,
  KMSKeyNotAccessibleFault,
  NeptuneServiceException,
  SharedSnapshotQuotaExceededFault,
  SnapshotQuotaExceededFault,
} from "@aws-sdk/client-neptune";
import { EXIT, MigrateError, explainError } from "../../src/migrate/errors.js";

/** An error as the SDK throws it for a code its model does not name (ExpiredToken, AccessDenied). */
function unmodelled(name: string, message: string): NeptuneServiceException {
  return new NeptuneServiceException({ name, message, $fault: "client", $metadata: { httpStatusCode: 403 } });
}

/** The MigrateError `explainError` makes of `error` on that side; fails when it passes the error through. */
function explained(error: unknown, side: "source" | "target" = "target"): MigrateError {
  const result = explainError(error, side);
  assert.ok(result instanceof MigrateError, `${(error as Error).name} became one message with a fix`);
  assert.equal(result.exitCode, EXIT.blocked);
  assert.equal(result.cause, error, "the SDK's error stays the cause (its stack under --debug)");
  return result;
}

describe("errors a user can fix become one message naming the fix", () => {
  test("quotas: the side, what ran out, and 'delete some or ask for more', by the SDK's shape name", () => {
    const cases: [Error, "source" | "target", RegExp][] = [
      [
        new SnapshotQuotaExceededFault({ message: "exceeds the maximum number of snapshots", $metadata: {} }),
        "source",
        /the source account is at its quota of manual DB cluster snapshots: SnapshotQuotaExceededFault/,
      ],
      [
        new DBClusterQuotaExceededFault({ message: "cluster quota", $metadata: {} }),
        "target",
        /the target account is at its quota of DB clusters: DBClusterQuotaExceededFault/,
      ],
      [
        new InstanceQuotaExceededFault({ message: "instance quota", $metadata: {} }),
        "target",
        /the target account is at its quota of DB instances/,
      ],
    ];
    for (const [error, side, message] of cases) {
      const result = explained(error, side);
      assert.match(result.message, message);
      assert.match(result.fix, /delete .* no longer needs, or ask AWS for a higher quota/);
      assert.match(result.fix, /run apply again: it resumes/);
    }
  });

  test("SharedSnapshotQuotaExceeded: at most 20 accounts; stop sharing with one, or let apply make its own snapshot", () => {
    const result = explained(new SharedSnapshotQuotaExceededFault({ message: "quota", $metadata: {} }), "source");
    assert.match(
      result.message,
      /SharedSnapshotQuotaExceededFault\): a snapshot may be shared with at most 20 accounts/,
    );
    assert.match(result.fix, /ValuesToRemove/);
    assert.match(result.fix, /--source-cluster/);
  });

  test("expired temporary credentials: fresh ones, then the same command resumes", () => {
    for (const code of ["ExpiredToken", "ExpiredTokenException"]) {
      const result = explained(unmodelled(code, "The security token included in the request is expired"), "source");
      assert.match(result.message, new RegExp(`^the source account's credentials have expired: ${code}:`));
      assert.match(result.fix, /fresh credentials for --source-profile/);
    }
  });

  test("AccessDenied and KMSKeyNotAccessibleFault name the permissions to give", () => {
    const denied = explained(unmodelled("AccessDenied", "not authorized to perform: rds:CopyDBClusterSnapshot"));
    assert.match(denied.message, /^the target account denied a call: .*rds:CopyDBClusterSnapshot/);
    assert.match(denied.fix, /docs\/migrate-permissions\.md/);
    const key = explained(new KMSKeyNotAccessibleFault({ message: "The source snapshot KMS key", $metadata: {} }));
    assert.match(key.fix, /\(R10\)/);
  });

  test("anything else keeps its identity (and its stack)", () => {
    const other = unmodelled("InternalFailure", "boom");
    assert.equal(explainError(other, "target"), other);
  });
});
