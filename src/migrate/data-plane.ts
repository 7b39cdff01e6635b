import { GetPropertygraphSummaryCommand, type NeptunedataClient } from "@aws-sdk/client-neptunedata";
import { awsErrorCode, awsErrorMessage, EXIT, MigrateError } from "./errors.js";
import { graphFacts, type GraphFacts } from "./graph-summary.js";
import type { Side, SideConfig } from "./types.js";

/**
 * Reaching a cluster's graph: where its data plane answers, and the detailed summary read from there, with the
 * errors a user can fix turned into one message each (no instance to answer, statistics not computed, no
 * permission, no network path).
 */

/** The cluster whose graph is read, and where. */
export interface DataEndpoint {
  side: Side;
  cluster: string;
  url: string;
  /** The URL is the cluster's endpoint as a local AWS (an `http:` control plane) reports it. */
  fromLocalAws?: boolean;
}

/** *Decided*: a side whose control plane is an `http:` endpoint is a local AWS (Neptune's is HTTPS only). */
const isLocalAws = (side: SideConfig) => side.endpoint?.startsWith("http:") === true;

/**
 * The cluster's data-plane URL: `--source-data-endpoint-url` / `--target-data-endpoint-url` when given (a tunnel,
 * a load balancer), else the cluster's `Endpoint` and `Port` as DescribeDBClusters reports them. Neptune serves
 * HTTPS only; the local AWS serves plain HTTP, so a side whose control plane is an `http:` endpoint (the local
 * AWS) gets `http:` (*decided*: that is the one case where the endpoint's scheme is known to be plain).
 */
/** Whether the cluster's data-plane URL is the endpoint a local AWS reports (not one given by the user). */
export const reportedByLocalAws = (side: SideConfig): boolean => !side.dataEndpoint && isLocalAws(side);

export function dataEndpointUrl(side: SideConfig, cluster: { Endpoint?: string; Port?: number }): string | undefined {
  if (side.dataEndpoint) return side.dataEndpoint;
  if (!cluster.Endpoint) return undefined;
  const scheme = isLocalAws(side) ? "http" : "https";
  return `${scheme}://${cluster.Endpoint}:${cluster.Port ?? 8182}`;
}

/** A cluster's graph as read: where, and what its summary says. */
export interface GraphReading {
  where: DataEndpoint;
  facts: GraphFacts;
}

const NETWORK_CODES = ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH"];

/** GetPropertygraphSummary mode=detailed on one cluster (IAM action neptune-db:GetGraphSummary). */
export async function readGraphFacts(client: NeptunedataClient, where: DataEndpoint): Promise<GraphFacts> {
  try {
    const summary = await client.send(new GetPropertygraphSummaryCommand({ mode: "detailed" }));
    return graphFacts(summary.payload?.graphSummary ?? {});
  } catch (error) {
    throw explainDataError(error, where);
  }
}

/** A data-plane error as the user can act on it; anything else unchanged. */
export function explainDataError(error: unknown, { side, cluster, url, fromLocalAws }: DataEndpoint): unknown {
  const code = awsErrorCode(error);
  const message = awsErrorMessage(error);
  const fail = (what: string, fix: string) => new MigrateError(what, fix, EXIT.blocked, { cause: error });
  const network = (error as { code?: string })?.code;
  // A local AWS names its clusters' endpoints by addresses of its machine while it serves their graphs; names that
  // resolve nowhere are AWS's, shown by one that serves no data plane (`trident serve --no-data-plane`, moto).
  if (network === "ENOTFOUND" && fromLocalAws)
    return fail(
      `the ${side} cluster ${cluster} does not answer queries: the local AWS runs without its data plane (its endpoint ${url} is AWS's name, which resolves nowhere)`,
      "start trident serve without --no-data-plane to read the graphs (or leave out --verify-data and --live)",
    );
  if (network && NETWORK_CODES.includes(network))
    return fail(
      `can't reach the graph of the ${side} cluster ${cluster} at ${url} (${network})`,
      `Neptune answers only inside the cluster's VPC: run trident where it can reach ${url} (or through a tunnel, and pass --${side}-data-endpoint-url)`,
    );
  if (code === "PreconditionsFailedException")
    return fail(
      `the ${side} cluster ${cluster} does not answer queries: ${message}`,
      "a cluster answers once it and one of its instances are available (a restored cluster has none, R11): create or start one, then run apply again",
    );
  if (code === "StatisticsNotAvailableException")
    return fail(
      `the ${side} cluster ${cluster} has no graph summary yet: ${message}`,
      `Neptune computes the summary from its statistics: refresh them (aws neptunedata manage-propertygraph-statistics --mode refresh --endpoint-url ${url}), then run apply again`,
    );
  if (code === "AccessDeniedException")
    return fail(
      `the ${side} account may not read the graph summary of ${cluster}: ${message}`,
      "allow the caller neptune-db:GetGraphSummary on the cluster (docs/migrate-permissions.md)",
    );
  return error;
}
