import type { Tag } from "../../generated/neptune.js";
import { CommonErrors } from "../../protocol/errors.js";
import type { Store } from "../../state/store.js";

/**
 * Tags of Neptune resources, kept per (account, region) by resource ARN: setTags/getTags/removeTags/deleteAllTags/
 * moveTags keep and validate the sets for any module (a Create* call's Tags, a rename, a deletion). Which ARNs the
 * tagging API accepts is taggable-resources.ts's job.
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
// The characters a tag key or value may hold: the Neptune model's Tag documentation and the RDS API reference's
// Tag give the Java regex `^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$` (the Neptune text omits `@`, RDS's has it; RDS and
// Neptune share the tagging service, so `@` is accepted). The message is *decided*.
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

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
    if (!TAG_TEXT.test(key) || !TAG_TEXT.test(value)) {
      throw CommonErrors.invalidParameterValue(
        "Tag keys and values may contain only Unicode letters, digits, white space and _ . : / = + - @.",
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

/** Moves a renamed resource's tags to its new ARN (a rename changes the ARN; the tags stay with the resource). */
export function moveTags(store: Store, accountId: string, region: string, from: string, to: string): void {
  const tags = getTags(store, accountId, region, from);
  deleteAllTags(store, accountId, region, from);
  if (tags.length > 0) setTags(store, accountId, region, to, tags);
}

/** Forgets a deleted resource's tags (a new resource with the same name starts untagged). */
export function deleteAllTags(store: Store, accountId: string, region: string, arn: string): void {
  tagSets(store, accountId, region).delete(arn);
}
