import type { PropertyGraph } from "../graph/model/graph.js";
import { Properties } from "../graph/model/properties.js";
import { isPropertyValue, Node, Relationship, type PropertyValue, type Value } from "../graph/model/values.js";
import { GremlinErrors } from "./errors.js";
import { compare, same, test } from "./predicates.js";
import {
  adjacent,
  describe,
  edge,
  edgesOf,
  element,
  elementMap,
  hasStep,
  idOf,
  idOrPredicate,
  labelArg,
  labelOf,
  labelsOf,
  matchesAny,
  other,
  propertyValues,
  valueMap,
  vertex,
  verticesOf,
} from "./elements.js";
import {
  BytecodeArg,
  ElementRef,
  GPath,
  Predicate,
  Token,
  isElement,
  type Arg,
  type Bytecode,
  type GValue,
  type Instruction,
} from "./values.js";

/**
 * Gremlin bytecode run over the cluster's one property graph (src/graph/model): a vertex is a node, an edge a
 * relationship, so what one language writes the other reads. Traversers move through the steps one step at a
 * time over the whole stream (eager, in memory): simple, and a request is one transaction anyway.
 *
 * Neptune's semantics (reference §3.6): string ids only; a vertex's labels are its node labels, written `A::B`;
 * `property(k, v)` has set cardinality by default; elements are answered as references (the face's codecs).
 */

interface PathEntry {
  readonly object: GValue;
  readonly labels: string[];
}

interface Traverser {
  readonly value: GValue;
  readonly path: readonly PathEntry[];
  readonly loops: number;
}

/** A step with the modulators that follow it (`by`, `from`, `to`, `times`, `until`, `emit`, `with`). */
interface Step {
  readonly name: string;
  readonly args: Arg[];
  readonly by: Arg[][];
  from?: Arg;
  to?: Arg;
  times?: number;
  until?: { arg: Arg | undefined; before: boolean };
  emit?: { arg: Arg | undefined; before: boolean };
  id?: string;
  tokens?: boolean;
  /** mergeV/mergeE's option(Merge.onCreate|onMatch, map). */
  options?: Map<string, Arg>;
}

export interface TraversalContext {
  readonly graph: PropertyGraph;
  /** Throws (ReadOnlyViolationException) when the request may not write: a reader endpoint. */
  readonly write: () => void;
  /** Called in loops: throws when the request has run past its time. */
  readonly tick: () => void;
}

/** Runs a request's traversal; the values it yields, in order. */
export function runTraversal(bytecode: Bytecode, ctx: TraversalContext): GValue[] {
  for (const source of bytecode.source) {
    // Strategies and side-effect configuration change nothing Trident runs; anything else is refused.
    if (!["withStrategies", "withoutStrategies", "with"].includes(source.name))
      throw GremlinErrors.unsupported(`Unsupported traversal source step: ${source.name}`);
  }
  return execute(compile(bytecode.step), [], ctx, true).map((t) => t.value);
}

const MODULATORS = new Set(["by", "from", "to", "times", "until", "emit", "with", "option"]);

/** Bytecode instructions → steps, each with the modulators written after it (until/emit may come before repeat). */
function compile(instructions: readonly Instruction[]): Step[] {
  const steps: Step[] = [];
  let pendingUntil: Step["until"];
  let pendingEmit: Step["emit"];
  for (const { name, args } of instructions) {
    const last = steps[steps.length - 1];
    if ((name === "until" || name === "emit") && last?.name !== "repeat") {
      if (name === "until") pendingUntil = { arg: args[0], before: true };
      else pendingEmit = { arg: args[0], before: true };
      continue;
    }
    if (MODULATORS.has(name)) {
      if (!last) throw GremlinErrors.badArgument(`${name}() modulates no step`);
      modulate(last, name, args);
      continue;
    }
    // addV/addE take their id from a property(id, …) written right after them (Neptune's way to give one).
    if (name === "property" && last && (last.name === "addV" || last.name === "addE") && isToken(args[0], "id")) {
      last.id = idOf(args[1] as GValue);
      continue;
    }
    const step: Step = { name, args, by: [] };
    if (name === "repeat") {
      if (pendingUntil) step.until = pendingUntil;
      if (pendingEmit) step.emit = pendingEmit;
      pendingUntil = pendingEmit = undefined;
    }
    steps.push(step);
  }
  return steps;
}

