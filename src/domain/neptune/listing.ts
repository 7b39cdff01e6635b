import type { Filter } from "../../generated/neptune.js";
import { CommonErrors } from "../../protocol/errors.js";
import type { Table } from "../../state/store.js";

/**
 * How Neptune's Describe* calls list: AWS's `Filters`, and pages of `MaxRecords` items after an opaque `Marker`.
 * Every describe call of every Neptune module lists through here, so the bounds and the texts are the same.
 */

/** RDS's page bounds: MaxRecords defaults to 100 and must be 20–100. */
const MIN_RECORDS = 20;
const MAX_RECORDS = 100;

export interface PageRequest {
  MaxRecords?: number;
  Marker?: string;
}

/**
 * One page of `items` after `Marker`. The marker is opaque to callers (base64 of the next offset); a marker this
 * server did not issue is *decided*: InvalidParameterValue. MaxRecords out of range gets RDS's own message.
 */
export function paginate<T>(items: readonly T[], request: PageRequest): { items: T[]; Marker?: string } {
  const max = request.MaxRecords ?? MAX_RECORDS;
  if (max < MIN_RECORDS || max > MAX_RECORDS) {
    throw CommonErrors.invalidParameterValue(
      `Invalid value ${max} for MaxRecords. Must be between ${MIN_RECORDS} and ${MAX_RECORDS}`,
    );
  }
  let start = 0;
  if (request.Marker !== undefined && request.Marker !== "") {
    const decoded = Buffer.from(request.Marker, "base64url").toString("utf8");
    if (!/^\d+$/.test(decoded)) throw CommonErrors.invalidParameterValue(`The marker ${request.Marker} is not valid.`);
    start = Number(decoded);
  }
  const page = items.slice(start, start + max);
  const next = start + max;
  return next < items.length
    ? { items: page, Marker: Buffer.from(String(next)).toString("base64url") }
    : { items: page };
}

/**
 * A describe call's result: one page of `items` under the result's list member `key` (`DBClusters`, `Events` …),
 * each shown by `view` (only the page's items are), with the Marker of the next page when there is one.
 */
export function listPage<K extends string, T, V>(
  key: K,
  items: readonly T[],
  request: PageRequest,
  view: (item: T) => V,
): Record<K, V[]> & { Marker?: string } {
  const page = paginate(items, request);
  const list = { [key]: page.items.map(view) } as Record<K, V[]> & { Marker?: string };
  // Set, not `{ ...list, Marker }`: V8 gives each object made by a literal that starts with a spread and adds members
  // after it a hidden class of its own, made in the old generation, for every page with a Marker.
  if (page.Marker) list.Marker = page.Marker;
  return list;
}

/**
 * AWS's `Filters` on a describe call: an item passes when, for every filter, one of its values is among the
 * filter's values. `supported` names the filters the operation knows and reads an item's values for each;
 * other names are refused (*decided* wording, after RDS's "Unrecognized filter name").
 */
export function applyFilters<T>(
  items: T[],
  filters: Filter[] | undefined,
  supported: Record<string, (item: T) => (string | undefined)[]>,
): T[];
export function applyFilters<T>(
  items: readonly T[],
  filters: Filter[] | undefined,
  supported: Record<string, (item: T) => (string | undefined)[]>,
): readonly T[];
export function applyFilters<T>(
  items: readonly T[],
  filters: Filter[] | undefined,
  supported: Record<string, (item: T) => (string | undefined)[]>,
): readonly T[] {
  if (!filters?.length) return items;
  // A Map, not the literal: a filter named `constructor` or `__proto__` is unknown, not a prototype member. Each
  // filter's values become a set once, so the work is linear in items plus values however many filters arrive.
  const readers = new Map(Object.entries(supported));
  const checks = filters.map((filter) => {
    const read = readers.get(filter.Name);
    if (!read) throw CommonErrors.invalidParameterValue(`Unrecognized filter name: ${filter.Name}.`);
    return { read, wanted: new Set(filter.Values) };
  });
  return items.filter((item) =>
    checks.every(({ read, wanted }) => read(item).some((value) => value !== undefined && wanted.has(value))),
  );
}

/**
 * For the operations whose `Filters` the API reference marks "This parameter is not currently supported": any
 * filter name is refused the same way as an unknown one.
 */
export function refuseFilters(filters: Filter[] | undefined): void {
  applyFilters([], filters, {});
}

/**
 * What a listing derives from a table's rows (the rows in identifier order, an index of them), made once per
 * generation of the table and reused while it stands: derived state, keyed by what it derives from, since the
 * generation moves on every put, delete and row handed out for writing (Table.generation). Read untracked
 * (Table.peekValues), like any listing that only shows rows; the caller changes neither the result nor the rows.
 */
export function derivedPerGeneration<T, D>(derive: (rows: readonly Readonly<T>[]) => D): (table: Table<T>) => D {
  const known = new WeakMap<Table<T>, { generation: number; value: D }>();
  return (table) => {
    const entry = known.get(table);
    if (entry?.generation === table.generation) return entry.value;
    const value = derive(table.peekValues());
    known.set(table, { generation: table.generation, value });
    return value;
  };
}
