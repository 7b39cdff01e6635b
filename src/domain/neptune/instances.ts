import { takeInstancePort } from "./data-plane/endpoint-ports.js";
import { randomId } from "../../auth/ids.js";
import type {
  CreateDBInstanceMessage,
  DBInstance,
  DeleteDBInstanceMessage,
  DescribeDBInstancesMessage,
  ModifyDBInstanceMessage,
  RebootDBInstanceMessage,
} from "../../generated/neptune.js";
import { AwsError, CommonErrors } from "../../protocol/errors.js";
import { neptuneFault } from "../../services/neptune/errors.js";
import { clusterArn, instanceArn } from "./arn.js";
import {
  checkEngineName,
  DEFAULT_CA_CERTIFICATE,
  ENGINE,
  familyOfEngineVersion,
  isCaCertificate,
  isInstanceClass,
  majorVersionOf,
} from "./catalogue.js";
import { requireUsable } from "./cluster-state.js";
import { promotionOrder } from "./clusters.js";
import { hostedZoneId, instanceAddress } from "./endpoints.js";
import { checkMemberInstanceClass, mayWrite } from "./global-clusters-members.js";
import { validIdentifier } from "./identifiers.js";
import {
  activityEnd,
  announce,
  instanceSource,
  instanceStatus,
  nextMaintenanceStart,
  renameInstance,
  validWindows,
  type NeptuneScope,
} from "./lifecycle.js";
import { applyFilters, listPage } from "./listing.js";
import { clusterOf, findCluster, findInstance, membersOf } from "./lookups.js";
import { dbParameterApplyStatus, startInstance } from "./parameter-apply-status.js";
import { instanceParameterGroupFor } from "./parameter-groups.js";
import {
  instanceTable,
  saveCluster,
  saveInstance,
  type ClusterRecord,
  type InstanceRecord,
  type PendingChange,
} from "./records.js";
import { findSubnetGroup, subnetGroupShape } from "./subnet-groups.js";
import { setTags, validateTags } from "./tags.js";

/**
 * Neptune DB instances: the compute of a cluster. Every instance belongs to a cluster (DBClusterIdentifier is
 * required in Neptune's CreateDBInstance), which manages storage, encryption, backups and the network; the first
 * instance is the writer, the others readers in PromotionTier order. Status is derived (lifecycle.ts).
 */

// ---------------------------------------------------------------------------------------------- the instance a request names

/** Observed RDS wording for an instance that is not available: "Instance <id> is not in available state." */
function wrongInstanceState(instance: InstanceRecord): AwsError {
  return neptuneFault(
    "InvalidDBInstanceStateFault",
    `Instance ${instance.DBInstanceIdentifier} is not in available state.`,
  );
}

/** An available instance of the caller's, named by identifier or ARN, and its cluster. */
function availableInstance(
  scope: NeptuneScope,
  given: string,
): { instance: InstanceRecord; cluster: ClusterRecord | undefined } {
  const instance = findInstance(scope, given);
  const cluster = clusterOf(scope, instance);
  if (instanceStatus(scope, instance, cluster) !== "available") throw wrongInstanceState(instance);
  return { instance, cluster };
}

// ---------------------------------------------------------------------------------------------- how an instance is shown

/** The option group RDS reports for Neptune instances, per major version (`default:neptune-1-4`). */
const optionGroupOf = (version: string) => `default:${ENGINE}-${majorVersionOf(version).replace(".", "-")}`;