function modulate(step: Step, name: string, args: Arg[]): void {
  switch (name) {
    case "by":
      step.by.push(args);
      return;
    case "from":
      step.from = args[0];
      return;
    case "to":
      step.to = args[0];
      return;
    case "times":
      step.times = Number(args[0]);
      return;
    case "until":
      step.until = { arg: args[0], before: false };
      return;
    case "emit":
      step.emit = { arg: args[0], before: false };
      return;
    case "option":
      (step.options ??= new Map()).set(args[0] instanceof Token ? args[0].name : String(args[0]), args[1] ?? null);
      return;
    case "with":
      // valueMap().with(WithOptions.tokens): Gremlin sends the option's key as `~tinkerpop.valueMap.tokens`.
      if (String(args[0]).endsWith("tokens")) step.tokens = true;
      return;
    default:
      throw GremlinErrors.unsupported(`Unsupported step: ${name}`);
  }
}

const isToken = (v: Arg | undefined, name: string): boolean => v instanceof Token && v.name === name;

const start = (value: GValue): Traverser => ({ value, path: [{ object: value, labels: [] }], loops: 0 });
const moved = (t: Traverser, value: GValue): Traverser => ({
  value,
  path: [...t.path, { object: value, labels: [] }],
  loops: t.loops,
});

/** Runs steps over traversers. `root`: the request's own traversal (its first V()/E()/addV() starts the stream). */
function execute(steps: readonly Step[], input: Traverser[], ctx: TraversalContext, root = false): Traverser[] {
  let stream = input;
  steps.forEach((step, index) => {
    ctx.tick();
    stream = runStep(step, stream, ctx, root && index === 0);
    // One tick per traverser made: a stream that grows without end (repeat over a cycle) meets the limits.
    for (let i = 0; i < stream.length; i++) ctx.tick();
  });
  return stream;
}

/** A child traversal (`__.out()`) from one traverser. */
function child(arg: Arg | undefined, t: Traverser, ctx: TraversalContext): Traverser[] {
  if (!(arg instanceof BytecodeArg)) throw GremlinErrors.badArgument("Expected a traversal as argument");
  return execute(compile(arg.step), [t], ctx);
}

const produces = (arg: Arg | undefined, t: Traverser, ctx: TraversalContext) => child(arg, t, ctx).length > 0;

