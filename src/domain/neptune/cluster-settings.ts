import type { CreateDBClusterMessage } from "../../generated/neptune.js";
import { CommonErrors } from "../../protocol/errors.js";
import { neptuneFault } from "../../services/neptune/errors.js";
import {
  compareVersions,
  DEFAULT_ENGINE_VERSION,
  ENGINE,
  EXPORTABLE_LOG_TYPES,
  familyOfEngineVersion,
} from "./catalogue.js";
import { defaultSecurityGroupId } from "./default-vpc.js";
import { validIdentifier } from "./identifiers.js";
import { defaultWindows, validWindows, type NeptuneScope } from "./lifecycle.js";
import { clusterParameterGroupFor } from "./parameter-groups.js";
import { clusterTable } from "./records.js";
import { subnetGroupFor, type SubnetGroupRecord } from "./subnet-groups.js";

/**
 * A cluster's settings, checked as Neptune checks them (API reference, CreateDBCluster and ModifyDBCluster;
 * reference §4.1): the single checks create, modify and restore share, and a new cluster's whole settings with
 * AWS's defaults.
 */

/** "Must be a value from 1 to 35" (API reference). *Decided* wording: AWS's exact text is not public. */
export function checkBackupRetention(days: number): void {
  if (!Number.isInteger(days) || days < 1 || days > 35) {
    throw CommonErrors.invalidParameterValue(`Invalid backup retention period: ${days}. Must be a value from 1 to 35.`);
  }
}

/** RDS answers an unknown version "Cannot find version <v> for <engine>" (InvalidParameterCombination). */
export function checkEngineVersion(version: string): string {
  const family = familyOfEngineVersion(version);
  if (!family) throw CommonErrors.invalidParameterCombination(`Cannot find version ${version} for ${ENGINE}`);
  return family;
}

/**
 * Neptune exports `audit` and `slowquery` logs (API reference, EnableCloudwatchLogsExports). Others get RDS's
 * observed text "You cannot use the log types 'x' with engine version <engine> <version>. For supported log types,
 * see the documentation." (*decided* code: InvalidParameterCombination).
 */
export function checkLogTypes(types: string[], version: string): void {
  const unsupported = types.filter((t) => !EXPORTABLE_LOG_TYPES.includes(t));
  if (unsupported.length > 0) {
    throw CommonErrors.invalidParameterCombination(
      `You cannot use the log types ${unsupported.map((t) => `'${t}'`).join(", ")} with engine version ${ENGINE} ${version}. For supported log types, see the documentation.`,
    );
  }
}

/** StorageType: `standard` (default) or `iopt1`, the latter "only available starting with engine release 1.3.0.0". */
export function checkStorageType(storageType: string, version: string): void {
  if (storageType !== "standard" && storageType !== "iopt1") {
    throw CommonErrors.invalidParameterValue(
      `Invalid storage type: ${storageType}. Valid values are: standard, iopt1.`,
    );
  }
  if (storageType === "iopt1" && compareVersions(version, "1.3.0.0") < 0) {
    throw neptuneFault(
      "StorageTypeNotSupportedFault",
      `Storage type iopt1 is not supported for engine version ${version}.`,
    );
  }
}

/** The cluster's Availability Zones: the ones asked for, else three of its subnet group's (as Neptune picks). */
function zonesFor(requested: string[] | undefined, group: SubnetGroupRecord): string[] {
  const offered = [
    ...new Set(group.Subnets.map((s) => s.SubnetAvailabilityZone?.Name).filter((z): z is string => !!z)),
  ].sort();
  if (!requested?.length) return offered.slice(0, 3);
  for (const zone of requested) {
    if (!offered.includes(zone)) {
      // *Decided* wording for a zone the subnet group does not cover.
      throw CommonErrors.invalidParameterValue(
        `Availability Zone ${zone} is not covered by DB subnet group ${group.DBSubnetGroupName}.`,
      );
    }
  }
  return [...new Set(requested)];
}

