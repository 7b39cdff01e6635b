import type { PropertyGraph } from "../graph/model/graph.js";
import { Node, Relationship } from "../graph/model/values.js";
import { GremlinErrors } from "./errors.js";
import { same, test } from "./predicates.js";
import { ElementRef, GProperty, Predicate, Token, isElement, type Arg, type GValue } from "./values.js";

/**
 * Reading the graph's elements as Gremlin sees them: ids (strings only, reference §3.6), labels (`A::B`),
 * adjacency, property values (a set-valued property unrolled), valueMap/elementMap, and has().
 */

/** An id as Neptune takes it: a string (or an element given by reference); a number is refused (reference §3.6). */
export function idOf(v: Arg): string {
  if (typeof v === "string") return v;
  if (v instanceof ElementRef) return v.id;
  if (isElement(v)) return v.id;
  if (typeof v === "bigint")
    return fail(
      GremlinErrors.nonStringId(v > 2147483647n || v < -2147483648n ? "java.lang.Long" : "java.lang.Integer"),
    );
  if (typeof v === "number") return fail(GremlinErrors.nonStringId("java.lang.Double"));
  return fail(GremlinErrors.nonStringId("java.lang.Object"));
}

function fail(error: Error): never {
  throw error;
}

// ── elements ─────────────────────────────────────────────────────────────────────────────────────────────

export function element(v: GValue): Node | Relationship {
  if (!isElement(v)) throw GremlinErrors.badArgument(`The step expects a vertex or an edge, not ${describe(v)}`);
  return v;
}

export function edge(v: GValue): Relationship {
  if (!(v instanceof Relationship)) throw GremlinErrors.badArgument(`The step expects an edge, not ${describe(v)}`);
  return v;
}

export function vertex(v: GValue): Node {
  if (!(v instanceof Node)) throw GremlinErrors.badArgument(`The step expects a vertex, not ${describe(v)}`);
  return v;
}

export function describe(v: GValue): string {
  if (v === null) return "null";
  if (v instanceof Node) return "a vertex";
  if (v instanceof Relationship) return "an edge";
  if (Array.isArray(v)) return "a list";
  if (v instanceof GProperty) return "a property";
  if (v instanceof Map) return "a map";
  return `the value ${String(v)}`;
}

/** Neptune writes a vertex's several labels as `A::B` (reference §3.6). */
export const labelOf = (v: GValue): string => (v instanceof Node ? v.labels.join("::") : edge(v).type);

export const labelsOf = (v: GValue): string[] =>
  v instanceof Node ? [...v.labels] : v instanceof Relationship ? [v.type] : [];

export function labelArg(arg: Arg | undefined, fallback: string): string {
  if (arg === undefined) return fallback;
  if (typeof arg !== "string" || arg === "") throw GremlinErrors.badArgument("A label must be a non-empty string");
  return arg;
}

export function verticesOf(graph: PropertyGraph, ids: Arg[]): Node[] {
  if (ids.length === 0) return [...graph.nodes.values()];
  return idList(ids).flatMap((id) => graph.nodes.get(id) ?? []);
}

export function edgesOf(graph: PropertyGraph, ids: Arg[]): Relationship[] {
  if (ids.length === 0) return [...graph.relationships.values()];
  return idList(ids).flatMap((id) => graph.relationships.get(id) ?? []);
}

const idList = (ids: Arg[]): string[] => ids.flatMap((a) => (Array.isArray(a) ? a : [a])).map(idOf);

export const idOrPredicate = (a: Arg): Arg => (a instanceof Predicate ? a : idOf(a));

/** A node's relationships in a direction ("out" | "in" | "both"), of the given labels; [relationship, from]. */
export function adjacent(v: GValue, direction: string, labels: Arg[]): [Relationship, Node][] {
  const node = vertex(v);
  const wanted = labels.map(String);
  const keep = (rel: Relationship) => wanted.length === 0 || wanted.includes(rel.type);
  const out = direction === "in" ? [] : node.out.filter(keep);
  const inn = direction === "out" ? [] : node.in.filter(keep);
  return [...out, ...inn].map((rel) => [rel, node]);
}

export const other = (rel: Relationship, from: Node): Node => rel.other(from);

// ── properties ───────────────────────────────────────────────────────────────────────────────────────────