function runStep(step: Step, stream: Traverser[], ctx: TraversalContext, first: boolean): Traverser[] {
  const { graph } = ctx;
  const { args } = step;
  const flat = (f: (t: Traverser) => GValue[]) => stream.flatMap((t) => f(t).map((v) => moved(t, v)));
  const map = (f: (t: Traverser) => GValue) => stream.map((t) => moved(t, f(t)));
  const filter = (f: (t: Traverser) => boolean) => stream.filter(f);
  const single = (value: GValue) => [start(value)];
  switch (step.name) {
    case "V":
    case "E": {
      const found = step.name === "V" ? verticesOf(graph, args) : edgesOf(graph, args);
      return first ? found.map(start) : flat(() => found);
    }
    case "addV": {
      ctx.write();
      const make = () => addVertex(graph, labelArg(args[0], "vertex"), step.id);
      return first ? single(make()) : map(make);
    }
    case "addE": {
      ctx.write();
      const label = labelArg(args[0], "edge");
      const make = (t: Traverser | undefined) => {
        const from = endOf(step.from, t, ctx, "from");
        const to = endOf(step.to, t, ctx, "to");
        if (step.id !== undefined && graph.relationships.has(step.id)) throw GremlinErrors.duplicateEdge(step.id);
        return graph.addRelationship(step.id, label, from, to, new Properties());
      };
      return first ? single(make(undefined)) : map(make);
    }
    case "mergeV":
    case "mergeE": {
      const merge = (t: Traverser | undefined) =>
        step.name === "mergeV" ? mergeVertex(step, t, ctx) : mergeEdge(step, t, ctx);
      return first ? single(merge(undefined)) : map(merge);
    }
    case "property":
      ctx.write();
      for (const t of stream) setProperty(graph, t, args, ctx);
      return stream;
    case "drop":
      ctx.write();
      for (const t of stream) dropElement(graph, t.value);
      return [];
    case "inject": {
      const injected = args.map((a) => start(a as GValue));
      return first ? injected : [...injected, ...stream];
    }
    case "has":
      return filter((t) => hasStep(t.value, args));
    case "hasLabel":
      return filter((t) => matchesAny(labelsOf(t.value), args));
    case "hasId":
      return filter((t) => isElement(t.value) && matchesAny([t.value.id], args.map(idOrPredicate)));
    case "hasKey":
      return filter((t) => isElement(t.value) && matchesAny([...t.value.properties.keys()], args));
    case "hasNot":
      return filter((t) => isElement(t.value) && !t.value.properties.has(String(args[0])));
    case "out":
    case "in":
    case "both":
      return flat((t) => adjacent(t.value, step.name, args).map(([rel, node]) => (rel ? other(rel, node) : node)));
    case "outE":
    case "inE":
    case "bothE":
      return flat((t) => adjacent(t.value, step.name.slice(0, -1), args).map(([rel]) => rel!));
    case "outV":
      return map((t) => edge(t.value).start);
    case "inV":
      return map((t) => edge(t.value).end);
    case "bothV":
      return flat((t) => [edge(t.value).start, edge(t.value).end]);
    case "otherV":
      return map((t) => {
        const rel = edge(t.value);
        const previous = t.path[t.path.length - 2]?.object;
        return previous instanceof Node && previous === rel.end ? rel.start : rel.end;
      });
    case "values":
      return flat((t) => propertyValues(t.value, args.map(String)));
    case "valueMap":
      return map((t) => valueMap(t.value, args, step.tokens === true));
    case "elementMap":
      return map((t) => elementMap(t.value, args.map(String)));
    case "id":
      return map((t) => element(t.value).id);
    case "label":
      return map((t) => labelOf(t.value));
    case "constant":
      return map(() => args[0] as GValue);
    case "identity":
    case "barrier":
      return stream;
    case "as":
      return stream.map((t) => labelled(t, args.map(String)));
    case "count":
      return isLocal(args) ? map((t) => BigInt(collection(t.value).length)) : single(BigInt(stream.length));
    case "sum":
    case "max":
    case "min":
    case "mean":
      return reduceNumbers(step.name, stream);
    case "fold":
      return single(stream.map((t) => t.value));
    case "unfold":
      return flat((t) => unfolded(t.value));
    case "limit":
      return isLocal(args)
        ? map((t) => collection(t.value).slice(0, Number(args[1])))
        : stream.slice(0, Number(args[0]));
    case "range":
      return stream.slice(Number(args[0]), Number(args[1]) < 0 ? undefined : Number(args[1]));
    case "skip":
      return stream.slice(Number(args[0]));
    case "tail":
      return stream.slice(Math.max(0, stream.length - Number(args[0] ?? 1n)));
    case "is":
      return filter((t) => matchesAny([t.value], args));
    case "order":
      return isLocal(args)
        ? map((t) => orderValues(collection(t.value), step, ctx))
        : orderTraversers(stream, step, ctx);
    case "dedup":
      return dedup(stream, step, ctx);
    case "groupCount":
      return single(groupCount(stream, step, ctx));
    case "group":
      return single(group(stream, step, ctx));
    case "project":
      return map((t) => project(t, args.map(String), step, ctx));
    case "select":
      return select(stream, step, ctx);
    case "path":
      return map(
        (t) =>
          new GPath(
            t.path.map((e) => e.labels),
            cycleBy(
              t.path.map((e) => e.object),
              step,
              ctx,
            ),
          ),
      );
    case "where":
      return filter((t) => where(t, args, ctx));
    case "not":
      return filter((t) => !produces(args[0], t, ctx));
    case "and":
      return filter((t) => args.every((a) => produces(a, t, ctx)));
    case "or":
      return filter((t) => args.some((a) => produces(a, t, ctx)));
    case "union":
      return stream.flatMap((t) => args.flatMap((a) => child(a, t, ctx)));
    case "coalesce":
      return stream.flatMap((t) => {
        for (const a of args) {
          const found = child(a, t, ctx);
          if (found.length > 0) return found;
        }
        return [];
      });
    case "optional":
      return stream.flatMap((t) => {
        const found = child(args[0], t, ctx);
        return found.length > 0 ? found : [t];
      });
    case "local":
      return stream.flatMap((t) => child(args[0], t, ctx));
    case "sideEffect":
      for (const t of stream) child(args[0], t, ctx);
      return stream;
    case "simplePath":
      return filter((t) => distinctObjects(t));
    case "cyclicPath":
      return filter((t) => !distinctObjects(t));
    case "repeat":
      return repeat(stream, step, ctx);
    case "loops":
      return map((t) => BigInt(t.loops));
    case "none":
    case "discard":
      // iterate(): the client wants no results (3.7 sends none(), 3.8 discard()).
      return [];
    default:
      throw GremlinErrors.unsupported(`Unsupported step: ${step.name}`);
  }
}

