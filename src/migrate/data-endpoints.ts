import type { NeptunedataClient } from "@aws-sdk/client-neptunedata";
import { createDataClient, type MigrationClients } from "./clients.js";
import { dataEndpointUrl, reportedByLocalAws, type DataEndpoint } from "./data-plane.js";
import { readCluster } from "./discover.js";
import { MigrateError } from "./errors.js";
import type { MigrateInputs, Side } from "./types.js";

/** A cluster's data-plane client, found by the cluster's id (DescribeDBClusters, or the side's --*-data-endpoint-url). */
export interface OpenGraph {
  where: DataEndpoint;
  client: NeptunedataClient;
}

/**
 * Opens a data client on one side's cluster, signed with that side's credentials (SigV4 for neptune-db). `needs`
 * names what asked for it (`--verify-data`, `apply --live`), for the message when the cluster is missing.
 */
export async function openClusterGraph(
  clients: MigrationClients,
  inputs: MigrateInputs,
  account: string,
  side: Side,
  clusterId: string | undefined,
  needs: string,
): Promise<OpenGraph> {
  const cluster = clusterId ? await readCluster(clients[side].neptune, clusterId, { withDetails: false }) : undefined;
  if (!clusterId || !cluster)
    throw new MigrateError(
      `${needs} needs the ${side} cluster${clusterId ? ` ${clusterId}` : ""}, and ${account} has none`,
      `give --source-cluster (a cluster that still exists), or leave out ${needs}`,
    );
  const url = dataEndpointUrl(inputs[side], cluster);
  if (!url)
    throw new MigrateError(
      `the ${side} cluster ${clusterId} reports no endpoint`,
      `pass --${side}-data-endpoint-url with the address where its graph answers`,
    );
  return {
    where: { side, cluster: clusterId, url, fromLocalAws: reportedByLocalAws(inputs[side]) },
    client: createDataClient(inputs[side], url, { region: inputs.region }),
  };
}
