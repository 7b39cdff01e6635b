import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { runDemo } from "../../src/cli/demo.js";
import { DELAY_PROFILES } from "../../src/state/delays.js";

describe("trident demo", () => {
  test("runs the seed scenario to the end: plan, apply, the two walls, a no-op second apply, cleanup, final state", async () => {
    const lines: string[] = [];
    const result = await runDemo({
      write: (line) => lines.push(line),
      delays: DELAY_PROFILES.instant,
      pollMs: 5,
      cleanup: true,
    });
    const text = lines.join("\n");
    assert.equal(result.ok, true, text);
    assert.deepEqual(result.walls, [
      { rule: "R6", code: "InvalidParameterValue" },
      { rule: "R8", code: "InvalidParameterValue" },
    ]);
    assert.match(text, /wall R6: 222222222222 restores the shared snapshot directly/);
    assert.match(
      text,
      /refused as expected: InvalidParameterValue \(HTTP 400\): Cannot copy tags for shared or public snapshots\./,
    );
    // Each step of the timeline names its rules with their text.
    assert.match(text, / {6}R10 the source key's policy must let the target account use it/);
    assert.match(text, / {6}R11 a restored cluster has no instances/);
    // Verify checks the end state: the cluster available (past its first automated backup), not `backing-up`.
    assert.match(text, / {4}ok {3}cluster status: available\n/);
    assert.doesNotMatch(text, /cluster status: backing-up/);
    assert.match(text, / {4}changed: nothing/);
    assert.match(
      text,
      /account 222222222222 \(target\)\n {4}cluster orders-graph: available, engine [0-9.]+, encrypted true with arn:aws:kms:us-east-1:222222222222:key\//,
    );
    assert.match(text, /instance orders-graph-instance-1: available, db\.r5\.large, in orders-graph/);
    // After cleanup A's key policy is back to its one statement and nothing is shared.
    assert.match(text, /key policy: Enable IAM User Permissions\n/);
    assert.doesNotMatch(text, /shared with 222222222222/);
    assert.match(text, /Walls met: R6 \(InvalidParameterValue\), R8 \(InvalidParameterValue\)\./);
  });
});