export function instanceView(
  scope: NeptuneScope,
  instance: InstanceRecord,
  cluster = clusterOf(scope, instance),
): DBInstance {
  const status = instanceStatus(scope, instance, cluster);
  // While creating, AWS shows neither an endpoint nor a creation time.
  const created = status !== "creating";
  const subnetGroup = cluster ? findSubnetGroup(scope, cluster.DBSubnetGroup) : undefined;
  const pending = instance.pending;
  return {
    DBInstanceIdentifier: instance.DBInstanceIdentifier,
    DBInstanceClass: instance.DBInstanceClass,
    Engine: instance.Engine,
    DBInstanceStatus: status,
    MasterUsername: cluster?.MasterUsername ?? "admin",
    ...(created
      ? {
          Endpoint: {
            Address: instanceAddress(scope, instance.DBInstanceIdentifier),
            Port: instance.port ?? cluster?.Port ?? 8182,
            HostedZoneId: hostedZoneId(scope.region),
          },
          InstanceCreateTime: new Date(
            activityEnd({ kind: "creating", since: instance.createdAt }, "instance", scope.delays),
          ),
        }
      : {}),
    AllocatedStorage: 1,
    ...(cluster
      ? { PreferredBackupWindow: cluster.PreferredBackupWindow, BackupRetentionPeriod: cluster.BackupRetentionPeriod }
      : {}),
    DBSecurityGroups: [],
    VpcSecurityGroups: (cluster?.VpcSecurityGroupIds ?? []).map((id) => ({ VpcSecurityGroupId: id, Status: "active" })),
    DBParameterGroups: [
      {
        DBParameterGroupName: instance.DBParameterGroupName,
        ParameterApplyStatus: dbParameterApplyStatus(scope, instance),
      },
    ],
    AvailabilityZone: instance.AvailabilityZone,
    ...(subnetGroup ? { DBSubnetGroup: subnetGroupShape(subnetGroup) } : {}),
    PreferredMaintenanceWindow: instance.PreferredMaintenanceWindow,
    PendingModifiedValues: {
      ...(pending?.DBInstanceClass ? { DBInstanceClass: pending.DBInstanceClass } : {}),
      ...(pending?.identifier ? { DBInstanceIdentifier: pending.identifier } : {}),
      ...(pending?.CACertificateIdentifier ? { CACertificateIdentifier: pending.CACertificateIdentifier } : {}),
    },
    MultiAZ: false,
    EngineVersion: instance.EngineVersion,
    AutoMinorVersionUpgrade: instance.AutoMinorVersionUpgrade,
    ReadReplicaDBInstanceIdentifiers: [],
    LicenseModel: "amazon-license",
    OptionGroupMemberships: [{ OptionGroupName: optionGroupOf(instance.EngineVersion), Status: "in-sync" }],
    PubliclyAccessible: instance.PubliclyAccessible,
    StorageType: cluster?.StorageType === "iopt1" ? "aurora-iopt1" : "aurora",
    DbInstancePort: 0,
    DBClusterIdentifier: instance.DBClusterIdentifier,
    StorageEncrypted: cluster?.StorageEncrypted ?? false,
    ...(cluster?.StorageEncrypted && cluster.KmsKeyId ? { KmsKeyId: cluster.KmsKeyId } : {}),
    DbiResourceId: instance.DbiResourceId,
    CACertificateIdentifier: instance.CACertificateIdentifier,
    DomainMemberships: [],
    CopyTagsToSnapshot: instance.CopyTagsToSnapshot,
    MonitoringInterval: 0,
    PromotionTier: instance.PromotionTier,
    DBInstanceArn: instanceArn(scope.region, scope.accountId, instance.DBInstanceIdentifier),
    IAMDatabaseAuthenticationEnabled: cluster?.IAMDatabaseAuthenticationEnabled ?? false,
    PerformanceInsightsEnabled: false,
    ...(cluster?.EnabledCloudwatchLogsExports.length
      ? { EnabledCloudwatchLogsExports: [...cluster.EnabledCloudwatchLogsExports] }
      : {}),
    DeletionProtection: instance.DeletionProtection,
  };
}

/** Records an event of the instance dated when its current activity ends (RDS dates "done" events so). */
function announceActivityEnd(scope: NeptuneScope, instance: InstanceRecord, message: string, categories: string[]) {
  const at = activityEnd(instance.activity, "instance", scope.delays);
  announce(scope, instanceSource(scope, instance.DBInstanceIdentifier), message, categories, at);
}

