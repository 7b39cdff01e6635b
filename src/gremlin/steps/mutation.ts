import type { PropertyGraph } from "../../graph/model/graph.js";
import { Properties } from "../../graph/model/properties.js";
import { isPropertyValue, Node, Relationship, type PropertyValue, type Value } from "../../graph/model/values.js";
import { describe, element, idOf, labelArg, vertex } from "../elements.js";
import { GremlinErrors } from "../errors.js";
import { same } from "../predicates.js";
import { BytecodeArg, ElementRef, GProperty, Token, type Arg, type GValue } from "../values.js";
import { child, type StepRunner } from "./run.js";
import { mapEach, selectLabel, start, type TraversalContext, type Traverser } from "./traverser.js";

/** The steps that write: addV, addE, property, drop (mergeV/mergeE in merge.ts). Each asks `ctx.write` first. */
export const MUTATION_STEPS: Record<string, StepRunner> = {
  addV: (step, stream, ctx, first) => {
    ctx.write();
    const make = () => addVertex(ctx.graph, labelArg(step.args[0], "vertex"), step.id);
    return first ? [start(make())] : mapEach(stream, make);
  },
  addE: (step, stream, ctx, first) => {
    ctx.write();
    const label = labelArg(step.args[0], "edge");
    const make = (t: Traverser | undefined) => {
      const from = endOf(step.from, t, ctx, "from");
      const to = endOf(step.to, t, ctx, "to");
      if (step.id !== undefined && ctx.graph.relationships.has(step.id)) throw GremlinErrors.duplicateEdge(step.id);
      return ctx.graph.addRelationship(step.id, label, from, to, new Properties());
    };
    return first ? [start(make(undefined))] : mapEach(stream, make);
  },
  property: (step, stream, ctx) => {
    ctx.write();
    for (const t of stream) setProperty(ctx.graph, t, step.args, ctx);
    return stream;
  },
  drop: (_step, stream, ctx) => {
    ctx.write();
    for (const t of stream) dropElement(ctx.graph, t.value);
    return [];
  },
};

/**
 * addV with an id a vertex already has: Neptune adds the new label (and the properties that follow) to that vertex
 * when the label is new to it, and refuses with ConstraintViolationException otherwise (reference §3.6).
 */
export function addVertex(graph: PropertyGraph, label: string, id: string | undefined): Node {
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

export function storable(v: GValue): PropertyValue {
  // Neptune stores scalars and dates; no list or map values (reference §3.6, graph features).
  if (!Array.isArray(v) && isPropertyValue(v as Value)) return v as PropertyValue;
  throw GremlinErrors.badArgument(`Property values must be Boolean, numbers, String or Date, not ${describe(v)}`);
}

/**
 * Drops a vertex with its edges, an edge, or a property (`properties('k').drop()`): one value of a vertex's set
 * (the others stay), an edge's property whole.
 */
function dropElement(graph: PropertyGraph, v: GValue): void {
  if (v instanceof Relationship) graph.deleteRelationship(v);
  else if (v instanceof Node) {
    for (const rel of [...v.out, ...v.in]) graph.deleteRelationship(rel);
    graph.deleteNode(v);
  } else if (v instanceof GProperty) {
    const { element: el, key } = v;
    const before = el.properties.get(key);
    if (el.deleted || before === undefined) return;
    const left = (Array.isArray(before) ? before : [before]).filter((x) => !same(x, v.value));
    graph.setProperty(el, key, left.length === 0 ? undefined : left.length === 1 ? left[0] : left);
  } else throw GremlinErrors.badArgument(`drop() takes elements and properties, not ${describe(v)}`);
}
