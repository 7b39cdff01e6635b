/**
 * All emulator state sits behind this interface, scoped as AWS scopes it: by (account, region). Records are
 * plain data so that a durable implementation can serialize them without touching the handlers.
 */
export interface Table<T> {
  get(id: string): T | undefined;
  has(id: string): boolean;
  put(id: string, value: T): void;
  delete(id: string): boolean;
  values(): T[];
  readonly size: number;
}

export interface Store {
  /** The table `name` of one (account, region). Created empty on first use. */
  table<T>(name: string, accountId: string, region: string): Table<T>;
  /** Every (account, region) that holds a table `name`, for cross-account views such as shared snapshots. */
  scopes(name: string): { accountId: string; region: string }[];
  /** Every row of every table, for exporting the whole state. */
  rows(): Iterable<StoredRow>;
  /** Removes every row of the tables whose name `which` selects (all tables when omitted): reset. */
  clear(which?: (tableName: string) => boolean): void;
}

/** One row with its place: table names are `<service>.<kind>` (e.g. `kms.keys`), so a service owns a prefix. */
export interface StoredRow {
  table: string;
  accountId: string;
  region: string;
  id: string;
  value: unknown;
}

class MapTable<T> implements Table<T> {
  readonly #rows = new Map<string, T>();
  get(id: string) {
    return this.#rows.get(id);
  }
  has(id: string) {
    return this.#rows.has(id);
  }
  put(id: string, value: T) {
    this.#rows.set(id, value);
  }
  delete(id: string) {
    return this.#rows.delete(id);
  }
  values() {
    return [...this.#rows.values()];
  }
  entries() {
    return this.#rows.entries();
  }
  clear() {
    this.#rows.clear();
  }
  get size() {
    return this.#rows.size;
  }
}

export class MemoryStore implements Store {
  readonly #tables = new Map<string, MapTable<unknown>>();

  table<T>(name: string, accountId: string, region: string): Table<T> {
    const key = `${name}\u0000${accountId}\u0000${region}`;
    let table = this.#tables.get(key);
    if (!table) {
      table = new MapTable<unknown>();
      this.#tables.set(key, table);
    }
    return table as Table<T>;
  }

  scopes(name: string): { accountId: string; region: string }[] {
    const out: { accountId: string; region: string }[] = [];
    for (const key of this.#tables.keys()) {
      const [table, accountId, region] = splitKey(key);
      if (table === name) out.push({ accountId, region });
    }
    return out;
  }

  *rows(): Iterable<StoredRow> {
    for (const [key, rows] of this.#tables) {
      const [table, accountId, region] = splitKey(key);
      for (const [id, value] of rows.entries()) yield { table, accountId, region, id, value };
    }
  }

  clear(which: (tableName: string) => boolean = () => true): void {
    for (const [key, rows] of this.#tables) if (which(splitKey(key)[0])) rows.clear();
  }
}

function splitKey(key: string): [table: string, accountId: string, region: string] {
  return key.split("\u0000") as [string, string, string];
}
