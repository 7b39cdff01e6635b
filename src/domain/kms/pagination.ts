import { kmsFault, rangeViolation } from "./errors.js";

/** Limit's default and maximum for one List operation [M-KMS Limit docs]. */
export interface PageLimits {
  default: number;
  max: number;
}

export const PAGE_LIMITS = {
  ListKeys: { default: 100, max: 1000 },
  ListKeyPolicies: { default: 100, max: 1000 },
  ListAliases: { default: 50, max: 100 },
  ListGrants: { default: 50, max: 100 },
  ListRetirableGrants: { default: 50, max: 100 },
  ListResourceTags: { default: 50, max: 50 },
} satisfies Record<string, PageLimits>;

export interface Page<T> {
  items: T[];
  NextMarker?: string;
  Truncated: boolean;
}

/**
 * KMS pagination: `Limit` items, then `Truncated: true` and an opaque `NextMarker` to pass back as `Marker`. The
 * marker names the last item returned (by its sort key), so items added or removed meanwhile don't shift pages.
 * Items are listed in `sortKey` order. A Limit above the operation's maximum is *decided*: a ValidationException in
 * Coral's words (the model allows up to 1000 for every operation; the documentation gives each its own maximum).
 */
export function paginate<T>(
  items: T[],
  sortKey: (item: T) => string,
  input: { Limit?: number; Marker?: string },
  limits: PageLimits,
): Page<T> {
  const limit = input.Limit ?? limits.default;
  if (limit > limits.max) throw rangeViolation("limit", limit, 1, limits.max);
  const after = input.Marker === undefined ? undefined : decodeMarker(input.Marker);
  const keyed = items
    .map((item) => ({ item, key: sortKey(item) }))
    .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  const remaining = (after === undefined ? keyed : keyed.filter(({ key }) => key > after)).map(({ item }) => item);
  const page = remaining.slice(0, limit);
  if (remaining.length <= limit) return { items: page, Truncated: false };
  return { items: page, NextMarker: encodeMarker(sortKey(page[page.length - 1]!)), Truncated: true };
}

const MARKER_PREFIX = "trident:";

function encodeMarker(sortKey: string): string {
  return Buffer.from(MARKER_PREFIX + sortKey, "utf8").toString("base64");
}

function decodeMarker(marker: string): string {
  const text = Buffer.from(marker, "base64").toString("utf8");
  // *Decided* text: the model names the exception, not its message.
  if (!text.startsWith(MARKER_PREFIX))
    throw kmsFault(
      "InvalidMarkerException",
      "The request was rejected because the marker that specifies where pagination should next begin is not valid.",
    );
  return text.slice(MARKER_PREFIX.length);
}

/** A sort key that orders by time, then by id: `000001735689600000:<id>`. */
export function timeOrderedKey(time: number, id: string): string {
  return `${String(time).padStart(18, "0")}:${id}`;
}
