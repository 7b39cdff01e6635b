import { randomId } from "../../auth/ids.js";
import type {
  CreateDBClusterEndpointMessage,
  DBClusterEndpoint,
  DBClusterEndpointMessage,
  DeleteDBClusterEndpointMessage,
  DescribeDBClusterEndpointsMessage,
  ModifyDBClusterEndpointMessage,
} from "../../generated/neptune.js";
import { AwsError, CommonErrors } from "../../protocol/errors.js";
import { neptuneFault } from "../../services/neptune/errors.js";
import { rdsArn } from "./arn.js";
import { CUSTOM_ENDPOINT_QUOTA, type DataPlaneConfig } from "./data-plane/ports.js";
import { awsEndpointName, clusterEndpoint, readerEndpoint, type EndpointPlace } from "./endpoints.js";
import { requireUsable } from "./cluster-state.js";
import { validIdentifier } from "./identifiers.js";
import { clusterStatus, type NeptuneScope } from "./lifecycle.js";
import { applyFilters, listPage } from "./listing.js";
import { findCluster, instanceNotFound, membersByCluster } from "./lookups.js";
import {
  clusterEndpointTable,
  clusterTable,
  instanceTable,
  type ClusterEndpointRecord,
  type ClusterRecord,
  type InstanceRecord,
  type Place,
} from "./records.js";
import { deleteAllTags, setTags, validateTags } from "./tags.js";

/**
 * Neptune's custom cluster endpoints (Create/Describe/Modify/DeleteDBClusterEndpoint): named groups of a
 * cluster's instances, next to the cluster's own writer and reader endpoints, which DescribeDBClusterEndpoints
 * lists too (as AWS does: AWS CLI reference, describe-db-cluster-endpoints example). Rules: Neptune API reference
 * (the operations and DBClusterEndpoint); the texts of refusals are *decided* where AWS's are not public.
 */

/** "EndpointType: The type of the endpoint. One of: READER, WRITER, ANY." (Neptune API reference). */
const CUSTOM_TYPES = ["READER", "WRITER", "ANY"];

/**
 * *Decided*: AWS gives each custom endpoint a transition of seconds to minutes; here creating and modifying last
 * as long as a cluster modification. A deletion removes the endpoint at once (the response says `deleting`).
 */
const transitionMs = (scope: NeptuneScope) => scope.delays.clusterModifyMs;

// ---------------------------------------------------------------------------------------------- faults

export function endpointNotFound(given: string): AwsError {
  return neptuneFault("DBClusterEndpointNotFoundFault", `DBClusterEndpoint ${given} not found.`);
}

function endpointNotAvailable(endpoint: ClusterEndpointRecord, status: string): AwsError {
  return neptuneFault(
    "InvalidDBClusterEndpointStateFault",
    `DBClusterEndpoint ${endpoint.DBClusterEndpointIdentifier} is in ${status} state but expected it to be available.`,
  );
}

// ---------------------------------------------------------------------------------------------- lookups

function clusterByResourceId(place: Place, resourceId: string): ClusterRecord | undefined {
  return clusterTable(place.store, place.accountId, place.region)
    .values()
    .find((c) => c.DbClusterResourceId === resourceId);
}

/** The caller's endpoint named by identifier (any case), or DBClusterEndpointNotFoundFault. */
function findEndpoint(place: Place, given: string): ClusterEndpointRecord {
  const endpoint = clusterEndpointTable(place).get(given.toLowerCase());
  if (!endpoint) throw endpointNotFound(given);
  return endpoint;
}

/** Whether the caller holds an endpoint of this (lowercase) name: for the tagging API. */
export function endpointExists(place: Place, name: string): boolean {
  return clusterEndpointTable(place).has(name);
}

/** Custom endpoints go with their cluster (called when a deleted cluster is swept away). */
export function dropEndpointsOf(place: Place, gone: ClusterRecord[]): void {
  const resourceIds = new Set(gone.map((c) => c.DbClusterResourceId));
  const table = clusterEndpointTable(place);
  for (const endpoint of table.values()) {
    if (!resourceIds.has(endpoint.clusterResourceId)) continue;
    table.delete(endpoint.DBClusterEndpointIdentifier);
    deleteAllTags(place.store, place.accountId, place.region, endpointArn(place, endpoint.DBClusterEndpointIdentifier));
  }
}

// ---------------------------------------------------------------------------------------------- how an endpoint is shown

const endpointArn = (place: Place, id: string) => rdsArn(place.region, place.accountId, "cluster-endpoint", id);

