import type {
  DescribeEventCategoriesMessage,
  DescribeEventsMessage,
  Event,
  SourceType,
} from "../../generated/neptune.js";
import { CommonErrors } from "../../protocol/errors.js";
import type { Store } from "../../state/store.js";
import { listPage, refuseFilters } from "./listing.js";
import type { Place } from "./records.js";

/**
 * Neptune's event log per (account, region): what happened to a cluster, an instance, a snapshot or a parameter
 * group, and when. The domain modules record events as they change state; DescribeEvents reads them back.
 */

const TABLE = "neptune.events";

export interface EventRecord {
  SourceIdentifier: string;
  SourceType: SourceType;
  Message: string;
  EventCategories: string[];
  /** Epoch milliseconds: records stay plain data. */
  Date: number;
  SourceArn: string;
  /** Insertion order, to keep events of the same millisecond in the order they happened. */
  Sequence: number;
}

/**
 * The event categories of each source type (Neptune User Guide, "Neptune event categories and event messages";
 * Neptune uses RDS's event definitions). Events are recorded with these category names. A DB cluster's
 * `global-failover` holds the events of a global database's switchover and failover (RDS-EVENT-0181 … 0185, 0238:
 * Aurora User Guide, "Amazon RDS event categories and event messages for Aurora", DB cluster events; the name with a
 * hyphen as RDS's API and its EventBridge events spell it).
 */
export const EVENT_CATEGORIES: Record<SourceType, string[]> = {
  "db-instance": [
    "availability",
    "backup",
    "configuration change",
    "creation",
    "deletion",
    "failover",
    "failure",
    "maintenance",
    "notification",
    "recovery",
    "restoration",
  ],
  "db-cluster": [
    "configuration change",
    "creation",
    "deletion",
    "failover",
    "failure",
    "global-failover",
    "maintenance",
    "notification",
  ],
  "db-cluster-snapshot": ["backup", "creation", "deletion", "notification"],
  "db-parameter-group": ["configuration change"],
  "db-security-group": ["configuration change", "failure"],
  "db-snapshot": ["creation", "deletion", "notification", "restoration"],
};

const SOURCE_TYPES = Object.keys(EVENT_CATEGORIES) as SourceType[];

/** DescribeEventCategories: every source type's categories, or one type's (an unknown type is refused). */
export function describeEventCategories(
  request: DescribeEventCategoriesMessage,
): { SourceType: string; EventCategories: string[] }[] {
  refuseFilters(request.Filters);
  const sourceType = request.SourceType;
  if (sourceType !== undefined && !SOURCE_TYPES.includes(sourceType as SourceType)) {
    // *Decided* wording; the parameter's valid values are the SourceType enum of the model.
    throw CommonErrors.invalidParameterValue(
      `Invalid source type: ${sourceType}. Valid values are: ${SOURCE_TYPES.join(", ")}`,
    );
  }
  return (sourceType === undefined ? SOURCE_TYPES : [sourceType as SourceType]).map((type) => ({
    SourceType: type,
    EventCategories: [...EVENT_CATEGORIES[type]],
  }));
}

function events(store: Store, accountId: string, region: string) {
  return store.table<EventRecord>(TABLE, accountId, region);
}

/** Records an event; `Sequence` keeps the order of events of the same millisecond. */
export function recordEvent(
  store: Store,
  accountId: string,
  region: string,
  event: Omit<EventRecord, "Date" | "Sequence"> & { Date: Date },
): void {
  const table = events(store, accountId, region);
  const Sequence = table.size;
  table.put(String(Sequence).padStart(12, "0"), {
    SourceIdentifier: event.SourceIdentifier,
    SourceType: event.SourceType,
    Message: event.Message,
    EventCategories: [...event.EventCategories],
    Date: event.Date.getTime(),
    SourceArn: event.SourceArn,
    Sequence,
  });
}

/** RDS (and so Neptune) keeps events for 14 days; older ones are never returned. */
const RETENTION_MS = 14 * 24 * 60 * 60_000;
const DEFAULT_DURATION_MINUTES = 60;

/**
 * The time window of a DescribeEvents call, from its StartTime/EndTime/Duration and the clock: Duration is minutes
 * before EndTime (or now), 60 when neither StartTime nor Duration is given.
 */
function window(query: DescribeEventsMessage, now: number): { from: number; to: number } {
  const to = query.EndTime?.getTime() ?? now;
  let from: number;
  if (query.StartTime) from = query.StartTime.getTime();
  else from = to - (query.Duration ?? DEFAULT_DURATION_MINUTES) * 60_000;
  return { from: Math.max(from, now - RETENTION_MS), to };
}

/**
 * DescribeEvents: the events of the window, oldest first, optionally of one source type / source and of any of
 * the given categories, one page at a time. Its Filters are "not currently supported" (API reference).
 */
export function describeEvents(
  scope: Place & { now: number },
  query: DescribeEventsMessage,
): { Events: Event[]; Marker?: string } {
  refuseFilters(query.Filters);
  // The API reference: "If SourceIdentifier is supplied, SourceType must also be provided." The error for
  // breaking it is *decided* (no public capture): InvalidParameterCombination.
  if (query.SourceIdentifier !== undefined && query.SourceType === undefined) {
    throw CommonErrors.invalidParameterCombination("Cannot specify SourceIdentifier without SourceType.");
  }
  if (query.Duration !== undefined && query.Duration < 0) {
    throw CommonErrors.invalidParameterValue(
      `Invalid value ${query.Duration} for Duration. Must be a non-negative number of minutes.`,
    );
  }
  if (query.StartTime && query.EndTime && query.StartTime > query.EndTime) {
    throw CommonErrors.invalidParameterValue("The StartTime must be before the EndTime.");
  }
  const { from, to } = window(query, scope.now);
  const source = query.SourceIdentifier?.toLowerCase();
  const categories = query.EventCategories?.length
    ? new Set(query.EventCategories.map((c) => c.toLowerCase()))
    : undefined;
  const matching = events(scope.store, scope.accountId, scope.region)
    .values()
    .filter((event) => event.Date >= from && event.Date <= to)
    .filter((event) => query.SourceType === undefined || event.SourceType === query.SourceType)
    .filter((event) => source === undefined || event.SourceIdentifier.toLowerCase() === source)
    .filter((event) => !categories || event.EventCategories.some((c) => categories.has(c)))
    .sort((x, y) => x.Date - y.Date || x.Sequence - y.Sequence);
  return listPage("Events", matching, query, (event) => ({
    SourceIdentifier: event.SourceIdentifier,
    SourceType: event.SourceType,
    Message: event.Message,
    EventCategories: [...event.EventCategories],
    Date: new Date(event.Date),
    SourceArn: event.SourceArn,
  }));
}
