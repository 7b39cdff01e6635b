import type { NeptunedataClient } from "@aws-sdk/client-neptunedata";
import { createDataClient, type SideClients } from "../migrate/clients.js";
import { dataEndpointUrl } from "../migrate/data-plane.js";
import { readCluster } from "../migrate/discover.js";
import { awsErrorCode, awsErrorMessage, MigrateError } from "../migrate/errors.js";
import type { Reporter } from "../migrate/steps/context.js";
import type { StepContext } from "../migrate/steps/context.js";
import type { SideConfig } from "../migrate/types.js";
import { ask, APPLICATION_QUERIES, GRAPH_COUNTS, sideBySide } from "./demo-queries.js";

/** The demo's data part: the clusters' graphs through their own endpoints, with client-neptunedata. */

/** An AWS error as the demo shows a refusal: code, message, HTTP status; undefined for anything else. */
export function refusalOf(error: unknown): { code: string; message: string; status?: number } | undefined {
  const code = awsErrorCode(error);
  if (!code) return undefined;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return { code, message: awsErrorMessage(error), ...(status ? { status } : {}) };
}

export interface ClusterGraph {
  client: NeptunedataClient;
  url: string;
}

/** A data client on the cluster's endpoint (from DescribeDBClusters), with that side's credentials. */
export async function clusterGraph(
  clients: SideClients,
  side: SideConfig,
  clusterId: string,
  region: string,
): Promise<ClusterGraph> {
  const cluster = await readCluster(clients.neptune, clusterId, { withDetails: false });
  const url = cluster ? dataEndpointUrl(side, cluster) : undefined;
  if (!url) throw new MigrateError(`the cluster ${clusterId} reports no endpoint`, "this is a bug in the local AWS");
  return { client: createDataClient(side, url, { region, maxAttempts: 1 }), url };
}

/**
 * R11 on the data plane, shown for real: once the target's cluster is restored and before its instances exist,
 * a query on its endpoint is refused. Neptune's endpoint would not answer at all then; the local AWS answers
 * PreconditionsFailedException naming R11 (its decision, so that the refusal can be read).
 */
export async function showQueryBeforeInstance(
  ctx: StepContext,
  reporter: Reporter,
  checkEndpoint: (url: string) => void,
): Promise<{ rule: string; code: string }[]> {
  const cluster = ctx.plan.names.targetCluster;
  const graph = await clusterGraph(ctx.clients.target, ctx.inputs.target, cluster, ctx.inputs.region);
  const attempt = `${ctx.found.target.Account} queries ${cluster} before it has an instance: ExecuteOpenCypherQuery on ${graph.url}`;
  try {
    checkEndpoint(graph.url);
    await ask(graph.client, { title: "count", query: "MATCH (n) RETURN count(n) AS nodes" });
  } catch (error) {
    const refused = refusalOf(error);
    if (!refused) throw error;
    reporter.wall("R11", attempt, refused);
    return [{ rule: "R11", code: refused.code }];
  } finally {
    graph.client.destroy();
  }
  reporter.note(`R11: ${attempt} was ANSWERED, unlike AWS`);
  return [];
}

/**
 * The graph in B next to the graph in A: counts per label and per type, then the application's questions, row by
 * row; true when every answer is the same.
 */
export async function compareSides(
  a: ClusterGraph,
  b: ClusterGraph,
  headings: [string, string],
  write: (line: string) => void,
): Promise<{ same: number; different: string[] }> {
  const result = { same: 0, different: [] as string[] };
  for (const query of [...GRAPH_COUNTS, ...APPLICATION_QUERIES]) {
    if (await sideBySide(a.client, b.client, query, headings, write)) result.same++;
    else result.different.push(query.title);
  }
  return result;
}