/** What a new cluster (created, or restored from a snapshot) is made of, checked. */
export interface ClusterSettings {
  DBClusterIdentifier: string;
  EngineVersion: string;
  Port: number;
  DBClusterParameterGroup: string;
  subnetGroup: SubnetGroupRecord;
  AvailabilityZones: string[];
  VpcSecurityGroupIds: string[];
  BackupRetentionPeriod: number;
  PreferredBackupWindow: string;
  PreferredMaintenanceWindow: string;
  DeletionProtection: boolean;
  CopyTagsToSnapshot: boolean;
  IAMDatabaseAuthenticationEnabled: boolean;
  EnabledCloudwatchLogsExports: string[];
  StorageType: string;
  ServerlessV2ScalingConfiguration?: { MinCapacity?: number; MaxCapacity?: number };
}

/** Refuses a cluster identifier already in use: "DB Cluster already exists" (observed, reference §4.1). */
export function checkClusterIdFree(scope: NeptuneScope, id: string): void {
  if (clusterTable(scope.store, scope.accountId, scope.region).has(id))
    throw neptuneFault("DBClusterAlreadyExistsFault", "DB Cluster already exists");
}

/**
 * The checked settings of a CreateDBCluster (or RestoreDBClusterFromSnapshot) request, with AWS's defaults:
 * port 8182, the engine's default version and its family's default parameter group, the `default` subnet group
 * and the default VPC security group, one day of backups in default windows, deletion protection off (the
 * operation's own documentation: "disabled by default" through the API; reference §4.1), standard storage.
 */
export function clusterSettings(
  scope: NeptuneScope,
  request: Pick<
    CreateDBClusterMessage,
    | "DBClusterIdentifier"
    | "EngineVersion"
    | "Port"
    | "DBClusterParameterGroupName"
    | "DBSubnetGroupName"
    | "AvailabilityZones"
    | "VpcSecurityGroupIds"
    | "BackupRetentionPeriod"
    | "PreferredBackupWindow"
    | "PreferredMaintenanceWindow"
    | "DeletionProtection"
    | "CopyTagsToSnapshot"
    | "EnableIAMDatabaseAuthentication"
    | "EnableCloudwatchLogsExports"
    | "StorageType"
    | "ServerlessV2ScalingConfiguration"
  >,
): ClusterSettings {
  const id = validIdentifier(request.DBClusterIdentifier, "DBClusterIdentifier");
  const version = request.EngineVersion ?? DEFAULT_ENGINE_VERSION;
  const family = checkEngineVersion(version);
  const BackupRetentionPeriod = request.BackupRetentionPeriod ?? 1;
  checkBackupRetention(BackupRetentionPeriod);
  const defaults = defaultWindows(scope.region, `${scope.accountId}/${id}`);
  const windows = validWindows(
    request.PreferredBackupWindow ?? defaults.PreferredBackupWindow,
    request.PreferredMaintenanceWindow ?? defaults.PreferredMaintenanceWindow,
  );
  const logs = [...new Set(request.EnableCloudwatchLogsExports ?? [])];
  checkLogTypes(logs, version);
  const StorageType = request.StorageType ?? "standard";
  checkStorageType(StorageType, version);
  checkClusterIdFree(scope, id);
  const DBClusterParameterGroup = clusterParameterGroupFor(scope, request.DBClusterParameterGroupName, family);
  const subnetGroup = subnetGroupFor(scope, request.DBSubnetGroupName);
  return {
    DBClusterIdentifier: id,
    EngineVersion: version,
    Port: request.Port ?? 8182,
    DBClusterParameterGroup,
    subnetGroup,
    AvailabilityZones: zonesFor(request.AvailabilityZones, subnetGroup),
    VpcSecurityGroupIds: request.VpcSecurityGroupIds?.length
      ? [...new Set(request.VpcSecurityGroupIds)]
      : [defaultSecurityGroupId(scope.accountId, scope.region)],
    BackupRetentionPeriod,
    ...windows,
    DeletionProtection: request.DeletionProtection ?? false,
    CopyTagsToSnapshot: request.CopyTagsToSnapshot ?? false,
    IAMDatabaseAuthenticationEnabled: request.EnableIAMDatabaseAuthentication ?? false,
    EnabledCloudwatchLogsExports: logs,
    StorageType,
    ...(request.ServerlessV2ScalingConfiguration
      ? { ServerlessV2ScalingConfiguration: { ...request.ServerlessV2ScalingConfiguration } }
      : {}),
  };
}
