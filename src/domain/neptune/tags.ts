import type { Tag } from "../../generated/neptune.js";
import { CommonErrors } from "../../protocol/errors.js";
import { neptuneFault } from "../../services/neptune/errors.js";
import type { Store } from "../../state/store.js";
import { parseRdsArn, rdsArn, type RdsResourceType } from "./arn.js";
import {
  clusterParameterGroupNotFound,
  findClusterParameterGroup,
  findParameterGroup,
  findSubnetGroup,
  parameterGroupNotFound,
  subnetGroupNotFound,
} from "./groups.js";
import type { NeptuneScope } from "./lifecycle.js";
import { clusterSnapshotTable, clusterTable, instanceTable } from "./records.js";

/**
 * Tags of Neptune resources, kept per (account, region) by resource ARN. setTags/getTags/removeTags/deleteAllTags
 * keep and validate the sets for any module (a Create* call's Tags, a deletion); `taggableResource` decides, for
 * the tagging API, whether an ARN names an existing resource of the caller.
 */

const TABLE = "neptune.tags";

interface TagSetRecord {
  ResourceArn: string;
  /** In insertion order; a key appears once. */
  Tags: { Key: string; Value: string }[];
}

// RDS tagging limits (RDS User Guide, "Tagging Amazon RDS resources"): at most 50 tags per resource, keys of
// 1–128 and values of 0–256 Unicode characters, and keys may not begin with `aws:` (reserved for AWS). RDS's exact
// texts for breaking them are not public: InvalidParameterValue with the messages below is *decided*.
export const MAX_TAGS_PER_RESOURCE = 50;
const MAX_KEY_LENGTH = 128;
const MAX_VALUE_LENGTH = 256;

function tagSets(store: Store, accountId: string, region: string) {
  return store.table<TagSetRecord>(TABLE, accountId, region);
}

/** Unicode characters, not UTF-16 units: the limits are counted in characters. */
function length(value: string): number {
  return [...value].length;
}

/** Checks one request's tags against RDS's limits; throws InvalidParameterValue with the failing rule. */
export function validateTags(tags: Tag[]): void {
  for (const tag of tags) {
    const key = tag.Key ?? "";
    const value = tag.Value ?? "";
    if (length(key) < 1 || length(key) > MAX_KEY_LENGTH) {
      throw CommonErrors.invalidParameterValue(`Tag key must be between 1 and ${MAX_KEY_LENGTH} characters in length.`);
    }
    if (length(value) > MAX_VALUE_LENGTH) {
      throw CommonErrors.invalidParameterValue(
        `Tag value must be between 0 and ${MAX_VALUE_LENGTH} characters in length.`,
      );
    }
    if (key.toLowerCase().startsWith("aws:")) {
      throw CommonErrors.invalidParameterValue(
        "Tag keys cannot start with 'aws:'. This prefix is reserved for AWS use.",
      );
    }
  }
}

/**
 * Adds or overwrites tags by Key (AddTagsToResource; the Tags of a Create* call). Validates first, so a refused
 * request changes nothing; the 50-tag limit counts the resulting set.
 */
export function setTags(store: Store, accountId: string, region: string, arn: string, tags: Tag[]): void {
  validateTags(tags);
  const table = tagSets(store, accountId, region);
  const current = table.get(arn)?.Tags ?? [];
  const merged = new Map(current.map((tag) => [tag.Key, tag.Value] as const));
  for (const tag of tags) merged.set(tag.Key ?? "", tag.Value ?? "");
  if (merged.size > MAX_TAGS_PER_RESOURCE) {
    throw CommonErrors.invalidParameterValue(
      `Cannot add tags: a resource can have at most ${MAX_TAGS_PER_RESOURCE} tags.`,
    );
  }
  if (merged.size === 0) return;
  table.put(arn, { ResourceArn: arn, Tags: [...merged].map(([Key, Value]) => ({ Key, Value })) });
}

