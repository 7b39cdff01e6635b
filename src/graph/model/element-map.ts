import type { Node, Relationship } from "./values.js";

/**
 * A graph's id → element map (nodes, or relationships), in the graph's order: creation order, since elements are
 * added as they are made. That order is what a label-less scan returns and what the stored form holds.
 *
 * A transaction may be rolled back, and then it must leave the order as it found it. A Map only appends, so an
 * element deleted in a transaction keeps its slot until the transaction commits, hidden (`deleted` is set: get,
 * has, size and the iterators leave it out); a rollback shows it again where it was, at no cost whatever the size
 * of the graph, and a commit frees the slots of the elements it deleted. *Decided* for the one case where a slot
 * can't be kept (an element deleted and then one of the same id made in the same transaction: the id's entry is
 * the new element's): a rollback adds the old element back and moves it to its place by its creation order
 * (`order`), taking out and adding again every element after it; rare, and the cost of that one case.
 */
export class ElementMap<E extends Node | Relationship> implements ReadonlyMap<string, E> {
  readonly #map = new Map<string, E>();
  /** The elements deleted by the open transaction whose slots are kept; how many of them are hidden now. */
  #kept: E[] = [];
  #hidden = 0;
  /** While a transaction is open, an iteration leaves out what is deleted during it too (as a Map's would). */
  #inTransaction = false;

  get size(): number {
    return this.#map.size - this.#hidden;
  }

  get(id: string): E | undefined {
    const element = this.#map.get(id);
    return element === undefined || element.deleted ? undefined : element;
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  values(): MapIterator<E> {
    return this.#inTransaction ? this.#shown() : this.#map.values();
  }

  *#shown(): MapIterator<E> {
    for (const element of this.#map.values()) if (!element.deleted) yield element;
  }

  *keys(): MapIterator<string> {
    for (const element of this.values()) yield element.id;
  }

  *entries(): MapIterator<[string, E]> {
    for (const element of this.values()) yield [element.id, element];
  }

  [Symbol.iterator](): MapIterator<[string, E]> {
    return this.entries();
  }

  forEach(callback: (value: E, key: string, map: ReadonlyMap<string, E>) => void): void {
    for (const element of this.values()) callback(element, element.id, this);
  }

  // ── changes (PropertyGraph's) ──────────────────────────────────────────────────────────────────────────

  /** Adds an element at the end; a hidden one of the same id loses its slot (see the class comment). */
  add(element: E): void {
    const hidden = this.#map.get(element.id);
    if (hidden?.deleted) {
      this.#map.delete(element.id);
      this.#hidden--;
    }
    this.#map.set(element.id, element);
  }

  /** Adds an element unless its id is taken (loading a stored graph: no transaction); whether it was added. */
  addNew(element: E): boolean {
    const size = this.#map.size;
    return this.#map.set(element.id, element).size !== size;
  }

  /** Removes an element (outside a transaction, or undoing its creation). */
  remove(element: E): void {
    if (this.#map.get(element.id) === element) this.#map.delete(element.id);
  }

  /** A transaction opens: from now on deleted elements keep their slots (hide) until it ends. */
  begin(): void {
    this.#inTransaction = true;
  }

  /** Hides an element deleted in a transaction (already marked deleted): its slot is kept until the commit. */
  hide(element: E): void {
    this.#kept.push(element);
    this.#hidden++;
  }

  /**
   * Shows again an element whose deletion is undone (already marked not deleted). False when its slot was taken
   * by an element of the same id: it is then added at the end, and `restoreOrder` must move it to its place.
   */
  show(element: E): boolean {
    if (this.#map.get(element.id) === element) {
      this.#hidden--;
      return true;
    }
    this.#map.set(element.id, element);
    return false;
  }

  /** The transaction committed: the slots of the elements it deleted are freed. */
  commit(): void {
    for (const element of this.#kept) if (element.deleted) this.remove(element);
    this.#kept = [];
    this.#hidden = 0;
    this.#inTransaction = false;
  }

  /** The transaction was rolled back: every hidden element is shown again; `moved` (see show) go to their places. */
  rolledBack(moved: readonly E[]): void {
    this.#kept = [];
    this.#hidden = 0;
    this.#inTransaction = false;
    this.#restoreOrder(moved.filter((element) => !element.deleted));
  }

  /** Takes out every element from the first of `moved` onwards and adds them again in creation order. */
  #restoreOrder(moved: E[]): void {
    if (moved.length === 0) return;
    moved.sort((x, y) => x.order - y.order);
    const from = moved[0]!.order;
    const isMoved = new Set(moved);
    const after: E[] = [];
    for (const element of this.#map.values()) if (element.order > from && !isMoved.has(element)) after.push(element);
    for (const element of [...after, ...moved]) this.#map.delete(element.id);
    let i = 0;
    for (const element of after) {
      while (i < moved.length && moved[i]!.order < element.order) this.#map.set(moved[i]!.id, moved[i++]!);
      this.#map.set(element.id, element);
    }
    for (; i < moved.length; i++) this.#map.set(moved[i]!.id, moved[i]!);
  }
}
