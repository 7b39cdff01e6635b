import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import Database from "better-sqlite3";
import { STSClient } from "@aws-sdk/client-sts";
import { Emulator, type EmulatorOptions } from "../../src/emulator.js";
import { InProcessHandler } from "../../src/server/inprocess.js";
import { ManualClock } from "../../src/state/clock.js";
import { DELAY_PROFILES } from "../../src/state/delays.js";
import { DATABASE_FILE, openDurableStore } from "../../src/state/durable-store.js";
import { MASTER_KEY_ENV } from "../../src/state/master-key.js";
import { StateDirError } from "../../src/state/state-dir-error.js";
import { A, ADMIN, B, inProcess, REGION, type Clients, type Credentials } from "../helpers/harness.js";
import { SNAPSHOT_CONFIG } from "../neptune/snapshots-fixtures.js";
import { DescribeDBClustersCommand, NeptuneClient } from "@aws-sdk/client-neptune";
import { encodeRecord } from "../../src/state/codec.js";
import { KMSClient } from "@aws-sdk/client-kms";
import { createCluster, describeCluster } from "../neptune/resources.js";
import { CLUSTERS_TABLE } from "../../src/domain/neptune/records.js";
import { buildRehearsal, describeRehearsal, PLAINTEXT, useRehearsal } from "./rehearsal.js";

/** A fresh data directory. */
export function dataDir(): string {
  return mkdtempSync(join(tmpdir(), "trident-state-"));
}

/** The emulator on a data directory, with SDK clients through the in-process handler; `close` releases it. */
function onDisk(dir: string, clock: ManualClock, options: EmulatorOptions = {}, env: NodeJS.ProcessEnv = {}) {
  const emulator = new Emulator({ config: SNAPSHOT_CONFIG, clock, store: openDurableStore(dir, env), ...options });
  const handler = new InProcessHandler(emulator);
  const clientsFor = (credentials: Credentials): Clients => {
    const config = {
      region: REGION,
      endpoint: "http://trident.local",
      credentials,
      requestHandler: handler,
      maxAttempts: 1,
    };
    return { sts: new STSClient(config), kms: new KMSClient(config), neptune: new NeptuneClient(config) };
  };
  return {
    emulator,
    clientsFor,
    a: clientsFor(ADMIN[A]!),
    b: clientsFor(ADMIN[B]!),
    close: () => emulator.store.close(),
  };
}

