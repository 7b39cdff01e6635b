import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { createMasterKey, findMasterKey, MASTER_KEY_ENV, MASTER_KEY_FILE } from "./master-key.js";
import { prepareSchema } from "./schema.js";
import { seal, SealError, unseal } from "./sealing.js";
import { isSecretTable } from "./tables.js";
import { StateDirError } from "./state-dir-error.js";
import { UnitOfWorkStore, type RowChange, type StoreBackend } from "./store.js";

/**
 * State in a data directory: `state.db`, an SQLite database in WAL mode with synchronous=FULL (a commit is
 * fsync'd before it returns), and `master.key`. The database is opened with an exclusive lock held for the life
 * of the process, so a second Trident on the same directory is refused; the OS drops the lock when the process
 * dies, so there is never a stale lock to clean up.
 *
 * Every row is loaded into memory at start (reads stay at memory speed); units of work write through at commit.
 */
export const DATABASE_FILE = "state.db";

/** Sealed in `meta` when the directory is created: opening it proves the master key is the right one. */
const KEY_CHECK = "key_check";
const KEY_CHECK_TEXT = "trident master key check";

export function openDurableStore(dir: string, env: NodeJS.ProcessEnv = process.env): UnitOfWorkStore {
  const location = resolve(dir);
  mkdirSync(location, { recursive: true });
  const db = new Database(join(location, DATABASE_FILE), { timeout: 0 });
  try {
    const key = openLocked(db, location, env[MASTER_KEY_ENV]);
    const backend = new SqliteBackend(db, location, key);
    const store = new UnitOfWorkStore(backend);
    backend.loadInto(store);
    return store;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Takes the lock, checks the schema and the master key; the key that seals this directory's secrets. */
function openLocked(db: Database.Database, location: string, keyFromEnv: string | undefined): Buffer {
  try {
    // Exclusive before WAL: the WAL index then lives in this process's memory and the lock is never shared.
    db.pragma("locking_mode = EXCLUSIVE");
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    // A write at open takes the exclusive lock now, and it stays until the connection closes.
    return db
      .transaction(() => {
        const { created } = prepareSchema(db, location);
        return created ? initialKey(db, location, keyFromEnv) : checkedKey(db, location, keyFromEnv);
      })
      .immediate();
  } catch (error) {
    if ((error as { code?: string }).code === "SQLITE_BUSY") {
      throw new StateDirError(`${location} is in use by another Trident process (its database is locked)`);
    }
    throw error;
  }
}

function initialKey(db: Database.Database, location: string, keyFromEnv: string | undefined): Buffer {
  const key = findMasterKey(location, keyFromEnv) ?? createMasterKey(location);
  const check = seal(key, KEY_CHECK, Buffer.from(KEY_CHECK_TEXT));
  db.prepare("INSERT INTO meta (key, value) VALUES (?, ?)").run(KEY_CHECK, check);
  return key;
}

function checkedKey(db: Database.Database, location: string, keyFromEnv: string | undefined): Buffer {
  const key = findMasterKey(location, keyFromEnv);
  if (!key) {
    throw new StateDirError(
      `${location} holds state sealed by a master key, but ${join(location, MASTER_KEY_FILE)} is missing and ${MASTER_KEY_ENV} is not set`,
    );
  }
  const row = db.prepare("SELECT value FROM meta WHERE key = ?").get(KEY_CHECK) as { value: Buffer } | undefined;
  try {
    if (!row || unseal(key, KEY_CHECK, row.value).toString() !== KEY_CHECK_TEXT) throw new SealError("no key check");
  } catch (error) {
    if (!(error instanceof SealError)) throw error;
    throw new StateDirError(
      `the master key (${keyFromEnv !== undefined ? MASTER_KEY_ENV : join(location, MASTER_KEY_FILE)}) does not open the state in ${location}`,
    );
  }
  return key;
}

/** A row's place, bound into its seal so that a sealed row can't be moved to another row. */
function place(row: Omit<RowChange, "text">): string {
  return `${row.table}\u0000${row.accountId}\u0000${row.region}\u0000${row.id}`;
}

class SqliteBackend implements StoreBackend {
  readonly #upsert: Database.Statement;
  readonly #delete: Database.Statement;
  readonly #write: (changes: RowChange[]) => void;

  constructor(
    private readonly db: Database.Database,
    readonly location: string,
    private readonly key: Buffer,
  ) {
    this.#upsert = db.prepare("INSERT OR REPLACE INTO rows (tbl, account, region, id, value) VALUES (?, ?, ?, ?, ?)");
    this.#delete = db.prepare("DELETE FROM rows WHERE tbl = ? AND account = ? AND region = ? AND id = ?");
    this.#write = db.transaction((changes: RowChange[]) => {
      for (const change of changes) {
        const { table, accountId, region, id, text } = change;
        if (text === undefined) this.#delete.run(table, accountId, region, id);
        else this.#upsert.run(table, accountId, region, id, this.#stored(change, text));
      }
    });
  }

  /** One transaction: all of the batch or none of it. */
  write(changes: RowChange[]): void {
    this.#write(changes);
  }

  loadInto(store: UnitOfWorkStore): void {
    const select = this.db.prepare("SELECT tbl, account, region, id, value FROM rows").raw();
    for (const [table, accountId, region, id, value] of select.iterate() as Iterable<
      [string, string, string, string, string | Buffer]
    >) {
      const text = isSecretTable(table)
        ? this.#opened({ table, accountId, region, id }, value as Buffer)
        : (value as string);
      store.load(table, accountId, region, id, text);
    }
  }

  close(): void {
    this.db.close();
  }

  #opened(row: Omit<RowChange, "text">, sealed: Buffer): string {
    try {
      return unseal(this.key, place(row), sealed).toString("utf8");
    } catch (error) {
      if (!(error instanceof SealError)) throw error;
      throw new StateDirError(`${this.location}: the ${row.table} row ${row.id} does not open (${error.message})`);
    }
  }

  #stored(row: Omit<RowChange, "text">, text: string): string | Buffer {
    return isSecretTable(row.table) ? seal(this.key, place(row), Buffer.from(text, "utf8")) : text;
  }
}
