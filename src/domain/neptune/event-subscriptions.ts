import type {
  AddSourceIdentifierToSubscriptionMessage,
  CreateEventSubscriptionMessage,
  DeleteEventSubscriptionMessage,
  DescribeEventSubscriptionsMessage,
  EventSubscription,
  ModifyEventSubscriptionMessage,
  RemoveSourceIdentifierFromSubscriptionMessage,
  SourceType,
} from "../../generated/neptune.js";
import { SERVED_PARTITION } from "../../auth/regions.js";
import { CommonErrors } from "../../protocol/errors.js";
import { neptuneFault } from "../../services/neptune/errors.js";
import type { Delays } from "../../state/delays.js";
import { ownName, rdsArn, type RdsResourceType } from "./arn.js";
import { describeEventCategories, EVENT_CATEGORIES } from "./events.js";
import { listPage, refuseFilters } from "./listing.js";
import { subscriptionNotFound } from "./lookups.js";
import { eventSubscriptionTable, type EventSubscriptionRecord, type Place } from "./records.js";
import { holdsResource } from "./taggable-resources.js";
import { deleteAllTags, setTags, validateTags } from "./tags.js";

/**
 * Neptune event subscriptions of one (account, region): which events (by source type, sources and categories)
 * would be sent to an SNS topic. The topic ARN is checked for form and kept; SNS is never called. The categories
 * of each source type are DescribeEventCategories' (events.ts).
 */

type Scope = Place & { now: number; delays: Delays };

/** RDS's default quota: 20 event subscriptions per account and Region (RDS User Guide, "Quotas in Amazon RDS"). */
export const EVENT_SUBSCRIPTION_QUOTA = 20;

/**
 * The source type of each event source and the ARN type its identifiers name. Neptune has no DB security groups
 * nor DB snapshots, so those types name nothing that can be found (SourceNotFound).
 */
const SOURCE_RESOURCE: Record<SourceType, RdsResourceType | undefined> = {
  "db-instance": "db",
  "db-cluster": "cluster",
  "db-cluster-snapshot": "cluster-snapshot",
  "db-parameter-group": "pg",
  "db-security-group": undefined,
  "db-snapshot": undefined,
};

// An SNS topic ARN: `arn:PARTITION:sns:REGION:ACCOUNT:NAME`, the name 1–256 letters, digits, hyphens and
// underscores, `.fifo` allowed at the end (SNS API reference, CreateTopic's Name).
const TOPIC_ARN = /^arn:([a-z-]+):sns:[a-z]{2}(-[a-z]+)+-\d:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

/**
 * RDS: a subscription name is at most 255 characters; the allowed characters are *decided* as RDS's identifiers'
 * (letters, digits, hyphens, a letter first), and names are case-insensitive, stored lowercase like the others.
 */
function checkName(name: string): string {
  if (name.length === 0 || name.length > 255 || !/^[A-Za-z][A-Za-z0-9-]*$/.test(name)) {
    throw CommonErrors.invalidParameterValue(
      `The parameter SubscriptionName is not a valid identifier. It must be 1 to 255 letters, numbers or hyphens, beginning with a letter: ${name}`,
    );
  }
  return name.toLowerCase();
}

/** SNSInvalidTopicFault (400) for a topic ARN that is not one of the served partition; the wording is *decided*. */
function checkTopic(arn: string): string {
  const match = TOPIC_ARN.exec(arn);
  if (!match || match[1] !== SERVED_PARTITION)
    throw neptuneFault("SNSInvalidTopicFault", `Invalid SNS topic ARN: ${arn}`);
  return arn;
}

/** A source type of the model's enum (DescribeEventCategories' check and message), or undefined when not given. */
function checkSourceType(sourceType: string | undefined): SourceType | undefined {
  if (sourceType === undefined) return undefined;
  describeEventCategories({ SourceType: sourceType });
  return sourceType as SourceType;
}

/**
 * The categories, lowercase, each one of the source type's (of any type's when none is given), else
 * SubscriptionCategoryNotFoundFault (404; wording *decided*).
 */
