import type { Database } from "better-sqlite3";
import { StateDirError } from "./state-dir-error.js";

/**
 * The data directory's database schema, versioned in its `meta` table. A file written by a newer Trident is
 * refused (it may hold what this one would misread); an older one is brought up to date by the migrations, in
 * order, inside the opening transaction.
 */
export const SCHEMA_VERSION = 1;

/** Brings a database from schema version `from` to `from + 1`. */
export interface Migration {
  from: number;
  up(db: Database): void;
}

/** Every migration since version 1 (none yet): add one here with each schema change, never edit a released one. */
export const MIGRATIONS: readonly Migration[] = [];

const CREATE_V1 = `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value ANY) STRICT;
  CREATE TABLE rows (
    tbl TEXT NOT NULL, account TEXT NOT NULL, region TEXT NOT NULL, id TEXT NOT NULL,
    value ANY NOT NULL,  -- the record's JSON text, or for secret tables its sealed bytes
    PRIMARY KEY (tbl, account, region, id)
  ) STRICT, WITHOUT ROWID;`;

/**
 * Creates the schema in an empty database or checks and upgrades an existing one; run inside a write
 * transaction. Returns whether the database was new.
 */
export function prepareSchema(
  db: Database,
  where: string,
  migrations: readonly Migration[] = MIGRATIONS,
  target = SCHEMA_VERSION,
): { created: boolean } {
  const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get();
  if (!hasMeta) {
    const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master").get() as { n: number };
    if (tables.n > 0) throw new StateDirError(`${where} is not a Trident state database (it has no meta table)`);
    db.exec(CREATE_V1);
    setVersion(db, target);
    return { created: true };
  }
  const version = readVersion(db, where);
  if (version > target) {
    throw new StateDirError(
      `${where} was written by a newer Trident (state schema version ${version}; this one reads up to ${target}): ` +
        `upgrade Trident, or use another --data-dir`,
    );
  }
  for (let at = version; at < target; at++) {
    const migration = migrations.find((m) => m.from === at);
    if (!migration) throw new StateDirError(`${where} has state schema version ${at}, which Trident cannot upgrade`);
    migration.up(db);
  }
  if (version !== target) setVersion(db, target);
  return { created: false };
}

function readVersion(db: Database, where: string): number {
  const row = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: unknown } | undefined;
  const version = Number(row?.value);
  if (!Number.isInteger(version)) throw new StateDirError(`${where} has no readable schema version in its meta table`);
  return version;
}

function setVersion(db: Database, version: number): void {
  db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)").run(version);
}