describe("durable state: a data directory, reopened in-process", () => {
  test("every kind of resource reads back identical after a restart, and still works", async () => {
    const dir = dataDir();
    const clock = new ManualClock(Date.now());
    const first = onDisk(dir, clock);
    assert.equal(first.emulator.store.location, dir);
    const rehearsal = await buildRehearsal(first.a, first.b, () => clock.advance(60_000));
    const before = await describeRehearsal(first.a, first.b, rehearsal);
    first.close();

    const second = onDisk(dir, clock);
    assert.deepEqual(await describeRehearsal(second.a, second.b, rehearsal), before);
    const used = await useRehearsal(second.a, second.b, rehearsal, second.clientsFor(rehearsal.temporary).sts);
    assert.deepEqual(used, { plaintext: PLAINTEXT, caller: `arn:aws:iam::${A}:user/admin`, restored: "available" });
    second.close();
  });

  test("lifecycle resumes on the clock: a cluster creating when the process stopped moves on as if it never had", async () => {
    const dir = dataDir();
    const clock = new ManualClock(Date.now());
    const delays = DELAY_PROFILES.realistic;
    // The twin never stops: the restarted one must say what it says, at every point of the clock.
    const twin = inProcess({ config: SNAPSHOT_CONFIG, clock, delays });
    const first = onDisk(dir, clock, { delays });
    assert.equal((await createCluster(first.a.neptune, "slow")).Status, "creating");
    await createCluster(twin.a.neptune, "slow");
    first.close();
    for (const step of [delays.clusterCreateMs - 1, 1, 60 * 60_000]) {
      clock.advance(step);
      const again = onDisk(dir, clock, { delays });
      const [restarted, continuous] = [
        await describeCluster(again.a.neptune, "slow"),
        await describeCluster(twin.a.neptune, "slow"),
      ];
      again.close();
      assert.equal(restarted.Status, continuous.Status);
      assert.deepEqual(restarted.ClusterCreateTime, continuous.ClusterCreateTime);
    }
    const last = onDisk(dir, clock, { delays });
    assert.equal((await describeCluster(last.a.neptune, "slow")).Status, "available");
    last.close();
  });

  test("secret rows are sealed at rest under the directory's master key (mode 0600); other rows are JSON", async () => {
    const dir = dataDir();
    const env = onDisk(dir, new ManualClock(Date.now()));
    await buildRehearsal(env.a, env.b, () => undefined);
    env.close();
    assert.equal(statSync(join(dir, "master.key")).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, "master.key")).size, 32);
    const db = new Database(join(dir, DATABASE_FILE), { readonly: true });
    const rows = db.prepare("SELECT tbl, value FROM rows").all() as { tbl: string; value: string | Buffer }[];
    db.close();
    const keys = rows.filter((row) => row.tbl === "kms.keys");
    const credentials = rows.filter((row) => row.tbl === "sts.temporaryCredentials");
    assert.ok(keys.length >= 2 && credentials.length === 1);
    for (const row of [...keys, ...credentials]) {
      assert.ok(Buffer.isBuffer(row.value), `${row.tbl} is stored sealed`);
      assert.ok(!row.value.toString("latin1").includes("$buffer"), `${row.tbl} shows no key material`);
    }
    const clusters = rows.filter((row) => row.tbl === "neptune.clusters");
    assert.equal(
      (JSON.parse(clusters[0]!.value as string) as { DBClusterIdentifier: string }).DBClusterIdentifier,
      "src",
    );
  });

  test("a wrong or missing master key is refused at start, and TRIDENT_MASTER_KEY opens what it sealed", async () => {
    const given = randomBytes(32).toString("base64");
    const dir = dataDir();
    const clock = new ManualClock(Date.now());
    const first = onDisk(dir, clock, {}, { [MASTER_KEY_ENV]: given });
    await createCluster(first.a.neptune, "kept");
    first.close();
    assert.throws(() => statSync(join(dir, "master.key")), /ENOENT/, "a key from the environment is not written");

    assert.throws(
      () => openDurableStore(dir, {}),
      (error: Error) =>
        error instanceof StateDirError &&
        error.message ===
          `${dir} holds state sealed by a master key, but ${join(dir, "master.key")} is missing and ${MASTER_KEY_ENV} is not set`,
    );
    assert.throws(
      () => openDurableStore(dir, { [MASTER_KEY_ENV]: randomBytes(32).toString("base64") }),
      (error: Error) =>
        error instanceof StateDirError &&
        error.message === `the master key (${MASTER_KEY_ENV}) does not open the state in ${dir}`,
    );
    assert.throws(
      () => openDurableStore(dir, { [MASTER_KEY_ENV]: randomBytes(16).toString("base64") }),
      /the master key in TRIDENT_MASTER_KEY must be 32 bytes/,
    );
    const again = onDisk(dir, clock, {}, { [MASTER_KEY_ENV]: given });
    assert.equal((await describeCluster(again.a.neptune, "kept")).DBClusterIdentifier, "kept");
    again.close();
  });

  test("one owner: a second open of a directory in use is refused, and allowed once the first closes", () => {
    const dir = dataDir();
    const first = openDurableStore(dir, {});
    assert.throws(
      () => openDurableStore(dir, {}),
      (error: Error) =>
        error instanceof StateDirError &&
        error.message === `${dir} is in use by another Trident process (its database is locked)`,
    );
    first.close();
    openDurableStore(dir, {}).close();
  });

  test("reset's clear() is a change like any other: the cleared rows stay gone after a restart", async () => {
    const dir = dataDir();
    const clock = new ManualClock(Date.now());
    const first = onDisk(dir, clock);
    await buildRehearsal(first.a, first.b, () => undefined);
    await first.emulator.store.transact(
      async () => first.emulator.store.clear((table) => table.startsWith("neptune.")),
      () => true,
    );
    first.close();
    const reopened = openDurableStore(dir, {});
    const tables = new Set([...reopened.rows()].map((row) => row.table));
    reopened.close();
    assert.ok(tables.has("kms.keys"));
    assert.deepEqual(
      [...tables].filter((table) => table.startsWith("neptune.")),
      [],
    );
  });

  test("reads write nothing: describing clusters between two backup windows changes no stored record", async () => {
    const { a, clock, emulator } = inProcess();
    for (const id of ["r1", "r2"]) await createCluster(a.neptune, id);
    await a.neptune.send(new DescribeDBClustersCommand({}));
    const stored = () =>
      new Map([...emulator.store.rows()].map((row) => [`${row.table}/${row.id}`, encodeRecord(row.value)]));
    const before = stored();
    clock.advance(60_000);
    await a.neptune.send(new DescribeDBClustersCommand({}));
    assert.deepEqual(stored(), before);
  });

  test("rows are decoded when their table is first read: a row changed by hand fails its own table's reads only", async () => {
    const dir = dataDir();
    const clock = new ManualClock(Date.now());
    const first = onDisk(dir, clock);
    await createCluster(first.a.neptune, "kept");
    await createCluster(first.b.neptune, "spoiled");
    first.close();
    const db = new Database(join(dir, DATABASE_FILE));
    const spoil = db.prepare("UPDATE rows SET value = ? WHERE tbl = ? AND account = ? AND id = ?");
    assert.equal(spoil.run('{"DBClusterIdentifier":', CLUSTERS_TABLE, B, "spoiled").changes, 1);
    db.close();

    const second = onDisk(dir, clock);
    assert.equal((await describeCluster(second.a.neptune, "kept")).Status, "available");
    // Each read of the spoiled table fails the same way: it is never served with some of its rows missing.
    for (let attempt = 0; attempt < 2; attempt++) {
      await assert.rejects(second.b.neptune.send(new DescribeDBClustersCommand({})), (error: Error) => {
        assert.equal(error.name, "InternalFailure");
        assert.equal((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode, 500);
        return true;
      });
    }
    assert.equal((await describeCluster(second.a.neptune, "kept")).DBClusterIdentifier, "kept");
    second.close();
    rmSync(dir, { recursive: true });
  });

  test("a directory that is not a Trident database is refused", () => {
    const dir = dataDir();
    const db = new Database(join(dir, DATABASE_FILE));
    db.exec("CREATE TABLE other (x)");
    db.close();
    assert.throws(() => openDurableStore(dir, {}), /is not a Trident state database \(it has no meta table\)/);
    rmSync(dir, { recursive: true });
  });
});
