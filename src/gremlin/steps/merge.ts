import type { PropertyGraph } from "../../graph/model/graph.js";
import { Properties } from "../../graph/model/properties.js";
import type { Node, Relationship } from "../../graph/model/values.js";
import { idOf, labelArg, vertex } from "../elements.js";
import { GremlinErrors } from "../errors.js";
import { same } from "../predicates.js";
import { BytecodeArg, Token, type Arg, type GValue } from "../values.js";
import { optionOf, type Step } from "./compile.js";
import { addVertex, storable } from "./mutation.js";
import { child, type StepRunner } from "./run.js";
import { mapEach, start, type TraversalContext, type Traverser } from "./traverser.js";

/** mergeV and mergeE: find by a map, else create (option(onCreate)); option(onMatch) sets on a match. */
export const MERGE_STEPS: Record<string, StepRunner> = {
  mergeV: (step, stream, ctx, first) =>
    first ? [start(mergeVertex(step, undefined, ctx))] : mapEach(stream, (t) => mergeVertex(step, t, ctx)),
  mergeE: (step, stream, ctx, first) =>
    first ? [start(mergeEdge(step, undefined, ctx))] : mapEach(stream, (t) => mergeEdge(step, t, ctx)),
};

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
  const onMatch = mergeKeys(mergeMap(optionOf(step, "onMatch"), t, ctx)).properties;
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
  const onCreate = mergeKeys(mergeMap(optionOf(step, "onCreate"), t, ctx));
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
  const onCreate = mergeKeys(mergeMap(optionOf(step, "onCreate"), t, ctx));
  const edgeId = id ?? onCreate.id;
  if (edgeId !== undefined && graph.relationships.has(edgeId)) throw GremlinErrors.duplicateEdge(edgeId);
  const from = endOrCurrent(ends.OUT ?? onCreate.ends.OUT, "OUT");
  const to = endOrCurrent(ends.IN ?? onCreate.ends.IN, "IN");
  const rel = graph.addRelationship(edgeId, label ?? onCreate.label ?? "edge", from, to, new Properties());
  applyProperties(graph, rel, [...properties, ...onCreate.properties]);
  return rel;
}
