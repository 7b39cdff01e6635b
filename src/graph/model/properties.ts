import { appended } from "./arrays.js";
import type { PropertyValue } from "./values.js";

/** One empty list shared by every element without properties (never written: `appended` copies it). */
const EMPTY: (string | PropertyValue)[] = [];

/**
 * The properties of one node or relationship: a Map's interface over a flat [key, value, key, value…] array.
 * A graph holds a million of these and most have a handful of keys: a Map costs ~160 bytes even for one entry,
 * this ~50, and a linear search over a few keys is as fast as hashing.
 */
export class Properties implements Iterable<[string, PropertyValue]> {
  #items = EMPTY;

  constructor(entries?: Iterable<[string, PropertyValue]>) {
    if (entries) for (const [key, value] of entries) this.set(key, value);
  }

  /** Properties over a flat [key, value, key, value…] list of distinct keys, which they take over (bulk loading). */
  static adopt(items: (string | PropertyValue)[]): Properties {
    const properties = new Properties();
    if (items.length > 0) properties.#items = items;
    return properties;
  }

  /** Takes over the entries of `from` (this is empty), leaving it empty: no list is copied. */
  protected moveFrom(from: Properties): void {
    this.#items = from.#items;
    from.#items = EMPTY;
  }

  get size(): number {
    return this.#items.length / 2;
  }

  #find(key: string): number {
    const items = this.#items;
    for (let i = 0; i < items.length; i += 2) if (items[i] === key) return i;
    return -1;
  }

  get(key: string): PropertyValue | undefined {
    const at = this.#find(key);
    return at < 0 ? undefined : (this.#items[at + 1] as PropertyValue);
  }

  has(key: string): boolean {
    return this.#find(key) >= 0;
  }

  set(key: string, value: PropertyValue): this {
    const at = this.#find(key);
    if (at >= 0) {
      this.#items[at + 1] = value;
    } else {
      this.#items = appended(this.#items, key, value);
    }
    return this;
  }

  /** Where a key sits in iteration order (-1 if absent): a rollback puts a removed key back in its place. */
  position(key: string): number {
    const at = this.#find(key);
    return at < 0 ? -1 : at / 2;
  }

  /** Adds a key at a position in iteration order (the inverse of delete). */
  insert(position: number, key: string, value: PropertyValue): void {
    if (this.#items === EMPTY) this.#items = [];
    this.#items.splice(position * 2, 0, key, value);
  }

  delete(key: string): boolean {
    const at = this.#find(key);
    if (at < 0) return false;
    this.#items.splice(at, 2);
    return true;
  }

  /** Each key and value, without allocating (the stored form and the indexes walk millions of these). */
  forEach(visit: (value: PropertyValue, key: string) => void): void {
    const items = this.#items;
    for (let i = 0; i < items.length; i += 2) visit(items[i + 1] as PropertyValue, items[i] as string);
  }

  *keys(): IterableIterator<string> {
    for (let i = 0; i < this.#items.length; i += 2) yield this.#items[i] as string;
  }

  *[Symbol.iterator](): IterableIterator<[string, PropertyValue]> {
    for (let i = 0; i < this.#items.length; i += 2) {
      yield [this.#items[i] as string, this.#items[i + 1] as PropertyValue];
    }
  }
}