/**
 * Where a custom endpoint answers: an address of its own on its cluster's port (AWS's DBClusterEndpoint has no
 * Port: clients connect to the endpoint's host on the cluster's). AWS names it
 * `NAME.cluster-custom-XXXX.REGION.neptune.amazonaws.com` (Neptune User Guide, "Custom endpoints"); *decided*: here
 * the address itself, as the cluster's Endpoint and ReaderEndpoint are, so that it reaches its members
 * (src/domain/neptune/data-plane/endpoint-routing.ts). An endpoint without a slot names the host (the writer).
 */
export function endpointAddress(config: DataPlaneConfig, endpoint: Pick<ClusterEndpointRecord, "slot">): string {
  return (endpoint.slot === undefined ? undefined : config.customHosts[endpoint.slot]) ?? config.host;
}

/** The Endpoint DescribeDBClusterEndpoints shows: its address, or AWS's DNS name with the data plane off (endpoints.ts). */
function endpointName(place: EndpointPlace, endpoint: ClusterEndpointRecord): string {
  const { config } = place.ports;
  if (config.off) return awsEndpointName(place, `${endpoint.DBClusterEndpointIdentifier}.cluster-custom-`);
  return endpointAddress(config, endpoint);
}

/** The cluster's custom endpoint on `slot`, if it has one. */
export function endpointInSlot(
  place: Place,
  clusterResourceId: string,
  slot: number,
): ClusterEndpointRecord | undefined {
  return clusterEndpointTable(place)
    .values()
    .find((e) => e.clusterResourceId === clusterResourceId && e.slot === slot);
}

/** The lowest slot none of the cluster's endpoints holds (the quota was checked: one is free). */
function freeSlot(siblings: ClusterEndpointRecord[]): number {
  const taken = new Set(siblings.map((e) => e.slot));
  let slot = 0;
  while (taken.has(slot)) slot++;
  return slot;
}

export function endpointStatus(scope: NeptuneScope, endpoint: ClusterEndpointRecord, cluster: ClusterRecord): string {
  // *Decided*: while its cluster is being deleted, an endpoint shows `deleting`.
  if (clusterStatus(scope, cluster) === "deleting") return "deleting";
  return scope.now < endpoint.activity.since + transitionMs(scope) ? endpoint.activity.kind : "available";
}

/** Members by resource id, shown by identifier; members gone from the cluster are no longer listed. */
function memberIds(resourceIds: string[], members: InstanceRecord[]): string[] {
  const byResource = new Map(members.map((m) => [m.DbiResourceId, m.DBInstanceIdentifier]));
  return resourceIds.flatMap((id) => byResource.get(id) ?? []);
}

function endpointView(
  scope: NeptuneScope,
  endpoint: ClusterEndpointRecord,
  cluster: ClusterRecord,
  members: InstanceRecord[],
  status = endpointStatus(scope, endpoint, cluster),
): DBClusterEndpoint {
  return {
    DBClusterEndpointIdentifier: endpoint.DBClusterEndpointIdentifier,
    DBClusterIdentifier: cluster.DBClusterIdentifier,
    DBClusterEndpointResourceIdentifier: endpoint.DBClusterEndpointResourceIdentifier,
    Endpoint: endpointName(scope, endpoint),
    Status: status,
    EndpointType: "CUSTOM",
    CustomEndpointType: endpoint.CustomEndpointType,
    StaticMembers: memberIds(endpoint.staticMembers, members),
    ExcludedMembers: memberIds(endpoint.excludedMembers, members),
    DBClusterEndpointArn: endpointArn(scope, endpoint.DBClusterEndpointIdentifier),
  };
}

/** The cluster's own endpoints as DescribeDBClusterEndpoints lists them: only these four members (AWS CLI example). */
function ownEndpoints(scope: NeptuneScope, cluster: ClusterRecord): DBClusterEndpoint[] {
  const Status = clusterStatus(scope, cluster);
  const DBClusterIdentifier = cluster.DBClusterIdentifier;
  return [
    { DBClusterIdentifier, Endpoint: clusterEndpoint(scope, DBClusterIdentifier), Status, EndpointType: "WRITER" },
    { DBClusterIdentifier, Endpoint: readerEndpoint(scope, DBClusterIdentifier), Status, EndpointType: "READER" },
  ];
}

// ---------------------------------------------------------------------------------------------- checks

function checkType(given: string): string {
  const type = given.toUpperCase();
  if (!CUSTOM_TYPES.includes(type)) {
    throw CommonErrors.invalidParameterValue(
      `Invalid endpoint type ${given}. Valid values are: ${CUSTOM_TYPES.join(", ")}.`,
    );
  }
  return type;
}