/**
 * addV with an id a vertex already has: Neptune adds the new label (and the properties that follow) to that vertex
 * when the label is new to it, and refuses with ConstraintViolationException otherwise (reference §3.6).
 */
function addVertex(graph: PropertyGraph, label: string, id: string | undefined): Node {
  const labels = label.split("::").filter((l) => l !== "");
  const existing = id === undefined ? undefined : graph.nodes.get(id);
  if (existing) {
    const added = labels.filter((l) => !existing.labels.includes(l));
    if (added.length === 0) throw GremlinErrors.duplicateVertex(existing.id);
    for (const l of added) graph.addLabel(existing, l);
    return existing;
  }
  return graph.addNode(id, labels, new Properties());
}

/** addE's from()/to(): a step label, a traversal from the current traverser, or a vertex by reference. */
function endOf(arg: Arg | undefined, t: Traverser | undefined, ctx: TraversalContext, which: string): Node {
  if (arg === undefined) {
    if (t) return vertex(t.value);
    throw GremlinErrors.badArgument(`addE() needs a ${which}() vertex`);
  }
  if (typeof arg === "string") {
    const found = t && selectLabel(t, arg);
    if (found === undefined) throw GremlinErrors.badArgument(`No step is labelled '${arg}' for ${which}()`);
    return vertex(found);
  }
  if (arg instanceof ElementRef || arg instanceof Node) {
    const node = ctx.graph.nodes.get(idOf(arg));
    if (!node) throw GremlinErrors.badArgument(`The ${which}() vertex does not exist`);
    return node;
  }
  const found = child(arg, t ?? start(null), ctx)[0];
  if (found === undefined) throw GremlinErrors.badArgument(`The ${which}() traversal found no vertex`);
  return vertex(found.value);
}

/**
 * property([cardinality,] key, value, …more key/value pairs). Neptune's default cardinality is `set`, and
 * `single` replaces every value (reference §3.6). *Decided* for the shared graph: a set of one value is a plain
 * property (what openCypher writes and reads); a second distinct value makes it a list property holding the set
 * (openCypher then reads a list; `values()` unrolls it). Edge properties are single-valued.
 */
function setProperty(graph: PropertyGraph, t: Traverser, args: Arg[], ctx: TraversalContext): void {
  const target = element(t.value);
  let rest = args;
  let single = target instanceof Relationship;
  if (rest[0] instanceof Token) {
    if (rest[0].name === "list") throw GremlinErrors.unsupported("Cardinality list is not supported by Neptune");
    if (rest[0].name === "single") single = true;
    else if (rest[0].name !== "set") throw GremlinErrors.badArgument(`Unsupported property key ${rest[0].name}`);
    rest = rest.slice(1);
  }
  if (rest.length % 2 !== 0) throw GremlinErrors.badArgument("property() takes a key and a value");
  for (let i = 0; i < rest.length; i += 2) {
    const key = rest[i];
    if (typeof key !== "string")
      throw GremlinErrors.unsupported("A property key must be a string (ids are given right after addV/addE)");
    const value = storable(
      rest[i + 1] instanceof BytecodeArg ? (child(rest[i + 1], t, ctx)[0]?.value ?? null) : (rest[i + 1] as GValue),
    );
    const before = target.properties.get(key);
    if (single || before === undefined) graph.setProperty(target, key, value);
    else {
      const values = Array.isArray(before) ? before : [before];
      if (!values.some((v) => same(v, value))) graph.setProperty(target, key, [...values, value]);
    }
  }
}

