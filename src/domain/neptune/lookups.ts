import type { AwsError } from "../../protocol/errors.js";
import { neptuneFault } from "../../services/neptune/errors.js";
import type { Table } from "../../state/store.js";
import { ownIdentifier } from "./arn.js";
import type { IdentifierParameter } from "./identifiers.js";
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
 * of many clusters is not a scan of them per cluster. `"reading"`: the members are only shown, never changed, so
 * they are read untracked (Table.peekValues) and a describe costs no re-encoding of them.
 */
export function membersByCluster(
  place: Place,
  use: "changing" | "reading" = "changing",
): Map<string, InstanceRecord[]> {
  const members = new Map<string, InstanceRecord[]>();
  const byId = (x: InstanceRecord, y: InstanceRecord) => x.DBInstanceIdentifier.localeCompare(y.DBInstanceIdentifier);
  const table = instanceTable(place.store, place.accountId, place.region);
  const instances = use === "reading" ? (table.peekValues() as InstanceRecord[]) : table.values();
  for (const instance of instances.sort(byId)) {
    const list = members.get(instance.DBClusterIdentifier) ?? [];
    list.push(instance);
    members.set(instance.DBClusterIdentifier, list);
  }
  return members;
}

/** The cluster's members, in identifier order. */
export function membersOf(place: Place, clusterId: string): InstanceRecord[] {
  return membersByCluster(place).get(clusterId) ?? [];
}
