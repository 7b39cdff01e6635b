import type { PropertygraphSummary } from "@aws-sdk/client-neptunedata";

/**
 * A cluster's graph as Neptune's detailed summary describes it (GetPropertygraphSummary mode=detailed), in a
 * form that compares: lists that Neptune gives in no particular order become sorted lists and maps. Two graphs
 * with the same summary have the same labels, the same number of nodes and relationships of each shape (which
 * properties a node has and which relationship types leave it), and the same property counts. Pure: no I/O.
 */
export interface GraphFacts {
  nodes: number;
  relationships: number;
  nodeLabels: string[];
  relationshipTypes: string[];
  /** Property name → how many nodes (relationships) have it. */
  nodeProperties: Record<string, number>;
  relationshipProperties: Record<string, number>;
  nodePropertyValues: number;
  relationshipPropertyValues: number;
  /** "{name, sku} -[IN_CATEGORY, SUPPLIED_BY]->" (or "(no outgoing relationship)") → how many nodes have that shape. */
  nodeStructures: Record<string, number>;
  /** "{quantity, unitPrice}" → how many relationships have exactly those properties. */
  relationshipStructures: Record<string, number>;
}

/** One way the target's graph is not the source's. */
export interface GraphDifference {
  what: string;
  source: string;
  target: string;
}

const sorted = (items: readonly string[] | undefined) => [...(items ?? [])].sort();

/** `[{code: 3}, {desc: 3}]` (Neptune's list of one-key maps) as one map. */
function countsOf(maps: readonly Record<string, number>[] | undefined): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const map of maps ?? []) for (const [key, count] of Object.entries(map)) counts[key] = count;
  return counts;
}

function tally(entries: { key: string; count: number }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { key, count } of entries) counts[key] = (counts[key] ?? 0) + count;
  return counts;
}

const outgoing = (types: readonly string[] | undefined) =>
  types?.length ? `-[${sorted(types).join(", ")}]->` : "(no outgoing relationship)";

const propertySet = (names: readonly string[] | undefined) => `{${sorted(names).join(", ")}}`;

export function graphFacts(summary: PropertygraphSummary): GraphFacts {
  return {
    nodes: summary.numNodes ?? 0,
    relationships: summary.numEdges ?? 0,
    nodeLabels: sorted(summary.nodeLabels),
    relationshipTypes: sorted(summary.edgeLabels),
    nodeProperties: countsOf(summary.nodeProperties),
    relationshipProperties: countsOf(summary.edgeProperties),
    nodePropertyValues: summary.totalNodePropertyValues ?? 0,
    relationshipPropertyValues: summary.totalEdgePropertyValues ?? 0,
    nodeStructures: tally(
      (summary.nodeStructures ?? []).map((structure) => ({
        key: `${propertySet(structure.nodeProperties)} ${outgoing(structure.distinctOutgoingEdgeLabels)}`,
        count: structure.count ?? 0,
      })),
    ),
    relationshipStructures: tally(
      (summary.edgeStructures ?? []).map((structure) => ({
        key: propertySet(structure.edgeProperties),
        count: structure.count ?? 0,
      })),
    ),
  };
}

const plural = (count: number, one: string, many = `${one}s`) =>
  `${count.toLocaleString("en-US")} ${count === 1 ? one : many}`;

/** "712 nodes (6 labels), 1,795 relationships (5 types)". */
export function describeGraph(facts: GraphFacts): string {
  return (
    `${plural(facts.nodes, "node")} (${plural(facts.nodeLabels.length, "label")}), ` +
    `${plural(facts.relationships, "relationship")} (${plural(facts.relationshipTypes.length, "type")})`
  );
}

/** Every difference, in a stable order: totals, labels and types, property counts, then shapes. */
export function compareGraphs(source: GraphFacts, target: GraphFacts): GraphDifference[] {
  const differences: GraphDifference[] = [];
  const count = (what: string, x: number, y: number) => {
    if (x !== y) differences.push({ what, source: x.toLocaleString("en-US"), target: y.toLocaleString("en-US") });
  };
  const names = (what: string, x: string[], y: string[]) => {
    for (const name of x)
      if (!y.includes(name)) differences.push({ what: `${what} ${name}`, source: "present", target: "absent" });
    for (const name of y)
      if (!x.includes(name)) differences.push({ what: `${what} ${name}`, source: "absent", target: "present" });
  };
  const counts = (what: string, x: Record<string, number>, y: Record<string, number>) => {
    for (const key of [...new Set([...Object.keys(x), ...Object.keys(y)])].sort())
      count(`${what} ${key}`, x[key] ?? 0, y[key] ?? 0);
  };
  count("nodes", source.nodes, target.nodes);
  count("relationships", source.relationships, target.relationships);
  names("node label", source.nodeLabels, target.nodeLabels);
  names("relationship type", source.relationshipTypes, target.relationshipTypes);
  counts("nodes with property", source.nodeProperties, target.nodeProperties);
  counts("relationships with property", source.relationshipProperties, target.relationshipProperties);
  count("node property values", source.nodePropertyValues, target.nodePropertyValues);
  count("relationship property values", source.relationshipPropertyValues, target.relationshipPropertyValues);
  counts("nodes shaped", source.nodeStructures, target.nodeStructures);
  counts("relationships shaped", source.relationshipStructures, target.relationshipStructures);
  return differences;
}

/** "nodes: 712 in the source, 713 in the target". */
export function describeDifference(difference: GraphDifference): string {
  return `${difference.what}: ${difference.source} in the source, ${difference.target} in the target`;
}
