import { createHash } from "node:crypto";
import type {
  ApplyMethod,
  DBClusterParameterGroup,
  DBParameterGroup,
  DBSubnetGroup,
  Filter,
  Parameter,
  Subnet,
  Tag,
} from "../../generated/neptune.js";
import { CommonErrors } from "../../protocol/errors.js";
import { neptuneFault } from "../../services/neptune/errors.js";
import type { Store, Table } from "../../state/store.js";
import {
  availabilityZones,
  defaultParameterGroupName,
  isParameterGroupFamily,
  paginate,
  parameterDefinitions,
  parameterOf,
  PARAMETER_GROUP_FAMILIES,
  refuseFilters,
  type ParameterLevel,
} from "./catalogue.js";
import { parseRdsArn, rdsArn } from "./arn.js";
import { recordEvent } from "./events.js";
import type { NeptuneScope } from "./lifecycle.js";
import { clusterTable, instanceTable } from "./records.js";
import { deleteAllTags, setTags, validateTags } from "./tags.js";

/**
 * DB cluster parameter groups, DB parameter groups and DB subnet groups of one (account, region).
 *
 * The default groups (`default.neptune1.3`, … per family, and the `default` subnet group of the account's
 * default VPC) exist implicitly everywhere: they are computed, never stored, so no account needs seeding and
 * none can change them. Custom groups are stored records keyed by their lowercase name.
 */

// ====================================================================================== records

export interface ParameterValue {
  ParameterValue: string;
  ApplyMethod: ApplyMethod;
}

export interface ClusterParameterGroupRecord {
  DBClusterParameterGroupName: string;
  DBParameterGroupFamily: string;
  Description: string;
  DBClusterParameterGroupArn: string;
  /** Values the user set, by parameter name; every other parameter has its engine default. */
  Values: Record<string, ParameterValue>;
  IsDefault: boolean;
}

export interface ParameterGroupRecord {
  DBParameterGroupName: string;
  DBParameterGroupFamily: string;
  Description: string;
  DBParameterGroupArn: string;
  Values: Record<string, ParameterValue>;
  IsDefault: boolean;
}

export interface SubnetGroupRecord {
  DBSubnetGroupName: string;
  DBSubnetGroupDescription: string;
  VpcId: string;
  SubnetGroupStatus: string;
  Subnets: Subnet[];
  DBSubnetGroupArn: string;
  IsDefault: boolean;
}

const CLUSTER_PG_TABLE = "neptune.clusterParameterGroups";
const PG_TABLE = "neptune.parameterGroups";
const SUBNET_GROUP_TABLE = "neptune.subnetGroups";

/** RDS's default quotas: 50 custom DB (cluster) parameter groups and 50 DB subnet groups per account and region. */
const PARAMETER_GROUP_QUOTA = 50;
const SUBNET_GROUP_QUOTA = 50;
/** RDS: "You can modify up to 20 parameters in a single request." */
const MAX_PARAMETERS_PER_REQUEST = 20;

export const DEFAULT_SUBNET_GROUP_NAME = "default";

const arn = (region: string, accountId: string, kind: "cluster-pg" | "pg" | "subgrp", name: string) =>
  rdsArn(region, accountId, kind, name);

// ====================================================================================== the default VPC

