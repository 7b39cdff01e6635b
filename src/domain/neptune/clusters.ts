import { createHash } from "node:crypto";
import { randomId } from "../../auth/ids.js";
import type {
  CloudwatchLogsExportConfiguration,
  CreateDBClusterMessage,
  DBCluster,
  DeleteDBClusterMessage,
  DescribeDBClustersMessage,
  FailoverDBClusterMessage,
  ModifyDBClusterMessage,
  Tag,
} from "../../generated/neptune.js";
import { AwsError, CommonErrors } from "../../protocol/errors.js";
import { neptuneFault } from "../../services/neptune/errors.js";
import { KeyAccessError } from "../kms/service-access.js";
import { clusterArn, ownIdentifier } from "./arn.js";
import { deleteAutomatedSnapshots, snapshotOfCluster, storeSnapshot } from "./backups.js";
import {
  applyFilters,
  checkEngineName,
  DEFAULT_ENGINE_VERSION,
  defaultParameterGroupName,
  ENGINE,
  EXPORTABLE_LOG_TYPES,
  familyOfEngineVersion,
  paginate,
} from "./catalogue.js";
import {
  DEFAULT_SUBNET_GROUP_NAME,
  defaultSecurityGroupId,
  findClusterParameterGroup,
  findParameterGroup,
  findSubnetGroup,
  type SubnetGroupRecord,
} from "./groups.js";
import { validIdentifier } from "./identifiers.js";
import {
  announce,
  clusterAvailableAt,
  clusterSource,
  clusterStatus,
  DAY_MS,
  defaultWindows,
  renameCluster,
  validWindows,
  type ClusterStatus,
  type NeptuneScope,
} from "./lifecycle.js";
import {
  clusterSnapshotTable,
  clusterTable,
  instanceTable,
  saveCluster,
  saveInstance,
  type ClusterRecord,
  type InstanceRecord,
} from "./records.js";
import { setTags, validateTags } from "./tags.js";

/**
 * Neptune DB clusters: create, describe, modify, delete, stop/start, fail over, IAM roles; and how a cluster is
 * shown (DBCluster). Rules cite the Neptune API reference (the model's documentation), reference §4 and §5.
 * Status is never stored: lifecycle.ts derives it. A cluster lives in its owner's (account, region) and is never
 * reachable from another account: another account's ARN is simply not found.
 */

// ---------------------------------------------------------------------------------------------- lookups

/** Observed: "DBCluster <id> not found." (DBClusterNotFoundFault, 404; reference §5), echoing the value as given. */
export function clusterNotFound(given: string): AwsError {
  return neptuneFault("DBClusterNotFoundFault", `DBCluster ${given} not found.`);
}

/** The caller's cluster named by identifier (any case) or ARN, or DBClusterNotFoundFault. */
export function findCluster(scope: NeptuneScope, given: string): ClusterRecord {
  const id = ownIdentifier(given, "cluster", scope, "DBClusterIdentifier");
  const cluster = id === undefined ? undefined : clusterTable(scope.store, scope.accountId, scope.region).get(id);
  if (!cluster) throw clusterNotFound(given);
  return cluster;
}

/** The cluster's members, in identifier order. */
export function membersOf(scope: NeptuneScope, clusterId: string): InstanceRecord[] {
  return instanceTable(scope.store, scope.accountId, scope.region)
    .values()
    .filter((i) => i.DBClusterIdentifier === clusterId)
    .sort((x, y) => x.DBInstanceIdentifier.localeCompare(y.DBInstanceIdentifier));
}

/**
 * AWS's wording for an operation refused in the cluster's current status, observed for Stop and StartDBCluster:
 * "DbCluster <id> is in stopping state but expected it to be one of available." (*decided*: the same text for the
 * other operations that need an available cluster).
 */
export function wrongClusterState(cluster: ClusterRecord, status: string, expected: string[]): AwsError {
  return neptuneFault(
    "InvalidDBClusterStateFault",
    `DbCluster ${cluster.DBClusterIdentifier} is in ${status} state but expected it to be one of ${expected.join(", ")}.`,
  );
}

/**
 * Whether the cluster can take an operation that needs it available. *Decided*: `backing-up` counts as available
 * (the cluster serves and can be changed while an automated backup runs).
 */
export function isUsable(status: ClusterStatus): boolean {
  return status === "available" || status === "backing-up";
}

export function requireUsable(scope: NeptuneScope, cluster: ClusterRecord): void {
  const status = clusterStatus(scope, cluster);
  if (!isUsable(status)) throw wrongClusterState(cluster, status, ["available"]);
}

// ---------------------------------------------------------------------------------------------- how a cluster is shown

const endpointLabels = new Map<string, string>();

/**
 * Per (account, region), like AWS's `cluster-<hash>` DNS label shared by all clusters of an account in a region.
 * Memoized: it is a pure function of its arguments, and describing many clusters would hash it for each.
 */
