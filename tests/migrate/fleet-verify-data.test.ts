import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { migrateMain } from "../../src/cli/migrate.js";
import { EXIT } from "../../src/migrate/errors.js";
import { buildSeed } from "../../src/migrate/seed.js";
import { A } from "../helpers/harness.js";
import { dataWorld } from "./data-world.js";
import { credentialFlags } from "./fixtures.js";

describe("a fleet's apply --verify-data", () => {
  test("the summary says each cluster's verdict: match, then differ after a write to one target (exit 4)", async () => {
    const world = await dataWorld();
    await buildSeed(world.clients.source, A, {
      clusterId: "audit-graph",
      sleep: async (ms) => world.clock.advance(ms),
      pollMs: 1000,
    });
    await world.query("source", "orders-graph", "CREATE (:Person {name: 'Ana'})-[:KNOWS]->(:Person {name: 'Bruno'})");
    await world.query("source", "audit-graph", "CREATE (:Entry {amount: 12})");
    const journalDir = join(dirname(world.journalPath), "journals");
    const cli = async (args: string[]) => {
      let stdout = "";
      let stderr = "";
      const code = await migrateMain(
        [
          ...args,
          ...["--source-cluster", "orders-graph", "--source-cluster", "audit-graph", "--verify-data", "--yes"],
          ...["--endpoint-url", world.running.endpoint, "--region", world.inputs.region, "--journal-dir", journalDir],
          ...credentialFlags(),
        ],
        { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), env: {} },
      );
      return { code, stdout, stderr };
    };
    const verdicts = (stdout: string) =>
      [...stdout.matchAll(/^ {2}(orders-graph|audit-graph) .* (match|differ|not run)$/gm)].map((row) => [
        row[1],
        row[2],
      ]);

    const applied = await cli(["apply"]);
    assert.equal(applied.code, EXIT.ok, applied.stderr);
    assert.deepEqual(verdicts(applied.stdout), [
      ["orders-graph", "match"],
      ["audit-graph", "match"],
    ]);

    await world.query("target", "orders-graph", "CREATE (:Person {name: 'Carla'})");
    const again = await cli(["apply"]);
    assert.equal(again.code, EXIT.verifyFailed);
    assert.match(
      again.stderr,
      /\[orders-graph\] failed:\n\[orders-graph\] {3}the target's graph differs from the source's/,
    );
    assert.deepEqual(verdicts(again.stdout), [
      ["orders-graph", "differ"],
      ["audit-graph", "match"],
    ]);
  });
});