/** The instance as the response to the call that changed it shows it (see cluster-view.ts `responseView`). */
function responseView(
  scope: NeptuneScope,
  instance: InstanceRecord,
  cluster: ClusterRecord | undefined,
  started: boolean,
): DBInstance {
  const view = instanceView(scope, instance, cluster);
  if (
    !started ||
    view.DBInstanceStatus === "deleting" ||
    view.DBInstanceStatus === "inaccessible-encryption-credentials"
  )
    return view;
  if (instance.activity.kind !== "creating") return { ...view, DBInstanceStatus: instance.activity.kind };
  const creating: DBInstance = { ...view, DBInstanceStatus: "creating" };
  delete creating.Endpoint;
  delete creating.InstanceCreateTime;
  return creating;
}

// ---------------------------------------------------------------------------------------------- checks shared by create and modify

/**
 * An instance class Neptune doesn't sell gets RDS's combination message (observed wording of RDS's
 * InvalidParameterCombination for an unsupported class/engine/version).
 */
function checkInstanceClass(instanceClass: string, version: string): void {
  if (!isInstanceClass(instanceClass)) {
    throw CommonErrors.invalidParameterCombination(
      `RDS does not support creating a DB instance with the following combination: DBInstanceClass=${instanceClass}, Engine=${ENGINE}, EngineVersion=${version}, LicenseModel=amazon-license. For supported combinations of instance class and database engine version, see the documentation.`,
    );
  }
}

/** PromotionTier: "Default: 1. Valid Values: 0 - 15" (API reference). *Decided* wording. */
function checkPromotionTier(tier: number): void {
  if (!Number.isInteger(tier) || tier < 0 || tier > 15) {
    throw CommonErrors.invalidParameterValue(`Invalid value ${tier} for PromotionTier. Must be between 0 and 15`);
  }
}

/** The parameter group family of a member's engine version (always one Neptune offers: its cluster's). */
const familyOf = (version: string) => familyOfEngineVersion(version) ?? "";

/**
 * Settings the cluster manages can't be set on a member instance. Observed for Aurora: "The requested DB Instance
 * will be a member of a DB Cluster and its storage encryption key should not be set directly."; the backup
 * retention text follows the same pattern (*decided*).
 */
function refuseClusterManaged(
  request: { KmsKeyId?: string; BackupRetentionPeriod?: number },
  verb: "will be" | "is",
): void {
  if (request.KmsKeyId !== undefined) {
    throw CommonErrors.invalidParameterCombination(
      "The requested DB Instance will be a member of a DB Cluster and its storage encryption key should not be set directly.",
    );
  }
  if (request.BackupRetentionPeriod !== undefined) {
    throw CommonErrors.invalidParameterCombination(
      `The requested DB Instance ${verb} a member of a DB Cluster. Set backup retention period for the DB Cluster.`,
    );
  }
}

/** An Availability Zone for a new member: the one asked for (one of the cluster's), else the least used of them. */
function zoneFor(cluster: ClusterRecord, members: InstanceRecord[], requested: string | undefined): string {
  if (requested !== undefined) {
    if (!cluster.AvailabilityZones.includes(requested)) {
      // *Decided* wording for a zone outside the cluster's.
      throw CommonErrors.invalidParameterCombination(
        `Requested Availability Zone ${requested} is not one of the Availability Zones of DB cluster ${cluster.DBClusterIdentifier}.`,
      );
    }
    return requested;
  }
  const used = (zone: string) => members.filter((m) => m.AvailabilityZone === zone).length;
  return [...cluster.AvailabilityZones].sort((x, y) => used(x) - used(y))[0] ?? `${cluster.AvailabilityZones[0]}`;
}

function instanceIdFree(scope: NeptuneScope, id: string): void {
  // moto's text for DBInstanceAlreadyExists (wire code DBInstanceAlreadyExists, 400).
  if (instanceTable(scope.store, scope.accountId, scope.region).has(id))
    throw neptuneFault("DBInstanceAlreadyExistsFault", "DB instance already exists");
}

