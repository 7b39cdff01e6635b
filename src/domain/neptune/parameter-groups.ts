import type {
  ApplyMethod,
  DescribeEngineDefaultParametersMessage,
  Filter,
  Parameter,
  Tag,
} from "../../generated/neptune.js";
import type { AwsError } from "../../protocol/errors.js";
import { CommonErrors } from "../../protocol/errors.js";
import { neptuneFault } from "../../services/neptune/errors.js";
import { ownName, rdsArn } from "./arn.js";
import {
  defaultParameterGroupName,
  isParameterGroupFamily,
  parameterDefinitions,
  parameterOf,
  PARAMETER_GROUP_FAMILIES,
  type ParameterLevel,
} from "./catalogue.js";
import { recordEvent } from "./events.js";
import { listPage, refuseFilters, type PageRequest } from "./listing.js";
import { clusterTable, instanceTable, type Place } from "./records.js";
import { deleteAllTags, setTags, validateTags } from "./tags.js";

/**
 * DB cluster parameter groups and DB parameter groups of one (account, region). The two kinds differ only in
 * their names (`DBClusterParameterGroup…` / `DBParameterGroup…` on the wire), their table, the level of their
 * parameters and who uses them, so one table of kinds drives one implementation of the rules: naming, quotas,
 * default groups are read-only, modify/reset validation.
 *
 * The default groups (`default.neptune1.3`, … per family) exist implicitly everywhere: they are computed, never
 * stored, so no account needs seeding and none can change them. Custom groups are stored records keyed by their
 * lowercase name.
 */

// ====================================================================================== kinds and records

/** What AWS calls each kind; its members are `<Noun>Name`, `<Noun>Arn`, `Source<Noun>Identifier` … */
type Noun = "DBClusterParameterGroup" | "DBParameterGroup";

export interface ParameterValue {
  ParameterValue: string;
  ApplyMethod: ApplyMethod;
}

/** The API's view of a group: `<Noun>Name`, `<Noun>Arn`, family and description. */
type GroupShape<N extends Noun> = Record<`${N}Name` | `${N}Arn`, string> & {
  DBParameterGroupFamily: string;
  Description: string;
};

/** A stored group: its shape, the values the user set (by parameter name; others have their engine default). */
type GroupRecord<N extends Noun> = GroupShape<N> & { Values: Record<string, ParameterValue>; IsDefault: boolean };

export type ClusterParameterGroupRecord = GroupRecord<"DBClusterParameterGroup">;
export type ParameterGroupRecord = GroupRecord<"DBParameterGroup">;

interface GroupKind<N extends Noun> {
  noun: N;
  /** Whose parameters the group holds. */
  level: ParameterLevel;
  arnType: "cluster-pg" | "pg";
  table: string;
  /** The default group's description, before its family. */
  defaultDescription: string;
  /** Who can use a group, as RDS words a refused deletion. */
  users: string;
  /** Whether a cluster or an instance still uses the group `name` (lowercase). */
  inUse(place: Place, name: string): boolean;
}

const CLUSTER_GROUPS: GroupKind<"DBClusterParameterGroup"> = {
  noun: "DBClusterParameterGroup",
  level: "cluster",
  arnType: "cluster-pg",
  table: "neptune.clusterParameterGroups",
  defaultDescription: "Default cluster parameter group for",
  users: "database clusters",
  inUse: (place, name) =>
    clusterTable(place.store, place.accountId, place.region)
      .values()
      .some((c) => c.DBClusterParameterGroup.toLowerCase() === name),
};

const INSTANCE_GROUPS: GroupKind<"DBParameterGroup"> = {
  noun: "DBParameterGroup",
  level: "instance",
  arnType: "pg",
  table: "neptune.parameterGroups",
  defaultDescription: "Default parameter group for",
  users: "database instances",
  inUse: (place, name) =>
    instanceTable(place.store, place.accountId, place.region)
      .values()
      .some((i) => i.DBParameterGroupName.toLowerCase() === name),
};

/** RDS's default quota: 50 custom DB (cluster) parameter groups per account and region. */
const PARAMETER_GROUP_QUOTA = 50;
/** RDS: "You can modify up to 20 parameters in a single request." */
const MAX_PARAMETERS_PER_REQUEST = 20;

