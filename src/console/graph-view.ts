import { headOf } from "../domain/neptune/data-plane/graph-history.js";
import { checkClusterServes } from "../domain/neptune/data-plane/session.js";
import { queryTimeoutMs } from "../domain/neptune/data-plane/query-timeout.js";
import { streamSettingsIn } from "../domain/neptune/data-plane/streams-settings.js";
import { graphSourceOf } from "../domain/neptune/global-clusters-members.js";
import { instanceStatus, type NeptuneScope } from "../domain/neptune/lifecycle.js";
import type { ClusterRecord, InstanceRecord } from "../domain/neptune/records.js";
import type { PropertyGraph } from "../graph/model/graph.js";
import { graphSummary } from "../graph/summary.js";

/**
 * A cluster's graph as the console shows it: GetPropertygraphSummary's numbers and names (src/graph/summary.ts),
 * allow-listed field by field so that no property value can reach the page. Reached as the data plane reaches it
 * (session.ts: the cluster must serve and have an available instance; a global secondary answers from its
 * primary's graph), but read only: no catch-up runs, nothing is written, and a cluster that does not serve is not
 * evicted (that is the data plane's business on its next request).
 *
 * A summary is a pass over the whole graph, and the page reads the state every few seconds: it is built once per
 * version of the graph (summaryOf) and reused while nothing was written.
 */
/** A label or relationship type, and how many nodes or relationships carry it. */
export interface NameCount {
  name: string;
  count: number;
}

export interface GraphDoc {
  nodes: number;
  relationships: number;
  nodeLabels: NameCount[];
  relationshipTypes: NameCount[];
  nodePropertyKeys: string[];
  relationshipPropertyKeys: string[];
}

/** The summary, or why there is none (the data plane's own refusal message). */
export interface ClusterGraphDoc {
  graph: Readonly<GraphDoc> | null;
  /** Why `graph` is null. */
  graphUnavailable?: string;
}

export function clusterGraphView(
  scope: NeptuneScope,
  cluster: ClusterRecord,
  members: readonly InstanceRecord[],
): ClusterGraphDoc {
  try {
    checkClusterServes(scope, cluster);
    const writer = members.find((i) => i.DBInstanceIdentifier === cluster.writer);
    const available = members.filter((i) => instanceStatus(scope, i, cluster) === "available");
    const answering = available.find((i) => i === writer) ?? available[0];
    if (!answering)
      return {
        graph: null,
        graphUnavailable: `DB cluster '${cluster.DBClusterIdentifier}' has no available DB instance.`,
      };
    // The engine the data plane itself would hand this instance (same timeout and streams: nothing about it changes).
    const source = graphSourceOf(scope, cluster);
    const timeout = queryTimeoutMs(scope, cluster, answering);
    const engine = scope.graphs.engine(source.scope, source.cluster, timeout, streamSettingsIn(answering));
    const { version } = headOf(source.scope, source.cluster.DbClusterResourceId, source.cluster.ClusterCreateTime);
    return { graph: summaryOf(engine.graph, version) };
  } catch (error) {
    return { graph: null, graphUnavailable: (error as Error).message };
  }
}

/**
 * The summaries built, by the live graph they describe, with the version of the cluster's stored history they were
 * built at (GraphHead.version: it moves with every committed write, and the live graph matches it once the engine
 * is handed out). The same graph at the same version is the same graph: its summary is reused, not rebuilt. A
 * graph reloaded from the store (a rolled-back unit of work, an imported state, a fast reset) is another object:
 * summarized anew; one gone is forgotten with it. Shared between reads, so never changed.
 */
const summaries = new WeakMap<PropertyGraph, { version: number; doc: Readonly<GraphDoc> }>();

function summaryOf(graph: PropertyGraph, version: number): Readonly<GraphDoc> {
  const known = summaries.get(graph);
  if (known?.version === version) return known.doc;
  const summary = graphSummary(graph, "basic");
  const keys = (maps: Record<string, number>[]) => maps.flatMap((map) => Object.keys(map));
  const doc: GraphDoc = {
    nodes: summary.numNodes,
    relationships: summary.numEdges,
    nodeLabels: summary.nodeLabels.map((name) => ({ name, count: graph.labelCount(name) })),
    relationshipTypes: typeCounts(graph, summary.edgeLabels),
    nodePropertyKeys: keys(summary.nodeProperties),
    relationshipPropertyKeys: keys(summary.edgeProperties),
  };
  summaries.set(graph, { version, doc });
  return doc;
}

/** How many relationships of each type (the summary lists the types; the graph indexes nodes by label only). */
function typeCounts(graph: PropertyGraph, types: readonly string[]): NameCount[] {
  const counts = new Map(types.map((type) => [type, 0]));
  for (const rel of graph.relationships.values()) counts.set(rel.type, (counts.get(rel.type) ?? 0) + 1);
  return types.map((name) => ({ name, count: counts.get(name)! }));
}