export function endpointLabel(accountId: string, region: string): string {
  const key = `${accountId}/${region}`;
  let label = endpointLabels.get(key);
  if (label === undefined) {
    const digest = createHash("sha256").update(key).digest();
    const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    label = Array.from(digest.subarray(0, 12), (byte) => alphabet[byte % alphabet.length]).join("");
    endpointLabels.set(key, label);
  }
  return label;
}

/** Route 53 hosted zones of RDS endpoints in a few regions; *decided*: a stable made-up zone elsewhere. */
const HOSTED_ZONES: Record<string, string> = {
  "us-east-1": "Z2R2ITUGPM61AM",
  "us-east-2": "Z2XHWR1WZ565X2",
  "us-west-1": "Z10WI91S59XXQN",
  "us-west-2": "Z1PVIF0B656C1W",
  "eu-west-1": "Z29XKXDKYMONMX",
  "eu-central-1": "Z1RLNUO7B9Q6NB",
};

export function hostedZoneId(region: string): string {
  return HOSTED_ZONES[region] ?? `Z${createHash("sha256").update(region).digest("hex").slice(0, 13).toUpperCase()}`;
}

/** `<id>.cluster-<label>.<region>.neptune.amazonaws.com` and the reader's `cluster-ro-` twin (reference §2.2). */
function clusterEndpoints(scope: NeptuneScope, id: string): { Endpoint: string; ReaderEndpoint: string } {
  const label = endpointLabel(scope.accountId, scope.region);
  return {
    Endpoint: `${id}.cluster-${label}.${scope.region}.neptune.amazonaws.com`,
    ReaderEndpoint: `${id}.cluster-ro-${label}.${scope.region}.neptune.amazonaws.com`,
  };
}

/** The cluster as DescribeDBClusters shows it now. */
export function clusterView(
  scope: NeptuneScope,
  cluster: ClusterRecord,
  members = membersOf(scope, cluster.DBClusterIdentifier),
): DBCluster {
  const status = clusterStatus(scope, cluster);
  const availableAt = clusterAvailableAt(cluster, scope.delays);
  const restorable = status !== "creating" && scope.now >= availableAt;
  const pending = cluster.pending?.identifier
    ? { PendingModifiedValues: { DBClusterIdentifier: cluster.pending.identifier } }
    : {};
  return {
    AllocatedStorage: 1,
    AvailabilityZones: [...cluster.AvailabilityZones],
    BackupRetentionPeriod: cluster.BackupRetentionPeriod,
    DBClusterIdentifier: cluster.DBClusterIdentifier,
    DBClusterParameterGroup: cluster.DBClusterParameterGroup,
    DBSubnetGroup: cluster.DBSubnetGroup,
    Status: status,
    ...(restorable
      ? {
          EarliestRestorableTime: new Date(Math.max(availableAt, scope.now - cluster.BackupRetentionPeriod * DAY_MS)),
          LatestRestorableTime: new Date(scope.now),
        }
      : {}),
    ...clusterEndpoints(scope, cluster.DBClusterIdentifier),
    // MultiAZ: true once the cluster has a reader in another Availability Zone than its writer.
    MultiAZ: new Set(members.map((m) => m.AvailabilityZone)).size > 1,
    Engine: cluster.Engine,
    EngineVersion: cluster.EngineVersion,
    Port: cluster.Port,
    MasterUsername: cluster.MasterUsername,
    PreferredBackupWindow: cluster.PreferredBackupWindow,
    PreferredMaintenanceWindow: cluster.PreferredMaintenanceWindow,
    ReadReplicaIdentifiers: [],
    DBClusterMembers: members.map((m) => ({
      DBInstanceIdentifier: m.DBInstanceIdentifier,
      IsClusterWriter: cluster.writer === m.DBInstanceIdentifier,
      DBClusterParameterGroupStatus: "in-sync",
      PromotionTier: m.PromotionTier,
    })),
    VpcSecurityGroups: cluster.VpcSecurityGroupIds.map((id) => ({ VpcSecurityGroupId: id, Status: "active" })),
    HostedZoneId: hostedZoneId(scope.region),
    StorageEncrypted: cluster.StorageEncrypted,
    ...(cluster.StorageEncrypted && cluster.KmsKeyId ? { KmsKeyId: cluster.KmsKeyId } : {}),
    DbClusterResourceId: cluster.DbClusterResourceId,
    DBClusterArn: clusterArn(scope.region, scope.accountId, cluster.DBClusterIdentifier),
    AssociatedRoles: cluster.AssociatedRoles.map((role) => ({
      RoleArn: role.RoleArn,
      Status: "ACTIVE",
      ...(role.FeatureName ? { FeatureName: role.FeatureName } : {}),
    })),
    IAMDatabaseAuthenticationEnabled: cluster.IAMDatabaseAuthenticationEnabled,
    ClusterCreateTime: new Date(cluster.ClusterCreateTime),
    CopyTagsToSnapshot: cluster.CopyTagsToSnapshot,
    ...(cluster.EnabledCloudwatchLogsExports.length > 0
      ? { EnabledCloudwatchLogsExports: [...cluster.EnabledCloudwatchLogsExports] }
      : {}),
    ...pending,
    DeletionProtection: cluster.DeletionProtection,
    CrossAccountClone: false,
    ...(cluster.ServerlessV2ScalingConfiguration
      ? { ServerlessV2ScalingConfiguration: { ...cluster.ServerlessV2ScalingConfiguration } }
      : {}),
    // "When set to standard, the storage type is not returned in the response." (API reference, StorageType)
    ...(cluster.StorageType !== "standard" ? { StorageType: cluster.StorageType } : {}),
  };
}

