import { decodeRecord, encodeRecord } from "./codec.js";

/**
 * All emulator state sits behind this interface, scoped as AWS scopes it: by (account, region). Records are
 * plain data so that a durable implementation can serialize them without touching the handlers.
 */
export interface Table<T> {
  get(id: string): T | undefined;
  /**
   * A row read for reading only, never changed by the caller (an immutable row such as a sealed graph image): not
   * tracked by the unit of work, so a large row costs no re-encoding when the unit commits.
   */
  peek(id: string): Readonly<T> | undefined;
  has(id: string): boolean;
  put(id: string, value: T): void;
  delete(id: string): boolean;
  values(): T[];
  /**
   * Every row, for reading only (a listing that changes nothing): like peek, not tracked by the unit of work, so
   * a describe of many rows costs no re-encoding of them when the unit commits. A row to change is taken with get.
   */
  peekValues(): readonly Readonly<T>[];
  /**
   * A number that changes whenever a row may have changed: on every put and delete, on every get or values
   * (rows handed out for writing, which callers may change in place), and when a unit of work commits a change to
   * a row. Equal numbers mean the rows are as they were: what an index derived from the rows (a due-time index, a
   * resolved access key) checks before it trusts itself.
   */
  readonly generation: number;
  readonly size: number;
}

/** The location of a store without a data directory (a data directory's location is an absolute path). */
export const MEMORY_LOCATION = "memory";

export interface Store {
  /** Where state lives: MEMORY_LOCATION, or the data directory's absolute path. */
  readonly location: string;
  /** The table `name` of one (account, region). Created empty on first use. */
  table<T>(name: string, accountId: string, region: string): Table<T>;
  /** Every (account, region) that holds a table `name`, for cross-account views such as shared snapshots. */
  scopes(name: string): { accountId: string; region: string }[];
  /** Every row of every table, for exporting the whole state. Read only: rows handed out here are not tracked. */
  rows(): Iterable<StoredRow>;
  /** Removes every row of the tables whose name `which` selects (all tables when omitted): reset. */
  clear(which?: (tableName: string) => boolean): void;
  /**
   * Runs `work` as one unit of work: units run one at a time; every row it reads, writes or deletes is
   * tracked; if `keep(result)` is false (or `work` throws) every tracked row is put back as it was, otherwise
   * the changed rows are committed, durably, before this resolves.
   */
  transact<T>(work: () => T | Promise<T>, keep: (result: T) => boolean): Promise<T>;
  /**
   * `transact` for the request path: the result itself when the unit ran at once and has nothing to wait for (no
   * unit before it, work that answered without waiting, nothing to write to disk), else its promise. Every failure
   * is a rejected promise. `T` must not itself be a promise.
   */
  transactNow<T>(work: () => T | Promise<T>, keep: (result: T) => boolean): T | Promise<T>;
  /** Commits what is pending and releases the data directory. */
  close(): void;
  /**
   * Calls `listener` with the rows each committed change touched (a unit of work, or a change outside one), after
   * it is in memory; returns the way to stop. For watchers such as the console's live feed: they must not write.
   */
  onCommit(listener: (changes: readonly RowChange[]) => void): () => void;
}

/** One row with its place: table names are `<service>.<kind>` (e.g. `kms.keys`), so a service owns a prefix. */
export interface StoredRow {
  table: string;
  accountId: string;
  region: string;
  id: string;
  value: unknown;
}

/** A row's committed form after a unit of work: its record's `encodeRecord` text, or undefined once deleted. */
export interface RowChange {
  table: string;
  accountId: string;
  region: string;
  id: string;
  text: string | undefined;
}

/** Where committed rows go. `write` returns once the changes are durable (one transaction for the batch). */
export interface StoreBackend {
  readonly location: string;
  write(changes: RowChange[]): void;
  close(): void;
}

/** Rows whose last committed form is known: the in-memory record and that form, kept side by side. */
class TrackedTable<T> implements Table<T> {
  readonly #rows = new Map<string, T>();
  /** id → the row's last committed `encodeRecord` text: what a failed unit of work restores. */
  readonly committed = new Map<string, string>();
  /**
   * Rows loaded from the data directory are kept as their text until the table is first read, then decoded all
   * at once: a start with 100,000 rows parses none of them (JSON.parse and the garbage it leaves were half of
   * that start), and a table nobody asks for is never parsed.
   */
  #undecoded = false;