function checkCategories(categories: string[], sourceType: SourceType | undefined): string[] {
  const known = new Set(sourceType ? EVENT_CATEGORIES[sourceType] : Object.values(EVENT_CATEGORIES).flat());
  const wanted = [...new Set(categories.map((category) => category.toLowerCase()))];
  const unknown = wanted.filter((category) => !known.has(category));
  if (unknown.length > 0) {
    const of = sourceType ? ` for source type ${sourceType}` : "";
    throw neptuneFault("SubscriptionCategoryNotFoundFault", `Event categories not found${of}: ${unknown.join(", ")}`);
  }
  return wanted;
}

/** The stored identifier of a source of `sourceType` the caller holds (by name or own ARN), else SourceNotFound. */
function existingSource(place: Place, sourceType: SourceType, given: string): string {
  const type = SOURCE_RESOURCE[sourceType];
  const name = type === undefined ? undefined : ownName(given, type, place)?.toLowerCase();
  if (type === undefined || name === undefined || !holdsResource(place, type, name)) {
    // *Decided* wording; the fault (404) is the model's.
    throw neptuneFault("SourceNotFoundFault", `Could not find source ${given} of type ${sourceType}.`);
  }
  return name;
}

/** RDS: "If SourceIds are supplied, SourceType must also be provided" (CreateEventSubscription's SourceIds). */
function requireSourceType(sourceType: SourceType | undefined, subscription: string): SourceType {
  if (sourceType === undefined) {
    throw CommonErrors.invalidParameterCombination(
      `Source identifiers need a SourceType: subscription ${subscription} has none.`,
    );
  }
  return sourceType;
}

function findSubscription(place: Place, given: string): EventSubscriptionRecord {
  const name = ownName(given, "es", place)?.toLowerCase();
  const found = name === undefined ? undefined : eventSubscriptionTable(place).get(name);
  if (!found) throw subscriptionNotFound(given);
  return found;
}

/** RDS shows the creation time as a string: `YYYY-MM-DD HH:MM:SS.mmm` in UTC (*decided* after RDS's CLI output). */
function creationTime(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").replace("Z", "");
}

/** creating until the short transition (`clusterModifyMs`) has passed, then active (*decided* duration). */
function status(scope: Scope, record: EventSubscriptionRecord): string {
  return scope.now - record.createdAt < scope.delays.clusterModifyMs ? "creating" : "active";
}

function shape(scope: Scope, record: EventSubscriptionRecord, statusOverride?: string): EventSubscription {
  return {
    CustomerAwsId: scope.accountId,
    CustSubscriptionId: record.CustSubscriptionId,
    SnsTopicArn: record.SnsTopicArn,
    Status: statusOverride ?? status(scope, record),
    SubscriptionCreationTime: creationTime(record.createdAt),
    ...(record.SourceType !== undefined ? { SourceType: record.SourceType } : {}),
    SourceIdsList: [...record.SourceIdsList],
    EventCategoriesList: [...record.EventCategoriesList],
    Enabled: record.Enabled,
    EventSubscriptionArn: record.EventSubscriptionArn,
  };
}

function save(scope: Scope, record: EventSubscriptionRecord): { EventSubscription: EventSubscription } {
  eventSubscriptionTable(scope).put(record.CustSubscriptionId, record);
  return { EventSubscription: shape(scope, record) };
}