const nameKey = <N extends Noun>(kind: GroupKind<N>) => `${kind.noun}Name` as const;
const nameOf = <N extends Noun>(kind: GroupKind<N>, group: GroupShape<N>): string => group[nameKey(kind)];
const arnOf = <N extends Noun>(kind: GroupKind<N>, group: GroupShape<N>): string => group[`${kind.noun}Arn` as const];

const tableOf = <N extends Noun>(kind: GroupKind<N>, place: Place) =>
  place.store.table<GroupRecord<N>>(kind.table, place.accountId, place.region);

function newGroup<N extends Noun>(
  kind: GroupKind<N>,
  place: Place,
  group: { name: string; family: string; description: string; isDefault: boolean },
): GroupRecord<N> {
  return {
    [nameKey(kind)]: group.name,
    DBParameterGroupFamily: group.family,
    Description: group.description,
    [`${kind.noun}Arn`]: rdsArn(place.region, place.accountId, kind.arnType, group.name),
    Values: {},
    IsDefault: group.isDefault,
  } as GroupRecord<N>;
}

function defaultGroup<N extends Noun>(kind: GroupKind<N>, place: Place, family: string): GroupRecord<N> {
  const description = `${kind.defaultDescription} ${family}`;
  return newGroup(kind, place, { name: defaultParameterGroupName(family), family, description, isDefault: true });
}

function groupShape<N extends Noun>(kind: GroupKind<N>, group: GroupRecord<N>): GroupShape<N> {
  return {
    [nameKey(kind)]: nameOf(kind, group),
    DBParameterGroupFamily: group.DBParameterGroupFamily,
    Description: group.Description,
    [`${kind.noun}Arn`]: arnOf(kind, group),
  } as GroupShape<N>;
}

// ====================================================================================== lookups

/** The default group named `key` (lowercase), computed, or undefined when `key` names no default group. */
function defaultNamed<N extends Noun>(kind: GroupKind<N>, place: Place, key: string): GroupRecord<N> | undefined {
  const family = PARAMETER_GROUP_FAMILIES.find((f) => defaultParameterGroupName(f) === key);
  return family ? defaultGroup(kind, place, family) : undefined;
}

function find<N extends Noun>(kind: GroupKind<N>, place: Place, name: string): GroupRecord<N> | undefined {
  const key = name.toLowerCase();
  return defaultNamed(kind, place, key) ?? tableOf(kind, place).get(key);
}

/** The DB cluster parameter group `name` (case-insensitive; default groups included), or undefined. */
export const findClusterParameterGroup = (place: Place, name: string) => find(CLUSTER_GROUPS, place, name);

/** A group only to read: not handed out for writing, so the table's generation stays as it is. */
function peek<N extends Noun>(kind: GroupKind<N>, place: Place, name: string): Readonly<GroupRecord<N>> | undefined {
  const key = name.toLowerCase();
  return defaultNamed(kind, place, key) ?? tableOf(kind, place).peek(key);
}

/** The DB cluster parameter group `name`, only to read (see peek). */
export const peekClusterParameterGroup = (place: Place, name: string) => peek(CLUSTER_GROUPS, place, name);

/**
 * The values of the static parameters the DB parameter group `name` holds now (set or default), by name: what an
 * instance takes when it starts and keeps until it starts again (parameter-apply-status.ts).
 */
export function staticParameterValues(place: Place, name: string): Record<string, string> {
  const values = peek(INSTANCE_GROUPS, place, name)?.Values ?? {};
  const statics = parameterDefinitions(INSTANCE_GROUPS.level).filter((d) => d.ApplyType === "static");
  return Object.fromEntries(statics.map((d) => [d.ParameterName, values[d.ParameterName]?.ParameterValue ?? d.Value]));
}

/** A number that moves whenever a stored DB cluster parameter group may have changed (Table.generation). */
export const clusterParameterGroupsGeneration = (place: Place): number => tableOf(CLUSTER_GROUPS, place).generation;
/** The DB parameter group `name` (case-insensitive; default groups included), or undefined. */
export const findParameterGroup = (place: Place, name: string) => find(INSTANCE_GROUPS, place, name);

