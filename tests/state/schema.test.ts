import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { DATABASE_FILE, openDurableStore } from "../../src/state/durable-store.js";
import { prepareSchema, SCHEMA_VERSION } from "../../src/state/schema.js";
import { StateDirError } from "../../src/state/state-dir-error.js";

const dataDir = () => mkdtempSync(join(tmpdir(), "trident-schema-"));

test("a data directory written by a newer Trident is refused, and left as it was", () => {
  const dir = dataDir();
  openDurableStore(dir, {}).close();
  const db = new Database(join(dir, DATABASE_FILE));
  db.prepare("UPDATE meta SET value = ? WHERE key = 'schema_version'").run(SCHEMA_VERSION + 1);
  db.close();
  assert.throws(
    () => openDurableStore(dir, {}),
    (error: Error) =>
      error instanceof StateDirError &&
      error.message ===
        `${dir} was written by a newer Trident (state schema version ${SCHEMA_VERSION + 1}; this one reads up to ${SCHEMA_VERSION}): upgrade Trident, or use another --data-dir`,
  );
  const after = new Database(join(dir, DATABASE_FILE), { readonly: true });
  assert.deepEqual(after.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get(), {
    value: SCHEMA_VERSION + 1,
  });
  after.close();
});

/** A hand-made database of an older schema: version 1 with a `rows` table, and a v2 that adds a column. */
function olderDatabase(): Database.Database {
  const db = new Database(join(dataDir(), DATABASE_FILE));
  db.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value ANY) STRICT;
           INSERT INTO meta VALUES ('schema_version', 1);
           CREATE TABLE rows (tbl TEXT, id TEXT, value ANY);
           INSERT INTO rows VALUES ('kms.keys', 'k1', '{}');`);
  return db;
}

test("an older schema is brought up to date by its migrations, in order, inside the opening transaction", () => {
  const db = olderDatabase();
  const applied: number[] = [];
  const migrations = [
    { from: 2, up: (d: Database.Database) => (applied.push(2), d.exec("UPDATE rows SET origin = 'v3'")) },
    { from: 1, up: (d: Database.Database) => (applied.push(1), d.exec("ALTER TABLE rows ADD COLUMN origin TEXT")) },
  ];
  assert.deepEqual(db.transaction(() => prepareSchema(db, "old.db", migrations, 3)).immediate(), { created: false });
  assert.deepEqual(applied, [1, 2]);
  assert.deepEqual(db.prepare("SELECT id, origin FROM rows").all(), [{ id: "k1", origin: "v3" }]);
  assert.deepEqual(db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get(), { value: 3 });
  db.close();
});

test("an older schema with no migration to the next version is refused, and left as it was", () => {
  const db = olderDatabase();
  assert.throws(
    () => db.transaction(() => prepareSchema(db, "old.db", [], 2)).immediate(),
    (error: Error) =>
      error instanceof StateDirError &&
      error.message === "old.db has state schema version 1, which Trident cannot upgrade",
  );
  assert.deepEqual(db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get(), { value: 1 });
  db.close();
});