/** *Decided* wording: AWS refuses StaticMembers with ExcludedMembers (they are alternatives). */
function checkExclusive(request: { StaticMembers?: string[]; ExcludedMembers?: string[] }): void {
  if (request.StaticMembers?.length && request.ExcludedMembers?.length) {
    throw CommonErrors.invalidParameterCombination("StaticMembers and ExcludedMembers cannot both be specified.");
  }
}

/**
 * The DbiResourceIds of instances named in StaticMembers or ExcludedMembers. Each must be an instance of the
 * cluster: one the caller does not hold is DBInstanceNotFoundFault; one of another cluster is *decided*:
 * InvalidParameterValue.
 */
function memberResourceIds(
  scope: NeptuneScope,
  cluster: ClusterRecord,
  members: InstanceRecord[],
  given: string[] | undefined,
): string[] {
  const byId = new Map(members.map((m) => [m.DBInstanceIdentifier, m]));
  const ids: string[] = [];
  for (const name of given ?? []) {
    const member = byId.get(name.toLowerCase());
    if (!member) {
      if (!instanceTable(scope.store, scope.accountId, scope.region).has(name.toLowerCase())) {
        throw instanceNotFound(name);
      }
      throw CommonErrors.invalidParameterValue(
        `DB instance ${name} is not a member of DB cluster ${cluster.DBClusterIdentifier}.`,
      );
    }
    if (!ids.includes(member.DbiResourceId)) ids.push(member.DbiResourceId);
  }
  return ids;
}

/** The endpoint's cluster; it exists while the endpoint does (dropEndpointsOf). */
function clusterOfEndpoint(scope: NeptuneScope, endpoint: ClusterEndpointRecord): ClusterRecord {
  const cluster = clusterByResourceId(scope, endpoint.clusterResourceId);
  if (!cluster) throw endpointNotFound(endpoint.DBClusterEndpointIdentifier);
  return cluster;
}

const membersOfCluster = (scope: NeptuneScope, cluster: ClusterRecord) =>
  membersByCluster(scope).get(cluster.DBClusterIdentifier) ?? [];

// ---------------------------------------------------------------------------------------------- operations

/**
 * CreateDBClusterEndpoint. Order of checks: identifiers, type, members given both ways, tags, the cluster (found,
 * available), a free name, the quota, the members. Nothing is stored before every check passed.
 */
export function createClusterEndpoint(scope: NeptuneScope, request: CreateDBClusterEndpointMessage): DBClusterEndpoint {
  const id = validIdentifier(request.DBClusterEndpointIdentifier, "DBClusterEndpointIdentifier");
  const type = checkType(request.EndpointType);
  checkExclusive(request);
  validateTags(request.Tags ?? []);
  const cluster = findCluster(scope, request.DBClusterIdentifier);
  requireUsable(scope, cluster);
  const table = clusterEndpointTable(scope);
  if (table.has(id)) {
    throw neptuneFault("DBClusterEndpointAlreadyExistsFault", `DBClusterEndpoint ${id} already exists.`);
  }
  const siblings = table.values().filter((e) => e.clusterResourceId === cluster.DbClusterResourceId);
  if (siblings.length >= CUSTOM_ENDPOINT_QUOTA) {
    throw neptuneFault(
      "DBClusterEndpointQuotaExceededFault",
      `DBCluster ${cluster.DBClusterIdentifier} already has the maximum of ${CUSTOM_ENDPOINT_QUOTA} custom endpoints.`,
    );
  }
  const members = membersOfCluster(scope, cluster);
  const endpoint: ClusterEndpointRecord = {
    DBClusterEndpointIdentifier: id,
    DBClusterEndpointResourceIdentifier: randomId("cluster-endpoint-", 20),
    clusterResourceId: cluster.DbClusterResourceId,
    CustomEndpointType: type,
    staticMembers: memberResourceIds(scope, cluster, members, request.StaticMembers),
    excludedMembers: memberResourceIds(scope, cluster, members, request.ExcludedMembers),
    activity: { kind: "creating", since: scope.now },
    slot: freeSlot(siblings),
  };
  table.put(id, endpoint);
  scope.ports.touch(); // its address listens before this answer leaves
  if (request.Tags?.length) setTags(scope.store, scope.accountId, scope.region, endpointArn(scope, id), request.Tags);
  // AWS answers with `creating`, even where the transition is instant here.
  return endpointView(scope, endpoint, cluster, members, "creating");
}

/**
 * DescribeDBClusterEndpoints: per cluster (in identifier order) its writer and reader endpoints, then its custom
 * endpoints by name. A cluster named and not held is DBClusterNotFoundFault; an endpoint name not held lists
 * nothing (the operation models no endpoint fault). Filters (Neptune API reference): db-cluster-endpoint-type
 * (reader, writer, custom), db-cluster-endpoint-custom-type (reader, writer, any), db-cluster-endpoint-id,
 * db-cluster-endpoint-status; values are lowercase.
 */
