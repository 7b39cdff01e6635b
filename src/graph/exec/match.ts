import type { Expr, NodePattern, PatternPart, RelationshipPattern } from "../cypher/ast.js";
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
import { equals } from "./compare.js";
import type { Row, Scope } from "./context.js";
import { evaluate } from "./evaluate.js";

/**
 * Pattern matching. For each pattern part the planner picks the cheapest node to start from (a bound variable,
 * then an id, then a label+property index hit, then the smallest label, then every node) and expands outwards
 * along the adjacency lists. Relationships are unique within one MATCH (openCypher's relationship isomorphism).
 */

/**
 * Facts taken from a WHERE that may narrow a start point to an index lookup: `var.key = value`, `id(var) = value`,
 * and the same with `IN list` (`many`: the expression is a list of values), whose other side is known before
 * matching. The WHERE still filters every row: a hint only chooses where the search starts.
 */
export type Hints = Map<string, { ids: Lookup[]; properties: [string, Lookup][] }>;
interface Lookup {
  expr: Expr;
  many: boolean;
}

/** Calls `found` with each row extended by one match of all the parts; `found` returns true to stop. */
export function matchParts(
  parts: PatternPart[],
  scope: Scope,
  hints: Hints,
  found: (row: Row) => boolean | void,
): void {
  const used = new Set<Relationship>();
  const next = (i: number, row: Row): boolean => {
    if (i === parts.length) return found(row) === true;
    return matchPart(parts[i]!, { ...scope, row }, hints, used, (extended) => next(i + 1, extended));
  };
  next(0, scope.row);
}

/** Whether the pattern has at least one match from the scope's row (a pattern predicate). */
export function patternExists(pattern: PatternPart, scope: Scope): boolean {
  let hit = false;
  matchPart(pattern, scope, new Map(), new Set(), () => (hit = true));
  return hit;
}

/** The paths a pattern expression matches; with `each`, also each match's row. */
export function patternPaths(pattern: PatternPart, scope: Scope, each?: (row: Row) => void): Path[] {
  const paths: Path[] = [];
  matchPart(pattern, scope, new Map(), new Set(), (row, path) => {
    paths.push(path());
    each?.(row);
  });
  return paths;
}

/** Collects the hints of the WHERE's top-level conjunction. */
export function hintsFrom(where: Expr | undefined, row: Row): Hints {
  const hints: Hints = new Map();
  const hint = (side: Expr, lookup: Lookup) => {
    if (!isKnown(lookup.expr, row)) return;
    if (side.kind === "property" && side.object.kind === "variable" && !row.has(side.object.name)) {
      hintFor(hints, side.object.name).properties.push([side.key, lookup]);
    } else if (
      side.kind === "call" &&
      side.name.toLowerCase() === "id" &&
      side.args.length === 1 &&
      side.args[0]!.kind === "variable" &&
      !row.has(side.args[0]!.name)
    ) {
      hintFor(hints, side.args[0]!.name).ids.push(lookup);
    }
  };
  const visit = (e: Expr) => {
    if (e.kind !== "binary") return;
    if (e.op === "AND") {
      visit(e.left);
      visit(e.right);
    } else if (e.op === "=") {
      hint(e.left, { expr: e.right, many: false });
      hint(e.right, { expr: e.left, many: false });
    } else if (e.op === "IN") {
      hint(e.left, { expr: e.right, many: true });
    }
  };
  if (where) visit(where);
  return hints;
}

function hintFor(hints: Hints, variable: string) {
  let hint = hints.get(variable);
  if (!hint) hints.set(variable, (hint = { ids: [], properties: [] }));
  return hint;
}

/** An expression whose value does not depend on what the MATCH binds. */
function isKnown(e: Expr, row: Row): boolean {
  switch (e.kind) {
    case "literal":
    case "parameter":
      return true;
    case "variable":
      return row.has(e.name);
    case "property":
      return isKnown(e.object, row);
    case "list":
      return e.items.every((item) => isKnown(item, row));
    default:
      return false;
  }
}

