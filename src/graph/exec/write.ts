import type { PatternPart, RemoveItem, SetItem } from "../cypher/ast.js";
import { GraphErrors } from "../errors.js";
import {
  ID_KEY,
  isPropertyValue,
  Node,
  Path,
  Relationship,
  typeName,
  type PropertyValue,
  type Value,
} from "../model/values.js";
import { Properties } from "../model/properties.js";
import type { QueryContext, Row, Scope } from "./context.js";
import { evaluate } from "./evaluate.js";

/** Neptune: a node created without a label gets the label `vertex` (reference §2.4). */
const DEFAULT_LABEL = "vertex";

/** Nodes deleted without DETACH in this query: none may keep a relationship when the query ends. */
export type PendingDeletes = Set<Node>;

/**
 * CREATE (and MERGE's create half): makes every unbound element of the pattern, returns the extended row. MERGE
 * may name an undirected relationship; it is created left to right (openCypher).
 */
export function createPattern(part: PatternPart, scope: Scope, merging = false): Row {
  const { graph } = scope.ctx;
  let row = scope.row;
  const nodes: Node[] = part.nodes.map((pattern) => {
    const existing = pattern.variable === undefined ? undefined : row.get(pattern.variable);
    if (existing !== undefined) {
      if (pattern.labels.length > 0 || pattern.properties) {
        throw GraphErrors.malformed(
          `Can't create node \`${pattern.variable}\` with labels or properties here. The variable is already declared in this context`,
        );
      }
      if (!(existing instanceof Node))
        throw GraphErrors.badRequest(`Expected \`${pattern.variable}\` to be a Node, got ${typeName(existing)}`);
      return existing;
    }
    const { id, properties } = creationProperties(
      pattern.properties && evaluate(pattern.properties, { ...scope, row }),
    );
    const node = graph.addNode(id, pattern.labels.length > 0 ? pattern.labels : [DEFAULT_LABEL], properties);
    if (pattern.variable !== undefined) row = new Map(row).set(pattern.variable, node);
    return node;
  });
  const rels = part.relationships.map((pattern, i) => {
    if (pattern.types.length !== 1) throw GraphErrors.malformed("A relationship to create must have exactly one type");
    if (pattern.direction === "both" && !merging)
      throw GraphErrors.malformed("Only directed relationships are supported in CREATE");
    if (pattern.range) throw GraphErrors.malformed("Variable length relationships cannot be created");
    if (pattern.variable !== undefined && row.has(pattern.variable)) {
      throw GraphErrors.malformed(
        `Can't create relationship \`${pattern.variable}\`: the variable is already declared`,
      );
    }
    const [start, end] = pattern.direction === "in" ? [nodes[i + 1]!, nodes[i]!] : [nodes[i]!, nodes[i + 1]!];
    const { id, properties } = creationProperties(
      pattern.properties && evaluate(pattern.properties, { ...scope, row }),
    );
    const rel = graph.addRelationship(id, pattern.types[0]!, start, end, properties);
    if (pattern.variable !== undefined) row = new Map(row).set(pattern.variable, rel);
    return rel;
  });
  if (part.variable !== undefined) row = new Map(row).set(part.variable, new Path(nodes, rels));
  return row;
}

/** A pattern's property map as stored: nulls left out, `~id` taken out as the element's id. */
function creationProperties(value: Value | undefined): { id?: string; properties: Properties } {
  const properties = new Properties();
  if (value === undefined) return { properties };
  if (!(value instanceof Map)) throw GraphErrors.badRequest(`Expected a Map of properties, got ${typeName(value)}`);
  let id: string | undefined;
  for (const [key, v] of value) {
    if (v === null) continue;
    if (key === ID_KEY) {
      if (typeof v !== "string") throw GraphErrors.badRequest(`${ID_KEY} must be a String, got ${typeName(v)}`);
      id = v;
      continue;
    }
    properties.set(key, storable(key, v));
  }
  return { id, properties };
}

function storable(key: string, value: Value): PropertyValue {
  if (!isPropertyValue(value)) {
    throw GraphErrors.badRequest(
      `Property '${key}' cannot hold a ${typeName(value)}: only scalars, DateTime and lists of them`,
    );
  }
  return value;
}