export function describeClusterEndpoints(
  scope: NeptuneScope,
  request: DescribeDBClusterEndpointsMessage,
): DBClusterEndpointMessage {
  const named = request.DBClusterIdentifier ? findCluster(scope, request.DBClusterIdentifier) : undefined;
  const clusters = named ? [named] : clusterTable(scope.store, scope.accountId, scope.region).values();
  clusters.sort((x, y) => x.DBClusterIdentifier.localeCompare(y.DBClusterIdentifier));
  const membersOf = membersByCluster(scope);
  const customs = clusterEndpointTable(scope)
    .values()
    .sort((x, y) => x.DBClusterEndpointIdentifier.localeCompare(y.DBClusterEndpointIdentifier));
  const wantedId = request.DBClusterEndpointIdentifier?.toLowerCase();
  const all = clusters.flatMap((cluster) => {
    const members = membersOf.get(cluster.DBClusterIdentifier) ?? [];
    const own = wantedId === undefined ? ownEndpoints(scope, cluster) : [];
    const custom = customs
      .filter((e) => e.clusterResourceId === cluster.DbClusterResourceId)
      .filter((e) => wantedId === undefined || e.DBClusterEndpointIdentifier === wantedId)
      .map((e) => endpointView(scope, e, cluster, members));
    return [...own, ...custom];
  });
  const lower = (value: string | undefined) => [value?.toLowerCase()];
  const filtered = applyFilters(all, request.Filters, {
    "db-cluster-endpoint-type": (e) => lower(e.EndpointType),
    "db-cluster-endpoint-custom-type": (e) => lower(e.CustomEndpointType),
    "db-cluster-endpoint-id": (e) => [e.DBClusterEndpointIdentifier],
    "db-cluster-endpoint-status": (e) => lower(e.Status),
  });
  return listPage("DBClusterEndpoints", filtered, request, (e) => e);
}

/**
 * ModifyDBClusterEndpoint. The endpoint must be available, and its cluster too. StaticMembers replaces the static
 * list and clears the excluded one, and the other way round; a list not given is kept.
 */
export function modifyClusterEndpoint(scope: NeptuneScope, request: ModifyDBClusterEndpointMessage): DBClusterEndpoint {
  const type = request.EndpointType === undefined ? undefined : checkType(request.EndpointType);
  checkExclusive(request);
  const endpoint = findEndpoint(scope, request.DBClusterEndpointIdentifier);
  const cluster = clusterOfEndpoint(scope, endpoint);
  const status = endpointStatus(scope, endpoint, cluster);
  if (status !== "available") throw endpointNotAvailable(endpoint, status);
  requireUsable(scope, cluster);
  const members = membersOfCluster(scope, cluster);
  // checkExclusive let at most one of the two lists through non-empty: a non-empty one replaces the other.
  let { staticMembers, excludedMembers } = endpoint;
  if (request.StaticMembers !== undefined) {
    staticMembers = memberResourceIds(scope, cluster, members, request.StaticMembers);
    if (staticMembers.length > 0) excludedMembers = [];
  }
  if (request.ExcludedMembers !== undefined) {
    excludedMembers = memberResourceIds(scope, cluster, members, request.ExcludedMembers);
    if (excludedMembers.length > 0) staticMembers = [];
  }
  const changed: ClusterEndpointRecord = {
    ...endpoint,
    CustomEndpointType: type ?? endpoint.CustomEndpointType,
    staticMembers,
    excludedMembers,
    activity: { kind: "modifying", since: scope.now },
  };
  clusterEndpointTable(scope).put(changed.DBClusterEndpointIdentifier, changed);
  return endpointView(scope, changed, cluster, members, "modifying");
}

/** DeleteDBClusterEndpoint: an endpoint in transition is refused; the endpoint and its tags are gone at once. */
export function deleteClusterEndpoint(scope: NeptuneScope, request: DeleteDBClusterEndpointMessage): DBClusterEndpoint {
  const endpoint = findEndpoint(scope, request.DBClusterEndpointIdentifier);
  const cluster = clusterOfEndpoint(scope, endpoint);
  const status = endpointStatus(scope, endpoint, cluster);
  if (status !== "available") throw endpointNotAvailable(endpoint, status);
  const members = membersOfCluster(scope, cluster);
  clusterEndpointTable(scope).delete(endpoint.DBClusterEndpointIdentifier);
  deleteAllTags(scope.store, scope.accountId, scope.region, endpointArn(scope, endpoint.DBClusterEndpointIdentifier));
  scope.ports.touch(); // its address stops listening before this answer leaves
  return endpointView(scope, endpoint, cluster, members, "deleting");
}
