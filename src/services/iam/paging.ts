import { IamErrors } from "../../domain/iam/errors.js";

/** IAM's default page size: "If you do not include this parameter, the number of items defaults to 100" [IAM API]. */
const DEFAULT_MAX_ITEMS = 100;

/**
 * One page of a list by IAM's Marker / MaxItems / IsTruncated rules: the Marker is opaque to clients; here it is the
 * offset of the next item, encoded. *Decided*: a marker this server did not issue is InvalidInput (no capture shows
 * AWS's answer). Lists are in a stable order (by name), so a marker stays meaningful between calls.
 */
export function page<T>(
  items: T[],
  marker: string | undefined,
  maxItems: number | undefined,
): { items: T[]; IsTruncated: boolean; Marker?: string } {
  const start = marker === undefined ? 0 : decodeMarker(marker);
  const size = maxItems ?? DEFAULT_MAX_ITEMS;
  const slice = items.slice(start, start + size);
  const next = start + slice.length;
  return next < items.length
    ? { items: slice, IsTruncated: true, Marker: Buffer.from(`trident:${next}`).toString("base64") }
    : { items: slice, IsTruncated: false };
}

function decodeMarker(marker: string): number {
  const match = /^trident:(\d{1,9})$/.exec(Buffer.from(marker, "base64").toString("utf8"));
  if (!match) throw IamErrors.invalidInput("Invalid Marker.");
  return Number(match[1]);
}

/** By name, case-insensitively, as IAM lists them; then by PathPrefix when given. */
export function byName<T>(items: T[], name: (item: T) => string): T[] {
  return items.sort((a, b) => name(a).toLowerCase().localeCompare(name(b).toLowerCase()));
}

export function underPath<T extends { Path: string }>(items: T[], prefix: string | undefined): T[] {
  return prefix === undefined ? items : items.filter((item) => item.Path.startsWith(prefix));
}
