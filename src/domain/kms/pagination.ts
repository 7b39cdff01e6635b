import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { kmsFault, rangeViolation } from "./errors.js";

/** Limit's default and maximum for one List operation [M-KMS Limit docs]. */
export interface PageLimits {
  operation: string;
  default: number;
  max: number;
}

export const PAGE_LIMITS = {
  ListKeys: { operation: "ListKeys", default: 100, max: 1000 },
  ListKeyPolicies: { operation: "ListKeyPolicies", default: 100, max: 1000 },
  ListAliases: { operation: "ListAliases", default: 50, max: 100 },
  ListGrants: { operation: "ListGrants", default: 50, max: 100 },
  ListRetirableGrants: { operation: "ListRetirableGrants", default: 50, max: 100 },
  ListResourceTags: { operation: "ListResourceTags", default: 50, max: 50 },
  ListKeyRotations: { operation: "ListKeyRotations", default: 100, max: 1000 },
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
 * `listing` names what is listed (the caller's account and region, or one key): a marker is good only for the
 * operation and listing that issued it.
 */
export function paginate<T>(
  items: T[],
  sortKey: (item: T) => string,
  input: { Limit?: number; Marker?: string },
  limits: PageLimits,
  listing: string,
): Page<T> {
  const limit = input.Limit ?? limits.default;
  if (limit > limits.max) throw rangeViolation("limit", limit, 1, limits.max);
  const scope = `${limits.operation}\n${listing}`;
  const after = input.Marker === undefined ? undefined : decodeMarker(input.Marker, scope);
  const keyed = items
    .map((item) => ({ item, key: sortKey(item) }))
    .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  const remaining = (after === undefined ? keyed : keyed.filter(({ key }) => key > after)).map(({ item }) => item);
  const page = remaining.slice(0, limit);
  if (remaining.length <= limit) return { items: page, Truncated: false };
  return { items: page, NextMarker: encodeMarker(sortKey(page[page.length - 1]!), scope), Truncated: true };
}

/**
 * A marker is `<base64url position>.<base64url MAC>`: the position (the last sort key returned) and an HMAC of the
 * position with the operation and listing, under a key of this process. A marker that was altered, made up, or
 * issued by another operation, key or account fails the MAC and is refused as KMS refuses an invalid marker:
 * InvalidMarkerException (400; the model names the exception, its text is *decided*). Markers do not outlive the
 * process, as AWS's are not promised to last.
 */
const MARKER_KEY = randomBytes(32);

function markerMac(position: string, scope: string): Buffer {
  return createHmac("sha256", MARKER_KEY).update(scope).update("\n").update(position).digest();
}

function encodeMarker(position: string, scope: string): string {
  const text = Buffer.from(position, "utf8").toString("base64url");
  return `${text}.${markerMac(position, scope).toString("base64url")}`;
}

function decodeMarker(marker: string, scope: string): string {
  const [text = "", mac = "", ...rest] = marker.split(".");
  const position = Buffer.from(text, "base64url").toString("utf8");
  const given = Buffer.from(mac, "base64url");
  const expected = markerMac(position, scope);
  const valid =
    rest.length === 0 &&
    Buffer.from(position, "utf8").toString("base64url") === text &&
    given.length === expected.length &&
    timingSafeEqual(given, expected);
  if (!valid)
    throw kmsFault(
      "InvalidMarkerException",
      "The request was rejected because the marker that specifies where pagination should next begin is not valid.",
    );
  return position;
}

/** A sort key that orders by time, then by id: `000001735689600000:<id>`. */
export function timeOrderedKey(time: number, id: string): string {
  return `${String(time).padStart(18, "0")}:${id}`;
}
