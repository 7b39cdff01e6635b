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
      const [table, accountId, region] = key.split("\u0000") as [string, string, string];
      if (table === name) out.push({ accountId, region });
    }
    return out;
  }
}