function groupNotFound(kind: GroupKind<Noun>, name: string): AwsError {
  // Observed: "DBClusterParameterGroup not found: default.aurora5.6", "DBParameterGroup not found: testing-pg".
  return neptuneFault("DBParameterGroupNotFoundFault", `${kind.noun} not found: ${name}`);
}

export const clusterParameterGroupNotFound = (name: string) => groupNotFound(CLUSTER_GROUPS, name);
export const parameterGroupNotFound = (name: string) => groupNotFound(INSTANCE_GROUPS, name);

/** The caller's group named by name or ARN (another account's ARN is not found, like a missing group). */
function existing<N extends Noun>(kind: GroupKind<N>, place: Place, given: string): GroupRecord<N> {
  const name = ownName(given, kind.arnType, place)?.toLowerCase();
  const group = name === undefined ? undefined : find(kind, place, name);
  if (!group) throw groupNotFound(kind, given);
  return group;
}

// ====================================================================================== the groups clusters and instances use

/**
 * The cluster parameter group a cluster uses: the given one, which must exist ("DBClusterParameterGroup not
 * found: x", RDS's observed text, under the cluster operations' own fault) and be of the engine version's family;
 * or the family's default group.
 */
export function clusterParameterGroupFor(place: Place, name: string | undefined, family: string): string {
  if (name === undefined) return defaultParameterGroupName(family);
  const group = findClusterParameterGroup(place, name);
  if (!group) throw neptuneFault("DBClusterParameterGroupNotFoundFault", `DBClusterParameterGroup not found: ${name}`);
  if (group.DBParameterGroupFamily !== family) {
    // *Decided* wording, after RDS's refusal of a parameter group of another family.
    throw CommonErrors.invalidParameterCombination(
      `The parameter group ${group.DBClusterParameterGroupName} with DBParameterGroupFamily ${group.DBParameterGroupFamily} can't be used for this DB cluster. Use a parameter group with DBParameterGroupFamily ${family}.`,
    );
  }
  return group.DBClusterParameterGroupName;
}

/**
 * The DB parameter group an instance of `family` uses: the given one, which must exist and be of that family
 * (observed RDS text "DBParameterGroup not found: <name>", also for a group of another family), or the family's
 * default group.
 */
export function instanceParameterGroupFor(place: Place, name: string | undefined, family: string): string {
  if (name === undefined) return defaultParameterGroupName(family);
  const group = findParameterGroup(place, name);
  if (!group || group.DBParameterGroupFamily !== family) throw parameterGroupNotFound(name);
  return group.DBParameterGroupName;
}

// ====================================================================================== parameters

/** The group's parameters with their current values, optionally only those of one Source. */
function parametersOf(
  level: ParameterLevel,
  values: Record<string, ParameterValue>,
  source: string | undefined,
): Parameter[] {
  const all = parameterDefinitions(level).map((definition) =>
    parameterOf(definition, values[definition.ParameterName]),
  );
  return source === undefined ? all : all.filter((parameter) => parameter.Source === source);
}

function allowedValue(allowed: string | undefined, value: string, dataType: string): boolean {
  if (allowed === undefined) return true;
  const range = /^(-?\d+)-(-?\d+)$/.exec(allowed);
  if (range && dataType === "integer") {
    if (!/^-?\d+$/.test(value)) return false;
    const n = Number(value);
    return n >= Number(range[1]) && n <= Number(range[2]);
  }
  return allowed.split(",").includes(value);
}

/** RDS's text for a parameter name the level does not define. */
const unknownParameter = (name: string) =>
  CommonErrors.invalidParameterValue(`Could not find parameter with name: ${name}`);

/**
 * Checks ModifyDB(Cluster)ParameterGroup's parameters in AWS's order: count, then per parameter its name, whether
 * it is modifiable, its value, and whether the apply method fits (a static parameter can't be applied immediately).
 */
