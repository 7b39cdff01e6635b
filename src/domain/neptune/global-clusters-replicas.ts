import type { DBCluster } from "../../generated/neptune.js";
import { CommonErrors } from "../../protocol/errors.js";
import { neptuneFault } from "../../services/neptune/errors.js";
import type { NeptuneScope } from "./lifecycle.js";
import { findCluster } from "./lookups.js";

/**
 * Read-replica clusters, which Neptune does not have: its cross-Region replicas are the secondaries of a global
 * database (global-clusters.ts). The model carries RDS's read-replica members, but Neptune's API reference says of
 * each: PromoteReadReplicaDBCluster "Not supported." (and its DBClusterIdentifier "Not supported."),
 * DBCluster.ReplicationSourceIdentifier "Not supported by Neptune.", CreateDBCluster.PreSignedUrl "This parameter is
 * not currently supported.". So no Neptune cluster is ever a read replica.
 */

/**
 * CreateDBCluster with ReplicationSourceIdentifier: *decided*, refused as an invalid value naming the alternative
 * (AWS's exact answer for Neptune is not public).
 */
export function refuseReadReplicaSource(request: { ReplicationSourceIdentifier?: string }): void {
  if (request.ReplicationSourceIdentifier) {
    throw CommonErrors.invalidParameterValue(
      "ReplicationSourceIdentifier is not supported by Neptune: use a global database (CreateGlobalCluster) for cross-Region replicas.",
    );
  }
}

/**
 * PromoteReadReplicaDBCluster: a cluster the caller does not hold is DBClusterNotFoundFault; any other is not a
 * read replica, so InvalidDBClusterStateFault (the operation's two modelled errors; *decided* wording, in the style
 * of the state refusals "DbCluster <id> is in … state"). A global database's secondary is detached with
 * RemoveFromGlobalCluster instead (Neptune User Guide, "detach-and-promote").
 */
export function promoteReadReplica(scope: NeptuneScope, request: { DBClusterIdentifier: string }): DBCluster {
  const cluster = findCluster(scope, request.DBClusterIdentifier);
  throw neptuneFault("InvalidDBClusterStateFault", `DbCluster ${cluster.DBClusterIdentifier} is not a read replica.`);
}