function storable(v: GValue): PropertyValue {
  // Neptune stores scalars and dates; no list or map values (reference §3.6, graph features).
  if (!Array.isArray(v) && isPropertyValue(v as Value)) return v as PropertyValue;
  throw GremlinErrors.badArgument(`Property values must be Boolean, numbers, String or Date, not ${describe(v)}`);
}

// ── mergeV / mergeE ──────────────────────────────────────────────────────────────────────────────────────

/** A merge map (the step's argument, or a traversal from the current traverser that yields one). */
function mergeMap(arg: Arg | undefined, t: Traverser | undefined, ctx: TraversalContext): Map<Arg, Arg> {
  const value = arg instanceof BytecodeArg ? child(arg, t ?? start(null), ctx)[0]?.value : arg;
  if (value === undefined || value === null) return new Map();
  if (!(value instanceof Map)) throw GremlinErrors.badArgument("mergeV()/mergeE() take a map");
  return value as Map<Arg, Arg>;
}

/** A merge map's keys: T.id, T.label, Direction.OUT/IN (mergeE's ends) and the properties. */
function mergeKeys(m: Map<Arg, Arg>) {
  let id: string | undefined;
  let label: string | undefined;
  const ends: { OUT?: string; IN?: string } = {};
  const properties: [string, GValue][] = [];
  for (const [key, value] of m) {
    if (key instanceof Token && key.name === "id") id = idOf(value);
    else if (key instanceof Token && key.name === "label") label = labelArg(value, "vertex");
    else if (key instanceof Token && (key.name === "OUT" || key.name === "IN")) ends[key.name] = idOf(value);
    else if (typeof key === "string") properties.push([key, value as GValue]);
    else throw GremlinErrors.badArgument("A merge map's keys are T.id, T.label, Direction.OUT/IN or property names");
  }
  return { id, label, ends, properties };
}

const hasAll = (el: Node | Relationship, properties: [string, GValue][]) =>
  properties.every(([k, v]) => {
    const have = el.properties.get(k);
    return have !== undefined && (Array.isArray(have) ? have : [have]).some((x) => same(x, v));
  });

function applyProperties(graph: PropertyGraph, el: Node | Relationship, properties: [string, GValue][]): void {
  for (const [key, value] of properties) graph.setProperty(el, key, storable(value));
}

/** A merge that matched: option(onMatch) sets its properties; without it nothing changes (a reader may merge). */
function matched<E extends Node | Relationship>(
  found: E,
  step: Step,
  t: Traverser | undefined,
  ctx: TraversalContext,
): E {
  const onMatch = mergeKeys(mergeMap(step.options?.get("onMatch"), t, ctx)).properties;
  if (onMatch.length > 0) ctx.write();
  applyProperties(ctx.graph, found, onMatch);
  return found;
}

/** mergeV(map): the vertex matching every key, else one made from the map (and option(onCreate)); onMatch sets. */
function mergeVertex(step: Step, t: Traverser | undefined, ctx: TraversalContext): Node {
  const { graph } = ctx;
  const { id, label, properties } = mergeKeys(mergeMap(step.args[0], t, ctx));
  const candidates =
    id !== undefined
      ? [graph.nodes.get(id) ?? []].flat()
      : label !== undefined
        ? [...graph.nodesWithLabel(label)]
        : [...graph.nodes.values()];
  const found = candidates.find((n) => (label === undefined || n.labels.includes(label)) && hasAll(n, properties));
  if (found) return matched(found, step, t, ctx);
  ctx.write();
  const onCreate = mergeKeys(mergeMap(step.options?.get("onCreate"), t, ctx));
  const node = addVertex(graph, label ?? onCreate.label ?? "vertex", id ?? onCreate.id);
  applyProperties(graph, node, [...properties, ...onCreate.properties]);
  return node;
}