/** An element's values of `keys` (all keys when none), a set-valued property unrolled. */
export function propertyValues(v: GValue, keys: string[]): GValue[] {
  if (v instanceof Map) return keys.flatMap((k) => (v.has(k) ? [v.get(k)!] : []));
  const el = element(v);
  const out: GValue[] = [];
  for (const [key, value] of el.properties)
    if (keys.length === 0 || keys.includes(key)) out.push(...(Array.isArray(value) ? value : [value]));
  return out;
}

/** An element's properties of `keys` (all keys when none): a vertex's one per value of a set, an edge's one each. */
export function propertiesOf(v: GValue, keys: string[]): GProperty[] {
  const el = element(v);
  const out: GProperty[] = [];
  for (const [key, value] of el.properties)
    if (keys.length === 0 || keys.includes(key))
      for (const one of Array.isArray(value) ? value : [value]) out.push(new GProperty(el, key, one));
  return out;
}

/** propertyMap(): each key to its properties (a vertex's as a list, as valueMap lists its values). */
export function propertyMap(v: GValue, keys: string[]): Map<GValue, GValue> {
  const out = new Map<GValue, GValue>();
  for (const p of propertiesOf(v, keys)) {
    if (p.element instanceof Relationship) out.set(p.key, p);
    else out.set(p.key, [...((out.get(p.key) as GValue[] | undefined) ?? []), p]);
  }
  return out;
}

/** A property step's subject (key(), value(), hasValue()). */
export function property(v: GValue): GProperty {
  if (!(v instanceof GProperty)) throw GremlinErrors.badArgument(`The step expects a property, not ${describe(v)}`);
  return v;
}

export function valueMap(v: GValue, args: Arg[], tokens: boolean): Map<GValue, GValue> {
  const el = element(v);
  const withTokens = tokens || args[0] === true;
  const keys = args.filter((a): a is string => typeof a === "string");
  const out = new Map<GValue, GValue>();
  if (withTokens) {
    out.set(new Token("T", "id"), el.id);
    out.set(new Token("T", "label"), labelOf(el));
  }
  for (const [key, value] of el.properties) {
    if (keys.length > 0 && !keys.includes(key)) continue;
    // A vertex's values come as a list (its cardinality); an edge's single value as itself (TinkerPop's valueMap).
    out.set(key, el instanceof Node ? (Array.isArray(value) ? [...value] : [value]) : value);
  }
  return out;
}

export function elementMap(v: GValue, keys: string[]): Map<GValue, GValue> {
  const el = element(v);
  const out = new Map<GValue, GValue>([
    [new Token("T", "id"), el.id],
    [new Token("T", "label"), labelOf(el)],
  ]);
  if (el instanceof Relationship) {
    const end = (n: Node) =>
      new Map<GValue, GValue>([
        [new Token("T", "id"), n.id],
        [new Token("T", "label"), labelOf(n)],
      ]);
    out.set(new Token("Direction", "IN"), end(el.end));
    out.set(new Token("Direction", "OUT"), end(el.start));
  }
  for (const [key, value] of el.properties)
    if (keys.length === 0 || keys.includes(key)) out.set(key, Array.isArray(value) ? (value[0] ?? null) : value);
  return out;
}

/** has(key), has(key, value|P), has(label, key, value|P), has(T.id|T.label, …). */
export function hasStep(v: GValue, args: Arg[]): boolean {
  if (!isElement(v)) return false;
  if (args.length === 3 && !matchesAny(labelsOf(v), [args[0]!])) return false;
  const [key, expected] = args.length === 3 ? [args[1], args[2]] : [args[0], args[1]];
  if (key instanceof Token) {
    if (key.name === "id") return matchesAny([v.id], [idOrPredicate(expected!)]);
    if (key.name === "label") return matchesAny(labelsOf(v), [expected!]);
    return false;
  }
  const value = v.properties.get(String(key));
  if (value === undefined) return false;
  if (args.length === 1) return true;
  return matchesAny(Array.isArray(value) ? value : [value], [expected!]);
}

/** Whether one of `values` equals one of `wanted` (a value, or a P tested against it). */
export function matchesAny(values: GValue[], wanted: Arg[]): boolean {
  return values.some((value) =>
    wanted.some((w) =>
      w instanceof Predicate ? test(w, value) : Array.isArray(w) ? w.some((x) => same(value, x)) : same(value, w),
    ),
  );
}