// ---------------------------------------------------------------------------------------------- create

/**
 * CreateDBInstance (reference §4.3). Order of checks: the engine (only `neptune`), the identifier, the cluster
 * (DBClusterNotFoundFault), a free identifier, the cluster being available (InvalidDBClusterStateFault: a restored
 * cluster takes instances only once available, R11), settings the cluster manages, the class (one Neptune sells, and
 * in a global database's member one global databases take), the engine version
 * (the cluster's), the parameter group, the zone, the promotion tier, the maintenance window and the tags.
 */
export function createInstance(scope: NeptuneScope, request: CreateDBInstanceMessage): DBInstance {
  checkEngineName(request.Engine);
  const id = validIdentifier(request.DBInstanceIdentifier, "DBInstanceIdentifier");
  const cluster = findCluster(scope, request.DBClusterIdentifier);
  instanceIdFree(scope, id);
  requireUsable(scope, cluster);
  refuseClusterManaged(request, "will be");
  checkInstanceClass(request.DBInstanceClass, request.EngineVersion ?? cluster.EngineVersion);
  checkMemberInstanceClass(scope, cluster, request.DBInstanceClass);
  if (request.EngineVersion !== undefined && request.EngineVersion !== cluster.EngineVersion) {
    // *Decided* wording, after RDS's engine-name mismatch text (reference §4.3).
    throw CommonErrors.invalidParameterCombination(
      `The engine version requested for your DB instance (${request.EngineVersion}) doesn't match the engine version of your DB cluster (${cluster.EngineVersion}).`,
    );
  }
  const parameterGroup = instanceParameterGroupFor(
    scope,
    request.DBParameterGroupName,
    familyOf(cluster.EngineVersion),
  );
  const members = membersOf(scope, cluster.DBClusterIdentifier);
  const zone = zoneFor(cluster, members, request.AvailabilityZone);
  const tier = request.PromotionTier ?? 1;
  checkPromotionTier(tier);
  // Default: the cluster's maintenance window (which is known not to overlap its backup window).
  const { PreferredMaintenanceWindow } = validWindows(
    cluster.PreferredBackupWindow,
    request.PreferredMaintenanceWindow ?? cluster.PreferredMaintenanceWindow,
  );
  const tags = request.Tags ?? [];
  validateTags(tags);

  const resourceId = randomId("db-", 26);
  const instance: InstanceRecord = {
    DBInstanceIdentifier: id,
    DbiResourceId: resourceId,
    port: takeInstancePort(scope, resourceId),
    DBClusterIdentifier: cluster.DBClusterIdentifier,
    DBInstanceClass: request.DBInstanceClass,
    Engine: ENGINE,
    EngineVersion: cluster.EngineVersion,
    AvailabilityZone: zone,
    PromotionTier: tier,
    PreferredMaintenanceWindow,
    DBParameterGroupName: parameterGroup,
    AutoMinorVersionUpgrade: request.AutoMinorVersionUpgrade ?? true,
    PubliclyAccessible: request.PubliclyAccessible ?? false,
    CACertificateIdentifier: DEFAULT_CA_CERTIFICATE,
    CopyTagsToSnapshot: request.CopyTagsToSnapshot ?? false,
    DeletionProtection: request.DeletionProtection ?? false,
    createdAt: scope.now,
    activity: { kind: "creating", since: scope.now },
  };
  startInstance(scope, cluster, instance);
  instanceTable(scope.store, scope.accountId, scope.region).put(id, instance);
  // The first member (or the first after the writer went away) is the writer; a global database's secondary is
  // read-only, all its instances readers (global-clusters-members.ts).
  if (
    mayWrite(scope, cluster) &&
    (!cluster.writer ||
      !members.some((m) => m.DBInstanceIdentifier === cluster.writer && m.activity.kind !== "deleting"))
  ) {
    cluster.writer = id;
    saveCluster(scope, cluster);
  }
  if (tags.length > 0)
    setTags(scope.store, scope.accountId, scope.region, instanceArn(scope.region, scope.accountId, id), tags);
  // RDS-EVENT-0005.
  announceActivityEnd(scope, instance, "DB instance created", ["creation"]);
  return responseView(scope, instance, cluster, true);
}