function checkedChanges(parameters: Parameter[], level: ParameterLevel): { name: string; value: ParameterValue }[] {
  if (parameters.length === 0) throw CommonErrors.missingParameter("Parameters");
  if (parameters.length > MAX_PARAMETERS_PER_REQUEST) {
    throw CommonErrors.invalidParameterValue(
      `You can modify up to ${MAX_PARAMETERS_PER_REQUEST} parameters in a single request.`,
    );
  }
  const definitions = parameterDefinitions(level);
  return parameters.map((parameter) => {
    const name = parameter.ParameterName ?? "";
    const definition = definitions.find((d) => d.ParameterName === name);
    // Observed RDS wording: "Could not find parameter with name: character_set_server".
    if (!definition) throw unknownParameter(name);
    if (!definition.IsModifiable) throw CommonErrors.invalidParameterValue(`The parameter ${name} cannot be modified.`);
    const value = parameter.ParameterValue ?? "";
    if (!allowedValue(definition.AllowedValues, value, definition.DataType)) {
      throw CommonErrors.invalidParameterValue(
        `Invalid parameter value: ${value} for: ${name} allowed values are: ${definition.AllowedValues}`,
      );
    }
    // *Decided*: without ApplyMethod a change waits for the next reboot, the safe choice for either apply type.
    const applyMethod: ApplyMethod = parameter.ApplyMethod ?? "pending-reboot";
    if (applyMethod === "immediate" && definition.ApplyType === "static") {
      throw CommonErrors.invalidParameterCombination("cannot use immediate apply method for static parameter");
    }
    return { name, value: { ParameterValue: value, ApplyMethod: applyMethod } };
  });
}

interface ResetRequest {
  ResetAllParameters?: boolean;
  Parameters?: Parameter[];
}

/** Which parameters ResetDB(Cluster)ParameterGroup resets: all, or the named ones (which must exist). */
function resetNames(request: ResetRequest, level: ParameterLevel): string[] | "all" {
  const named = request.Parameters ?? [];
  // RDS: ResetAllParameters and a Parameters list exclude each other, and one of them is needed (*decided* wording).
  if (request.ResetAllParameters && named.length > 0) {
    throw CommonErrors.invalidParameterCombination("Cannot specify both ResetAllParameters and Parameters.");
  }
  if (request.ResetAllParameters) return "all";
  if (named.length === 0) {
    throw CommonErrors.invalidParameterCombination(
      "Either ResetAllParameters must be true or Parameters must be specified.",
    );
  }
  const definitions = parameterDefinitions(level);
  return named.map((parameter) => {
    const name = parameter.ParameterName ?? "";
    if (!definitions.some((d) => d.ParameterName === name)) throw unknownParameter(name);
    return name;
  });
}

/** The parameter group family must be one Neptune has (*decided* wording: RDS refuses with InvalidParameterValue). */
function checkFamily(family: string): void {
  if (!isParameterGroupFamily(family)) {
    throw CommonErrors.invalidParameterValue(
      `The parameter DBParameterGroupFamily is not a valid parameter group family: ${family}`,
    );
  }
}

const GROUP_NAME = /^[a-zA-Z](?:-?[a-zA-Z0-9])*$/;

/**
 * Parameter group names follow the identifier rules (1–255 letters, digits, hyphens; a letter first; no trailing
 * or doubled hyphen) and are stored lowercase. The message is RDS's identifier message (aws-behaviour.md §2.1).
 */
function checkGroupName(parameter: string, name: string): string {
  if (name.length === 0)
    throw CommonErrors.invalidParameterValue(`The parameter ${parameter} must be provided and must not be blank.`);
  if (name.length > 255 || !GROUP_NAME.test(name)) {
    throw CommonErrors.invalidParameterValue(
      `The parameter ${parameter} is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.`,
    );
  }
  return name.toLowerCase();
}

// ====================================================================================== the operations, for either kind

/** The caller's (account, region) at the request's time (events are dated with it). */
type GroupScope = Place & { now: number };

function create<N extends Noun>(
  kind: GroupKind<N>,
  scope: GroupScope,
  request: { name: string; family: string; description: string; tags?: Tag[] },
): GroupRecord<N> {
  const name = checkGroupName(nameKey(kind), request.name);
  checkFamily(request.family);
  if (find(kind, scope, name))
    throw neptuneFault("DBParameterGroupAlreadyExistsFault", `Parameter group ${name} already exists`);
  const table = tableOf(kind, scope);
  if (table.size >= PARAMETER_GROUP_QUOTA) {
    throw neptuneFault(
      "DBParameterGroupQuotaExceededFault",
      "The request cannot be processed because it would exceed the maximum number of parameter groups.",
    );
  }
  if (request.tags) validateTags(request.tags);
  const { family, description } = request;
  const group = newGroup(kind, scope, { name, family, description, isDefault: false });
  table.put(name, group);
  if (request.tags?.length) setTags(scope.store, scope.accountId, scope.region, arnOf(kind, group), request.tags);
  return group;
}