// ── one pattern part ─────────────────────────────────────────────────────────────────────────────────────

interface Constraint {
  pattern: NodePattern;
  /** The inline property map, evaluated once per row; `~id` is taken out as the id. */
  properties: [string, Value][];
  id: Value | undefined;
}

type Found = (row: Row, path: () => Path) => boolean | void;

function matchPart(part: PatternPart, scope: Scope, hints: Hints, used: Set<Relationship>, found: Found): boolean {
  const nodeConstraints = part.nodes.map((pattern) => nodeConstraint(pattern, scope));
  const relProperties = part.relationships.map((pattern) => inlineProperties(pattern.properties, scope));
  if (nodeConstraints.some((c) => c === undefined) || relProperties.some((p) => p === undefined)) return false;
  const nodes = nodeConstraints as Constraint[];
  const rels = part.relationships.map((pattern, i) => ({ pattern, properties: relProperties[i]! }));
  const start = chooseStart(nodes, rels, scope, hints);
  const bound: (Node | undefined)[] = new Array(part.nodes.length);
  const hops: Relationship[][] = new Array(part.relationships.length);
  let row = scope.row;

  // The order of hops: rightwards from the start node, then leftwards from it.
  const steps: { rel: number; from: number; to: number; reversed: boolean }[] = [];
  for (let i = start.index; i < part.relationships.length; i++)
    steps.push({ rel: i, from: i, to: i + 1, reversed: false });
  for (let i = start.index - 1; i >= 0; i--) steps.push({ rel: i, from: i + 1, to: i, reversed: true });

  const bindNode = (i: number, node: Node, then: () => boolean): boolean => {
    const c = nodes[i]!;
    const variable = c.pattern.variable;
    const already = variable === undefined ? undefined : row.get(variable);
    if (already !== undefined) {
      if (already !== node) return false;
      bound[i] = node;
      return then();
    }
    if (!nodeMatches(node, c)) return false;
    bound[i] = node;
    if (variable === undefined) return then();
    const before = row;
    row = new Map(row).set(variable, node);
    const stop = then();
    row = before;
    return stop;
  };

  const emit = (): boolean => {
    let out = row;
    if (part.variable !== undefined) out = new Map(out).set(part.variable, buildPath(bound as Node[], hops));
    return found(out, () => buildPath(bound as Node[], hops)) === true;
  };

  const step = (s: number): boolean => {
    if (s === steps.length) return emit();
    const { rel, from, to, reversed } = steps[s]!;
    const pattern = part.relationships[rel]!;
    const direction = reversed ? flip(pattern.direction) : pattern.direction;
    const props = relProperties[rel]!;
    const onHop = (rels: Relationship[], end: Node): boolean => {
      hops[rel] = reversed ? [...rels].reverse() : rels;
      const variable = pattern.variable;
      const value: Value = pattern.range ? hops[rel]! : rels[0]!;
      const already = variable === undefined ? undefined : row.get(variable);
      if (already !== undefined && !sameBinding(already, value)) return false;
      const before = row;
      if (variable !== undefined && already === undefined) row = new Map(row).set(variable, value);
      const stop = bindNode(to, end, () => step(s + 1));
      row = before;
      return stop;
    };
    return expand(bound[from]!, pattern, direction, props, used, onHop, scope.ctx.tick);
  };

  for (const node of start.candidates) {
    scope.ctx.tick();
    if (bindNode(start.index, node, () => step(0))) return true;
  }
  return false;
}

function sameBinding(a: Value, b: Value): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}

function flip(direction: RelationshipPattern["direction"]): RelationshipPattern["direction"] {
  return direction === "out" ? "in" : direction === "in" ? "out" : "both";
}