/** One SET item on one row. */
export function applySet(item: SetItem, scope: Scope): void {
  const { graph } = scope.ctx;
  if (item.kind === "labels") {
    const node = nodeOf(scope, item.variable);
    if (node) for (const label of item.labels) graph.addLabel(node, label);
    return;
  }
  if (item.kind === "property") {
    const target = elementOf(evaluate(item.target, scope));
    if (!target) return;
    writeProperty(scope.ctx, target, item.key, evaluate(item.value, scope));
    return;
  }
  const target = elementOf(bound(scope, item.variable));
  if (!target) return;
  const value = evaluate(item.value, scope);
  const source: Map<string, Value> =
    value instanceof Node || value instanceof Relationship
      ? new Map(value.properties)
      : value instanceof Map
        ? value
        : value === null
          ? new Map()
          : fail(`SET ${item.variable} ${item.kind === "replace" ? "=" : "+="} expects a Map, got ${typeName(value)}`);
  if (item.kind === "replace") {
    for (const key of [...target.properties.keys()]) if (!source.has(key)) graph.setProperty(target, key, undefined);
  }
  for (const [key, v] of source) writeProperty(scope.ctx, target, key, v);
}

function writeProperty(ctx: QueryContext, target: Node | Relationship, key: string, value: Value): void {
  if (key === ID_KEY) throw GraphErrors.badRequest(`${ID_KEY} cannot be changed`);
  ctx.graph.setProperty(target, key, value === null ? undefined : storable(key, value));
}

/** One REMOVE item on one row. */
export function applyRemove(item: RemoveItem, scope: Scope): void {
  const { graph } = scope.ctx;
  if (item.kind === "property") {
    const target = elementOf(evaluate(item.target, scope));
    if (target) graph.setProperty(target, item.key, undefined);
    return;
  }
  const node = nodeOf(scope, item.variable);
  if (!node) return;
  // Neptune: every node keeps at least one label; removing the last one is an error (reference §2.4).
  if (item.labels.filter((l) => node.labels.includes(l)).length >= node.labels.length) {
    throw GraphErrors.badRequest(`Cannot remove every label of node ${node.id}: a node must have at least one label`);
  }
  for (const label of item.labels) graph.removeLabel(node, label);
}

/** DELETE / DETACH DELETE of one value. */
export function applyDelete(value: Value, detach: boolean, ctx: QueryContext, pending: PendingDeletes): void {
  const { graph } = ctx;
  if (value === null) return;
  if (value instanceof Relationship) return graph.deleteRelationship(value);
  if (value instanceof Node) {
    if (detach) for (const rel of [...value.out, ...value.in]) graph.deleteRelationship(rel);
    else pending.add(value);
    return graph.deleteNode(value);
  }
  if (value instanceof Path) {
    for (const rel of value.relationships) graph.deleteRelationship(rel);
    for (const node of value.nodes) applyDelete(node, detach, ctx, pending);
    return;
  }
  throw GraphErrors.badRequest(`DELETE expects a Node, Relationship or Path, got ${typeName(value)}`);
}

/** At the end of the query: a node deleted without DETACH must have lost all its relationships by then. */
export function checkPendingDeletes(pending: PendingDeletes): void {
  for (const node of pending) {
    if (node.out.length + node.in.length > 0) {
      throw GraphErrors.badRequest(
        `Cannot delete node ${node.id}, because it still has relationships. To delete this node, you must first delete its relationships.`,
      );
    }
  }
}

function bound(scope: Scope, variable: string): Value {
  const value = scope.row.get(variable);
  if (value === undefined) throw GraphErrors.malformed(`Variable \`${variable}\` not defined`);
  return value;
}

function nodeOf(scope: Scope, variable: string): Node | undefined {
  const value = bound(scope, variable);
  if (value === null) return undefined;
  if (value instanceof Node) return value;
  throw GraphErrors.badRequest(`Expected \`${variable}\` to be a Node, got ${typeName(value)}`);
}

function elementOf(value: Value): Node | Relationship | undefined {
  if (value === null) return undefined;
  if (value instanceof Node || value instanceof Relationship) return value;
  throw GraphErrors.badRequest(`Expected a Node or Relationship, got ${typeName(value)}`);
}

function fail(message: string): never {
  throw GraphErrors.badRequest(message);
}