/** The six event subscription operations, wire message to wire message; a refused request changes nothing. */
export const eventSubscriptions = {
  create: (scope: Scope, r: CreateEventSubscriptionMessage) => {
    const name = checkName(r.SubscriptionName);
    const table = eventSubscriptionTable(scope);
    // *Decided* wording; the fault (400) is the model's.
    if (table.has(name)) throw neptuneFault("SubscriptionAlreadyExistFault", `Subscription ${name} already exists.`);
    if (table.size >= EVENT_SUBSCRIPTION_QUOTA) {
      throw neptuneFault(
        "EventSubscriptionQuotaExceededFault",
        `Cannot create more than ${EVENT_SUBSCRIPTION_QUOTA} event subscriptions.`,
      );
    }
    const SnsTopicArn = checkTopic(r.SnsTopicArn);
    const sourceType = checkSourceType(r.SourceType);
    const EventCategoriesList = checkCategories(r.EventCategories ?? [], sourceType);
    const given = r.SourceIds ?? [];
    const sources =
      given.length > 0 ? given.map((id) => existingSource(scope, requireSourceType(sourceType, name), id)) : [];
    if (r.Tags) validateTags(r.Tags);
    const record: EventSubscriptionRecord = {
      CustSubscriptionId: name,
      SnsTopicArn,
      ...(sourceType !== undefined ? { SourceType: sourceType } : {}),
      SourceIdsList: [...new Set(sources)],
      EventCategoriesList,
      Enabled: r.Enabled ?? true,
      EventSubscriptionArn: rdsArn(scope.region, scope.accountId, "es", name),
      createdAt: scope.now,
    };
    const result = save(scope, record);
    if (r.Tags?.length) setTags(scope.store, scope.accountId, scope.region, record.EventSubscriptionArn, r.Tags);
    return result;
  },

  /**
   * Changes the topic, source type, categories or Enabled. Source identifiers are only changed by
   * Add/RemoveSourceIdentifier (API reference); so a new SourceType is refused while the subscription has sources
   * (*decided*: InvalidParameterCombination), and the kept categories must be the new type's.
   */
  modify: (scope: Scope, r: ModifyEventSubscriptionMessage) => {
    const record = findSubscription(scope, r.SubscriptionName);
    const SnsTopicArn = r.SnsTopicArn !== undefined ? checkTopic(r.SnsTopicArn) : record.SnsTopicArn;
    const sourceType = r.SourceType !== undefined ? checkSourceType(r.SourceType) : (record.SourceType as SourceType);
    if (sourceType !== record.SourceType && record.SourceIdsList.length > 0) {
      throw CommonErrors.invalidParameterCombination(
        `Cannot change the SourceType of subscription ${record.CustSubscriptionId} while it has source identifiers.`,
      );
    }
    const EventCategoriesList = checkCategories(r.EventCategories ?? record.EventCategoriesList, sourceType);
    return save(scope, {
      ...record,
      SnsTopicArn,
      ...(sourceType !== undefined ? { SourceType: sourceType } : {}),
      EventCategoriesList,
      Enabled: r.Enabled ?? record.Enabled,
    });
  },

  /** Answers the subscription as `deleting`; it is gone at once, with its tags (*decided*: no lingering state). */
  delete: (scope: Scope, r: DeleteEventSubscriptionMessage) => {
    const record = findSubscription(scope, r.SubscriptionName);
    eventSubscriptionTable(scope).delete(record.CustSubscriptionId);
    deleteAllTags(scope.store, scope.accountId, scope.region, record.EventSubscriptionArn);
    return { EventSubscription: shape(scope, record, "deleting") };
  },

  describe: (scope: Scope, r: DescribeEventSubscriptionsMessage) => {
    refuseFilters(r.Filters);
    const records =
      r.SubscriptionName !== undefined
        ? [findSubscription(scope, r.SubscriptionName)]
        : eventSubscriptionTable(scope)
            .values()
            .sort((x, y) => x.CustSubscriptionId.localeCompare(y.CustSubscriptionId));
    return listPage("EventSubscriptionsList", records, r, (record) => shape(scope, record));
  },

  /** Adds a source of the subscription's type that the caller holds; one already there is kept once. */
  addSource: (scope: Scope, r: AddSourceIdentifierToSubscriptionMessage) => {
    const record = findSubscription(scope, r.SubscriptionName);
    const sourceType = requireSourceType(record.SourceType as SourceType | undefined, record.CustSubscriptionId);
    const source = existingSource(scope, sourceType, r.SourceIdentifier);
    const SourceIdsList = record.SourceIdsList.includes(source)
      ? record.SourceIdsList
      : [...record.SourceIdsList, source];
    return save(scope, { ...record, SourceIdsList });
  },

  /** Removes a source; one not in the subscription is SourceNotFound (*decided* wording). */
  removeSource: (scope: Scope, r: RemoveSourceIdentifierFromSubscriptionMessage) => {
    const record = findSubscription(scope, r.SubscriptionName);
    const source = r.SourceIdentifier.toLowerCase();
    if (!record.SourceIdsList.includes(source)) {
      throw neptuneFault(
        "SourceNotFoundFault",
        `Source ${r.SourceIdentifier} is not in subscription ${record.CustSubscriptionId}.`,
      );
    }
    return save(scope, { ...record, SourceIdsList: record.SourceIdsList.filter((id) => id !== source) });
  },
};
