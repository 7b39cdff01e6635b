import type { ImageRef } from "./data-plane/graph-images.js";
import type { EventId } from "./data-plane/streams.js";
import type { StreamSettings } from "./data-plane/streams-settings.js";
import type { StartedParameters } from "./parameter-apply-status.js";
import type { Store, Table } from "../../state/store.js";

/**
 * The plain-data records of Neptune clusters, instances and cluster snapshots, and the store tables that hold
 * them. Member names follow the API shapes (PascalCase) so that a record reads like the DBCluster / DBInstance /
 * DBClusterSnapshot it is shown as; internal fields are camelCase. Times are epoch milliseconds (records stay
 * serializable); wrapped data keys are Buffers. Statuses are never stored: lifecycle.ts derives them from the
 * timestamps here, `emulator.delays` and the clock.
 */

/** Store tables, one per (account, region); rows are keyed by the lowercase identifier. */
export const CLUSTERS_TABLE = "neptune.clusters";
export const INSTANCES_TABLE = "neptune.instances";
/** Manual and automated cluster snapshots share one table (automated ids keep their `rds:` prefix). */
export const CLUSTER_SNAPSHOTS_TABLE = "neptune.clusterSnapshots";
export const CLUSTER_ENDPOINTS_TABLE = "neptune.clusterEndpoints";

/**
 * A transition in progress (or finished): what, and since when. How long it lasts comes from the delays
 * (lifecycle.ts); once over, the resource is in its steady state (available or stopped) or, after `deleting`,
 * gone.
 */
export interface Activity {
  kind:
    | "creating"
    | "modifying"
    | "renaming"
    | "upgrading"
    | "stopping"
    | "starting"
    | "failing-over"
    | "rebooting"
    | "deleting";
  since: number;
}

export interface AssociatedRole {
  RoleArn: string;
  FeatureName?: string;
}

/** A modification requested without ApplyImmediately: applied at the next maintenance window after `requestedAt`. */
export interface PendingChange {
  requestedAt: number;
  /** A rename (NewDBClusterIdentifier / NewDBInstanceIdentifier), stored lowercase. */
  identifier?: string;
  /** Instances only. */
  DBInstanceClass?: string;
  /** Instances only. */
  CACertificateIdentifier?: string;
}

export interface ClusterRecord {
  DBClusterIdentifier: string;
  DbClusterResourceId: string;
  Engine: "neptune";
  EngineVersion: string;
  Port: number;
  MasterUsername: string;
  DBClusterParameterGroup: string;
  DBSubnetGroup: string;
  AvailabilityZones: string[];
  VpcSecurityGroupIds: string[];
  BackupRetentionPeriod: number;
  PreferredBackupWindow: string;
  PreferredMaintenanceWindow: string;
  StorageEncrypted: boolean;
  /** The key's ARN (as AWS shows KmsKeyId) when StorageEncrypted. */
  KmsKeyId?: string;
  /** The cluster's storage data key, wrapped under KmsKeyId; the plaintext is never stored. */
  wrappedDataKey?: Buffer;
  /** The grant Neptune holds on the key for this cluster (retired when the cluster is gone). */
  kmsGrantId?: string;
  DeletionProtection: boolean;
  CopyTagsToSnapshot: boolean;
  IAMDatabaseAuthenticationEnabled: boolean;
  EnabledCloudwatchLogsExports: string[];
  /** `standard` or `iopt1`. */
  StorageType: string;
  AssociatedRoles: AssociatedRole[];
  ServerlessV2ScalingConfiguration?: { MinCapacity?: number; MaxCapacity?: number };
  /** When CreateDBCluster (or a restore) was called. */
  ClusterCreateTime: number;
  activity: Activity;
  /** The steady state once `activity` is over: true after StopDBCluster until StartDBCluster. */
  stopped: boolean;
  /** The writer instance's identifier; readers are the other members. */
  writer?: string;
  /** The start of the newest automated backup, for `backing-up` and for finding the next one due. */
  lastBackupAt?: number;
  /** Backup windows up to this time have been dealt with (taken, or skipped while stopped). */
  backupsCheckedUntil?: number;
  pending?: PendingChange;
  /** The GlobalClusterResourceId of the global database it is a member of (global-clusters-members.ts). */
  globalClusterResourceId?: string;
}

export interface InstanceRecord {
  DBInstanceIdentifier: string;
  DbiResourceId: string;
  DBClusterIdentifier: string;
  DBInstanceClass: string;
  /** The port of the instance's own endpoint on this machine (data-plane/ports.ts). */
  port?: number;
  Engine: "neptune";
  EngineVersion: string;
  AvailabilityZone: string;
  PromotionTier: number;
  PreferredMaintenanceWindow: string;
  DBParameterGroupName: string;
  AutoMinorVersionUpgrade: boolean;
  PubliclyAccessible: boolean;
  CACertificateIdentifier: string;
  CopyTagsToSnapshot: boolean;
  DeletionProtection: boolean;
  /** When CreateDBInstance was called. */
  createdAt: number;
  activity: Activity;
  pending?: PendingChange;
  /** Neptune Streams as the cluster parameter group set them when the instance last (re)booted (static parameters). */
  streams?: StreamSettings;
  /** Its DB parameter group and that group's static parameters when it last (re)booted (parameter-apply-status.ts). */
  dbParameters?: StartedParameters;
}