function copy<N extends Noun>(
  kind: GroupKind<N>,
  scope: GroupScope,
  request: { source: string; target: string; description: string; tags?: Tag[] },
): GroupRecord<N> {
  const source = existing(kind, scope, request.source);
  const group = create(kind, scope, {
    name: request.target,
    family: source.DBParameterGroupFamily,
    description: request.description,
    tags: request.tags,
  });
  Object.assign(group.Values, structuredClone(source.Values));
  tableOf(kind, scope).put(nameOf(kind, group), group);
  return group;
}

function modifiable<N extends Noun>(kind: GroupKind<N>, scope: GroupScope, given: string): GroupRecord<N> {
  const group = existing(kind, scope, given);
  // Observed RDS answer for a default group: InvalidParameterValue "Cannot modify a default parameter group."
  if (group.IsDefault) throw CommonErrors.invalidParameterValue("Cannot modify a default parameter group.");
  return group;
}

/** Stores the changed group and records RDS-EVENT-0037 ("The parameter group was modified"), one per parameter. */
function saveChanged<N extends Noun>(kind: GroupKind<N>, scope: GroupScope, group: GroupRecord<N>, changes: string[]) {
  tableOf(kind, scope).put(nameOf(kind, group), group);
  for (const Message of changes) {
    recordEvent(scope.store, scope.accountId, scope.region, {
      SourceIdentifier: nameOf(kind, group),
      SourceType: "db-parameter-group",
      Message,
      EventCategories: ["configuration change"],
      Date: new Date(scope.now),
      SourceArn: arnOf(kind, group),
    });
  }
}

function modify<N extends Noun>(kind: GroupKind<N>, scope: GroupScope, given: string, parameters: Parameter[]): string {
  const group = modifiable(kind, scope, given);
  const changes = checkedChanges(parameters, kind.level);
  for (const change of changes) group.Values[change.name] = change.value;
  saveChanged(
    kind,
    scope,
    group,
    changes.map(
      (c) => `Updated parameter ${c.name} to ${c.value.ParameterValue} with apply method ${c.value.ApplyMethod}`,
    ),
  );
  return nameOf(kind, group);
}

function reset<N extends Noun>(kind: GroupKind<N>, scope: GroupScope, given: string, request: ResetRequest): string {
  const group = modifiable(kind, scope, given);
  const names = resetNames(request, kind.level);
  const reset = names === "all" ? Object.keys(group.Values) : names;
  for (const name of reset) delete group.Values[name];
  saveChanged(
    kind,
    scope,
    group,
    reset.map((name) => `Reset parameter ${name} to its default value`),
  );
  return nameOf(kind, group);
}

function remove<N extends Noun>(kind: GroupKind<N>, scope: GroupScope, given: string): void {
  const group = existing(kind, scope, given);
  const name = nameOf(kind, group);
  // Observed: InvalidDBParameterGroupState "Default DBParameterGroup cannot be deleted: default.aurora-mysql5.7".
  if (group.IsDefault)
    throw neptuneFault("InvalidDBParameterGroupStateFault", `Default ${kind.noun} cannot be deleted: ${name}`);
  if (kind.inUse(scope, name)) {
    throw neptuneFault(
      "InvalidDBParameterGroupStateFault",
      `One or more ${kind.users} are still members of this parameter group ${name}, so the group cannot be deleted`,
    );
  }
  tableOf(kind, scope).delete(name);
  deleteAllTags(scope.store, scope.accountId, scope.region, arnOf(kind, group));
}