/**
 * The cluster as the response to the call that changed it shows it: a transition begun by this very request is
 * reported even when the delays make it instant (AWS answers CreateDBCluster with `creating`, StopDBCluster with
 * `stopping` …); the next read derives the status from the clock as usual.
 */
export function responseView(
  scope: NeptuneScope,
  cluster: ClusterRecord,
  started: boolean,
  members?: InstanceRecord[],
): DBCluster {
  const view = clusterView(scope, cluster, members);
  if (!started || view.Status === "deleting" || view.Status === "inaccessible-encryption-credentials") return view;
  if (cluster.activity.kind !== "creating") return { ...view, Status: cluster.activity.kind };
  const creating: DBCluster = { ...view, Status: "creating" };
  delete creating.EarliestRestorableTime;
  delete creating.LatestRestorableTime;
  return creating;
}

// ---------------------------------------------------------------------------------------------- settings shared by create, modify and restore

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

export function compareVersions(a: string, b: string): number {
  const x = a.split(".").map(Number);
  const y = b.split(".").map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Neptune's major versions are the first two numbers: 1.3 → 1.4 is a major upgrade. */
const majorOf = (version: string) => version.split(".").slice(0, 2).join(".");

/**
 * The cluster parameter group to use: the given one, which must exist ("DBClusterParameterGroup not found: x",
 * RDS's observed text) and be of the engine version's family; or the family's default group.
 */
export function clusterParameterGroupFor(scope: NeptuneScope, name: string | undefined, family: string): string {
  if (name === undefined) return defaultParameterGroupName(family);
  const group = findClusterParameterGroup(scope.store, scope.accountId, scope.region, name);
  if (!group) throw neptuneFault("DBClusterParameterGroupNotFoundFault", `DBClusterParameterGroup not found: ${name}`);
  if (group.DBParameterGroupFamily !== family) {
    // *Decided* wording, after RDS's refusal of a parameter group of another family.
    throw CommonErrors.invalidParameterCombination(
      `The parameter group ${group.DBClusterParameterGroupName} with DBParameterGroupFamily ${group.DBParameterGroupFamily} can't be used for this DB cluster. Use a parameter group with DBParameterGroupFamily ${family}.`,
    );
  }
  return group.DBClusterParameterGroupName;
}

/** The subnet group to use: the given one, which must exist (its own not-found text), or the account's `default`. */
export function subnetGroupFor(scope: NeptuneScope, name: string | undefined): SubnetGroupRecord {
  const group = findSubnetGroup(scope.store, scope.accountId, scope.region, name ?? DEFAULT_SUBNET_GROUP_NAME);
  if (!group) throw neptuneFault("DBSubnetGroupNotFoundFault", `DB subnet group '${name}' does not exist.`);
  return group;
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

// ---------------------------------------------------------------------------------------------- encryption

/** The cluster's encryption: the key's ARN, the wrapped storage data key and Neptune's grant on the key. */
export interface ClusterEncryption {
  StorageEncrypted: boolean;
  KmsKeyId?: string;
  wrappedDataKey?: Buffer;
  kmsGrantId?: string;
}

/** The operations Neptune's grant on a cluster's key allows (what RDS asks for on a resource's key). */
export const GRANT_OPERATIONS = [
  "Decrypt",
  "Encrypt",
  "GenerateDataKey",
  "GenerateDataKeyWithoutPlaintext",
  "ReEncryptFrom",
  "ReEncryptTo",
  "CreateGrant",
  "RetireGrant",
  "DescribeKey",
];

/**
 * R10's text for a KmsKeyId a caller can't use (SEED-FACTS, reference §3.4, observed I-AST25): the value is echoed
 * as given.
 */
export function keyNotAccessible(given: string): AwsError {
  return neptuneFault(
    "KMSKeyNotAccessibleFault",
    `Specified KMS key [${given}] does not exist, is not enabled or you do not have permissions to access it.`,
  );
}

/**
 * Encryption for a new cluster (API reference, CreateDBCluster.KmsKeyId; reference §4.1, §6.6):
 * - StorageEncrypted without KmsKeyId: the account's AWS-managed `alias/aws/rds`, created on first use.
 * - KmsKeyId (id, ARN or alias of the caller's account, or another account's key by ARN): checked through KMS on
 *   the caller's behalf via RDS for kms:CreateGrant and kms:DescribeKey; otherwise KMSKeyNotAccessibleFault.
 * - *Decided*: a KmsKeyId without StorageEncrypted encrypts the cluster (the key names "an encrypted DB cluster");
 *   with StorageEncrypted explicitly false it is refused as InvalidParameterCombination.
 * Then a storage data key is generated under the key (only its wrapped form is kept) and Neptune takes a grant
 * for the resource (grantee `rds.<region>.amazonaws.com`, GrantIsForAWSResource).
 */
export function encryptionFor(
  scope: NeptuneScope,
  request: { StorageEncrypted?: boolean; KmsKeyId?: string },
  resourceId: string,
): ClusterEncryption {
  const keyGiven = request.KmsKeyId !== undefined && request.KmsKeyId !== "";
  if (!keyGiven && !request.StorageEncrypted) return { StorageEncrypted: false };
  if (keyGiven && request.StorageEncrypted === false) {
    throw CommonErrors.invalidParameterCombination(
      "A KmsKeyId can be specified only for an encrypted DB cluster: set StorageEncrypted to true.",
    );
  }
  const kms = scope.kms;
  if (!kms) throw CommonErrors.internalFailure();
  const given = keyGiven ? request.KmsKeyId! : "alias/aws/rds";
  try {
    const key = keyGiven
      ? kms.resolveKey({
          principal: scope.principal,
          region: scope.region,
          keyId: given,
          viaService: "rds",
          actions: ["kms:CreateGrant", "kms:DescribeKey"],
        })
      : kms.awsManagedKey(scope.accountId, scope.region, "rds");
    const call = { principal: scope.principal, region: scope.region, keyArn: key.keyArn, viaService: "rds" as const };
    const { ciphertextBlob } = kms.generateDataKey(call);
    const { grantId } = kms.createGrant({
      ...call,
      granteePrincipal: `rds.${scope.region}.amazonaws.com`,
      operations: GRANT_OPERATIONS,
      name: resourceId,
    });
    return {
      StorageEncrypted: true,
      KmsKeyId: key.keyArn,
      wrappedDataKey: Buffer.from(ciphertextBlob),
      kmsGrantId: grantId,
    };
  } catch (error) {
    if (error instanceof KeyAccessError) throw keyNotAccessible(given);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------- create

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

/** A fresh `cluster-…` resource id (26 upper-case base32 characters, reference §2.2). */
export const newClusterResourceId = () => randomId("cluster-", 26);

/**
 * Stores a new cluster in `creating` (then available after `delays.clusterCreateMs`) with its tags, and records
 * its creation event, dated when it becomes available. Shared by CreateDBCluster and the snapshot restore.
 */
export function insertCluster(
  scope: NeptuneScope,
  settings: ClusterSettings,
  encryption: ClusterEncryption,
  resourceId: string,
  tags: Tag[] = [],
): ClusterRecord {
  const { subnetGroup, ...rest } = settings;
  const cluster: ClusterRecord = {
    ...rest,
    DbClusterResourceId: resourceId,
    Engine: ENGINE,
    MasterUsername: "admin",
    DBSubnetGroup: subnetGroup.DBSubnetGroupName,
    ...encryption,
    AssociatedRoles: [],
    ClusterCreateTime: scope.now,
    activity: { kind: "creating", since: scope.now },
    stopped: false,
  };
  clusterTable(scope.store, scope.accountId, scope.region).put(cluster.DBClusterIdentifier, cluster);
  if (tags.length > 0)
    setTags(
      scope.store,
      scope.accountId,
      scope.region,
      clusterArn(scope.region, scope.accountId, cluster.DBClusterIdentifier),
      tags,
    );
  // RDS-EVENT-0170.
  announce(
    scope,
    clusterSource(scope, cluster.DBClusterIdentifier),
    "DB cluster created",
    ["creation"],
    clusterAvailableAt(cluster, scope.delays),
  );
  return cluster;
}

/**
 * CreateDBCluster. Order of checks: the engine (only `neptune`: the endpoint is shared with RDS), the identifier,
 * the settings (version, retention, windows, logs, storage type), tags, the KmsKeyId/StorageEncrypted combination,
 * a free identifier, the groups, and last the key (so that nothing is done in KMS for a request refused anyway).
 */
export function createCluster(scope: NeptuneScope, request: CreateDBClusterMessage): DBCluster {
  checkEngineName(request.Engine);
  if (request.ReplicationSourceIdentifier || request.GlobalClusterIdentifier) {
    // Cross-Region replicas and global databases are outside what Trident emulates.
    throw new AwsError(
      "NotImplemented",
      "Trident does not emulate cross-Region read replicas or global databases.",
      501,
    );
  }
  const settings = clusterSettings(scope, request);
  const tags = request.Tags ?? [];
  validateTags(tags);
  const resourceId = newClusterResourceId();
  const encryption = encryptionFor(scope, request, resourceId);
  return responseView(scope, insertCluster(scope, settings, encryption, resourceId, tags), true, []);
}

// ---------------------------------------------------------------------------------------------- describe

/**
 * DescribeDBClusters: one cluster (by identifier or ARN; DBClusterNotFoundFault if it isn't the caller's), or all
 * of the caller's (account, region), in identifier order, filtered by `db-cluster-id` (identifiers or ARNs) and
 * `engine` (the filters the API reference lists), one page of MaxRecords (20–100) at a time.
 */
export function describeClusters(
  scope: NeptuneScope,
  request: DescribeDBClustersMessage,
): { DBClusters: DBCluster[]; Marker?: string } {
  let clusters =
    request.DBClusterIdentifier !== undefined
      ? [findCluster(scope, request.DBClusterIdentifier)]
      : clusterTable(scope.store, scope.accountId, scope.region)
          .values()
          .sort((x, y) => x.DBClusterIdentifier.localeCompare(y.DBClusterIdentifier));
  clusters = applyFilters(clusters, request.Filters, {
    "db-cluster-id": (c) => [c.DBClusterIdentifier, clusterArn(scope.region, scope.accountId, c.DBClusterIdentifier)],
    engine: (c) => [c.Engine],
  });
  const page = paginate(clusters, request);
  const members = new Map<string, InstanceRecord[]>();
  for (const instance of instanceTable(scope.store, scope.accountId, scope.region).values()) {
    const list = members.get(instance.DBClusterIdentifier) ?? [];
    list.push(instance);
    members.set(instance.DBClusterIdentifier, list);
  }
  const byId = (x: InstanceRecord, y: InstanceRecord) => x.DBInstanceIdentifier.localeCompare(y.DBInstanceIdentifier);
  return {
    DBClusters: page.items.map((c) => clusterView(scope, c, (members.get(c.DBClusterIdentifier) ?? []).sort(byId))),
    ...(page.Marker ? { Marker: page.Marker } : {}),
  };
}

// ---------------------------------------------------------------------------------------------- modify

function logExportsAfter(
  current: string[],
  change: CloudwatchLogsExportConfiguration | undefined,
  version: string,
): string[] {
  if (!change) return current;
  const enable = change.EnableLogTypes ?? [];
  const disable = change.DisableLogTypes ?? [];
  checkLogTypes([...enable, ...disable], version);
  const both = enable.filter((t) => disable.includes(t));
  if (both.length > 0) {
    // *Decided* wording for a log type in both lists.
    throw CommonErrors.invalidParameterCombination(
      `The log types ${both.map((t) => `'${t}'`).join(", ")} can't be both enabled and disabled.`,
    );
  }
  return [...new Set([...current.filter((t) => !disable.includes(t)), ...enable])].sort();
}

/**
 * ModifyDBCluster. "The ApplyImmediately parameter only affects NewDBClusterIdentifier and MasterUserPassword
 * values … All other changes are applied immediately" (API reference): a rename without ApplyImmediately waits
 * for the maintenance window (PendingModifiedValues). Changes that reconfigure the cluster (port, groups, IAM
 * auth, logs, storage type) put it in `modifying`; an engine version upgrade in `upgrading`; backup, window,
 * deletion-protection and tag-copy settings take effect at once.
 */
export function modifyCluster(scope: NeptuneScope, request: ModifyDBClusterMessage): DBCluster {
  const cluster = findCluster(scope, request.DBClusterIdentifier);
  requireUsable(scope, cluster);
  const activityBefore = cluster.activity;

  // Check everything first: a refused request changes nothing.
  const newId =
    request.NewDBClusterIdentifier === undefined
      ? undefined
      : validIdentifier(request.NewDBClusterIdentifier, "NewDBClusterIdentifier");
  if (newId !== undefined && newId !== cluster.DBClusterIdentifier) checkClusterIdFree(scope, newId);

  let version = cluster.EngineVersion;
  let family = checkEngineVersion(cluster.EngineVersion);
  const upgrade = request.EngineVersion !== undefined && request.EngineVersion !== cluster.EngineVersion;
  if (upgrade) {
    family = checkEngineVersion(request.EngineVersion!);
    if (compareVersions(request.EngineVersion!, cluster.EngineVersion) < 0) {
      // *Decided* wording: engine versions can't be downgraded.
      throw CommonErrors.invalidParameterCombination(
        `Cannot upgrade ${ENGINE} from ${cluster.EngineVersion} to ${request.EngineVersion}`,
      );
    }
    if (majorOf(request.EngineVersion!) !== majorOf(cluster.EngineVersion) && !request.AllowMajorVersionUpgrade) {
      throw CommonErrors.invalidParameterCombination(
        "The AllowMajorVersionUpgrade flag must be present when upgrading to a new major version.",
      );
    }
    version = request.EngineVersion!;
  }
  const familyChanged = family !== checkEngineVersion(cluster.EngineVersion);
  if (request.DBInstanceParameterGroupName !== undefined && !(upgrade && familyChanged)) {
    // API reference: DBInstanceParameterGroupName "is only valid in combination with the AllowMajorVersionUpgrade parameter".
    throw CommonErrors.invalidParameterCombination(
      "The DBInstanceParameterGroupName parameter is only valid in combination with the AllowMajorVersionUpgrade parameter.",
    );
  }
  let instanceParameterGroup: string | undefined;
  if (request.DBInstanceParameterGroupName !== undefined) {
    const group = findParameterGroup(scope.store, scope.accountId, scope.region, request.DBInstanceParameterGroupName);
    // Observed RDS text: "DBParameterGroup not found: <name>"; a group of another family can't be used either.
    if (!group || group.DBParameterGroupFamily !== family) {
      throw neptuneFault(
        "DBParameterGroupNotFoundFault",
        `DBParameterGroup not found: ${request.DBInstanceParameterGroupName}`,
      );
    }
    instanceParameterGroup = group.DBParameterGroupName;
  }
  const parameterGroup =
    request.DBClusterParameterGroupName !== undefined || familyChanged
      ? clusterParameterGroupFor(scope, request.DBClusterParameterGroupName, family)
      : cluster.DBClusterParameterGroup;
  const retention = request.BackupRetentionPeriod ?? cluster.BackupRetentionPeriod;
  checkBackupRetention(retention);
  const windows = validWindows(
    request.PreferredBackupWindow ?? cluster.PreferredBackupWindow,
    request.PreferredMaintenanceWindow ?? cluster.PreferredMaintenanceWindow,
  );
  const logs = logExportsAfter(
    cluster.EnabledCloudwatchLogsExports,
    request.CloudwatchLogsExportConfiguration,
    version,
  );
  const storageType = request.StorageType ?? cluster.StorageType;
  checkStorageType(storageType, version);
  const securityGroups = request.VpcSecurityGroupIds?.length
    ? [...new Set(request.VpcSecurityGroupIds)]
    : cluster.VpcSecurityGroupIds;

  // Apply.
  const reconfigured =
    parameterGroup !== cluster.DBClusterParameterGroup ||
    (request.Port !== undefined && request.Port !== cluster.Port) ||
    (request.EnableIAMDatabaseAuthentication !== undefined &&
      request.EnableIAMDatabaseAuthentication !== cluster.IAMDatabaseAuthenticationEnabled) ||
    logs.join() !== cluster.EnabledCloudwatchLogsExports.join() ||
    storageType !== cluster.StorageType ||
    securityGroups.join() !== cluster.VpcSecurityGroupIds.join();
  Object.assign(cluster, {
    DBClusterParameterGroup: parameterGroup,
    Port: request.Port ?? cluster.Port,
    IAMDatabaseAuthenticationEnabled:
      request.EnableIAMDatabaseAuthentication ?? cluster.IAMDatabaseAuthenticationEnabled,
    EnabledCloudwatchLogsExports: logs,
    StorageType: storageType,
    VpcSecurityGroupIds: securityGroups,
    BackupRetentionPeriod: retention,
    ...windows,
    DeletionProtection: request.DeletionProtection ?? cluster.DeletionProtection,
    CopyTagsToSnapshot: request.CopyTagsToSnapshot ?? cluster.CopyTagsToSnapshot,
  });
  if (request.ServerlessV2ScalingConfiguration)
    cluster.ServerlessV2ScalingConfiguration = { ...request.ServerlessV2ScalingConfiguration };
  if (upgrade) {
    cluster.EngineVersion = version;
    for (const member of membersOf(scope, cluster.DBClusterIdentifier)) {
      member.EngineVersion = version;
      if (instanceParameterGroup !== undefined) member.DBParameterGroupName = instanceParameterGroup;
      else if (familyChanged) member.DBParameterGroupName = defaultParameterGroupName(family);
      saveInstance(scope, member);
    }
    cluster.activity = { kind: "upgrading", since: scope.now };
  } else if (reconfigured) {
    cluster.activity = { kind: "modifying", since: scope.now };
  }
  if (newId !== undefined && newId !== cluster.DBClusterIdentifier) {
    if (request.ApplyImmediately) {
      renameCluster(scope, cluster, newId);
      cluster.pending = undefined;
      if (!upgrade && !reconfigured) cluster.activity = { kind: "renaming", since: scope.now };
    } else {
      cluster.pending = { requestedAt: scope.now, identifier: newId };
    }
  }
  saveCluster(scope, cluster);
  return responseView(scope, cluster, cluster.activity.since === scope.now && activityBefore !== cluster.activity);
}

// ---------------------------------------------------------------------------------------------- delete

/**
 * DeleteDBCluster (reference §4.4). Order of checks: the parameters (SkipFinalSnapshot defaults to false, so a
 * FinalDBSnapshotIdentifier is required unless it is true, and may not accompany it), the cluster, its state,
 * deletion protection, members not being deleted, and the final snapshot's identifier and the cluster being
 * available for it. Then: the final snapshot (a manual one, kept), all automated snapshots deleted, the cluster
 * `deleting` and gone after `delays.deleteMs`. The response shows the cluster as it was (AWS CLI transcript).
 */
export function deleteCluster(scope: NeptuneScope, request: DeleteDBClusterMessage): DBCluster {
  const skip = request.SkipFinalSnapshot ?? false;
  const finalGiven = request.FinalDBSnapshotIdentifier !== undefined && request.FinalDBSnapshotIdentifier !== "";
  if (!skip && !finalGiven) {
    // Observed for DeleteDBInstance; assumed identical for clusters (reference §4.4).
    throw CommonErrors.invalidParameterCombination(
      "FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.",
    );
  }
  if (skip && finalGiven) {
    // "Specifying this parameter and also setting the SkipFinalSnapshot parameter to true results in an error."
    // (API reference); *decided* wording.
    throw CommonErrors.invalidParameterCombination(
      "FinalDBSnapshotIdentifier can't be specified when SkipFinalSnapshot is enabled.",
    );
  }
  const finalId = finalGiven
    ? validIdentifier(request.FinalDBSnapshotIdentifier!, "FinalDBSnapshotIdentifier")
    : undefined;
  const cluster = findCluster(scope, request.DBClusterIdentifier);
  const status = clusterStatus(scope, cluster);
  if (status === "deleting") {
    throw wrongClusterState(cluster, status, ["available", "stopped", "inaccessible-encryption-credentials"]);
  }
  if (cluster.DeletionProtection) {
    // Observed (reference §4.4).
    throw CommonErrors.invalidParameterCombination(
      "Cannot delete protected Cluster, please disable deletion protection and try again.",
    );
  }
  const members = membersOf(scope, cluster.DBClusterIdentifier);
  if (members.some((m) => m.activity.kind !== "deleting")) {
    // Observed (AWS CLI transcript, reference §4.4): deletion is allowed once every member is being deleted.
    throw neptuneFault(
      "InvalidDBClusterStateFault",
      "Cluster cannot be deleted, it still contains DB instances in non-deleting state.",
    );
  }
  if (finalId !== undefined) {
    if (clusterSnapshotTable(scope.store, scope.accountId, scope.region).has(finalId)) {
      // Observed (reference §4.4, I-CP129).
      throw neptuneFault(
        "DBClusterSnapshotAlreadyExistsFault",
        `Cannot create the cluster snapshot because one with the identifier ${finalId} already exists.`,
      );
    }
    if (!isUsable(status)) {
      // Observed (reference §3.2, I-TF14527).
      throw neptuneFault(
        "InvalidDBClusterStateFault",
        "Cannot create a snapshot because the database instance is not currently in the available state.",
      );
    }
  }
  const view = clusterView(scope, cluster, members);
  if (finalId !== undefined) {
    const snapshot = snapshotOfCluster(scope, cluster, {
      DBClusterSnapshotIdentifier: finalId,
      SnapshotType: "manual",
      at: scope.now,
      VpcId: findSubnetGroup(scope.store, scope.accountId, scope.region, cluster.DBSubnetGroup)?.VpcId,
    });
    storeSnapshot(scope, cluster, snapshot);
    // RDS-EVENT-0074 / RDS-EVENT-0075.
    const source = {
      SourceIdentifier: finalId,
      SourceType: "db-cluster-snapshot",
      SourceArn: snapshot.DBClusterSnapshotArn,
    } as const;
    announce(scope, source, "Creating manual cluster snapshot", ["backup"]);
    announce(scope, source, "Manual cluster snapshot created", ["backup"], scope.now + scope.delays.snapshotMs);
  }
  deleteAutomatedSnapshots(scope, cluster);
  cluster.activity = { kind: "deleting", since: scope.now };
  cluster.pending = undefined;
  saveCluster(scope, cluster);
  return view;
}

// ---------------------------------------------------------------------------------------------- stop, start, failover

/** StopDBCluster: only an available cluster; it (and its instances) go `stopping`, then `stopped`. */
export function stopCluster(scope: NeptuneScope, given: string): DBCluster {
  const cluster = findCluster(scope, given);
  const status = clusterStatus(scope, cluster);
  // Observed: "DbCluster <id> is in stopping state but expected it to be one of available."
  if (!isUsable(status)) throw wrongClusterState(cluster, status, ["available"]);
  cluster.stopped = true;
  cluster.activity = { kind: "stopping", since: scope.now };
  saveCluster(scope, cluster);
  // RDS-EVENT-0150.
  announce(scope, clusterSource(scope, cluster.DBClusterIdentifier), "DB cluster stopped", ["notification"]);
  return responseView(scope, cluster, true);
}

/** StartDBCluster: only a stopped cluster; `starting`, then `available`. */
export function startCluster(scope: NeptuneScope, given: string): DBCluster {
  const cluster = findCluster(scope, given);
  const status = clusterStatus(scope, cluster);
  if (status !== "stopped") {
    // Observed: "DbCluster <id> is in available state but expected it to be one of stopped,
    // inaccessible-encryption-credentials-recoverable."
    throw wrongClusterState(cluster, status, ["stopped", "inaccessible-encryption-credentials-recoverable"]);
  }
  cluster.stopped = false;
  cluster.activity = { kind: "starting", since: scope.now };
  saveCluster(scope, cluster);
  // RDS-EVENT-0151.
  announce(scope, clusterSource(scope, cluster.DBClusterIdentifier), "DB cluster started", ["notification"]);
  return responseView(scope, cluster, true);
}

/** Readers in promotion order: lowest PromotionTier first, then by identifier (Neptune's failover priority). */
export function promotionOrder(readers: InstanceRecord[]): InstanceRecord[] {
  return [...readers].sort(
    (x, y) => x.PromotionTier - y.PromotionTier || x.DBInstanceIdentifier.localeCompare(y.DBInstanceIdentifier),
  );
}

/**
 * FailoverDBCluster: promotes the target reader (or the first in promotion order) to writer; the cluster is
 * `failing-over` for `delays.clusterModifyMs`. A cluster with only its writer fails over to it (it restarts).
 */
export function failoverCluster(scope: NeptuneScope, request: FailoverDBClusterMessage): DBCluster {
  if (request.DBClusterIdentifier === undefined) throw CommonErrors.missingParameter("DBClusterIdentifier");
  const cluster = findCluster(scope, request.DBClusterIdentifier);
  requireUsable(scope, cluster);
  const members = membersOf(scope, cluster.DBClusterIdentifier).filter((m) => m.activity.kind !== "deleting");
  if (members.length === 0) {
    // *Decided* wording: nothing to fail over to.
    throw neptuneFault(
      "InvalidDBClusterStateFault",
      `DbCluster ${cluster.DBClusterIdentifier} has no DB instances to fail over to.`,
    );
  }
  const readers = members.filter((m) => m.DBInstanceIdentifier !== cluster.writer);
  let target: InstanceRecord;
  if (request.TargetDBInstanceIdentifier !== undefined) {
    const id = validIdentifier(request.TargetDBInstanceIdentifier, "TargetDBInstanceIdentifier");
    const found = readers.find((m) => m.DBInstanceIdentifier === id);
    // *Decided* wording: the target must be a reader of this cluster.
    if (!found)
      throw CommonErrors.invalidParameterValue(
        `The target instance ${request.TargetDBInstanceIdentifier} is not a reader instance of DB cluster ${cluster.DBClusterIdentifier}.`,
      );
    target = found;
  } else {
    target =
      promotionOrder(readers)[0] ?? members.find((m) => m.DBInstanceIdentifier === cluster.writer) ?? members[0]!;
  }
  cluster.writer = target.DBInstanceIdentifier;
  cluster.activity = { kind: "failing-over", since: scope.now };
  saveCluster(scope, cluster);
  // RDS-EVENT-0073 / RDS-EVENT-0071.
  const source = clusterSource(scope, cluster.DBClusterIdentifier);
  announce(scope, source, `Started cross AZ failover to DB instance: ${target.DBInstanceIdentifier}`, ["failover"]);
  announce(
    scope,
    source,
    `Completed failover to DB instance: ${target.DBInstanceIdentifier}`,
    ["failover"],
    scope.now + scope.delays.clusterModifyMs,
  );
  return responseView(scope, cluster, true);
}

// ---------------------------------------------------------------------------------------------- IAM roles

/** RDS's default quota of IAM roles associated with one DB cluster. */
const MAX_ROLES_PER_CLUSTER = 5;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/** AddRoleToDBCluster: associates an IAM role (for bulk load, Neptune ML …) with an available cluster. */
export function addRole(
  scope: NeptuneScope,
  request: { DBClusterIdentifier: string; RoleArn: string; FeatureName?: string },
): void {
  const cluster = findCluster(scope, request.DBClusterIdentifier);
  if (!ROLE_ARN.test(request.RoleArn)) throw CommonErrors.invalidParameterValue(`Invalid role ARN: ${request.RoleArn}`);
  requireUsable(scope, cluster);
  if (cluster.AssociatedRoles.some((r) => r.RoleArn === request.RoleArn)) {
    throw neptuneFault(
      "DBClusterRoleAlreadyExistsFault",
      `Role ARN ${request.RoleArn} is already associated with DB Cluster: Verify your role ARN and try again.`,
    );
  }
  if (cluster.AssociatedRoles.length >= MAX_ROLES_PER_CLUSTER) {
    throw neptuneFault(
      "DBClusterRoleQuotaExceededFault",
      `You have reached the maximum number of IAM roles (${MAX_ROLES_PER_CLUSTER}) that can be associated with a DB cluster.`,
    );
  }
  cluster.AssociatedRoles.push({
    RoleArn: request.RoleArn,
    ...(request.FeatureName ? { FeatureName: request.FeatureName } : {}),
  });
  saveCluster(scope, cluster);
}

/** RemoveRoleFromDBCluster: the role (and feature, if named) must be associated. */
export function removeRole(
  scope: NeptuneScope,
  request: { DBClusterIdentifier: string; RoleArn: string; FeatureName?: string },
): void {
  const cluster = findCluster(scope, request.DBClusterIdentifier);
  requireUsable(scope, cluster);
  const index = cluster.AssociatedRoles.findIndex(
    (r) =>
      r.RoleArn === request.RoleArn && (request.FeatureName === undefined || r.FeatureName === request.FeatureName),
  );
  if (index < 0) {
    throw neptuneFault(
      "DBClusterRoleNotFoundFault",
      `Role ARN ${request.RoleArn} cannot be found for DB Cluster: ${cluster.DBClusterIdentifier}. Verify your role ARN and try again.`,
    );
  }
  cluster.AssociatedRoles.splice(index, 1);
  saveCluster(scope, cluster);
}