/** mergeE(map): as mergeV, for an edge between Direction.OUT and Direction.IN (the current vertex when absent). */
function mergeEdge(step: Step, t: Traverser | undefined, ctx: TraversalContext): Relationship {
  const { graph } = ctx;
  const { id, label, ends, properties } = mergeKeys(mergeMap(step.args[0], t, ctx));
  const endOrCurrent = (endId: string | undefined, which: string) => {
    if (endId !== undefined) {
      const node = graph.nodes.get(endId);
      if (!node) throw GremlinErrors.badArgument(`The ${which} vertex of mergeE() does not exist: ${endId}`);
      return node;
    }
    if (t) return vertex(t.value);
    throw GremlinErrors.badArgument(`mergeE() needs Direction.${which}`);
  };
  const candidates = id !== undefined ? [graph.relationships.get(id) ?? []].flat() : [...graph.relationships.values()];
  const found = candidates.find(
    (r) =>
      (label === undefined || r.type === label) &&
      (ends.OUT === undefined || r.start.id === ends.OUT) &&
      (ends.IN === undefined || r.end.id === ends.IN) &&
      hasAll(r, properties),
  );
  if (found) return matched(found, step, t, ctx);
  ctx.write();
  const onCreate = mergeKeys(mergeMap(step.options?.get("onCreate"), t, ctx));
  const edgeId = id ?? onCreate.id;
  if (edgeId !== undefined && graph.relationships.has(edgeId)) throw GremlinErrors.duplicateEdge(edgeId);
  const from = endOrCurrent(ends.OUT ?? onCreate.ends.OUT, "OUT");
  const to = endOrCurrent(ends.IN ?? onCreate.ends.IN, "IN");
  const rel = graph.addRelationship(edgeId, label ?? onCreate.label ?? "edge", from, to, new Properties());
  applyProperties(graph, rel, [...properties, ...onCreate.properties]);
  return rel;
}

/** Drops a vertex with its edges, or an edge. */
function dropElement(graph: PropertyGraph, v: GValue): void {
  if (v instanceof Relationship) graph.deleteRelationship(v);
  else if (v instanceof Node) {
    for (const rel of [...v.out, ...v.in]) graph.deleteRelationship(rel);
    graph.deleteNode(v);
  } else throw GremlinErrors.unsupported("drop() of a property is not supported by Trident");
}

// ── by(), ordering, grouping ─────────────────────────────────────────────────────────────────────────────

/** A by() modulator applied to a value: identity, a property key, a token, or a child traversal's first result. */
function byValue(by: Arg[] | undefined, t: Traverser, ctx: TraversalContext): GValue | undefined {
  const key = by?.[0];
  const v = t.value;
  if (
    key === undefined ||
    (key instanceof Token && (key.name === "asc" || key.name === "desc" || key.name === "shuffle"))
  )
    return v;
  if (typeof key === "string") {
    if (v instanceof Map) return v.get(key);
    const found = isElement(v) ? v.properties.get(key) : undefined;
    return Array.isArray(found) ? found[0] : found;
  }
  if (key instanceof Token) {
    if (key.name === "id") return element(v).id;
    if (key.name === "label") return labelOf(v);
    if (key.name === "keys" && v instanceof Map) return [...v.keys()];
    if (key.name === "values" && v instanceof Map) return [...v.values()];
    throw GremlinErrors.unsupported(`Unsupported by() token: ${key.name}`);
  }
  return child(key, t, ctx)[0]?.value;
}

/** The value of a by() that must produce one (TinkerPop: an unproductive by() fails the traverser). */
const byRequired = (by: Arg[] | undefined, t: Traverser, ctx: TraversalContext) => byValue(by, t, ctx);

function orderTraversers(stream: Traverser[], step: Step, ctx: TraversalContext): Traverser[] {
  const bys = step.by.length > 0 ? step.by : [[]];
  const keyed = stream
    .map((t) => ({ t, keys: bys.map((by) => byRequired(by, t, ctx)) }))
    .filter((k) => k.keys.every((x) => x !== undefined));
  keyed.sort((a, b) => {
    for (let i = 0; i < bys.length; i++) {
      const order = bys[i]!.find(
        (x): x is Token => x instanceof Token && ["asc", "desc", "incr", "decr", "shuffle"].includes(x.name),
      );
      const c = compare(a.keys[i]!, b.keys[i]!);
      if (c !== 0) return order?.name === "desc" || order?.name === "decr" ? -c : c;
    }
    return 0;
  });
  return keyed.map((k) => k.t);
}

function orderValues(values: GValue[], step: Step, ctx: TraversalContext): GValue[] {
  return orderTraversers(values.map(start), step, ctx).map((t) => t.value);
}

