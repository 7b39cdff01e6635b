import { neptuneFault } from "../../../services/neptune/errors.js";
import type { NeptuneScope } from "../lifecycle.js";
import type { ClusterRecord, InstanceRecord } from "../records.js";

/**
 * Ports for clusters and instances as they come and go. A full range is refused with the capacity fault of the
 * resource (*decided*: AWS has no port limit; running out of local ports is a lack of capacity here).
 *
 * With the data plane off (`--no-data-plane`) no port is taken: a cluster has the Port it asked for, else
 * Neptune's 8182 (CreateDBCluster's default, API reference), as on AWS, where every endpoint has a DNS name of its
 * own and they may all share a port; an instance has none of its own and shows its cluster's (as AWS's do).
 */

/** Neptune's port: CreateDBCluster's default (Neptune API reference, CreateDBCluster `Port`). */
export const NEPTUNE_PORT = 8182;

/** The cluster's port: the Port it asked for if free in the range, else the first free one. */
export function takeClusterPort(scope: NeptuneScope, resourceId: string, wanted: number | undefined): number {
  if (scope.ports.config.off) return wanted ?? NEPTUNE_PORT;
  const owner = { kind: "cluster" as const, accountId: scope.accountId, region: scope.region, resourceId };
  const port = scope.ports.allocate(scope.store, owner, wanted);
  if (port === undefined) throw rangeFull("InsufficientDBClusterCapacityFault", scope);
  return port;
}

/**
 * ModifyDBCluster's Port: the cluster moves to it when it is in the range and free; otherwise it keeps its port
 * (*decided*: moving to a port other than the one asked for would surprise more than staying). With the data plane
 * off, it moves to it, as on AWS.
 */
export function moveClusterPort(scope: NeptuneScope, cluster: ClusterRecord, wanted: number): number {
  if (scope.ports.config.off) return wanted;
  if (wanted === cluster.Port || scope.ports.ownerOf(scope.store, wanted)) return cluster.Port;
  const { firstPort, lastPort } = scope.ports.config;
  if (wanted < firstPort || wanted > lastPort) return cluster.Port;
  const port = takeClusterPort(scope, cluster.DbClusterResourceId, wanted);
  scope.ports.release(scope.store, cluster.Port);
  return port;
}

/** The instance's own port; none with the data plane off (its endpoint then shows the cluster's Port). */
export function takeInstancePort(scope: NeptuneScope, resourceId: string): number | undefined {
  if (scope.ports.config.off) return undefined;
  const owner = { kind: "instance" as const, accountId: scope.accountId, region: scope.region, resourceId };
  const port = scope.ports.allocate(scope.store, owner);
  if (port === undefined) throw rangeFull("InsufficientDBInstanceCapacityFault", scope);
  return port;
}

/**
 * Gives back the ports of clusters and instances that are gone: only a port the book gives to that resource, so
 * a resource made with the data plane off (8182, never taken) frees no other's port when the same data directory
 * is served with it on, or the reverse.
 */
export function releasePorts(scope: NeptuneScope, gone: (ClusterRecord | InstanceRecord)[]): void {
  for (const record of gone) {
    const [port, resourceId] =
      "Port" in record ? [record.Port, record.DbClusterResourceId] : [record.port, record.DbiResourceId];
    if (port !== undefined && scope.ports.ownerOf(scope.store, port)?.resourceId === resourceId)
      scope.ports.release(scope.store, port);
  }
}

function rangeFull(
  fault: "InsufficientDBClusterCapacityFault" | "InsufficientDBInstanceCapacityFault",
  scope: NeptuneScope,
) {
  const { firstPort, lastPort } = scope.ports.config;
  return neptuneFault(
    fault,
    `Every data-plane port of this Trident (${firstPort}-${lastPort}) is in use: delete a cluster or instance, ` +
      "start trident serve with a larger --data-plane-ports range, or with --no-data-plane (the control plane " +
      "only: no port is taken, so clusters are not limited by the range, and their endpoints do not answer).",
  );
}