/** The groups a DescribeDB(Cluster)ParameterGroups lists: the named one, or all (defaults included) by name. */
function groupsToDescribe<N extends Noun>(
  kind: GroupKind<N>,
  scope: GroupScope,
  name: string | undefined,
  filters: Filter[] | undefined,
): GroupRecord<N>[] {
  const groups =
    name !== undefined
      ? [existing(kind, scope, name)]
      : [
          ...PARAMETER_GROUP_FAMILIES.map((family) => defaultGroup(kind, scope, family)),
          ...tableOf(kind, scope).values(),
        ].sort((x, y) => nameOf(kind, x).localeCompare(nameOf(kind, y)));
  refuseFilters(filters);
  return groups;
}

/** The parameters a DescribeDB(Cluster)Parameters lists: the group's, optionally of one Source. */
function parametersToDescribe<N extends Noun>(
  kind: GroupKind<N>,
  scope: GroupScope,
  name: string,
  request: { Source?: string; Filters?: Filter[] },
): Parameter[] {
  const group = existing(kind, scope, name);
  if (request.Source !== undefined && !["engine-default", "system", "user"].includes(request.Source)) {
    throw CommonErrors.invalidParameterValue(
      `Invalid value ${request.Source} for Source. Must be one of engine-default, system, user`,
    );
  }
  refuseFilters(request.Filters);
  return parametersOf(kind.level, group.Values, request.Source);
}

function engineDefaults(level: ParameterLevel, request: DescribeEngineDefaultParametersMessage) {
  checkFamily(request.DBParameterGroupFamily);
  refuseFilters(request.Filters);
  const page = listPage("Parameters", parametersOf(level, {}, undefined), request, (parameter) => parameter);
  return { DBParameterGroupFamily: request.DBParameterGroupFamily, ...page };
}

/**
 * The eight operations of a kind, taking and answering its wire messages: `<Noun>Name` in, `{ <Noun>: shape }`,
 * `{ <Noun>s: […] }` out (CreateDBClusterParameterGroup, DescribeDBParameterGroups …).
 */
function operationsOf<N extends Noun>(kind: GroupKind<N>) {
  type Named = Record<`${N}Name`, string>;
  type Described = Partial<Named> & PageRequest & { Filters?: Filter[] };
  const name = nameKey(kind);
  const shown = (group: GroupRecord<N>) => ({ [kind.noun]: groupShape(kind, group) }) as Record<N, GroupShape<N>>;
  const named = (value: string) => ({ [name]: value }) as Named;
  return {
    create: (scope: GroupScope, r: Named & { DBParameterGroupFamily: string; Description: string; Tags?: Tag[] }) =>
      shown(
        create(kind, scope, {
          name: r[name],
          family: r.DBParameterGroupFamily,
          description: r.Description,
          tags: r.Tags,
        }),
      ),
    copy: (
      scope: GroupScope,
      r: Record<`Source${N}Identifier` | `Target${N}Identifier` | `Target${N}Description`, string> & { Tags?: Tag[] },
    ) =>
      shown(
        copy(kind, scope, {
          source: r[`Source${kind.noun}Identifier` as const],
          target: r[`Target${kind.noun}Identifier` as const],
          description: r[`Target${kind.noun}Description` as const],
          tags: r.Tags,
        }),
      ),
    modify: (scope: GroupScope, r: Named & { Parameters: Parameter[] }) =>
      named(modify(kind, scope, r[name], r.Parameters)),
    reset: (scope: GroupScope, r: Named & ResetRequest) => named(reset(kind, scope, r[name], r)),
    delete: (scope: GroupScope, r: Named) => remove(kind, scope, r[name]),
    describe: (scope: GroupScope, r: Described) =>
      listPage(`${kind.noun}s` as const, groupsToDescribe(kind, scope, r[name], r.Filters), r, (group) =>
        groupShape(kind, group),
      ),
    parameters: (scope: GroupScope, r: Named & PageRequest & { Source?: string; Filters?: Filter[] }) =>
      listPage("Parameters", parametersToDescribe(kind, scope, r[name], r), r, (parameter) => parameter),
    engineDefaults: (r: DescribeEngineDefaultParametersMessage) => ({ EngineDefaults: engineDefaults(kind.level, r) }),
  };
}

export const clusterParameterGroups = operationsOf(CLUSTER_GROUPS);
export const parameterGroups = operationsOf(INSTANCE_GROUPS);