/** Walks one relationship pattern (one hop, or `*min..max` hops) from `from`. */
function expand(
  from: Node,
  pattern: RelationshipPattern,
  direction: RelationshipPattern["direction"],
  props: [string, Value][],
  used: Set<Relationship>,
  onHop: (rels: Relationship[], end: Node) => boolean,
  tick: () => void,
): boolean {
  const fits = (rel: Relationship) =>
    !used.has(rel) &&
    (pattern.types.length === 0 || pattern.types.includes(rel.type)) &&
    props.every(([key, value]) =>
      key === ID_KEY ? rel.id === value : equals(rel.properties.get(key) ?? null, value) === true,
    );
  const range = pattern.range;
  if (!range) {
    for (const [rel, end] of neighbours(from, direction)) {
      tick();
      if (!fits(rel)) continue;
      used.add(rel);
      const stop = onHop([rel], end);
      used.delete(rel);
      if (stop) return true;
    }
    return false;
  }
  const trail: Relationship[] = [];
  const walk = (at: Node): boolean => {
    if (trail.length >= range.min && onHop([...trail], at)) return true;
    if (range.max !== undefined && trail.length >= range.max) return false;
    for (const [rel, end] of neighbours(at, direction)) {
      tick();
      if (!fits(rel)) continue;
      used.add(rel);
      trail.push(rel);
      const stop = walk(end);
      trail.pop();
      used.delete(rel);
      if (stop) return true;
    }
    return false;
  };
  return walk(from);
}

function* neighbours(node: Node, direction: RelationshipPattern["direction"]): Generator<[Relationship, Node]> {
  if (direction !== "in") for (const rel of node.out) yield [rel, rel.end];
  if (direction !== "out") {
    for (const rel of node.in) {
      // A self-loop was already seen going out when both directions are asked for.
      if (direction === "both" && rel.start === node) continue;
      yield [rel, rel.start];
    }
  }
}

function buildPath(nodes: Node[], hops: Relationship[][]): Path {
  const pathNodes = [nodes[0]!];
  const rels: Relationship[] = [];
  for (const hop of hops) {
    for (const rel of hop) {
      const last = pathNodes[pathNodes.length - 1]!;
      rels.push(rel);
      pathNodes.push(rel.other(last));
    }
  }
  return new Path(pathNodes, rels);
}

// ── start point and node tests ───────────────────────────────────────────────────────────────────────────

function nodeConstraint(pattern: NodePattern, scope: Scope): Constraint | undefined {
  const properties = inlineProperties(pattern.properties, scope);
  if (!properties) return undefined;
  const idEntry = properties.find(([key]) => key === ID_KEY);
  return { pattern, properties: properties.filter(([key]) => key !== ID_KEY), id: idEntry?.[1] };
}

/** A pattern's `{…}` evaluated; undefined when a value is null (`{k: null}` matches nothing). */
function inlineProperties(expr: Expr | undefined, scope: Scope): [string, Value][] | undefined {
  if (!expr) return [];
  const value = evaluate(expr, scope);
  if (!(value instanceof Map))
    throw GraphErrors.badRequest(`Expected a Map for pattern properties, got ${typeName(value)}`);
  const entries = [...value.entries()];
  return entries.some(([, v]) => v === null) ? undefined : entries;
}

function nodeMatches(node: Node, c: Constraint): boolean {
  if (c.id !== undefined && node.id !== c.id) return false;
  for (const label of c.pattern.labels) if (!node.labels.includes(label)) return false;
  for (const [key, value] of c.properties) {
    if (equals(node.properties.get(key) ?? null, value) !== true) return false;
  }
  return true;
}

/**
 * The planner: the node of the part to start from, the cheapest first. A bound variable (one candidate), then an
 * id lookup of a node or of a relationship (whose end is the start: `()-[r]->()` with `id(r) = $id` reads one
 * relationship, not the graph), then the label+property lookup with the fewest hits (every equality and IN is
 * weighed, the smallest label chosen), then the smallest label, then every node.
 */
