import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { RebootDBInstanceCommand } from "@aws-sdk/client-neptune";
import { enableStreams } from "../../src/cli/demo-live.js";
import { EXIT } from "../../src/migrate/errors.js";
import { dataWorld, migrateCli } from "./data-world.js";

describe("trident migrate plan --live: streams set but not yet in effect", () => {
  test("a writer that has not rebooted since neptune_streams=1 blocks, with the reboot to run; after it, the plan is clear", async () => {
    const world = await dataWorld();
    const { group, writer } = await enableStreams(world.clients.source.neptune, "orders-graph", { reboot: false });
    const args = ["plan", "--source-cluster", "orders-graph", "--live", "--parameter-group", "default.neptune1.4"];

    const pending = await migrateCli(world, args);
    assert.equal(pending.code, EXIT.blocked, pending.stdout);
    assert.match(
      pending.stdout,
      new RegExp(
        `neptune_streams=1 in ${group} may not be in effect yet at orders-graph: its writer ${writer} has not rebooted since the group's static parameters changed \\(its DBClusterParameterGroupStatus is pending-reboot\\)`,
      ),
    );
    assert.match(pending.stdout, /reboot the writer \(neptune_streams is static: it takes effect after the reboot\)/);
    assert.match(pending.stdout, new RegExp(`aws neptune reboot-db-instance --db-instance-identifier ${writer}\\b`));
    // Streams are set in the group: no "streams off" blocker telling to set them again.
    assert.doesNotMatch(pending.stdout, /Neptune Streams are off/);

    await world.clients.source.neptune.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: writer }));
    const rebooted = await migrateCli(world, args);
    assert.equal(rebooted.code, EXIT.ok, rebooted.stdout);
    assert.doesNotMatch(rebooted.stdout, /may not be in effect yet/);
  });
});
