import type {
  ListResourceTagsRequest,
  ListResourceTagsResponse,
  Tag,
  TagResourceRequest,
  UntagResourceRequest,
} from "../../generated/kms.js";
import { authorizeKeyAction } from "./access.js";
import type { KmsCall } from "./env.js";
import { kmsFault } from "./errors.js";
import { requireNotPendingDeletion } from "./key-states.js";
import { paginate, PAGE_LIMITS } from "./pagination.js";
import { saveKey } from "./records.js";
import { resolveKey } from "./resolve.js";

/** "Tags per KMS key: 50" [KMS-LIMITS]. */
const MAX_TAGS = 50;

/** Tag keys beginning with `aws:` are AWS's [M-KMS TagResource]; *decided* text. */
export function checkTags(tags: Tag[]): void {
  const reserved = tags.find((tag) => tag.TagKey.toLowerCase().startsWith("aws:"));
  if (reserved)
    throw kmsFault("TagException", `Tag keys beginning with 'aws:' are reserved for AWS use: ${reserved.TagKey}`);
}

/** Later tags with the same key replace earlier ones, as TagResource replaces an existing tag's value. */
export function mergeTags(existing: Tag[], added: Tag[]): Tag[] {
  const merged = new Map(existing.map((tag) => [tag.TagKey, tag.TagValue]));
  for (const tag of added) merged.set(tag.TagKey, tag.TagValue);
  if (merged.size > MAX_TAGS) {
    throw kmsFault(
      "LimitExceededException",
      `A KMS key can have at most ${MAX_TAGS} tags; this request would give it ${merged.size}.`,
    );
  }
  return [...merged].map(([TagKey, TagValue]) => ({ TagKey, TagValue }));
}

export function tagResource(call: KmsCall, input: TagResourceRequest): void {
  const { key } = resolveKey(call, input.KeyId, "key");
  authorizeKeyAction(call, key, { action: "kms:TagResource" });
  requireNotPendingDeletion(key);
  checkTags(input.Tags);
  saveKey(call.env, { ...key, Tags: mergeTags(key.Tags, input.Tags) });
}

export function untagResource(call: KmsCall, input: UntagResourceRequest): void {
  const { key } = resolveKey(call, input.KeyId, "key");
  authorizeKeyAction(call, key, { action: "kms:UntagResource" });
  requireNotPendingDeletion(key);
  const removed = new Set(input.TagKeys);
  saveKey(call.env, { ...key, Tags: key.Tags.filter((tag) => !removed.has(tag.TagKey)) });
}

export function listResourceTags(call: KmsCall, input: ListResourceTagsRequest): ListResourceTagsResponse {
  const { key } = resolveKey(call, input.KeyId, "key");
  authorizeKeyAction(call, key, { action: "kms:ListResourceTags" });
  const page = paginate(key.Tags, (tag) => tag.TagKey, input, PAGE_LIMITS.ListResourceTags, key.Arn);
  return { Tags: page.items, NextMarker: page.NextMarker, Truncated: page.Truncated };
}
