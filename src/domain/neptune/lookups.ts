import type { AwsError } from "../../protocol/errors.js";
import { neptuneFault } from "../../services/neptune/errors.js";
import type { Table } from "../../state/store.js";
import { ownIdentifier } from "./arn.js";
import type { IdentifierParameter } from "./identifiers.js";
import { derivedPerGeneration } from "./listing.js";
import { clusterTable, instanceTable, type ClusterRecord, type InstanceRecord, type Place } from "./records.js";

/**
 * The caller's clusters and instances as a request names them: by identifier (any case) or by ARN, always in the
 * caller's own (account, region). A cluster or an instance is never reachable from another account: its ARN is
 * simply not found, with the same fault as a name the caller does not hold.
 */

/** Observed: "DBCluster <id> not found." (DBClusterNotFoundFault, 404; reference §5), echoing the value as given. */
export function clusterNotFound(given: string): AwsError {
  return neptuneFault("DBClusterNotFoundFault", `DBCluster ${given} not found.`);
}

/** DBInstanceNotFoundFault, sent on the wire as `DBInstanceNotFound` (404): what the AWS CLI's waiters match. */
export function instanceNotFound(given: string): AwsError {
  return neptuneFault("DBInstanceNotFoundFault", `DBInstance ${given} not found.`);
}

/** SubscriptionNotFoundFault (404); the wording is *decided* (no public capture of RDS's text). */
export function subscriptionNotFound(given: string): AwsError {
  return neptuneFault("SubscriptionNotFoundFault", `Subscription ${given} not found.`);
}

function findOwn<R>(
  place: Place,
  given: string,
  type: "cluster" | "db",
  parameter: IdentifierParameter,
  table: Table<R>,
  notFound: (given: string) => AwsError,
): R {
  const id = ownIdentifier(given, type, place, parameter);
  const found = id === undefined ? undefined : table.get(id);
  if (!found) throw notFound(given);
  return found;
}

/** The caller's cluster named by identifier or ARN, or DBClusterNotFoundFault. */
export function findCluster(place: Place, given: string): ClusterRecord {
  const clusters = clusterTable(place.store, place.accountId, place.region);
  return findOwn(place, given, "cluster", "DBClusterIdentifier", clusters, clusterNotFound);
}

/** The caller's instance named by identifier or ARN, or DBInstanceNotFoundFault. */
export function findInstance(place: Place, given: string): InstanceRecord {
  const instances = instanceTable(place.store, place.accountId, place.region);
  return findOwn(place, given, "db", "DBInstanceIdentifier", instances, instanceNotFound);
}

/** The cluster an instance belongs to; undefined once that cluster is gone. */
export function clusterOf(place: Place, instance: InstanceRecord): ClusterRecord | undefined {
  return clusterTable(place.store, place.accountId, place.region).get(instance.DBClusterIdentifier);
}

/**
 * Every cluster's members, in identifier order, by cluster identifier: one pass over the instances, so that a page
 * of many clusters is not a scan of them per cluster. The rows are handed out for writing (Table.values).
 */
export function membersByCluster(place: Place): Map<string, InstanceRecord[]> {
  return groupByCluster(instanceTable(place.store, place.accountId, place.region).values());
}

/**
 * The same, for a listing that only shows them (DescribeDBClusters): read untracked (Table.peekValues), so a describe
 * costs no re-encoding of them, and grouped once per generation of the instance table, not per request.
 */
export const membersForShowing: (place: Place) => ReadonlyMap<string, readonly InstanceRecord[]> = (() => {
  const grouped = derivedPerGeneration<InstanceRecord, ReadonlyMap<string, readonly InstanceRecord[]>>((rows) => {
    const members = groupByCluster([...rows]);
    for (const list of members.values()) Object.freeze(list); // shared by every request of this generation
    return members;
  });
  return (place: Place) => grouped(instanceTable(place.store, place.accountId, place.region));
})();

function groupByCluster(instances: InstanceRecord[]): Map<string, InstanceRecord[]> {
  const members = new Map<string, InstanceRecord[]>();
  for (const instance of instances.sort(byInstanceId)) {
    const list = members.get(instance.DBClusterIdentifier) ?? [];
    list.push(instance);
    members.set(instance.DBClusterIdentifier, list);
  }
  return members;
}

const byInstanceId = (x: InstanceRecord, y: InstanceRecord) =>
  x.DBInstanceIdentifier.localeCompare(y.DBInstanceIdentifier);

/** The cluster's members, in identifier order. */
export function membersOf(place: Place, clusterId: string): InstanceRecord[] {
  return membersByCluster(place).get(clusterId) ?? [];
}