// ---------------------------------------------------------------------------------------------- describe

/**
 * DescribeDBInstances: one instance by identifier or ARN (DBInstanceNotFoundFault otherwise, which the AWS CLI's
 * `db-instance-deleted` waiter takes as success), or all of the caller's, in identifier order, filtered by
 * `db-cluster-id`, `db-instance-id` (identifiers or ARNs), `dbi-resource-id` and `engine`, one page at a time.
 */
export function describeInstances(
  scope: NeptuneScope,
  request: DescribeDBInstancesMessage,
): { DBInstances: DBInstance[]; Marker?: string } {
  let instances =
    request.DBInstanceIdentifier !== undefined
      ? [findInstance(scope, request.DBInstanceIdentifier)]
      : instanceTable(scope.store, scope.accountId, scope.region)
          .values()
          .sort((x, y) => x.DBInstanceIdentifier.localeCompare(y.DBInstanceIdentifier));
  instances = applyFilters(instances, request.Filters, {
    "db-cluster-id": (i) => [i.DBClusterIdentifier, clusterArn(scope.region, scope.accountId, i.DBClusterIdentifier)],
    "db-instance-id": (i) => [
      i.DBInstanceIdentifier,
      instanceArn(scope.region, scope.accountId, i.DBInstanceIdentifier),
    ],
    "dbi-resource-id": (i) => [i.DbiResourceId],
    engine: (i) => [i.Engine],
  });
  return listPage("DBInstances", instances, request, (i) => instanceView(scope, i));
}

// ---------------------------------------------------------------------------------------------- modify, reboot

/**
 * Changes that wait for the instance's maintenance window unless ApplyImmediately (API reference, ModifyDBInstance:
 * DBInstanceClass "The change is applied during the next maintenance window, unless ApplyImmediately"; the same for
 * NewDBInstanceIdentifier; CACertificateIdentifier is one of PendingModifiedValues too). Each restarts the instance.
 */
type DeferredChanges = Pick<PendingChange, "DBInstanceClass" | "identifier" | "CACertificateIdentifier">;

/** CertificateNotFound (404); observed wording "Certificate rds-ca-2019 not found" (the expired CA). */
function checkCertificate(id: string): void {
  if (!isCaCertificate(id)) throw neptuneFault("CertificateNotFoundFault", `Certificate ${id} not found`);
}

/**
 * The request's deferred changes that change something, checked: a new identifier must be valid and free
 * (DBInstanceAlreadyExists), a class one Neptune sells, a CA certificate one that exists.
 */
function deferredChanges(
  scope: NeptuneScope,
  instance: InstanceRecord,
  cluster: ClusterRecord | undefined,
  request: ModifyDBInstanceMessage,
) {
  const changes: DeferredChanges = {};
  if (request.NewDBInstanceIdentifier !== undefined) {
    const id = validIdentifier(request.NewDBInstanceIdentifier, "NewDBInstanceIdentifier");
    if (id !== instance.DBInstanceIdentifier) {
      instanceIdFree(scope, id);
      changes.identifier = id;
    }
  }
  if (request.DBInstanceClass !== undefined && request.DBInstanceClass !== instance.DBInstanceClass) {
    checkInstanceClass(request.DBInstanceClass, instance.EngineVersion);
    if (cluster) checkMemberInstanceClass(scope, cluster, request.DBInstanceClass);
    changes.DBInstanceClass = request.DBInstanceClass;
  }
  const certificate = request.CACertificateIdentifier;
  if (certificate !== undefined && certificate !== instance.CACertificateIdentifier) {
    checkCertificate(certificate);
    changes.CACertificateIdentifier = certificate;
  }
  return changes;
}

