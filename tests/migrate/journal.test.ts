import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Journal, readJournal } from "../../src/migrate/journal.js";
import { MigrateError } from "../../src/migrate/errors.js";
import { identifier, sourceManualSnapshotName, targetCopyName, targetInstanceName } from "../../src/migrate/names.js";

const dir = mkdtempSync(join(tmpdir(), "trident-journal-test-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const identity = {
  migrationId: "111111111111-to-222222222222-orders-graph",
  region: "us-east-1",
  source: { account: "111111111111", cluster: "orders-graph" },
  target: { account: "222222222222", cluster: "orders-graph" },
};

describe("the journal", () => {
  test("records claims before the calls, withdraws refused ones, and survives a reopen", () => {
    const path = join(dir, "a", "journal.json");
    let clock = Date.parse("2026-01-01T00:00:00Z");
    const journal = Journal.open(path, identity, () => new Date((clock += 1000)));
    assert.equal(readJournal(path), undefined, "nothing is written before the first record");
    journal.claim("targetCluster", "orders-graph");
    journal.claim("instance", "orders-graph-instance-1");
    journal.claim("targetCopy", "trident-orders-graph-from-111111111111");
    journal.withdraw("targetCopy", "trident-orders-graph-from-111111111111");
    journal.complete("restore", "restored");
    const reopened = Journal.open(path, identity);
    assert.deepEqual(reopened.data.created, {
      targetInstances: ["orders-graph-instance-1"],
      targetCluster: "orders-graph",
    });
    assert.deepEqual(reopened.data.completed, ["restore"]);
    assert.deepEqual(
      reopened.data.events.map((event) => `${event.step} ${event.event}`),
      [
        "targetCluster requested",
        "instances requested",
        "targetCopy requested",
        "targetCopy withdrawn",
        "restore done",
      ],
    );
    assert.equal(reopened.data.createdAt, "2026-01-01T00:00:01.000Z");
    assert.equal(reopened.data.events[0]!.at, "2026-01-01T00:00:02.000Z");
  });

  test("belongs to one migration: another source or target is refused with the fix", () => {
    const path = join(dir, "b.json");
    Journal.open(path, identity).record("apply", "started");
    assert.throws(
      () => Journal.open(path, { ...identity, source: { account: "111111111111", cluster: "other" } }),
      (error: MigrateError) =>
        error instanceof MigrateError &&
        /belongs to another migration \(cluster orders-graph of 111111111111/.test(error.message) &&
        /--journal/.test(error.fix),
    );
  });

  test("a damaged or foreign-version journal is one message with a fix", () => {
    const broken = join(dir, "broken.json");
    writeFileSync(broken, "{ not json");
    assert.throws(
      () => readJournal(broken),
      (error: MigrateError) => error instanceof MigrateError && /not valid JSON/.test(error.message),
    );
    const future = join(dir, "future.json");
    writeFileSync(future, JSON.stringify({ version: 99 }));
    assert.throws(() => readJournal(future), /version 99/);
    assert.ok(readFileSync(broken, "utf8").startsWith("{ not"), "left as it was");
  });
});

describe("the names a migration gives", () => {
  test("valid identifiers, at most 63 characters, suffix kept when the base is long", () => {
    assert.equal(sourceManualSnapshotName("orders-graph", "222222222222"), "trident-orders-graph-for-222222222222");
    assert.equal(targetCopyName("orders-graph", "111111111111"), "trident-orders-graph-from-111111111111");
    const long = "g".repeat(60);
    for (const name of [
      sourceManualSnapshotName(long, "222222222222"),
      targetCopyName(long, "111111111111"),
      targetInstanceName(long, 0),
    ]) {
      assert.ok(name.length <= 63, name);
      assert.match(name, /^[a-z](?:[a-z0-9]|-(?!-))*[a-z0-9]$/);
    }
    assert.match(sourceManualSnapshotName(long, "222222222222"), /-for-222222222222$/);
    assert.equal(identifier("My_Cluster--x-"), "my-cluster-x");
  });
});