/** The resource's tags, in the order they were first added (empty for an untagged or unknown ARN). */
export function getTags(store: Store, accountId: string, region: string, arn: string): Tag[] {
  return (tagSets(store, accountId, region).get(arn)?.Tags ?? []).map((tag) => ({ ...tag }));
}

/** Removes tags by key; keys that are not set are ignored, as RDS ignores them. */
export function removeTags(store: Store, accountId: string, region: string, arn: string, keys: string[]): void {
  const table = tagSets(store, accountId, region);
  const record = table.get(arn);
  if (!record) return;
  const drop = new Set(keys);
  const kept = record.Tags.filter((tag) => !drop.has(tag.Key));
  if (kept.length === 0) table.delete(arn);
  else table.put(arn, { ResourceArn: arn, Tags: kept });
}

/** Forgets a deleted resource's tags (a new resource with the same name starts untagged). */
export function deleteAllTags(store: Store, accountId: string, region: string, arn: string): void {
  tagSets(store, accountId, region).delete(arn);
}

// ====================================================================================== the tagging API

/** The caller's (account, region), caught up to the request's time (a finished deletion is already swept). */
type TaggingScope = Pick<NeptuneScope, "store" | "accountId" | "region">;

/**
 * The ARN of the resource AddTagsToResource / ListTagsForResource / RemoveTagsFromResource name, once it is known
 * to exist in the caller's own (account, region). Tagging never crosses accounts: another account's ARN gets the
 * same not-found fault as a resource that does not exist, so nothing about it is revealed.
 *
 * Order of checks: the name must be an RDS ARN of this region and of a taggable kind (else RDS's observed
 * "does not match" message), then the resource must exist in the caller's account.
 */
export function taggableResource(scope: TaggingScope, resourceName: string): string {
  const arn = parseRdsArn(resourceName);
  const taggable = ["cluster", "db", "cluster-snapshot", "cluster-pg", "pg", "subgrp"];
  if (!arn || arn.region !== scope.region || !taggable.includes(arn.type)) {
    // Observed RDS answer for a name that is not a taggable resource ARN of the region.
    throw CommonErrors.invalidParameterValue(
      "The specified resource name does not match an RDS resource in this region.",
    );
  }
  const own = arn.accountId === scope.accountId;
  const { store, accountId, region } = scope;
  const key = arn.name.toLowerCase();
  switch (arn.type) {
    case "cluster": {
      const cluster = own ? clusterTable(store, accountId, region).get(key) : undefined;
      // Observed: "DBCluster <id> not found." (aws-behaviour.md §5).
      if (!cluster) throw neptuneFault("DBClusterNotFoundFault", `DBCluster ${arn.name} not found.`);
      break;
    }
    case "db": {
      const instance = own ? instanceTable(store, accountId, region).get(key) : undefined;
      if (!instance) throw neptuneFault("DBInstanceNotFoundFault", `DBInstance ${arn.name} not found.`);
      break;
    }
    case "cluster-snapshot": {
      // The tagging operations model no cluster-snapshot fault; their DBSnapshotNotFoundFault (wire
      // DBSnapshotNotFound, 404) answers for it, with RDS's observed "DBSnapshot not found: <id>" text (*decided*).
      const snapshot = own ? clusterSnapshotTable(store, accountId, region).get(key) : undefined;
      if (!snapshot) throw neptuneFault("DBSnapshotNotFoundFault", `DBSnapshot not found: ${arn.name}`);
      break;
    }
    // Groups: not modelled for the tagging operations; their own not-found faults are used (*decided*).
    case "cluster-pg":
      if (!own || !findClusterParameterGroup(store, accountId, region, key))
        throw clusterParameterGroupNotFound(arn.name);
      break;
    case "pg":
      if (!own || !findParameterGroup(store, accountId, region, key)) throw parameterGroupNotFound(arn.name);
      break;
    case "subgrp":
      if (!own || !findSubnetGroup(store, accountId, region, key)) throw subnetGroupNotFound(arn.name);
      break;
  }
  // Tags are kept under the canonical (lowercase-named) ARN, as the resource reports it.
  return rdsArn(region, accountId, arn.type as RdsResourceType, key);
}
