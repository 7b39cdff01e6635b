import { Properties } from "./properties.js";

/**
 * The values of the graph and of queries. openCypher keeps integers and floats apart (`1/2` is 0, `1.0/2` is
 * 0.5) and Neptune's integers are 64-bit, so an integer is a `bigint` (exact over the whole Long range) and a
 * float is a `number`. A datetime is an instant in UTC (Neptune stores and returns UTC only) held as a Date that
 * nobody mutates.
 */
export type PropertyValue = boolean | bigint | number | string | Date | PropertyValue[];

export type Value = null | boolean | bigint | number | string | Date | Value[] | ValueMap | Node | Relationship | Path;

/** A map value. A Map (not a plain object) so that a map is never mistaken for a node or a relationship. */
export type ValueMap = Map<string, Value>;

/** The adjacency list of a node without relationships, shared (never written: appending makes a new one). */
const NO_RELATIONSHIPS: Relationship[] = [];

/**
 * A node and a relationship are their own property list (`properties` is the element itself): one object less per
 * element, of which a graph holds over a million (32 bytes and one more object for the collector each).
 */
/** The creation order of elements, process-wide (see GraphElement.order). */
let created = 0;

/**
 * What nodes and relationships share: their place in creation order and whether they are deleted, in one field
 * (a graph holds over a million elements, and a small integer costs what the boolean it replaces cost). A graph
 * keeps its elements in creation order (its id maps are filled as elements are made, so insertion order is
 * creation order), and a rolled-back deletion puts an element back at its place by this number
 * (PropertyGraph). The counter stays a small integer for 2^30 elements made in one process; past that an
 * element's order is a heap number: slower, still right.
 */
abstract class GraphElement extends Properties {
  /** The creation order, negated while the element is deleted. */
  #order = ++created;

  /** The element's place in creation order: larger for an element made later. */
  get order(): number {
    return this.#order < 0 ? -this.#order : this.#order;
  }

  get deleted(): boolean {
    return this.#order < 0;
  }

  set deleted(deleted: boolean) {
    this.#order = deleted ? -this.order : this.order;
  }
}

export class Node extends GraphElement {
  /**
   * Outgoing and incoming relationships: expansion never scans the graph. Arrays, not Sets: a million
   * relationships appear twice each, and an array entry costs a word where a Set entry costs several. Only
   * PropertyGraph changes them (it may replace the array: see its `appended`).
   */
  out: Relationship[] = NO_RELATIONSHIPS;
  in: Relationship[] = NO_RELATIONSHIPS;
  constructor(
    readonly id: string,
    /** Shared and frozen (see PropertyGraph): only PropertyGraph replaces it. */
    public labels: readonly string[],
    /** Moved into the node (left empty). */
    properties: Properties,
  ) {
    super();
    this.moveFrom(properties);
  }

  get properties(): Properties {
    return this;
  }
}

export class Relationship extends GraphElement {
  constructor(
    readonly id: string,
    readonly type: string,
    readonly start: Node,
    readonly end: Node,
    /** Moved into the relationship (left empty). */
    properties: Properties,
  ) {
    super();
    this.moveFrom(properties);
  }

  get properties(): Properties {
    return this;
  }

  /** The node at the other end from `node`. */
  other(node: Node): Node {
    return this.start === node ? this.end : this.start;
  }
}

/** A path: n0, r0, n1, r1, …, nk. */
export class Path {
  constructor(
    readonly nodes: Node[],
    readonly relationships: Relationship[],
  ) {}
}

/** Neptune's reserved key for an element's custom id in patterns and maps (compliance page, reference §2.4). */
export const ID_KEY = "~id";

export const isMap = (v: Value): v is ValueMap => v instanceof Map;
export const isList = (v: Value): v is Value[] => Array.isArray(v);
export const isNumber = (v: Value): v is bigint | number => typeof v === "bigint" || typeof v === "number";

export const LONG_MIN = -(2n ** 63n);
export const LONG_MAX = 2n ** 63n - 1n;

/** Small integers, each made once: most integer properties (years, counts, ranks) repeat a few values. */
const SMALL_INTEGER_LIMIT = 1 << 16;
const SMALL_INTEGERS = new Array<bigint | undefined>(SMALL_INTEGER_LIMIT);

/** An integer value from a safe integer, without allocating a new bigint for a small one. */
export function integer(n: number): bigint {
  if (n >= 0 && n < SMALL_INTEGER_LIMIT && Number.isInteger(n)) return (SMALL_INTEGERS[n] ??= BigInt(n));
  return BigInt(n);
}

/** The name of a value's type, for error messages. */
export function typeName(v: Value): string {
  if (v === null) return "Null";
  if (typeof v === "boolean") return "Boolean";
  if (typeof v === "bigint") return "Integer";
  if (typeof v === "number") return "Float";
  if (typeof v === "string") return "String";
  if (v instanceof Date) return "DateTime";
  if (Array.isArray(v)) return "List";
  if (v instanceof Map) return "Map";
  if (v instanceof Node) return "Node";
  if (v instanceof Relationship) return "Relationship";
  return "Path";
}

/** Whether a value may be stored as a property (Neptune: scalars, DateTime, and lists of them). */
export function isPropertyValue(v: Value): v is PropertyValue {
  if (v === null) return false;
  if (Array.isArray(v)) return v.every(isPropertyValue);
  return (
    typeof v === "boolean" ||
    typeof v === "bigint" ||
    typeof v === "number" ||
    typeof v === "string" ||
    v instanceof Date
  );
}
