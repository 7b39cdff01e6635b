import { neptuneFault } from "../../../services/neptune/errors.js";
import type { NeptuneScope } from "../lifecycle.js";
import type { ClusterRecord, InstanceRecord } from "../records.js";

/**
 * Ports for clusters and instances as they come and go. A full range is refused with the capacity fault of the
 * resource (*decided*: AWS has no port limit; running out of local ports is a lack of capacity here).
 */

/** The cluster's port: the Port it asked for if free in the range, else the first free one. */
export function takeClusterPort(scope: NeptuneScope, resourceId: string, wanted: number | undefined): number {
  const owner = { kind: "cluster" as const, accountId: scope.accountId, region: scope.region, resourceId };
  const port = scope.ports.allocate(scope.store, owner, wanted);
  if (port === undefined) throw rangeFull("InsufficientDBClusterCapacityFault", scope);
  return port;
}

/**
 * ModifyDBCluster's Port: the cluster moves to it when it is in the range and free; otherwise it keeps its port
 * (*decided*: moving to a port other than the one asked for would surprise more than staying).
 */
export function moveClusterPort(scope: NeptuneScope, cluster: ClusterRecord, wanted: number): number {
  if (wanted === cluster.Port || scope.ports.ownerOf(scope.store, wanted)) return cluster.Port;
  const { firstPort, lastPort } = scope.ports.config;
  if (wanted < firstPort || wanted > lastPort) return cluster.Port;
  const port = takeClusterPort(scope, cluster.DbClusterResourceId, wanted);
  scope.ports.release(scope.store, cluster.Port);
  return port;
}

export function takeInstancePort(scope: NeptuneScope, resourceId: string): number {
  const owner = { kind: "instance" as const, accountId: scope.accountId, region: scope.region, resourceId };
  const port = scope.ports.allocate(scope.store, owner);
  if (port === undefined) throw rangeFull("InsufficientDBInstanceCapacityFault", scope);
  return port;
}

/** Gives back the ports of clusters and instances that are gone. */
export function releasePorts(scope: NeptuneScope, gone: (ClusterRecord | InstanceRecord)[]): void {
  for (const record of gone) scope.ports.release(scope.store, "Port" in record ? record.Port : record.port);
}

function rangeFull(
  fault: "InsufficientDBClusterCapacityFault" | "InsufficientDBInstanceCapacityFault",
  scope: NeptuneScope,
) {
  const { firstPort, lastPort } = scope.ports.config;
  return neptuneFault(
    fault,
    `Every data-plane port of this Trident (${firstPort}-${lastPort}) is in use: delete a cluster or instance, ` +
      "or start trident serve with a larger --data-plane-ports range.",
  );
}