  /** id → record. */
  get rows(): Map<string, T> {
    if (this.#undecoded) this.#decode();
    return this.#rows;
  }

  /** A committed row from the data directory, before any unit of work: decoded when the table is first read. */
  load(id: string, text: string): void {
    this.committed.set(id, text);
    this.#undecoded = true;
  }

  /**
   * *Decided*: a row whose text does not decode (the data directory was changed by hand) leaves the whole table
   * unread and says which row, each time the table is read (the request answers InternalFailure and the server's
   * log names the row); no row is ever served without its neighbours.
   */
  #decode(): void {
    const decoded = new Map<string, T>();
    for (const [id, text] of this.committed) {
      try {
        decoded.set(id, decodeRecord<T>(text));
      } catch (error) {
        throw new Error(`the ${this.name} row ${id} of ${this.accountId}/${this.region} does not decode: ${error}`, {
          cause: error,
        });
      }
    }
    for (const [id, record] of decoded) this.#rows.set(id, record);
    this.#undecoded = false;
  }
  /** See Table.generation. Starts from a store-wide counter, so a table made anew never repeats a number. */
  generation: number;

  constructor(
    readonly name: string,
    readonly accountId: string,
    readonly region: string,
    private readonly store: UnitOfWorkStore,
  ) {
    this.generation = store.nextGeneration();
  }

  get(id: string) {
    const row = this.rows.get(id);
    // Handlers mutate records in place after get(): a row handed out is a row possibly changed.
    if (row !== undefined) this.touched(id);
    return row;
  }
  peek(id: string) {
    return this.rows.get(id);
  }
  peekValues() {
    return [...this.rows.values()];
  }
  /** A row handed out or changed: tracked by the running unit of work, and the generation moves on. */
  touched(id: string) {
    this.generation = this.store.nextGeneration();
    this.store.touch(this, id);
  }
  has(id: string) {
    return this.rows.has(id);
  }
  put(id: string, value: T) {
    this.store.change(this, id, () => this.rows.set(id, value));
  }
  delete(id: string) {
    if (!this.rows.has(id)) return false;
    this.store.change(this, id, () => this.rows.delete(id));
    return true;
  }
  values() {
    this.generation = this.store.nextGeneration();
    for (const id of this.rows.keys()) this.store.touch(this, id);
    return [...this.rows.values()];
  }
  get size() {
    return this.rows.size;
  }
}

/** The rows one unit of work touched, by table. */
type Touched = Map<TrackedTable<unknown>, Set<string>>;

/**
 * The one store: in-memory maps are the read path, and a unit of work per request captures every change
 * (records handed out and mutated in place included) by comparing each touched row's encoding with its last
 * committed one. Memory mode and durable mode run the same machinery; they differ only in the backend that
 * committed changes go to (none, or the data directory's database).
 *
 * Group commit: a unit of work's changes join a batch that is written once the current turn of the event loop
 * ends; the unit resolves only after that write, and so does any later unit that could have read them. No
 * answer leaves before what it says is on disk.
 */
export class UnitOfWorkStore implements Store {
  /**
   * name → account → region → table: a request looks tables up many times (IAM alone: the seed marker, the access
   * keys, the user, each attached policy), and three lookups of strings it already holds cost less than building
   * and hashing one joined key.
   */
  readonly #byName = new Map<string, Map<string, Map<string, TrackedTable<unknown>>>>();
  /** Every table, in the order made: what the whole-store walks (rows, scopes, clear) go through. */
  readonly #tables: TrackedTable<unknown>[] = [];
  readonly #backend: StoreBackend | undefined;
  /** The rows the running unit of work touched; undefined between units. */
  #current: Touched | undefined;
  /** Whether a unit of work runs now; the units waiting for their turn, first come first. */
  #busy = false;
  readonly #waiting: (() => void)[] = [];
  /** Committed changes not yet written, and how to tell their units of work that they are. */
  #batch: { changes: RowChange[]; written: Promise<void>; settle: (error?: unknown) => void } | undefined;
  #failure: unknown;
  readonly #listeners = new Set<(changes: readonly RowChange[]) => void>();
  #generation = 0;

  constructor(backend?: StoreBackend) {
    this.#backend = backend;
  }

  get location(): string {
    return this.#backend?.location ?? MEMORY_LOCATION;
  }

  table<T>(name: string, accountId: string, region: string): Table<T> {
    return this.#table(name, accountId, region) as Table<T>;
  }

