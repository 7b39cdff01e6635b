import type { Table } from "../state/store.js";

/**
 * Values derived from store tables (a principal and its parsed policies), kept while every table they were read
 * from holds the generation it had then (Table.generation moves on with any put, delete, or row handed out for
 * writing, and when a failed unit of work puts rows back): a change to any of them is seen by the next lookup.
 * Bounded: when full it starts again empty, as the parsed policies do (domain/iam/documents.ts).
 */
export class DerivedCache<T> {
  readonly #entries = new Map<string, { value: T; tables: readonly Table<unknown>[]; generations: number[] }>();

  constructor(private readonly limit: number) {}

  get(key: string): T | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    for (let i = 0; i < entry.tables.length; i++) {
      if (entry.tables[i]!.generation !== entry.generations[i]) {
        this.#entries.delete(key);
        return undefined;
      }
    }
    return entry.value;
  }

  /** Keeps `value`, derived from `tables` as they are now (read after the derivation: it may have seeded them). */
  set(key: string, value: T, tables: readonly Table<unknown>[]): T {
    if (this.#entries.size >= this.limit) this.#entries.clear();
    this.#entries.set(key, { value, tables, generations: tables.map((table) => table.generation) });
    return value;
  }
}