function dedup(stream: Traverser[], step: Step, ctx: TraversalContext): Traverser[] {
  const seen: GValue[] = [];
  return stream.filter((t) => {
    const key = byRequired(step.by[0], t, ctx) ?? null;
    if (seen.some((s) => same(s, key))) return false;
    seen.push(key);
    return true;
  });
}

/** A map keyed by value: equal values (1 and 1.0, the same element twice) share an entry. */
function entryFor<T>(entries: { key: GValue; value: T }[], key: GValue, make: () => T): { key: GValue; value: T } {
  let entry = entries.find((e) => same(e.key, key));
  if (!entry) entries.push((entry = { key, value: make() }));
  return entry;
}

function groupCount(stream: Traverser[], step: Step, ctx: TraversalContext): Map<GValue, GValue> {
  const entries: { key: GValue; value: bigint }[] = [];
  for (const t of stream) {
    const key = byRequired(step.by[0], t, ctx);
    if (key === undefined) continue;
    entryFor(entries, key, () => 0n).value++;
  }
  return new Map(entries.map((e) => [e.key, e.value]));
}

const REDUCING = new Set(["count", "fold", "sum", "max", "min", "mean", "groupCount", "group"]);

/** group().by(key).by(value): the value traversal runs over each group's members; without a reducing end, folded. */
function group(stream: Traverser[], step: Step, ctx: TraversalContext): Map<GValue, GValue> {
  const entries: { key: GValue; value: Traverser[] }[] = [];
  for (const t of stream) {
    const key = byRequired(step.by[0], t, ctx);
    if (key === undefined) continue;
    entryFor(entries, key, () => [] as Traverser[]).value.push(t);
  }
  const valueBy = step.by[1]?.[0];
  return new Map(
    entries.map(({ key, value }) => {
      if (valueBy instanceof BytecodeArg) {
        const steps = compile(valueBy.step);
        const results = execute(steps, value, ctx).map((r) => r.value);
        const reduced = steps.length > 0 && REDUCING.has(steps[steps.length - 1]!.name);
        return [key, reduced ? (results[0] ?? null) : results];
      }
      return [key, value.map((t) => byValue(step.by[1], t, ctx)).filter((v): v is GValue => v !== undefined)];
    }),
  );
}

function project(t: Traverser, keys: string[], step: Step, ctx: TraversalContext): Map<GValue, GValue> {
  const out = new Map<GValue, GValue>();
  keys.forEach((key, i) => {
    const value = byValue(step.by.length > 0 ? step.by[i % step.by.length] : undefined, t, ctx);
    if (value !== undefined) out.set(key, value);
  });
  return out;
}

/** by() modulators applied round-robin to a list of objects (path().by(…), select(a, b).by(…)). */
function cycleBy(objects: GValue[], step: Step, ctx: TraversalContext): GValue[] {
  if (step.by.length === 0) return objects;
  return objects.map((o, i) => byValue(step.by[i % step.by.length], start(o), ctx) ?? null);
}

// ── labels, select, where ────────────────────────────────────────────────────────────────────────────────

function labelled(t: Traverser, labels: string[]): Traverser {
  const path = [...t.path];
  const last = path[path.length - 1] ?? { object: t.value, labels: [] };
  path[path.length === 0 ? 0 : path.length - 1] = { object: last.object, labels: [...last.labels, ...labels] };
  return { ...t, path };
}

/** The object a step label names on the traverser's path (the last one, Pop.last), or a key of a map value. */
function selectLabel(t: Traverser, label: string): GValue | undefined {
  for (let i = t.path.length - 1; i >= 0; i--) if (t.path[i]!.labels.includes(label)) return t.path[i]!.object;
  if (t.value instanceof Map && t.value.has(label)) return t.value.get(label);
  return undefined;
}

function select(stream: Traverser[], step: Step, ctx: TraversalContext): Traverser[] {
  const args = step.args.filter((a) => !(a instanceof Token && ["first", "last", "all", "mixed"].includes(a.name)));
  const column = args[0] instanceof Token ? args[0] : undefined;
  if (column) {
    return stream.map((t) => {
      if (!(t.value instanceof Map)) throw GremlinErrors.badArgument("select(keys|values) expects a map");
      return moved(t, column.name === "keys" ? [...t.value.keys()] : [...t.value.values()]);
    });
  }
  const labels = args.map(String);
  return stream.flatMap((t) => {
    const found = labels.map((l) => selectLabel(t, l));
    if (found.some((f) => f === undefined)) return [];
    const values = cycleBy(found as GValue[], step, ctx);
    if (labels.length === 1) return [moved(t, values[0]!)];
    return [moved(t, new Map<GValue, GValue>(labels.map((l, i) => [l, values[i]!])))];
  });
}