function hex(seed: string, length: number): string {
  return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

/** The account's default VPC in the region (stable per account and region, like a real default VPC). */
export function defaultVpcId(accountId: string, region: string): string {
  return `vpc-${hex(`vpc:${accountId}:${region}`, 17)}`;
}

/** The default VPC's default security group, for resources created without VpcSecurityGroupIds. */
export function defaultSecurityGroupId(accountId: string, region: string): string {
  return `sg-${hex(`sg:${accountId}:${region}`, 17)}`;
}

/**
 * The default VPC's subnets, one per Availability Zone. Trident has no EC2, so these are the only subnets an
 * account has: a subnet group can be built from them alone (*decided*).
 */
export function defaultVpcSubnets(accountId: string, region: string): Subnet[] {
  return availabilityZones(region).map((zone) => ({
    SubnetIdentifier: `subnet-${hex(`subnet:${accountId}:${zone}`, 17)}`,
    SubnetAvailabilityZone: { Name: zone },
    SubnetStatus: "Active",
  }));
}

// ====================================================================================== names

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

/** RDS: subnet group names are up to 255 letters, digits, periods, underscores, spaces or hyphens. */
function checkSubnetGroupName(name: string): string {
  if (name.length === 0)
    throw CommonErrors.invalidParameterValue("The parameter DBSubnetGroupName must be provided and must not be blank.");
  if (name.length > 255 || !/^[a-zA-Z0-9._ -]+$/.test(name)) {
    throw CommonErrors.invalidParameterValue(
      "The parameter DBSubnetGroupName is not a valid identifier. It must contain no more than 255 letters, numbers, periods, underscores, spaces, or hyphens.",
    );
  }
  return name.toLowerCase();
}

/**
 * A group named by name or by ARN. An ARN is only ever looked up in the caller's own (account, region): another
 * account's group is not found, exactly like a missing one.
 */
function nameFrom(
  value: string,
  kind: "cluster-pg" | "pg" | "subgrp",
  accountId: string,
  region: string,
): string | undefined {
  if (!value.startsWith("arn:")) return value.toLowerCase();
  const parsed = parseRdsArn(value);
  if (!parsed || parsed.region !== region || parsed.accountId !== accountId || parsed.type !== kind) return undefined;
  return parsed.name.toLowerCase();
}

// ====================================================================================== lookups

function familyOfDefaultName(name: string): string | undefined {
  return PARAMETER_GROUP_FAMILIES.find((family) => defaultParameterGroupName(family) === name);
}

function defaultClusterParameterGroup(accountId: string, region: string, family: string): ClusterParameterGroupRecord {
  const name = defaultParameterGroupName(family);
  return {
    DBClusterParameterGroupName: name,
    DBParameterGroupFamily: family,
    Description: `Default cluster parameter group for ${family}`,
    DBClusterParameterGroupArn: arn(region, accountId, "cluster-pg", name),
    Values: {},
    IsDefault: true,
  };
}

function defaultParameterGroup(accountId: string, region: string, family: string): ParameterGroupRecord {
  const name = defaultParameterGroupName(family);
  return {
    DBParameterGroupName: name,
    DBParameterGroupFamily: family,
    Description: `Default parameter group for ${family}`,
    DBParameterGroupArn: arn(region, accountId, "pg", name),
    Values: {},
    IsDefault: true,
  };
}

function defaultSubnetGroup(accountId: string, region: string): SubnetGroupRecord {
  return {
    DBSubnetGroupName: DEFAULT_SUBNET_GROUP_NAME,
    DBSubnetGroupDescription: "default",
    VpcId: defaultVpcId(accountId, region),
    SubnetGroupStatus: "Complete",
    Subnets: defaultVpcSubnets(accountId, region),
    DBSubnetGroupArn: arn(region, accountId, "subgrp", DEFAULT_SUBNET_GROUP_NAME),
    IsDefault: true,
  };
}

const clusterPgTable = (store: Store, accountId: string, region: string) =>
  store.table<ClusterParameterGroupRecord>(CLUSTER_PG_TABLE, accountId, region);
const pgTable = (store: Store, accountId: string, region: string) =>
  store.table<ParameterGroupRecord>(PG_TABLE, accountId, region);
const subnetGroupTable = (store: Store, accountId: string, region: string) =>
  store.table<SubnetGroupRecord>(SUBNET_GROUP_TABLE, accountId, region);

/** The DB cluster parameter group `name` (case-insensitive; default groups included), or undefined. */
export function findClusterParameterGroup(
  store: Store,
  accountId: string,
  region: string,
  name: string,
): ClusterParameterGroupRecord | undefined {
  const key = name.toLowerCase();
  const family = familyOfDefaultName(key);
  if (family) return defaultClusterParameterGroup(accountId, region, family);
  return clusterPgTable(store, accountId, region).get(key);
}

/** The DB parameter group `name` (case-insensitive; default groups included), or undefined. */
export function findParameterGroup(
  store: Store,
  accountId: string,
  region: string,
  name: string,
): ParameterGroupRecord | undefined {
  const key = name.toLowerCase();
  const family = familyOfDefaultName(key);
  if (family) return defaultParameterGroup(accountId, region, family);
  return pgTable(store, accountId, region).get(key);
}

/** The DB subnet group `name` (case-insensitive; `default` included), or undefined. */
export function findSubnetGroup(
  store: Store,
  accountId: string,
  region: string,
  name: string,
): SubnetGroupRecord | undefined {
  const key = name.toLowerCase();
  if (key === DEFAULT_SUBNET_GROUP_NAME) return defaultSubnetGroup(accountId, region);
  return subnetGroupTable(store, accountId, region).get(key);
}

// ====================================================================================== API shapes

export function clusterParameterGroupShape(group: ClusterParameterGroupRecord): DBClusterParameterGroup {
  return {
    DBClusterParameterGroupName: group.DBClusterParameterGroupName,
    DBParameterGroupFamily: group.DBParameterGroupFamily,
    Description: group.Description,
    DBClusterParameterGroupArn: group.DBClusterParameterGroupArn,
  };
}

export function parameterGroupShape(group: ParameterGroupRecord): DBParameterGroup {
  return {
    DBParameterGroupName: group.DBParameterGroupName,
    DBParameterGroupFamily: group.DBParameterGroupFamily,
    Description: group.Description,
    DBParameterGroupArn: group.DBParameterGroupArn,
  };
}

/** As AWS shows a subnet group, also inside DescribeDBInstances' `DBSubnetGroup`. */
export function subnetGroupShape(group: SubnetGroupRecord): DBSubnetGroup {
  return {
    DBSubnetGroupName: group.DBSubnetGroupName,
    DBSubnetGroupDescription: group.DBSubnetGroupDescription,
    VpcId: group.VpcId,
    SubnetGroupStatus: group.SubnetGroupStatus,
    Subnets: group.Subnets.map((subnet) => ({
      ...subnet,
      SubnetAvailabilityZone: { ...subnet.SubnetAvailabilityZone },
    })),
    DBSubnetGroupArn: group.DBSubnetGroupArn,
  };
}

// ====================================================================================== who uses a group

/** Clusters and instances (the clusters module's records): read only to refuse deleting a group in use. */
const clusters = (store: Store, accountId: string, region: string) => clusterTable(store, accountId, region).values();
const instances = (store: Store, accountId: string, region: string) => instanceTable(store, accountId, region).values();

// ====================================================================================== parameters

type GroupKind = "cluster" | "instance";

/** The words AWS uses for each kind in messages. */
const KIND = {
  cluster: {
    noun: "DBClusterParameterGroup",
    nameParameter: "DBClusterParameterGroupName",
    level: "cluster" as ParameterLevel,
  },
  instance: { noun: "DBParameterGroup", nameParameter: "DBParameterGroupName", level: "instance" as ParameterLevel },
};

function groupNotFound(kind: GroupKind, name: string) {
  // Observed: "DBClusterParameterGroup not found: default.aurora5.6", "DBParameterGroup not found: testing-pg".
  return neptuneFault("DBParameterGroupNotFoundFault", `${KIND[kind].noun} not found: ${name}`);
}

export const clusterParameterGroupNotFound = (name: string) => groupNotFound("cluster", name);
export const parameterGroupNotFound = (name: string) => groupNotFound("instance", name);

/** The group's parameters with their current values, optionally only those of one Source. */
function parametersOf(
  kind: GroupKind,
  values: Record<string, ParameterValue>,
  source: string | undefined,
): Parameter[] {
  const all = parameterDefinitions(KIND[kind].level).map((definition) =>
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
    if (!definition) throw CommonErrors.invalidParameterValue(`Could not find parameter with name: ${name}`);
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

/** Which parameters ResetDB(Cluster)ParameterGroup resets: all, or the named ones (which must exist). */
function resetNames(
  request: { ResetAllParameters?: boolean; Parameters?: Parameter[] },
  level: ParameterLevel,
): string[] | "all" {
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
    if (!definitions.some((d) => d.ParameterName === name)) {
      throw CommonErrors.invalidParameterValue(`Could not find parameter with name: ${name}`);
    }
    return name;
  });
}

/** RDS-EVENT-0037 ("The parameter group was modified"), one event per updated parameter as RDS writes them. */
function recordParameterEvents(
  store: Store,
  accountId: string,
  region: string,
  now: number,
  name: string,
  groupArn: string,
  messages: string[],
): void {
  for (const Message of messages) {
    recordEvent(store, accountId, region, {
      SourceIdentifier: name,
      SourceType: "db-parameter-group",
      Message,
      EventCategories: ["configuration change"],
      Date: new Date(now),
      SourceArn: groupArn,
    });
  }
}

// ====================================================================================== the operations

type Scope = Pick<NeptuneScope, "store" | "accountId" | "region" | "now">;

/**
 * One implementation for both kinds of parameter group: they differ only in names, tables and the parameter
 * level, so the rules (naming, quotas, defaults are read-only, modify/reset validation) are written once.
 */
interface GroupOps<R> {
  kind: GroupKind;
  find(scope: Scope, name: string): R | undefined;
  table(scope: Scope): Table<R>;
  defaults(scope: Scope): R[];
  make(scope: Scope, name: string, family: string, description: string): R;
  nameOf(group: R): string;
  arnOf(group: R): string;
  familyOf(group: R): string;
  valuesOf(group: R): Record<string, ParameterValue>;
  isDefault(group: R): boolean;
  /** Who still uses the group (for DeleteDB*ParameterGroup), by identifier. */
  users(scope: Scope, name: string): string[];
}

const clusterOps: GroupOps<ClusterParameterGroupRecord> = {
  kind: "cluster",
  find: (s, name) => findClusterParameterGroup(s.store, s.accountId, s.region, name),
  table: (s) => clusterPgTable(s.store, s.accountId, s.region),
  defaults: (s) =>
    PARAMETER_GROUP_FAMILIES.map((family) => defaultClusterParameterGroup(s.accountId, s.region, family)),
  make: (s, name, family, description) => ({
    DBClusterParameterGroupName: name,
    DBParameterGroupFamily: family,
    Description: description,
    DBClusterParameterGroupArn: arn(s.region, s.accountId, "cluster-pg", name),
    Values: {},
    IsDefault: false,
  }),
  nameOf: (g) => g.DBClusterParameterGroupName,
  arnOf: (g) => g.DBClusterParameterGroupArn,
  familyOf: (g) => g.DBParameterGroupFamily,
  valuesOf: (g) => g.Values,
  isDefault: (g) => g.IsDefault,
  users: (s, name) =>
    clusters(s.store, s.accountId, s.region)
      .filter((c) => c.DBClusterParameterGroup.toLowerCase() === name)
      .map((c) => c.DBClusterIdentifier),
};

const instanceOps: GroupOps<ParameterGroupRecord> = {
  kind: "instance",
  find: (s, name) => findParameterGroup(s.store, s.accountId, s.region, name),
  table: (s) => pgTable(s.store, s.accountId, s.region),
  defaults: (s) => PARAMETER_GROUP_FAMILIES.map((family) => defaultParameterGroup(s.accountId, s.region, family)),
  make: (s, name, family, description) => ({
    DBParameterGroupName: name,
    DBParameterGroupFamily: family,
    Description: description,
    DBParameterGroupArn: arn(s.region, s.accountId, "pg", name),
    Values: {},
    IsDefault: false,
  }),
  nameOf: (g) => g.DBParameterGroupName,
  arnOf: (g) => g.DBParameterGroupArn,
  familyOf: (g) => g.DBParameterGroupFamily,
  valuesOf: (g) => g.Values,
  isDefault: (g) => g.IsDefault,
  users: (s, name) =>
    instances(s.store, s.accountId, s.region)
      .filter((i) => i.DBParameterGroupName.toLowerCase() === name)
      .map((i) => i.DBInstanceIdentifier),
};

function existing<R>(ops: GroupOps<R>, scope: Scope, given: string): R {
  const name = nameFrom(given, ops.kind === "cluster" ? "cluster-pg" : "pg", scope.accountId, scope.region);
  const group = name === undefined ? undefined : ops.find(scope, name);
  if (!group) throw groupNotFound(ops.kind, given);
  return group;
}

function create<R>(
  ops: GroupOps<R>,
  scope: Scope,
  request: { name: string; family: string; description: string; tags?: Tag[] },
): R {
  const name = checkGroupName(KIND[ops.kind].nameParameter, request.name);
  if (!isParameterGroupFamily(request.family)) {
    // *Decided* wording: RDS refuses an unknown family with InvalidParameterValue.
    throw CommonErrors.invalidParameterValue(
      `The parameter DBParameterGroupFamily is not a valid parameter group family: ${request.family}`,
    );
  }
  if (ops.find(scope, name))
    throw neptuneFault("DBParameterGroupAlreadyExistsFault", `Parameter group ${name} already exists`);
  if (ops.table(scope).size >= PARAMETER_GROUP_QUOTA) {
    throw neptuneFault(
      "DBParameterGroupQuotaExceededFault",
      "The request cannot be processed because it would exceed the maximum number of parameter groups.",
    );
  }
  if (request.tags) validateTags(request.tags);
  const group = ops.make(scope, name, request.family, request.description);
  ops.table(scope).put(name, group);
  if (request.tags?.length) setTags(scope.store, scope.accountId, scope.region, ops.arnOf(group), request.tags);
  return group;
}

function copy<R>(
  ops: GroupOps<R>,
  scope: Scope,
  request: { source: string; target: string; description: string; tags?: Tag[] },
): R {
  const source = existing(ops, scope, request.source);
  const group = create(ops, scope, {
    name: request.target,
    family: ops.familyOf(source),
    description: request.description,
    tags: request.tags,
  });
  Object.assign(ops.valuesOf(group), structuredClone(ops.valuesOf(source)));
  ops.table(scope).put(ops.nameOf(group), group);
  return group;
}

function modifiable<R>(ops: GroupOps<R>, scope: Scope, given: string): R {
  const group = existing(ops, scope, given);
  // Observed RDS answer for a default group: InvalidParameterValue "Cannot modify a default parameter group."
  if (ops.isDefault(group)) throw CommonErrors.invalidParameterValue("Cannot modify a default parameter group.");
  return group;
}

function modify<R>(ops: GroupOps<R>, scope: Scope, given: string, parameters: Parameter[]): string {
  const group = modifiable(ops, scope, given);
  const changes = checkedChanges(parameters, KIND[ops.kind].level);
  const values = ops.valuesOf(group);
  for (const change of changes) values[change.name] = change.value;
  ops.table(scope).put(ops.nameOf(group), group);
  recordParameterEvents(
    scope.store,
    scope.accountId,
    scope.region,
    scope.now,
    ops.nameOf(group),
    ops.arnOf(group),
    changes.map(
      (c) => `Updated parameter ${c.name} to ${c.value.ParameterValue} with apply method ${c.value.ApplyMethod}`,
    ),
  );
  return ops.nameOf(group);
}

function reset<R>(
  ops: GroupOps<R>,
  scope: Scope,
  given: string,
  request: { ResetAllParameters?: boolean; Parameters?: Parameter[] },
): string {
  const group = modifiable(ops, scope, given);
  const names = resetNames(request, KIND[ops.kind].level);
  const values = ops.valuesOf(group);
  const reset = names === "all" ? Object.keys(values) : names;
  for (const name of reset) delete values[name];
  ops.table(scope).put(ops.nameOf(group), group);
  recordParameterEvents(
    scope.store,
    scope.accountId,
    scope.region,
    scope.now,
    ops.nameOf(group),
    ops.arnOf(group),
    reset.map((name) => `Reset parameter ${name} to its default value`),
  );
  return ops.nameOf(group);
}

function remove<R>(ops: GroupOps<R>, scope: Scope, given: string): void {
  const group = existing(ops, scope, given);
  const name = ops.nameOf(group);
  // Observed: InvalidDBParameterGroupState "Default DBParameterGroup cannot be deleted: default.aurora-mysql5.7".
  if (ops.isDefault(group))
    throw neptuneFault(
      "InvalidDBParameterGroupStateFault",
      `Default ${KIND[ops.kind].noun} cannot be deleted: ${name}`,
    );
  const users = ops.users(scope, name);
  if (users.length > 0) {
    const members = ops.kind === "cluster" ? "database clusters" : "database instances";
    throw neptuneFault(
      "InvalidDBParameterGroupStateFault",
      `One or more ${members} are still members of this parameter group ${name}, so the group cannot be deleted`,
    );
  }
  ops.table(scope).delete(name);
  deleteAllTags(scope.store, scope.accountId, scope.region, ops.arnOf(group));
}

function describeGroups<R>(
  ops: GroupOps<R>,
  scope: Scope,
  request: { name?: string; Filters?: Filter[]; MaxRecords?: number; Marker?: string },
) {
  let groups: R[];
  if (request.name !== undefined) groups = [existing(ops, scope, request.name)];
  else
    groups = [...ops.defaults(scope), ...ops.table(scope).values()].sort((x, y) =>
      ops.nameOf(x).localeCompare(ops.nameOf(y)),
    );
  refuseFilters(request.Filters);
  return paginate(groups, request);
}

function describeParameters<R>(
  ops: GroupOps<R>,
  scope: Scope,
  request: { name: string; Source?: string; Filters?: Filter[]; MaxRecords?: number; Marker?: string },
) {
  const group = existing(ops, scope, request.name);
  if (request.Source !== undefined && !["engine-default", "system", "user"].includes(request.Source)) {
    throw CommonErrors.invalidParameterValue(
      `Invalid value ${request.Source} for Source. Must be one of engine-default, system, user`,
    );
  }
  refuseFilters(request.Filters);
  return paginate(parametersOf(ops.kind, ops.valuesOf(group), request.Source), request);
}

function engineDefaults(
  kind: GroupKind,
  request: { DBParameterGroupFamily: string; Filters?: Filter[]; MaxRecords?: number; Marker?: string },
) {
  if (!isParameterGroupFamily(request.DBParameterGroupFamily)) {
    throw CommonErrors.invalidParameterValue(
      `The parameter DBParameterGroupFamily is not a valid parameter group family: ${request.DBParameterGroupFamily}`,
    );
  }
  refuseFilters(request.Filters);
  const page = paginate(parametersOf(kind, {}, undefined), request);
  return {
    DBParameterGroupFamily: request.DBParameterGroupFamily,
    Parameters: page.items,
    ...(page.Marker ? { Marker: page.Marker } : {}),
  };
}

const withMarker = <T>(page: { items: T[]; Marker?: string }) => (page.Marker ? { Marker: page.Marker } : {});

// -------------------------------------------------------------------------------------- cluster parameter groups

export const clusterParameterGroups = {
  create: (
    scope: Scope,
    r: { DBClusterParameterGroupName: string; DBParameterGroupFamily: string; Description: string; Tags?: Tag[] },
  ) =>
    create(clusterOps, scope, {
      name: r.DBClusterParameterGroupName,
      family: r.DBParameterGroupFamily,
      description: r.Description,
      tags: r.Tags,
    }),
  copy: (
    scope: Scope,
    r: {
      SourceDBClusterParameterGroupIdentifier: string;
      TargetDBClusterParameterGroupIdentifier: string;
      TargetDBClusterParameterGroupDescription: string;
      Tags?: Tag[];
    },
  ) =>
    copy(clusterOps, scope, {
      source: r.SourceDBClusterParameterGroupIdentifier,
      target: r.TargetDBClusterParameterGroupIdentifier,
      description: r.TargetDBClusterParameterGroupDescription,
      tags: r.Tags,
    }),
  modify: (scope: Scope, name: string, parameters: Parameter[]) => modify(clusterOps, scope, name, parameters),
  reset: (scope: Scope, name: string, request: { ResetAllParameters?: boolean; Parameters?: Parameter[] }) =>
    reset(clusterOps, scope, name, request),
  delete: (scope: Scope, name: string) => remove(clusterOps, scope, name),
  describe: (
    scope: Scope,
    r: { DBClusterParameterGroupName?: string; Filters?: Filter[]; MaxRecords?: number; Marker?: string },
  ) => {
    const page = describeGroups(clusterOps, scope, { ...r, name: r.DBClusterParameterGroupName });
    return { DBClusterParameterGroups: page.items.map(clusterParameterGroupShape), ...withMarker(page) };
  },
  parameters: (
    scope: Scope,
    r: {
      DBClusterParameterGroupName: string;
      Source?: string;
      Filters?: Filter[];
      MaxRecords?: number;
      Marker?: string;
    },
  ) => {
    const page = describeParameters(clusterOps, scope, { ...r, name: r.DBClusterParameterGroupName });
    return { Parameters: page.items, ...withMarker(page) };
  },
  engineDefaults: (r: { DBParameterGroupFamily: string; Filters?: Filter[]; MaxRecords?: number; Marker?: string }) =>
    engineDefaults("cluster", r),
};

// -------------------------------------------------------------------------------------- DB parameter groups

export const parameterGroups = {
  create: (
    scope: Scope,
    r: { DBParameterGroupName: string; DBParameterGroupFamily: string; Description: string; Tags?: Tag[] },
  ) =>
    create(instanceOps, scope, {
      name: r.DBParameterGroupName,
      family: r.DBParameterGroupFamily,
      description: r.Description,
      tags: r.Tags,
    }),
  copy: (
    scope: Scope,
    r: {
      SourceDBParameterGroupIdentifier: string;
      TargetDBParameterGroupIdentifier: string;
      TargetDBParameterGroupDescription: string;
      Tags?: Tag[];
    },
  ) =>
    copy(instanceOps, scope, {
      source: r.SourceDBParameterGroupIdentifier,
      target: r.TargetDBParameterGroupIdentifier,
      description: r.TargetDBParameterGroupDescription,
      tags: r.Tags,
    }),
  modify: (scope: Scope, name: string, parameters: Parameter[]) => modify(instanceOps, scope, name, parameters),
  reset: (scope: Scope, name: string, request: { ResetAllParameters?: boolean; Parameters?: Parameter[] }) =>
    reset(instanceOps, scope, name, request),
  delete: (scope: Scope, name: string) => remove(instanceOps, scope, name),
  describe: (
    scope: Scope,
    r: { DBParameterGroupName?: string; Filters?: Filter[]; MaxRecords?: number; Marker?: string },
  ) => {
    const page = describeGroups(instanceOps, scope, { ...r, name: r.DBParameterGroupName });
    return { DBParameterGroups: page.items.map(parameterGroupShape), ...withMarker(page) };
  },
  parameters: (
    scope: Scope,
    r: { DBParameterGroupName: string; Source?: string; Filters?: Filter[]; MaxRecords?: number; Marker?: string },
  ) => {
    const page = describeParameters(instanceOps, scope, { ...r, name: r.DBParameterGroupName });
    return { Parameters: page.items, ...withMarker(page) };
  },
  engineDefaults: (r: { DBParameterGroupFamily: string; Filters?: Filter[]; MaxRecords?: number; Marker?: string }) =>
    engineDefaults("instance", r),
};

// ====================================================================================== subnet groups

export function subnetGroupNotFound(name: string) {
  // *Decided* wording after RDS's "DB subnet group 'x' does not exist." seen in client errors.
  return neptuneFault("DBSubnetGroupNotFoundFault", `DB subnet group '${name}' does not exist.`);
}

function existingSubnetGroup(scope: Scope, given: string): SubnetGroupRecord {
  const name = nameFrom(given, "subgrp", scope.accountId, scope.region);
  const group = name === undefined ? undefined : findSubnetGroup(scope.store, scope.accountId, scope.region, name);
  if (!group) throw subnetGroupNotFound(given);
  return group;
}

/**
 * The subnets of a subnet group, checked as RDS checks them: at least one, all known (only the default VPC's
 * subnets exist here), and covering at least two Availability Zones.
 */
function subnetsFor(scope: Scope, subnetIds: string[]): Subnet[] {
  if (subnetIds.length === 0) throw neptuneFault("InvalidSubnet", "Subnet IDs are required.");
  const known = defaultVpcSubnets(scope.accountId, scope.region);
  const unknown = subnetIds.filter((id) => !known.some((subnet) => subnet.SubnetIdentifier === id));
  if (unknown.length > 0)
    throw neptuneFault("InvalidSubnet", `Some input subnets in :[${unknown.join(", ")}] are invalid.`);
  const chosen = known.filter((subnet) => subnetIds.includes(subnet.SubnetIdentifier!));
  const zones = [...new Set(chosen.map((subnet) => subnet.SubnetAvailabilityZone!.Name!))];
  if (zones.length < 2) {
    throw neptuneFault(
      "DBSubnetGroupDoesNotCoverEnoughAZs",
      `The DB subnet group doesn't meet Availability Zone (AZ) coverage requirement. Current AZ coverage: ${zones.join(", ")}. Add subnets to cover at least 2 AZs.`,
    );
  }
  return chosen;
}

export const subnetGroups = {
  create: (
    scope: Scope,
    r: { DBSubnetGroupName: string; DBSubnetGroupDescription: string; SubnetIds: string[]; Tags?: Tag[] },
  ): SubnetGroupRecord => {
    const name = checkSubnetGroupName(r.DBSubnetGroupName);
    if (findSubnetGroup(scope.store, scope.accountId, scope.region, name)) {
      throw neptuneFault("DBSubnetGroupAlreadyExistsFault", `The DB subnet group '${name}' already exists.`);
    }
    const table = subnetGroupTable(scope.store, scope.accountId, scope.region);
    if (table.size >= SUBNET_GROUP_QUOTA) {
      throw neptuneFault(
        "DBSubnetGroupQuotaExceededFault",
        "The request cannot be processed because it would exceed the maximum number of DB subnet groups.",
      );
    }
    const Subnets = subnetsFor(scope, r.SubnetIds);
    if (r.Tags) validateTags(r.Tags);
    const group: SubnetGroupRecord = {
      DBSubnetGroupName: name,
      DBSubnetGroupDescription: r.DBSubnetGroupDescription,
      VpcId: defaultVpcId(scope.accountId, scope.region),
      SubnetGroupStatus: "Complete",
      Subnets,
      DBSubnetGroupArn: arn(scope.region, scope.accountId, "subgrp", name),
      IsDefault: false,
    };
    table.put(name, group);
    if (r.Tags?.length) setTags(scope.store, scope.accountId, scope.region, group.DBSubnetGroupArn, r.Tags);
    return group;
  },

  modify: (
    scope: Scope,
    r: { DBSubnetGroupName: string; DBSubnetGroupDescription?: string; SubnetIds: string[] },
  ): SubnetGroupRecord => {
    const group = existingSubnetGroup(scope, r.DBSubnetGroupName);
    // *Decided*: the implicit default group is AWS-managed here and can't be changed.
    if (group.IsDefault) throw CommonErrors.invalidParameterValue("Cannot modify the default DB subnet group.");
    const updated: SubnetGroupRecord = {
      ...group,
      Subnets: subnetsFor(scope, r.SubnetIds),
      DBSubnetGroupDescription: r.DBSubnetGroupDescription ?? group.DBSubnetGroupDescription,
    };
    subnetGroupTable(scope.store, scope.accountId, scope.region).put(updated.DBSubnetGroupName, updated);
    return updated;
  },

  delete: (scope: Scope, given: string): void => {
    const group = existingSubnetGroup(scope, given);
    const name = group.DBSubnetGroupName;
    if (group.IsDefault)
      throw neptuneFault("InvalidDBSubnetGroupStateFault", "Cannot delete the default DB subnet group.");
    // Observed RDS wording: "Cannot delete the subnet group 'x' because at least one database instance: y is still
    // using it." Neptune instances live in their cluster's subnet group, so the cluster is named.
    const cluster = clusters(scope.store, scope.accountId, scope.region).find(
      (c) => c.DBSubnetGroup.toLowerCase() === name,
    );
    if (cluster) {
      throw neptuneFault(
        "InvalidDBSubnetGroupStateFault",
        `Cannot delete the subnet group '${name}' because at least one database cluster: ${cluster.DBClusterIdentifier} is still using it.`,
      );
    }
    subnetGroupTable(scope.store, scope.accountId, scope.region).delete(name);
    deleteAllTags(scope.store, scope.accountId, scope.region, group.DBSubnetGroupArn);
  },

  describe: (
    scope: Scope,
    r: { DBSubnetGroupName?: string; Filters?: Filter[]; MaxRecords?: number; Marker?: string },
  ) => {
    const groups =
      r.DBSubnetGroupName !== undefined
        ? [existingSubnetGroup(scope, r.DBSubnetGroupName)]
        : [
            defaultSubnetGroup(scope.accountId, scope.region),
            ...subnetGroupTable(scope.store, scope.accountId, scope.region).values(),
          ].sort((x, y) => x.DBSubnetGroupName.localeCompare(y.DBSubnetGroupName));
    refuseFilters(r.Filters);
    const page = paginate(groups, r);
    return { DBSubnetGroups: page.items.map(subnetGroupShape), ...withMarker(page) };
  },
};