/**
 * Applies deferred changes at `at` (the request's time with ApplyImmediately, else the maintenance window's start):
 * the instance restarts, `modifying` (`renaming` for a rename alone) for `delays.clusterModifyMs`, and takes what
 * its parameter groups hold now, as at any start (startInstance). A rename to an identifier taken since it was
 * asked for is dropped.
 */
function applyChanges(
  scope: NeptuneScope,
  instance: InstanceRecord,
  cluster: ClusterRecord | undefined,
  changes: DeferredChanges,
  at: number,
): void {
  const free = (id: string) => !instanceTable(scope.store, scope.accountId, scope.region).has(id);
  const renamed = changes.identifier !== undefined && free(changes.identifier);
  if (renamed) renameInstance(scope, instance, changes.identifier!);
  const modified = changes.DBInstanceClass !== undefined || changes.CACertificateIdentifier !== undefined;
  if (changes.DBInstanceClass !== undefined) instance.DBInstanceClass = changes.DBInstanceClass;
  if (changes.CACertificateIdentifier !== undefined) instance.CACertificateIdentifier = changes.CACertificateIdentifier;
  if (!modified && !renamed) return;
  instance.activity = { kind: modified ? "modifying" : "renaming", since: at };
  startInstance(scope, cluster, instance);
  // RDS-EVENT-0014.
  if (changes.DBInstanceClass !== undefined)
    announceActivityEnd(scope, instance, "Finished applying modification to DB instance class", [
      "configuration change",
    ]);
}

/** Applies instances' changes pending until their maintenance window, once it has come (catch-up.ts). */
export function applyDueInstanceChanges(scope: NeptuneScope): void {
  for (const instance of instanceTable(scope.store, scope.accountId, scope.region).values()) {
    const pending = instance.pending;
    if (!pending) continue;
    const windowStart = nextMaintenanceStart(instance.PreferredMaintenanceWindow, pending.requestedAt);
    if (windowStart > scope.now) continue;
    instance.pending = undefined;
    applyChanges(scope, instance, clusterOf(scope, instance), pending, windowStart);
    saveInstance(scope, instance);
  }
}

/**
 * ModifyDBInstance. Order of checks: the instance (DBInstanceNotFound, then InvalidDBInstanceState unless
 * available), settings the cluster manages (InvalidParameterCombination), the engine version (its cluster's), the
 * new identifier, class and CA certificate, the promotion tier, the parameter group (DBParameterGroupNotFound,
 * of the instance's family), the maintenance window. The class, the identifier and the CA certificate wait for
 * the maintenance window (PendingModifiedValues) unless ApplyImmediately, which applies them and any pending ones
 * now ("the modifications in this request and any pending modifications are asynchronously applied as soon as
 * possible", API reference). The rest applies at once; a new parameter group's parameters only at the next
 * reboot (its ParameterApplyStatus is `pending-reboot`: parameter-apply-status.ts).
 */
