import { indexKey, type IndexKey } from "./index-key.js";
import type { Node, PropertyValue } from "./values.js";

/** One (label, key)'s values → the node holding it (a unique value, the common case, costs no Set) or nodes. */
type ValueIndex = Map<IndexKey, Node | Set<Node>>;

/**
 * The (label, property key, value) → nodes index. The index of one (label, key) is built by the first lookup
 * that needs it (one pass over the label's nodes) and kept up to date from then on: a graph of 200,000 nodes
 * with seven properties each would otherwise hold 1.4 million entries, most for keys no query looks up, and
 * build them all again each time the stored form is read.
 */
export class PropertyIndex {
  readonly #byLabel = new Map<string, Map<string, ValueIndex>>();

  constructor(private readonly nodesWithLabel: (label: string) => Iterable<Node>) {}

  /** The nodes with `label` whose property `key` equals `value` (openCypher equality). */
  find(label: string, key: string, value: PropertyValue): Iterable<Node> {
    const valueKey = indexKey(value);
    if (valueKey === undefined) return [];
    const found = this.#built(label, key).get(valueKey);
    return found === undefined ? [] : found instanceof Set ? found : [found];
  }

  #built(label: string, key: string): ValueIndex {
    let byKey = this.#byLabel.get(label);
    if (!byKey) this.#byLabel.set(label, (byKey = new Map()));
    let values = byKey.get(key);
    if (!values) {
      byKey.set(key, (values = new Map()));
      for (const node of this.nodesWithLabel(label)) {
        const value = node.properties.get(key);
        if (value !== undefined) change(values, node, value, true);
      }
    }
    return values;
  }

  /** A node with `label` gains (present) or loses a property value. */
  property(node: Node, label: string, key: string, value: PropertyValue, present: boolean): void {
    const values = this.#byLabel.get(label)?.get(key);
    if (values) change(values, node, value, present);
  }

  /** A node gains (present) or loses `label`, or, with it, enters or leaves the graph. */
  label(node: Node, label: string, present: boolean): void {
    const byKey = this.#byLabel.get(label);
    if (!byKey) return;
    for (const [key, values] of byKey) {
      const value = node.properties.get(key);
      if (value !== undefined) change(values, node, value, present);
    }
  }
}

function change(values: ValueIndex, node: Node, value: PropertyValue, present: boolean): void {
  const valueKey = indexKey(value);
  if (valueKey === undefined) return;
  const found = values.get(valueKey);
  if (present) {
    if (found === undefined) values.set(valueKey, node);
    else if (found instanceof Set) found.add(node);
    else if (found !== node) values.set(valueKey, new Set([found, node]));
  } else if (found === node) {
    values.delete(valueKey);
  } else if (found instanceof Set) {
    found.delete(node);
    if (found.size === 1) values.set(valueKey, found.values().next().value!);
  }
}
