import type {
  AvailabilityZone,
  DBEngineVersion,
  DescribeDBEngineVersionsMessage,
  DescribeOrderableDBInstanceOptionsMessage,
  OrderableDBInstanceOption,
  Parameter,
  UpgradeTarget,
  ValidDBInstanceModificationsMessage,
} from "../../generated/neptune.js";
import { CommonErrors } from "../../protocol/errors.js";
import { applyFilters, listPage, refuseFilters } from "./listing.js";
import { findInstance } from "./lookups.js";
import type { Place } from "./records.js";

/**
 * What Neptune offers, the same in every account: engine versions and their parameter group families, instance
 * classes, the parameters of each family, a region's Availability Zones. Static data and lookups only; the
 * describe calls over it are at the end.
 */

export const ENGINE = "neptune";

// ------------------------------------------------------------------------------------ engine versions

/** Real Neptune releases (Neptune release notes), a few per family. */
const VERSIONS: { EngineVersion: string; DBParameterGroupFamily: string }[] = [
  { EngineVersion: "1.2.1.0", DBParameterGroupFamily: "neptune1.2" },
  { EngineVersion: "1.2.1.1", DBParameterGroupFamily: "neptune1.2" },
  { EngineVersion: "1.2.1.2", DBParameterGroupFamily: "neptune1.2" },
  { EngineVersion: "1.3.2.1", DBParameterGroupFamily: "neptune1.3" },
  { EngineVersion: "1.3.3.0", DBParameterGroupFamily: "neptune1.3" },
  { EngineVersion: "1.3.4.0", DBParameterGroupFamily: "neptune1.3" },
  { EngineVersion: "1.4.1.0", DBParameterGroupFamily: "neptune1.4" },
  { EngineVersion: "1.4.3.0", DBParameterGroupFamily: "neptune1.4" },
  { EngineVersion: "1.4.4.0", DBParameterGroupFamily: "neptune1.4" },
];

/** *Decided*: the newest release is the default (AWS moves its default over time; no fixed public value). */
export const DEFAULT_ENGINE_VERSION = "1.4.4.0";

export const PARAMETER_GROUP_FAMILIES = [...new Set(VERSIONS.map((v) => v.DBParameterGroupFamily))];

/** The family's default groups (cluster and instance) share this name, e.g. `default.neptune1.3`. */
export function defaultParameterGroupName(family: string): string {
  return `default.${family}`;
}

/** The parameter group family of an engine version, or undefined for a version Trident does not offer. */
export function familyOfEngineVersion(version: string): string | undefined {
  return VERSIONS.find((v) => v.EngineVersion === version)?.DBParameterGroupFamily;
}

export function isParameterGroupFamily(family: string): boolean {
  return PARAMETER_GROUP_FAMILIES.includes(family);
}

/** Neptune's log exports (CloudWatch Logs): the audit log and, from 1.2, the slow-query log. */
export const EXPORTABLE_LOG_TYPES = ["audit", "slowquery"];

/** Neptune's major versions are the first two numbers: 1.3 → 1.4 is a major version upgrade. */
export const majorVersionOf = (version: string) => version.split(".").slice(0, 2).join(".");

