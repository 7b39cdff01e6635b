import { Node, Path, Relationship, type Value } from "../model/values.js";

/**
 * openCypher's three notions of sameness and order, kept apart as the spec keeps them:
 * - `equals`: the `=` operator, three-valued (null when either side is or holds null);
 * - `compare`: `<`, `<=`, `>`, `>=`, defined only between values of one kind (else null);
 * - `orderCompare`: the total order of ORDER BY, across kinds, with null last;
 * - `groupKey`: equivalence for DISTINCT and grouping, where null equals null.
 */

export function equals(a: Value, b: Value): boolean | null {
  if (a === null || b === null) return null;
  if (isNum(a) && isNum(b)) return numericCompare(a, b) === 0;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b)) return false;
    if (a.length !== b.length) return false;
    return allEqual(a.map((item, i) => equals(item, b[i]!)));
  }
  if (a instanceof Map || b instanceof Map) {
    if (!(a instanceof Map) || !(b instanceof Map) || a.size !== b.size) return false;
    const results: (boolean | null)[] = [];
    for (const [key, value] of a) {
      if (!b.has(key)) return false;
      results.push(equals(value, b.get(key)!));
    }
    return allEqual(results);
  }
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (a instanceof Path && b instanceof Path) {
    return (
      a.nodes.length === b.nodes.length &&
      a.nodes.every((n, i) => n === b.nodes[i]) &&
      a.relationships.every((r, i) => r === b.relationships[i])
    );
  }
  return a === b;
}

function allEqual(results: (boolean | null)[]): boolean | null {
  if (results.includes(false)) return false;
  return results.includes(null) ? null : true;
}

/** Negative, zero or positive; NaN when a NaN takes part (every comparison with NaN is false); null when undefined. */
export function compare(a: Value, b: Value): number | null {
  if (a === null || b === null) return null;
  if (isNum(a) && isNum(b)) return numericCompare(a, b);
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  // Neptune: `<` and friends are not supported when either side is a list, map or path (reference §2.4).
  return null;
}

export function isNum(v: Value): v is bigint | number {
  return typeof v === "bigint" || typeof v === "number";
}

/** Compares an integer and a float exactly (a Long may not fit a double). */
export function numericCompare(a: bigint | number, b: bigint | number): number {
  if (typeof a === "bigint" && typeof b === "bigint") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "number" && typeof b === "number") return a < b ? -1 : a > b ? 1 : a === b ? 0 : NaN;
  if (typeof a === "number") return -numericCompare(b, a);
  const f = b as number;
  if (Number.isNaN(f)) return NaN;
  if (!Number.isFinite(f)) return f > 0 ? -1 : 1;
  const whole = BigInt(Math.floor(f));
  if (a !== whole) return a < whole ? -1 : 1;
  return f === Math.floor(f) ? 0 : -1;
}

/**
 * The order of ORDER BY across kinds (openCypher 9 orderability): map < node < relationship < list < path <
 * datetime < string < boolean < number < null. NaN sorts after every other number.
 */
const RANK = {
  map: 0,
  node: 1,
  relationship: 2,
  list: 3,
  path: 4,
  datetime: 5,
  string: 6,
  boolean: 7,
  number: 8,
  null: 9,
};

function rank(v: Value): number {
  if (v === null) return RANK.null;
  if (isNum(v)) return RANK.number;
  if (typeof v === "string") return RANK.string;
  if (typeof v === "boolean") return RANK.boolean;
  if (v instanceof Date) return RANK.datetime;
  if (Array.isArray(v)) return RANK.list;
  if (v instanceof Map) return RANK.map;
  if (v instanceof Node) return RANK.node;
  if (v instanceof Relationship) return RANK.relationship;
  return RANK.path;
}

export function orderCompare(a: Value, b: Value): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (isNum(a) && isNum(b)) {
    const aNaN = typeof a === "number" && Number.isNaN(a);
    const bNaN = typeof b === "number" && Number.isNaN(b);
    if (aNaN || bNaN) return Number(aNaN) - Number(bNaN);
    return numericCompare(a, b);
  }
  if (Array.isArray(a) && Array.isArray(b)) return orderLists(a, b);
  if (a instanceof Path && b instanceof Path) {
    return orderLists([...a.nodes, ...a.relationships], [...b.nodes, ...b.relationships]);
  }
  if (a instanceof Node || a instanceof Relationship) {
    const other = b as Node | Relationship;
    return a.id < other.id ? -1 : a.id > other.id ? 1 : 0;
  }
  if (a instanceof Map && b instanceof Map) return orderLists(mapAsList(a), mapAsList(b));
  return compare(a, b) ?? 0;
}

function orderLists(a: Value[], b: Value[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = orderCompare(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

function mapAsList(m: Map<string, Value>): Value[] {
  return [...m.keys()].sort().flatMap((k) => [k, m.get(k)!]);
}

/** A string that two values share exactly when they are equivalent (DISTINCT, grouping: null ≡ null, 1 ≡ 1.0). */
export function groupKey(v: Value): string {
  if (v === null) return "0";
  switch (typeof v) {
    case "string":
      return "s" + v.length + ":" + v;
    case "boolean":
      return v ? "T" : "F";
    case "bigint":
      return "n" + v;
    case "number":
      return Number.isInteger(v) ? "n" + BigInt(v) : "f" + v;
  }
  if (v instanceof Date) return "d" + v.getTime();
  if (Array.isArray(v)) return "[" + v.map(groupKey).join(",") + "]";
  if (v instanceof Map) return "{" + mapAsList(v).map(groupKey).join(",") + "}";
  if (v instanceof Node) return "N" + v.id.length + ":" + v.id;
  if (v instanceof Relationship) return "R" + v.id.length + ":" + v.id;
  return "P" + groupKey([...v.nodes, ...v.relationships]);
}
