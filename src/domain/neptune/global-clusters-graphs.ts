import type { AwsError } from "../../protocol/errors.js";
import { wrongClusterState } from "./cluster-state.js";
import { clusterStatus, type NeptuneScope } from "./lifecycle.js";
import type { ClusterRecord } from "./records.js";
import { withKeyFault } from "./storage.js";

/**
 * A global database's graph follows its primary. "Neptune replicates the written data to all the secondary DB
 * clusters … replication is performed by the cluster storage volume" (User Guide, neptune-global-database): each
 * Region's storage holds the data, encrypted under that Region's key. Trident's secondaries read their primary's
 * graph as it is (graphSourceOf, global-clusters-members.ts: replication without lag), and the graph is written into
 * a cluster's own storage when it must be there: when the cluster becomes the primary (a switchover: no data lost; a
 * failover with data loss: *decided*, the primary's graph at that moment, as a secondary's copy after its last
 * replication is, with no lag), and when a secondary is detached (it keeps what it served, as a standalone writable
 * cluster). The graph is read with the giving cluster's data key and sealed under the receiving cluster's own, both
 * opened by Neptune under its grant for each cluster (ClusterGraphs.receive): KMS keys are regional, so the data
 * crosses Regions as plaintext inside the service, never as another Region's ciphertext.
 */

export interface PlacedCluster {
  place: NeptuneScope;
  cluster: ClusterRecord;
}

/**
 * Writes the graph `from` serves into `to`'s storage. Refused (with `refuse`, the operation's own fault, around
 * AWS's state wording), changing nothing, when either cluster's storage can't be opened: its key disabled, pending
 * deletion or gone, or Neptune's grant on it revoked (`inaccessible-encryption-credentials`). *Decided*: that
 * holds for the old primary of a failover with data loss too: Trident keeps no copy in the secondary's storage
 * between moves, so without the primary's key there is no graph to promote.
 */
export function handOverGraph(to: PlacedCluster, from: PlacedCluster, refuse: (message: string) => AwsError): void {
  for (const { place, cluster } of [from, to]) {
    const status = clusterStatus(place, cluster);
    if (status === "inaccessible-encryption-credentials") {
      throw refuse(wrongClusterState(cluster, status, ["available"]).message);
    }
  }
  withKeyFault(
    () =>
      refuse(
        `The KMS keys of DbCluster ${from.cluster.DBClusterIdentifier} and DbCluster ${to.cluster.DBClusterIdentifier} must both be usable to move the graph.`,
      ),
    () => to.place.graphs.receive(to.place, to.cluster, { scope: from.place, cluster: from.cluster }),
  );
}