/** Release order: negative when `a` is older than `b`. */
export function compareVersions(a: string, b: string): number {
  const x = a.split(".").map(Number);
  const y = b.split(".").map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The release after `version` in the catalogue (what a pending `db-upgrade` offers), or undefined for the newest. */
export function nextEngineVersion(version: string): string | undefined {
  const index = VERSIONS.findIndex((v) => v.EngineVersion === version);
  return index < 0 ? undefined : VERSIONS[index + 1]?.EngineVersion;
}

/** Later releases, each marked as a major version upgrade or not. */
function upgradeTargets(version: string): UpgradeTarget[] {
  const index = VERSIONS.findIndex((v) => v.EngineVersion === version);
  return VERSIONS.slice(index + 1).map((target) => ({
    Engine: ENGINE,
    EngineVersion: target.EngineVersion,
    Description: `Neptune version ${target.EngineVersion}`,
    AutoUpgrade: false,
    IsMajorVersionUpgrade: majorVersionOf(target.EngineVersion) !== majorVersionOf(version),
    SupportsGlobalDatabases: true,
  }));
}

function engineVersionOf(v: (typeof VERSIONS)[number]): DBEngineVersion {
  return {
    Engine: ENGINE,
    EngineVersion: v.EngineVersion,
    DBParameterGroupFamily: v.DBParameterGroupFamily,
    DBEngineDescription: "Amazon Neptune",
    DBEngineVersionDescription: `Neptune version ${v.EngineVersion}`,
    ValidUpgradeTarget: upgradeTargets(v.EngineVersion),
    ExportableLogTypes: [...EXPORTABLE_LOG_TYPES],
    SupportsLogExportsToCloudwatchLogs: true,
    SupportsReadReplica: false,
    SupportsGlobalDatabases: true,
  };
}

// ------------------------------------------------------------------------------------ engine name

/**
 * The endpoint is shared with RDS and DocumentDB on the wire, but Trident serves only Neptune: any other engine
 * is refused the way RDS refuses an engine it does not know (`Unrecognized engine name: …`, observed in RDS
 * answers to DescribeDBInstances/DescribeDBEngineVersions filters).
 */
export function checkEngineName(engine: string): void {
  if (engine.toLowerCase() !== ENGINE) throw CommonErrors.invalidParameterValue(`Unrecognized engine name: ${engine}`);
}

// ------------------------------------------------------------------------------------ instance classes

interface InstanceClass {
  DBInstanceClass: string;
  SupportsGlobalDatabases: boolean;
}

const sizes = (family: string, list: string[], global = true): InstanceClass[] =>
  list.map((size) => ({ DBInstanceClass: `db.${family}.${size}`, SupportsGlobalDatabases: global }));

/** The classes Neptune sells (Neptune pricing / instance types page). */
const INSTANCE_CLASSES: InstanceClass[] = [
  ...sizes("r5", ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"]),
  ...sizes("r5d", ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"]),
  ...sizes("r6g", ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"]),
  ...sizes("r6i", ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "32xlarge"]),
  ...sizes("x2g", ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"]),
  ...sizes("t3", ["medium"], false),
  ...sizes("t4g", ["medium"], false),
  { DBInstanceClass: "db.serverless", SupportsGlobalDatabases: false },
];

export function isInstanceClass(name: string): boolean {
  return INSTANCE_CLASSES.some((c) => c.DBInstanceClass === name);
}

/**
 * Whether a member of a global database may run the class: "A global database requires r5 or r6g DB instance
 * classes that are optimized for memory-intensive workloads" (Neptune User Guide, neptune-gdb-setup); the table's
 * SupportsGlobalDatabases extends that to the later memory-optimized families, not the burstable ones nor serverless.
 */
export function supportsGlobalDatabases(name: string): boolean {
  return INSTANCE_CLASSES.some((c) => c.DBInstanceClass === name && c.SupportsGlobalDatabases);
}

// ------------------------------------------------------------------------------------ CA certificates

/**
 * The certificate authorities an instance's TLS certificate may be signed by (RDS/Neptune "Using SSL/TLS":
 * rds-ca-rsa2048-g1 is the default; rds-ca-2019 expired in August 2024 and is no longer offered).
 */
export const CA_CERTIFICATES = ["rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1", "rds-ca-ecc384-g1"] as const;
export const DEFAULT_CA_CERTIFICATE = CA_CERTIFICATES[0];

export const isCaCertificate = (id: string): boolean => (CA_CERTIFICATES as readonly string[]).includes(id);

// ------------------------------------------------------------------------------------ regions

/**
 * A region's Availability Zones. us-east-1 has six; Trident gives every other region three (a, b, c), enough for
 * Neptune's multi-AZ placement and the two-AZ subnet group rule.
 */
export function availabilityZones(region: string): string[] {
  const letters = region === "us-east-1" ? ["a", "b", "c", "d", "e", "f"] : ["a", "b", "c"];
  return letters.map((letter) => `${region}${letter}`);
}

// ------------------------------------------------------------------------------------ parameters

/** A parameter as the engine defines it; `Value` is the engine default ("" when unset). */
export interface ParameterDefinition {
  ParameterName: string;
  Value: string;
  Description: string;
  ApplyType: "static" | "dynamic";
  DataType: "string" | "integer" | "boolean";
  /** As AWS writes it: "0,1", "10-2147483647", "disabled,info,debug"; absent for free text. */
  AllowedValues?: string;
  IsModifiable: boolean;
  MinimumEngineVersion?: string;
}

/** Parameters that exist at both levels: an instance's value overrides its cluster's. */
const QUERY_TIMEOUT: ParameterDefinition = {
  ParameterName: "neptune_query_timeout",
  Value: "120000",
  Description: "Graph query timeout (ms)",
  ApplyType: "dynamic",
  DataType: "integer",
  AllowedValues: "10-2147483647",
  IsModifiable: true,
};
const RESULT_CACHE: ParameterDefinition = {
  ParameterName: "neptune_result_cache",
  Value: "0",
  Description: "Enable the query results cache",
  ApplyType: "static",
  DataType: "boolean",
  AllowedValues: "0,1",
  IsModifiable: true,
};

/** Cluster-level parameters (Neptune User Guide, "Amazon Neptune parameters"). */
const CLUSTER_PARAMETERS: ParameterDefinition[] = [
  {
    ParameterName: "neptune_autoscaling_config",
    Value: "",
    Description: "Auto Scaling configuration for read replicas",
    ApplyType: "dynamic",
    DataType: "string",
    IsModifiable: true,
  },
  {
    ParameterName: "neptune_enable_audit_log",
    Value: "0",
    Description: "Enable audit logs",
    ApplyType: "static",
    DataType: "boolean",
    AllowedValues: "0,1",
    IsModifiable: true,
  },
  {
    ParameterName: "neptune_enable_inline_server_generated_edge_id",
    Value: "0",
    Description: "Enable inline server-generated edge IDs",
    ApplyType: "static",
    DataType: "boolean",
    AllowedValues: "0,1",
    IsModifiable: true,
    MinimumEngineVersion: "1.3.0.0",
  },
  {
    ParameterName: "neptune_enable_slow_query_log",
    Value: "disabled",
    Description: "Enable the slow-query log",
    ApplyType: "dynamic",
    DataType: "string",
    AllowedValues: "disabled,info,debug",
    IsModifiable: true,
  },
  {
    ParameterName: "neptune_enforce_ssl",
    Value: "1",
    Description: "Require SSL for all connections (always on since 1.0.4.0)",
    ApplyType: "static",
    DataType: "boolean",
    AllowedValues: "1",
    IsModifiable: false,
  },
  {
    ParameterName: "neptune_lab_mode",
    Value: "",
    Description: "Enable or disable Neptune lab mode features",
    ApplyType: "static",
    DataType: "string",
    IsModifiable: true,
  },
  {
    ParameterName: "neptune_lookup_cache",
    Value: "1",
    Description: "Enable the lookup cache on R5d instances",
    ApplyType: "static",
    DataType: "boolean",
    AllowedValues: "0,1",
    IsModifiable: true,
  },
  {
    ParameterName: "neptune_ml_endpoint",
    Value: "",
    Description: "The Neptune ML SageMaker endpoint",
    ApplyType: "dynamic",
    DataType: "string",
    IsModifiable: true,
  },
  {
    ParameterName: "neptune_ml_iam_role",
    Value: "",
    Description: "The IAM role Neptune ML uses",
    ApplyType: "dynamic",
    DataType: "string",
    IsModifiable: true,
  },
  QUERY_TIMEOUT,
  { ...RESULT_CACHE, Description: "Enable the query results cache on all instances" },
  {
    ParameterName: "neptune_slow_query_log_threshold",
    Value: "5000",
    Description: "Slow-query log threshold (ms)",
    ApplyType: "dynamic",
    DataType: "integer",
    AllowedValues: "1-2147483647",
    IsModifiable: true,
  },
  {
    ParameterName: "neptune_streams",
    Value: "0",
    Description: "Enable Neptune Streams",
    ApplyType: "static",
    DataType: "boolean",
    AllowedValues: "0,1",
    IsModifiable: true,
  },
  {
    ParameterName: "neptune_streams_expiry_days",
    Value: "7",
    Description: "Number of days stream records are kept",
    ApplyType: "static",
    DataType: "integer",
    AllowedValues: "1-90",
    IsModifiable: true,
  },
];

/** Instance-level parameters (DB parameter groups). */
const INSTANCE_PARAMETERS: ParameterDefinition[] = [
  {
    ParameterName: "neptune_dfe_query_engine",
    Value: "viaQueryHint",
    Description: "Use the DFE query engine",
    ApplyType: "static",
    DataType: "string",
    AllowedValues: "enabled,viaQueryHint",
    IsModifiable: true,
  },
  QUERY_TIMEOUT,
  RESULT_CACHE,
];

export type ParameterLevel = "cluster" | "instance";

/** The family's parameters at one level, by name. Every supported family has the same set. */
export function parameterDefinitions(level: ParameterLevel): ParameterDefinition[] {
  return level === "cluster" ? CLUSTER_PARAMETERS : INSTANCE_PARAMETERS;
}

/** A definition with its current value as the API shows it. `Source` is `engine-default` or `user`. */
export function parameterOf(
  definition: ParameterDefinition,
  value: { ParameterValue: string; ApplyMethod?: string } | undefined,
): Parameter {
  const current = value?.ParameterValue ?? definition.Value;
  return {
    ParameterName: definition.ParameterName,
    ...(current !== "" ? { ParameterValue: current } : {}),
    Description: definition.Description,
    Source: value ? "user" : "engine-default",
    ApplyType: definition.ApplyType,
    DataType: definition.DataType,
    ...(definition.AllowedValues !== undefined ? { AllowedValues: definition.AllowedValues } : {}),
    IsModifiable: definition.IsModifiable,
    ...(definition.MinimumEngineVersion ? { MinimumEngineVersion: definition.MinimumEngineVersion } : {}),
    ApplyMethod: value?.ApplyMethod === "immediate" ? "immediate" : "pending-reboot",
  };
}

// ------------------------------------------------------------------------------------ describe calls

export function describeEngineVersions(request: DescribeDBEngineVersionsMessage): {
  DBEngineVersions: DBEngineVersion[];
  Marker?: string;
} {
  if (request.Engine !== undefined) checkEngineName(request.Engine);
  let versions = VERSIONS.filter(
    (v) =>
      (request.EngineVersion === undefined || v.EngineVersion === request.EngineVersion) &&
      (request.DBParameterGroupFamily === undefined || v.DBParameterGroupFamily === request.DBParameterGroupFamily),
  );
  versions = applyFilters(versions, request.Filters, {
    engine: () => [ENGINE],
    "engine-version": (v) => [v.EngineVersion],
    "db-parameter-group-family": (v) => [v.DBParameterGroupFamily],
    status: () => ["available"],
  });
  // DefaultOnly: the engine's default version only (of those that passed the other criteria).
  if (request.DefaultOnly) versions = versions.filter((v) => v.EngineVersion === DEFAULT_ENGINE_VERSION);
  return listPage("DBEngineVersions", versions, request, engineVersionOf);
}

export function describeOrderableInstanceOptions(
  request: DescribeOrderableDBInstanceOptionsMessage,
  region: string,
): { OrderableDBInstanceOptions: OrderableDBInstanceOption[]; Marker?: string } {
  checkEngineName(request.Engine);
  const zones: AvailabilityZone[] = availabilityZones(region).map((Name) => ({ Name }));
  const options: OrderableDBInstanceOption[] = [];
  // Neptune is VPC-only and sold under one license model; asking for anything else matches nothing.
  const offered =
    request.Vpc !== false && (request.LicenseModel === undefined || request.LicenseModel === "amazon-license");
  for (const version of offered ? VERSIONS : []) {
    if (request.EngineVersion !== undefined && version.EngineVersion !== request.EngineVersion) continue;
    for (const cls of INSTANCE_CLASSES) {
      if (request.DBInstanceClass !== undefined && cls.DBInstanceClass !== request.DBInstanceClass) continue;
      options.push({
        Engine: ENGINE,
        EngineVersion: version.EngineVersion,
        DBInstanceClass: cls.DBInstanceClass,
        LicenseModel: "amazon-license",
        AvailabilityZones: zones,
        MultiAZCapable: true,
        ReadReplicaCapable: false,
        Vpc: true,
        SupportsStorageEncryption: true,
        StorageType: "aurora",
        SupportsIops: false,
        SupportsEnhancedMonitoring: false,
        SupportsIAMDatabaseAuthentication: true,
        SupportsPerformanceInsights: false,
        SupportsGlobalDatabases: cls.SupportsGlobalDatabases,
      });
    }
  }
  refuseFilters(request.Filters);
  return listPage("OrderableDBInstanceOptions", options, request, (option) => option);
}

// ------------------------------------------------------------------------------------ valid modifications

/**
 * DescribeValidDBInstanceModifications: what an existing instance of the caller's may be changed to. Neptune
 * storage is the cluster volume, not the instance's, so no storage option applies (an empty `Storage` list, as
 * for Aurora-style instances). The instance is named by identifier or ARN, in the caller's account only.
 */
export function validInstanceModifications(place: Place, given: string): ValidDBInstanceModificationsMessage {
  findInstance(place, given);
  return { Storage: [] };
}
