import type { AwsError } from "../../protocol/errors.js";
import { CommonErrors } from "../../protocol/errors.js";
import { neptuneFault } from "../../services/neptune/errors.js";
import { parseRdsArn, rdsArn, type RdsResourceType } from "./arn.js";
import { endpointExists, endpointNotFound } from "./cluster-endpoints.js";
import { clusterNotFound, instanceNotFound, subscriptionNotFound } from "./lookups.js";
import {
  clusterParameterGroupNotFound,
  findClusterParameterGroup,
  findParameterGroup,
  parameterGroupNotFound,
} from "./parameter-groups.js";
import { clusterSnapshotTable, clusterTable, eventSubscriptionTable, instanceTable, type Place } from "./records.js";
import { findSubnetGroup, subnetGroupNotFound } from "./subnet-groups.js";

/**
 * Which resources the tagging API (AddTagsToResource / ListTagsForResource / RemoveTagsFromResource) accepts: an
 * RDS ARN of a taggable kind naming an existing resource of the caller's own (account, region). Tagging never
 * crosses accounts: another account's ARN gets the same not-found fault as a resource that does not exist, so
 * nothing about it is revealed.
 */

interface TaggableKind {
  /** Whether the caller holds a resource of this kind named `name` (lowercase). */
  exists(place: Place, name: string): boolean;
  /** The fault for one it does not hold, echoing the name as given. */
  notFound(name: string): AwsError;
}

const TAGGABLE: Partial<Record<RdsResourceType, TaggableKind>> = {
  cluster: {
    exists: (place, name) => clusterTable(place.store, place.accountId, place.region).has(name),
    notFound: clusterNotFound,
  },
  db: {
    exists: (place, name) => instanceTable(place.store, place.accountId, place.region).has(name),
    notFound: instanceNotFound,
  },
  "cluster-snapshot": {
    exists: (place, name) => clusterSnapshotTable(place.store, place.accountId, place.region).has(name),
    // The tagging operations model no cluster-snapshot fault; their DBSnapshotNotFoundFault (wire
    // DBSnapshotNotFound, 404) answers for it, with RDS's observed "DBSnapshot not found: <id>" text (*decided*).
    notFound: (name) => neptuneFault("DBSnapshotNotFoundFault", `DBSnapshot not found: ${name}`),
  },
  // Groups: not modelled for the tagging operations; their own not-found faults are used (*decided*).
  "cluster-pg": {
    exists: (place, name) => findClusterParameterGroup(place, name) !== undefined,
    notFound: clusterParameterGroupNotFound,
  },
  pg: { exists: (place, name) => findParameterGroup(place, name) !== undefined, notFound: parameterGroupNotFound },
  "cluster-endpoint": {
    exists: endpointExists,
    notFound: endpointNotFound,
  },
  subgrp: { exists: (place, name) => findSubnetGroup(place, name) !== undefined, notFound: subnetGroupNotFound },
  es: { exists: (place, name) => eventSubscriptionTable(place).has(name), notFound: subscriptionNotFound },
};

/**
 * Whether the caller holds a resource of `type` named `name` (lowercase): the one existence check per kind, also
 * for an event subscription's source identifiers. A kind that is not taggable here holds nothing.
 */
export function holdsResource(place: Place, type: RdsResourceType, name: string): boolean {
  return TAGGABLE[type]?.exists(place, name) ?? false;
}

/**
 * The ARN of the resource a tagging call names, once it is known to exist. Order of checks: the name must be an
 * RDS ARN of this region and of a taggable kind (else RDS's observed "does not match" message), then the resource
 * must exist in the caller's account. The caller's state is caught up (a finished deletion is already swept).
 */
export function taggableResource(place: Place, resourceName: string): string {
  const arn = parseRdsArn(resourceName);
  const kind = arn && Object.hasOwn(TAGGABLE, arn.type) ? TAGGABLE[arn.type as RdsResourceType] : undefined;
  if (!arn || arn.region !== place.region || !kind) {
    // Observed RDS answer for a name that is not a taggable resource ARN of the region.
    throw CommonErrors.invalidParameterValue(
      "The specified resource name does not match an RDS resource in this region.",
    );
  }
  const name = arn.name.toLowerCase();
  if (arn.accountId !== place.accountId || !kind.exists(place, name)) throw kind.notFound(arn.name);
  // Tags are kept under the canonical (lowercase-named) ARN, as the resource reports it.
  return rdsArn(place.region, place.accountId, arn.type as RdsResourceType, name);
}