/** where(traversal), where(P over a step label) and where(label, P over a step label). */
function where(t: Traverser, args: Arg[], ctx: TraversalContext): boolean {
  if (args[0] instanceof BytecodeArg) return produces(args[0], t, ctx);
  const [subject, p] = typeof args[0] === "string" ? [selectLabel(t, args[0]), args[1]] : [t.value, args[0]];
  if (subject === undefined || !(p instanceof Predicate)) return false;
  const resolve = (a: Arg): Arg => (typeof a === "string" ? (selectLabel(t, a) ?? null) : a);
  const operand = Array.isArray(p.value) ? p.value.map(resolve) : resolve(p.value);
  return test(new Predicate(p.name, operand, p.other === undefined ? undefined : resolve(p.other)), subject);
}

// ── collections and numbers ─────────────────────────────────────────────────────────────────────────────

const isLocal = (args: Arg[]) => isToken(args[0], "local");

function collection(v: GValue): GValue[] {
  if (Array.isArray(v)) return v;
  if (v instanceof Map) return [...v.entries()].map(([k, x]) => new Map([[k, x]]));
  if (v instanceof GPath) return v.objects;
  return [v];
}

function unfolded(v: GValue): GValue[] {
  return Array.isArray(v) || v instanceof Map ? collection(v) : [v];
}

function reduceNumbers(name: string, stream: Traverser[]): Traverser[] {
  const values = stream
    .map((t) => t.value)
    .filter((v): v is bigint | number => typeof v === "bigint" || typeof v === "number");
  if (values.length === 0) return name === "sum" ? [start(0n)] : [];
  if (name === "max" || name === "min") {
    const sorted = [...values].sort((a, b) => compare(a, b));
    return [start(name === "max" ? sorted[sorted.length - 1]! : sorted[0]!)];
  }
  const allIntegers = values.every((v) => typeof v === "bigint");
  const total = allIntegers
    ? values.reduce((a, b) => (a as bigint) + (b as bigint), 0n)
    : values.reduce((a, b) => Number(a) + Number(b), 0);
  if (name === "sum") return [start(total)];
  return [start(Number(total) / values.length)];
}

function distinctObjects(t: Traverser): boolean {
  const objects = t.path.map((e) => e.object);
  return objects.every((o, i) => objects.findIndex((x) => same(x, o)) === i);
}

/**
 * repeat(t) with times(n), until(t) and emit([t]), each before (while-do) or after (do-while) the repeat. Breadth
 * first, one loop over the whole frontier at a time. A loop that never ends is stopped by the request's time limit.
 */
function repeat(stream: Traverser[], step: Step, ctx: TraversalContext): Traverser[] {
  const body = step.args[0];
  const out: Traverser[] = [];
  const passes = (cond: { arg: Arg | undefined } | undefined, t: Traverser) =>
    cond !== undefined && (cond.arg === undefined || produces(cond.arg, t, ctx));
  let frontier = stream;
  for (let loop = 0; frontier.length > 0; loop++) {
    ctx.tick();
    if (step.until?.before) {
      out.push(...frontier.filter((t) => passes(step.until, t)));
      frontier = frontier.filter((t) => !passes(step.until, t));
    }
    if (step.emit?.before) out.push(...frontier.filter((t) => passes(step.emit, t)));
    if (step.times !== undefined && loop >= step.times) {
      if (!step.emit) out.push(...frontier);
      break;
    }
    frontier = frontier.flatMap((t) => child(body, { ...t, loops: loop }, ctx)).map((t) => ({ ...t, loops: loop + 1 }));
    if (step.until && !step.until.before) {
      const done = frontier.filter((t) => passes(step.until, t));
      out.push(...done);
      frontier = frontier.filter((t) => !done.includes(t));
    }
    if (step.emit && !step.emit.before) out.push(...frontier.filter((t) => passes(step.emit, t)));
  }
  return out;
}