  #table(name: string, accountId: string, region: string): TrackedTable<unknown> {
    let byAccount = this.#byName.get(name);
    if (!byAccount) this.#byName.set(name, (byAccount = new Map()));
    let byRegion = byAccount.get(accountId);
    if (!byRegion) byAccount.set(accountId, (byRegion = new Map()));
    let table = byRegion.get(region);
    if (!table) {
      table = new TrackedTable<unknown>(name, accountId, region, this);
      byRegion.set(region, table);
      this.#tables.push(table);
    }
    return table;
  }

  /** Puts a committed row in place without a unit of work: loading the data directory at start. */
  load(name: string, accountId: string, region: string, id: string, text: string): void {
    // Rows arrive in key order, so consecutive rows mostly share a table: skip the lookup for those.
    let table = this.#loading;
    if (!table || table.name !== name || table.accountId !== accountId || table.region !== region)
      table = this.#loading = this.#table(name, accountId, region);
    table.load(id, text);
    table.generation = this.nextGeneration();
  }

  #loading: TrackedTable<unknown> | undefined;

  scopes(name: string): { accountId: string; region: string }[] {
    const out: { accountId: string; region: string }[] = [];
    for (const byRegion of this.#byName.get(name)?.values() ?? [])
      for (const table of byRegion.values()) out.push({ accountId: table.accountId, region: table.region });
    return out;
  }

  *rows(): Iterable<StoredRow> {
    for (const { name: table, accountId, region, rows } of this.#tables)
      for (const [id, value] of rows) yield { table, accountId, region, id, value };
  }

  clear(which: (tableName: string) => boolean = () => true): void {
    for (const table of this.#tables) {
      if (!which(table.name)) continue;
      for (const id of [...table.rows.keys()]) table.delete(id);
    }
  }

  transact<T>(work: () => T | Promise<T>, keep: (result: T) => boolean): Promise<T> {
    const done = this.transactNow(work, keep);
    return done instanceof Promise ? done : Promise.resolve(done);
  }

  /**
   * Without async/await: a unit whose turn comes at once and whose work answers without waiting (most requests) runs
   * to its end here and makes no promise at all, unless its changes must first reach the disk.
   */
  transactNow<T>(work: () => T | Promise<T>, keep: (result: T) => boolean): T | Promise<T> {
    const turn = this.#enter();
    if (turn) return turn.then(() => this.#run(work, keep));
    return this.#run(work, keep);
  }

  #run<T>(work: () => T | Promise<T>, keep: (result: T) => boolean): T | Promise<T> {
    if (this.#failure !== undefined) {
      this.#leave();
      return Promise.reject(new StoreFailure(this.#failure));
    }
    // Units run one at a time: the map of one that touched nothing serves the next.
    const touched: Touched = this.#spare ?? new Map();
    this.#spare = undefined;
    this.#current = touched;
    let result: T | Promise<T>;
    try {
      result = work();
    } catch (error) {
      return this.#abandon(touched, error);
    }
    if (result instanceof Promise)
      return result.then(
        (value) => this.#finish(touched, value, keep),
        (error: unknown) => this.#abandon(touched, error),
      );
    return this.#finish(touched, result, keep);
  }

  /** The unit's work is done: kept and committed (durably, before the answer), or put back. */
  #finish<T>(touched: Touched, result: T, keep: (result: T) => boolean): T | Promise<T> {
    this.#current = undefined;
    let written: Promise<void> | undefined;
    if (keep(result)) written = this.#commit(this.#announce(this.#changes(touched)));
    else this.#restore(touched);
    this.#release(touched);
    return written ? written.then(() => result) : result;
  }

  /** The unit's work threw: everything it touched is put back. */
  #abandon(touched: Touched, error: unknown): Promise<never> {
    this.#current = undefined;
    this.#restore(touched);
    this.#release(touched);
    return Promise.reject(error);
  }

  /** Ends the unit's turn; its map of touched rows is kept, emptied, for the next unit. */
  #release(touched: Touched): void {
    if (touched.size > 0) touched.clear();
    this.#spare = touched;
    this.#leave();
  }

  #spare: Touched | undefined;

  close(): void {
    this.#flush();
    this.#backend?.close();
  }

  onCommit(listener: (changes: readonly RowChange[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Tells the watchers what a commit changed; a watcher that throws is its own problem, never the writer's. */
  #announce(changes: RowChange[]): RowChange[] {
    if (changes.length > 0)
      for (const listener of this.#listeners)
        try {
          listener(changes);
        } catch {
          // A watcher's failure must not undo or fail the unit of work that is already committed.
        }
    return changes;
  }

  /** The next number of the store-wide counter that tables' generations are drawn from. */
  nextGeneration(): number {
    return ++this.#generation;
  }

  /** Records that the running unit of work touched a row; outside one, reads are not tracked. */
  touch(table: TrackedTable<unknown>, id: string): void {
    if (!this.#current) return;
    let ids = this.#current.get(table);
    if (!ids) this.#current.set(table, (ids = new Set()));
    ids.add(id);
  }

  /**
   * A put or delete. Inside a unit of work it is tracked; outside one (a test arranging state, start-up) it is
   * its own unit, committed at once.
   */
  change(table: TrackedTable<unknown>, id: string, apply: () => void): void {
    table.generation = this.nextGeneration();
    if (this.#current) {
      this.touch(table, id);
      apply();
      return;
    }
    apply();
    void this.#commit(this.#announce(this.#changes(new Map([[table, new Set([id])]]))));
    this.#flush();
    if (this.#failure !== undefined) throw new StoreFailure(this.#failure);
  }

  /**
   * The turn of a new unit of work: at once (undefined: no promise, no wait) when no unit runs, else a promise that
   * resolves when every unit before it is done, in the order they came.
   */
  #enter(): Promise<void> | undefined {
    if (!this.#busy) {
      this.#busy = true;
      return undefined;
    }
    return new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  /** Ends the running unit's turn: the next unit waiting takes it (the store stays busy), or the store is free. */
  #leave(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#busy = false;
  }

  /** The touched rows whose encoding differs from their last committed form; that form becomes the new one. */
  #changes(touched: Touched): RowChange[] {
    const changes: RowChange[] = [];
    for (const [table, ids] of touched) {
      for (const id of ids) {
        const row = table.rows.get(id);
        const text = row === undefined ? undefined : encodeRecord(row);
        if (text === table.committed.get(id)) continue;
        if (text === undefined) table.committed.delete(id);
        else table.committed.set(id, text);
        // A row changed in place after it was handed out, and after something derived from its table read the
        // generation: the commit moves it on once more, so no derived value outlives the unit that changed a row.
        table.generation = this.nextGeneration();
        changes.push({ table: table.name, accountId: table.accountId, region: table.region, id, text });
      }
    }
    return changes;
  }

  /** Puts every touched row back in its last committed form (a fresh copy: the old object may be half changed). */
  #restore(touched: Touched): void {
    for (const [table, ids] of touched) {
      table.generation = this.nextGeneration();
      for (const id of ids) {
        const text = table.committed.get(id);
        if (text === undefined) table.rows.delete(id);
        else table.rows.set(id, decodeRecord(text));
      }
    }
  }

  /**
   * Adds changes to the batch; resolves once the batch holding them, and everything committed before them, is
   * written (at once when nothing is pending, as in memory mode).
   */
  #commit(changes: RowChange[]): Promise<void> | undefined {
    if (!this.#backend) return undefined;
    if (changes.length > 0 && !this.#batch) {
      let settle!: (error?: unknown) => void;
      const written = new Promise<void>((resolve, reject) => (settle = (e) => (e ? reject(e) : resolve())));
      // Waiters are attached by the units of work; this one only keeps an unobserved failure quiet.
      written.catch(() => {});
      this.#batch = { changes: [], written, settle };
      setImmediate(() => this.#flush());
    }
    this.#batch?.changes.push(...changes);
    return this.#batch?.written;
  }

  /** Writes the pending batch in one transaction. A failed write stops the store: memory is ahead of disk. */
  #flush(): void {
    const batch = this.#batch;
    if (!batch) return;
    this.#batch = undefined;
    try {
      this.#backend!.write(batch.changes);
      batch.settle();
    } catch (error) {
      this.#failure = error;
      batch.settle(new StoreFailure(error));
    }
  }
}

/** The store could not write to its data directory: it refuses every later request (restart to recover). */
export class StoreFailure extends Error {
  constructor(cause: unknown) {
    super(`the state could not be written to disk: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}

/** State in memory only: the unit-of-work store without a backend. */
export class MemoryStore extends UnitOfWorkStore {
  constructor() {
    super();
  }
}
