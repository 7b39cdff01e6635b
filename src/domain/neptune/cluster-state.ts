import type { AwsError } from "../../protocol/errors.js";
import { neptuneFault } from "../../services/neptune/errors.js";
import { clusterStatus, type ClusterStatus, type NeptuneScope } from "./lifecycle.js";
import type { ClusterRecord } from "./records.js";

/**
 * Whether a cluster can take an operation in its current status, and AWS's refusal when it can't. Shared by the
 * operations on clusters, on their instances and on their snapshots.
 */

/**
 * AWS's wording for an operation refused in the cluster's current status, observed for Stop and StartDBCluster:
 * "DbCluster <id> is in stopping state but expected it to be one of available." (*decided*: the same text for the
 * other operations that need an available cluster).
 */
export function wrongClusterState(cluster: ClusterRecord, status: string, expected: string[]): AwsError {
  return neptuneFault(
    "InvalidDBClusterStateFault",
    `DbCluster ${cluster.DBClusterIdentifier} is in ${status} state but expected it to be one of ${expected.join(", ")}.`,
  );
}

/**
 * Whether the cluster can take an operation that needs it available. *Decided*: `backing-up` counts as available
 * (the cluster serves and can be changed while an automated backup runs).
 */
export function isUsable(status: ClusterStatus): boolean {
  return status === "available" || status === "backing-up";
}

export function requireUsable(scope: NeptuneScope, cluster: ClusterRecord): void {
  const status = clusterStatus(scope, cluster);
  if (!isUsable(status)) throw wrongClusterState(cluster, status, ["available"]);
}
