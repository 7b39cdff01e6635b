import type { PropertyGraph } from "./model/graph.js";
import type { Properties } from "./model/properties.js";

/**
 * The property-graph summary (GetPropertygraphSummary, reference §4.3), computed from the live graph. Neptune
 * reads it from its last statistics computation, which may lag writes; here it is exact at the moment of the
 * request. *Decided*: names are listed in sorted order and structures by descending count (then by their
 * name lists), so that the same graph always gives the same summary (Neptune documents no order).
 */
export interface GraphSummary {
  numNodes: number;
  numEdges: number;
  numNodeLabels: number;
  numEdgeLabels: number;
  nodeLabels: string[];
  edgeLabels: string[];
  numNodeProperties: number;
  numEdgeProperties: number;
  /** One single-key map per property key: how many nodes carry it. */
  nodeProperties: Record<string, number>[];
  edgeProperties: Record<string, number>[];
  /** Every value of every property (a list property counts each of its values: Neptune's multi-valued sets). */
  totalNodePropertyValues: number;
  totalEdgePropertyValues: number;
  /** `detailed` mode only. */
  nodeStructures?: { count: number; nodeProperties: string[]; distinctOutgoingEdgeLabels: string[] }[];
  edgeStructures?: { count: number; edgeProperties: string[] }[];
}

export type SummaryMode = "basic" | "detailed";

class Counter {
  readonly #counts = new Map<string, number>();
  add(key: string, by = 1): void {
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + by);
  }
  keys(): string[] {
    return [...this.#counts.keys()].sort();
  }
  asMaps(): Record<string, number>[] {
    return this.keys().map((key) => ({ [key]: this.#counts.get(key)! }));
  }
  entries(): [string, number][] {
    return [...this.#counts.entries()];
  }
}

/** The sorted keys of an element's properties, and how many values they hold. */
function describe(properties: Properties): { keys: string[]; values: number } {
  const keys: string[] = [];
  let values = 0;
  for (const [key, value] of properties) {
    keys.push(key);
    values += Array.isArray(value) ? value.length : 1;
  }
  return { keys: keys.sort(), values };
}

/** Lists of names in order: element by element, a prefix before the longer list. */
function compareLists(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return a.length - b.length;
}

/** Structures (counted under the JSON text of their name lists) by descending count, ties by their lists. */
function byCount<T>(counter: Counter, build: (lists: string[][], count: number) => T): T[] {
  const parsed = counter.entries().map(([key, count]) => ({ lists: JSON.parse(key) as string[][], count }));
  const order = (a: string[][], b: string[][]) => {
    for (let i = 0; i < a.length; i++) {
      const c = compareLists(a[i]!, b[i]!);
      if (c !== 0) return c;
    }
    return 0;
  };
  return parsed.sort((a, b) => b.count - a.count || order(a.lists, b.lists)).map((s) => build(s.lists, s.count));
}

export function graphSummary(graph: PropertyGraph, mode: SummaryMode): GraphSummary {
  const nodeLabels = new Counter();
  const edgeLabels = new Counter();
  const nodeProperties = new Counter();
  const edgeProperties = new Counter();
  const nodeStructures = new Counter();
  const edgeStructures = new Counter();
  let totalNodePropertyValues = 0;
  let totalEdgePropertyValues = 0;
  for (const node of graph.nodes.values()) {
    for (const label of node.labels) nodeLabels.add(label);
    const { keys, values } = describe(node.properties);
    for (const key of keys) nodeProperties.add(key);
    totalNodePropertyValues += values;
    if (mode === "detailed") {
      const outgoing = [...new Set(node.out.map((rel) => rel.type))].sort();
      nodeStructures.add(JSON.stringify([keys, outgoing]));
    }
  }
  for (const rel of graph.relationships.values()) {
    edgeLabels.add(rel.type);
    const { keys, values } = describe(rel.properties);
    for (const key of keys) edgeProperties.add(key);
    totalEdgePropertyValues += values;
    if (mode === "detailed") edgeStructures.add(JSON.stringify([keys]));
  }
  const summary: GraphSummary = {
    numNodes: graph.nodes.size,
    numEdges: graph.relationships.size,
    numNodeLabels: nodeLabels.keys().length,
    numEdgeLabels: edgeLabels.keys().length,
    nodeLabels: nodeLabels.keys(),
    edgeLabels: edgeLabels.keys(),
    numNodeProperties: nodeProperties.keys().length,
    numEdgeProperties: edgeProperties.keys().length,
    nodeProperties: nodeProperties.asMaps(),
    edgeProperties: edgeProperties.asMaps(),
    totalNodePropertyValues,
    totalEdgePropertyValues,
  };
  if (mode === "detailed") {
    summary.nodeStructures = byCount(nodeStructures, ([properties, outgoing], count) => ({
      count,
      nodeProperties: properties!,
      distinctOutgoingEdgeLabels: outgoing!,
    }));
    summary.edgeStructures = byCount(edgeStructures, ([properties], count) => ({ count, edgeProperties: properties! }));
  }
  return summary;
}