export function modifyInstance(scope: NeptuneScope, request: ModifyDBInstanceMessage): DBInstance {
  const { instance, cluster } = availableInstance(scope, request.DBInstanceIdentifier);
  const activityBefore = instance.activity;
  refuseClusterManaged({ BackupRetentionPeriod: request.BackupRetentionPeriod }, "is");
  if (request.EngineVersion !== undefined && request.EngineVersion !== instance.EngineVersion) {
    // *Decided* wording: a member's version follows its cluster's (ModifyDBCluster EngineVersion).
    throw CommonErrors.invalidParameterCombination(
      "The engine version of a DB instance in a DB cluster can only be changed by modifying the DB cluster.",
    );
  }
  const changes = deferredChanges(scope, instance, cluster, request);
  if (request.PromotionTier !== undefined) checkPromotionTier(request.PromotionTier);
  const parameterGroup =
    request.DBParameterGroupName === undefined
      ? instance.DBParameterGroupName
      : instanceParameterGroupFor(scope, request.DBParameterGroupName, familyOf(instance.EngineVersion));
  const maintenance =
    request.PreferredMaintenanceWindow === undefined
      ? instance.PreferredMaintenanceWindow
      : validWindows(cluster?.PreferredBackupWindow ?? "00:00-00:30", request.PreferredMaintenanceWindow)
          .PreferredMaintenanceWindow;

  Object.assign(instance, {
    PromotionTier: request.PromotionTier ?? instance.PromotionTier,
    DBParameterGroupName: parameterGroup,
    PreferredMaintenanceWindow: maintenance,
    AutoMinorVersionUpgrade: request.AutoMinorVersionUpgrade ?? instance.AutoMinorVersionUpgrade,
    CopyTagsToSnapshot: request.CopyTagsToSnapshot ?? instance.CopyTagsToSnapshot,
    DeletionProtection: request.DeletionProtection ?? instance.DeletionProtection,
    PubliclyAccessible: request.PubliclyAccessible ?? instance.PubliclyAccessible,
  });
  if (request.ApplyImmediately) {
    const all = { ...instance.pending, ...changes };
    instance.pending = undefined;
    applyChanges(scope, instance, cluster, all, scope.now);
  } else if (Object.keys(changes).length > 0) {
    instance.pending = { requestedAt: scope.now, ...instance.pending, ...changes };
  }
  saveInstance(scope, instance);
  return responseView(scope, instance, cluster, activityBefore !== instance.activity);
}

/**
 * RebootDBInstance: an available instance goes `rebooting` for `delays.clusterModifyMs`, and starts with what its
 * parameter groups hold now (static parameters take effect at a reboot: parameter-apply-status.ts).
 */
export function rebootInstance(scope: NeptuneScope, request: RebootDBInstanceMessage): DBInstance {
  const { instance, cluster } = availableInstance(scope, request.DBInstanceIdentifier);
  instance.activity = { kind: "rebooting", since: scope.now };
  startInstance(scope, cluster, instance);
  saveInstance(scope, instance);
  // RDS-EVENT-0006.
  announceActivityEnd(scope, instance, "DB instance restarted", ["availability"]);
  return responseView(scope, instance, cluster, true);
}

// ---------------------------------------------------------------------------------------------- delete

/**
 * DeleteDBInstance. A cluster member needs no final snapshot (the cluster's storage stays); *decided*: naming one
 * is refused, as Neptune keeps snapshots at the cluster level. Deleting the writer promotes the first reader in
 * promotion order. The instance is `deleting`, then gone after `delays.deleteMs`.
 */
export function deleteInstance(scope: NeptuneScope, request: DeleteDBInstanceMessage): DBInstance {
  if (request.FinalDBSnapshotIdentifier !== undefined && request.FinalDBSnapshotIdentifier !== "") {
    throw CommonErrors.invalidParameterCombination(
      "FinalDBSnapshotIdentifier can't be specified when deleting a DB instance that is a member of a DB cluster.",
    );
  }
  const instance = findInstance(scope, request.DBInstanceIdentifier);
  if (instance.activity.kind === "deleting") {
    // Observed RDS wording.
    throw neptuneFault(
      "InvalidDBInstanceStateFault",
      `Instance ${instance.DBInstanceIdentifier} is already being deleted.`,
    );
  }
  if (instance.DeletionProtection) {
    throw CommonErrors.invalidParameterCombination(
      "Cannot delete protected DB Instance, please disable deletion protection and try again.",
    );
  }
  instance.activity = { kind: "deleting", since: scope.now };
  instance.pending = undefined;
  saveInstance(scope, instance);
  const cluster = clusterOf(scope, instance);
  if (cluster && cluster.writer === instance.DBInstanceIdentifier) {
    const readers = membersOf(scope, cluster.DBClusterIdentifier).filter((i) => i.activity.kind !== "deleting");
    cluster.writer = promotionOrder(readers)[0]?.DBInstanceIdentifier;
    saveCluster(scope, cluster);
  }
  return responseView(scope, instance, cluster, true);
}