function chooseStart(
  nodes: Constraint[],
  rels: { pattern: RelationshipPattern; properties: [string, Value][] }[],
  scope: Scope,
  hints: Hints,
): { index: number; candidates: Iterable<Node> } {
  const graph = scope.ctx.graph;
  const total = graph.nodes.size + 1;
  let best: { index: number; cost: number; candidates: () => Iterable<Node> } | undefined;
  const consider = (index: number, cost: number, candidates: () => Iterable<Node>) => {
    if (!best || cost < best.cost) best = { index, cost, candidates };
  };
  /** The values a lookup stands for; undefined when it cannot narrow (an IN over something not a list). */
  const valuesOf = (lookup: Lookup): Value[] | undefined => {
    const value = evaluate(lookup.expr, scope);
    if (!lookup.many) return [value];
    return Array.isArray(value) ? value : undefined;
  };
  nodes.forEach((c, index) => {
    const variable = c.pattern.variable;
    const boundValue = variable === undefined ? undefined : scope.row.get(variable);
    if (boundValue !== undefined) {
      if (boundValue !== null && !(boundValue instanceof Node)) {
        throw GraphErrors.badRequest(`Variable \`${variable}\` is a ${typeName(boundValue)}, not a Node`);
      }
      return consider(index, 0, () => (boundValue === null ? [] : [boundValue]));
    }
    const hint = variable === undefined ? undefined : hints.get(variable);
    const ids = c.id !== undefined ? [c.id] : hint?.ids.map(valuesOf).find((values) => values !== undefined);
    if (ids !== undefined) {
      return consider(index, 1 + ids.length / total, () => {
        const found: Node[] = [];
        for (const id of ids) {
          const node = typeof id === "string" ? graph.nodes.get(id) : undefined;
          if (node) found.push(node);
        }
        return found.length <= 1 ? found : distinct(found);
      });
    }
    const labels = c.pattern.labels;
    if (labels.length === 0) return consider(index, 4, () => graph.nodes.values());
    const label = labels.reduce((a, b) => (graph.labelCount(b) < graph.labelCount(a) ? b : a));
    consider(index, 3 + graph.labelCount(label) / total, () => graph.nodesWithLabel(label));
    const equalities: [string, Value[] | undefined][] = c.properties.map(([key, value]) => [key, [value]]);
    for (const [key, lookup] of hint?.properties ?? []) equalities.push([key, valuesOf(lookup)]);
    for (const [key, values] of equalities) {
      if (values === undefined || !values.every((v) => v === null || isPropertyValue(v))) continue;
      const hits = values.map((v) => (v === null ? [] : graph.nodesWithProperty(label, key, v as PropertyValue)));
      const count = hits.reduce((sum, nodes) => sum + sizeOf(nodes), 0);
      consider(index, 2 + count / total, () => (hits.length === 1 ? hits[0]! : new Set(hits.flatMap((h) => [...h]))));
    }
  });
  rels.forEach(({ pattern, properties }, index) => {
    if (pattern.range) return; // a variable-length pattern binds a list, not one relationship
    const hint = pattern.variable === undefined ? undefined : hints.get(pattern.variable);
    const inline = properties.find(([key]) => key === ID_KEY);
    const ids = inline ? [inline[1]] : hint?.ids.map(valuesOf).find((values) => values !== undefined);
    if (ids === undefined) return;
    // The pattern's left node (index `index`) is the relationship's start going out, its end coming in.
    consider(index, 1 + ids.length / total, () => {
      const found: Node[] = [];
      for (const id of ids) {
        const rel = typeof id === "string" ? graph.relationships.get(id) : undefined;
        if (!rel) continue;
        if (pattern.direction !== "in") found.push(rel.start);
        if (pattern.direction !== "out") found.push(rel.end);
      }
      return distinct(found);
    });
  });
  return { index: best!.index, candidates: best!.candidates() };
}

/** Each node once, in order: a few by hand, many by a Set. */
function distinct(nodes: Node[]): Iterable<Node> {
  return nodes.length <= 16 ? nodes.filter((node, i) => nodes.indexOf(node) === i) : new Set(nodes);
}

/** How many nodes an index lookup found (its answer is a Set or an array). */
function sizeOf(nodes: Iterable<Node>): number {
  return nodes instanceof Set ? nodes.size : Array.isArray(nodes) ? nodes.length : Number.MAX_SAFE_INTEGER;
}