/**
 * A DB cluster snapshot, shaped like the API's DBClusterSnapshot. `SnapshotCreateTime` is when it started; its
 * Status and PercentProgress are derived from that and `delays.snapshotMs`. Automated snapshots
 * (SnapshotType "automated", id `rds:<cluster>-YYYY-MM-DD-HH-MM`) belong to their cluster and go with it; manual
 * ones outlive it.
 */
export interface ClusterSnapshotRecord {
  DBClusterSnapshotIdentifier: string;
  DBClusterIdentifier: string;
  DBClusterSnapshotArn: string;
  SnapshotType: "automated" | "manual";
  SnapshotCreateTime: number;
  ClusterCreateTime: number;
  Engine: "neptune";
  EngineVersion: string;
  AllocatedStorage: number;
  Port: number;
  VpcId?: string;
  AvailabilityZones: string[];
  MasterUsername: string;
  LicenseModel: string;
  StorageEncrypted: boolean;
  /** The key's ARN (as AWS shows KmsKeyId) when StorageEncrypted. */
  KmsKeyId?: string;
  /** The snapshot's data key, wrapped under KmsKeyId. */
  wrappedDataKey?: Buffer;
  IAMDatabaseAuthenticationEnabled: boolean;
  StorageType: string;
  SourceDBClusterSnapshotArn?: string;
  /** The source cluster's DbClusterResourceId: ties an automated snapshot to its cluster across a rename. */
  sourceClusterResourceId: string;
  /** The `restore` attribute (ModifyDBClusterSnapshotAttribute): account ids it is shared with, `all` = public. */
  sharedWith?: string[];
  /** Grants Neptune holds for a copy in progress (source and target key); retired when the copy ends (snapshots). */
  workGrants?: { keyArn: string; grantId: string }[];
  /** The graph as of SnapshotCreateTime (data-plane/graph-images.ts), shared by copies; none when it was empty. */
  graphImage?: ImageRef;
  /**
   * The cluster's stream position when the snapshot was taken: its newest Neptune Streams event by then (none when
   * the stream had logged nothing). Internal: AWS's DBClusterSnapshot has no such field (docs/streams.md).
   */
  streamPosition?: EventId;
}

/**
 * A custom cluster endpoint (cluster-endpoints.ts). It names its cluster and members by resource id, so that a
 * rename of either keeps it; a member that is gone is simply no longer shown.
 */
export interface ClusterEndpointRecord {
  DBClusterEndpointIdentifier: string;
  DBClusterEndpointResourceIdentifier: string;
  clusterResourceId: string;
  /** READER, WRITER or ANY. */
  CustomEndpointType: string;
  /** DbiResourceIds; at most one of the two lists is non-empty. */
  staticMembers: string[];
  excludedMembers: string[];
  activity: { kind: "creating" | "modifying"; since: number };
  /**
   * Which of its cluster's custom-endpoint addresses it listens on (DataPlaneConfig.customHosts), on the cluster's
   * port. Absent in endpoints stored before they had addresses: those name the data-plane host (the writer).
   */
  slot?: number;
}

/** The tables of one (account, region), typed. */
export const clusterTable = (store: Store, accountId: string, region: string): Table<ClusterRecord> =>
  store.table(CLUSTERS_TABLE, accountId, region);
export const instanceTable = (store: Store, accountId: string, region: string): Table<InstanceRecord> =>
  store.table(INSTANCES_TABLE, accountId, region);
export const clusterSnapshotTable = (store: Store, accountId: string, region: string): Table<ClusterSnapshotRecord> =>
  store.table(CLUSTER_SNAPSHOTS_TABLE, accountId, region);
export const clusterEndpointTable = (place: Place): Table<ClusterEndpointRecord> =>
  place.store.table(CLUSTER_ENDPOINTS_TABLE, place.accountId, place.region);

/** Where a record lives: an (account, region) of a store. NeptuneScope is one. */
export interface Place {
  store: Store;
  accountId: string;
  region: string;
}

/** Writes a changed record back (the memory store holds the same object; a durable one needs the write). */
export function saveCluster(place: Place, cluster: ClusterRecord): void {
  clusterTable(place.store, place.accountId, place.region).put(cluster.DBClusterIdentifier, cluster);
}

export function saveInstance(place: Place, instance: InstanceRecord): void {
  instanceTable(place.store, place.accountId, place.region).put(instance.DBInstanceIdentifier, instance);
}

/** Event subscriptions (event-subscriptions.ts), keyed by their lowercase name. */
export const EVENT_SUBSCRIPTIONS_TABLE = "neptune.eventSubscriptions";

/**
 * An event subscription, shaped like the API's EventSubscription. Its Status is derived (creating → active, from
 * `createdAt`); the SNS topic is kept, never called.
 */
export interface EventSubscriptionRecord {
  CustSubscriptionId: string;
  SnsTopicArn: string;
  SourceType?: string;
  /** Stored identifiers of the sources (lowercase), in the order they were added. */
  SourceIdsList: string[];
  EventCategoriesList: string[];
  Enabled: boolean;
  EventSubscriptionArn: string;
  createdAt: number;
}

export const eventSubscriptionTable = (place: Place): Table<EventSubscriptionRecord> =>
  place.store.table(EVENT_SUBSCRIPTIONS_TABLE, place.accountId, place.region);
