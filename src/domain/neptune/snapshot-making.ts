import type { Tag } from "../../generated/neptune.js";
import { clusterArn, clusterSnapshotArn } from "./arn.js";
import { releaseImage, retainImage, type ImageRef } from "./data-plane/graph-images.js";
import type { EventId } from "./data-plane/streams.js";
import { graphSourceOf } from "./global-clusters-members.js";
import { announce, snapshotSource, type NeptuneScope } from "./lifecycle.js";
import { clusterSnapshotTable, type ClusterRecord, type ClusterSnapshotRecord } from "./records.js";
import { getTags, setTags } from "./tags.js";

/**
 * How a cluster snapshot comes to be, whoever takes it (an automated backup, CreateDBClusterSnapshot, a final
 * snapshot, a copy): the record taken from a cluster, stored with the cluster's tags, ready `delays.snapshotMs`
 * after it started, and announced by the events RDS sends when it starts and when it is done.
 */

/**
 * A snapshot of the cluster as it is, started at `at`. It carries the cluster's key and wrapped data key (a
 * snapshot of an encrypted cluster is encrypted with the same key) and the image of its graph as of `at`, sealed
 * with that data key. Neptune's snapshot shape has no
 * LicenseModel value on record; *decided*: `neptune`, as Aurora reports its engine name there.
 */
export function snapshotOfCluster(
  scope: NeptuneScope,
  cluster: ClusterRecord,
  snapshot: { DBClusterSnapshotIdentifier: string; SnapshotType: "automated" | "manual"; at: number; VpcId?: string },
): ClusterSnapshotRecord {
  const source = graphSourceOf(scope, cluster);
  return {
    DBClusterSnapshotIdentifier: snapshot.DBClusterSnapshotIdentifier,
    DBClusterIdentifier: cluster.DBClusterIdentifier,
    DBClusterSnapshotArn: clusterSnapshotArn(scope.region, scope.accountId, snapshot.DBClusterSnapshotIdentifier),
    SnapshotType: snapshot.SnapshotType,
    SnapshotCreateTime: snapshot.at,
    ClusterCreateTime: cluster.ClusterCreateTime,
    Engine: cluster.Engine,
    EngineVersion: cluster.EngineVersion,
    AllocatedStorage: 1,
    Port: cluster.Port,
    ...(snapshot.VpcId ? { VpcId: snapshot.VpcId } : {}),
    AvailabilityZones: [...cluster.AvailabilityZones],
    MasterUsername: cluster.MasterUsername,
    LicenseModel: "neptune",
    StorageEncrypted: cluster.StorageEncrypted,
    ...(cluster.StorageEncrypted && cluster.KmsKeyId
      ? {
          KmsKeyId: cluster.KmsKeyId,
          ...(cluster.wrappedDataKey ? { wrappedDataKey: Buffer.from(cluster.wrappedDataKey) } : {}),
        }
      : {}),
    IAMDatabaseAuthenticationEnabled: cluster.IAMDatabaseAuthenticationEnabled,
    StorageType: cluster.StorageType,
    sourceClusterResourceId: cluster.DbClusterResourceId,
    ...withGraphImage(graphImageOf(scope, cluster, snapshot.at)),
    ...withStreamPosition(scope.graphs.streamPositionAt(source.scope, source.cluster, snapshot.at)),
  };
}

/**
 * The graph a snapshot holds: the cluster's own, or for a global database's secondary the graph its storage
 * replicates (graphSourceOf), sealed under the secondary's key as the snapshot is.
 */
function graphImageOf(scope: NeptuneScope, cluster: ClusterRecord, at: number): ImageRef | undefined {
  const source = graphSourceOf(scope, cluster);
  return source.cluster === cluster
    ? scope.graphs.imageAt(scope, cluster, at)
    : scope.graphs.imageFrom(scope, cluster, source, at);
}

const withGraphImage = (image: ImageRef | undefined) => (image ? { graphImage: image } : {});
const withStreamPosition = (position: EventId | undefined) => (position ? { streamPosition: position } : {});

/** The snapshot record is going away: its graph image loses a reference (and goes with the last one). */
export function releaseSnapshotGraph(scope: NeptuneScope, snapshot: ClusterSnapshotRecord): void {
  if (snapshot.graphImage) releaseImage(scope.store, snapshot.graphImage);
}

/** A new record (a copy) refers to the snapshot's graph image too: O(1), whatever the graph's size. */
export function shareSnapshotGraph(scope: NeptuneScope, snapshot: ClusterSnapshotRecord): void {
  if (snapshot.graphImage) retainImage(scope.store, snapshot.graphImage);
}

/**
 * Stores a snapshot of the cluster with its tags: the explicit ones, else the cluster's when it has
 * CopyTagsToSnapshot ("If tags are provided at creation, AWS does not copy tags from the db_cluster", moto).
 */
export function storeSnapshot(
  scope: NeptuneScope,
  cluster: ClusterRecord,
  snapshot: ClusterSnapshotRecord,
  tags: Tag[] = [],
): void {
  clusterSnapshotTable(scope.store, scope.accountId, scope.region).put(snapshot.DBClusterSnapshotIdentifier, snapshot);
  const copied =
    tags.length > 0
      ? tags
      : cluster.CopyTagsToSnapshot
        ? getTags(
            scope.store,
            scope.accountId,
            scope.region,
            clusterArn(scope.region, scope.accountId, cluster.DBClusterIdentifier),
          )
        : [];
  if (copied.length > 0) setTags(scope.store, scope.accountId, scope.region, snapshot.DBClusterSnapshotArn, copied);
}

/** When a snapshot (or a copy) started at SnapshotCreateTime is done: `delays.snapshotMs` later. */
export function snapshotReadyAt(scope: Pick<NeptuneScope, "delays">, snapshot: ClusterSnapshotRecord): number {
  return snapshot.SnapshotCreateTime + scope.delays.snapshotMs;
}

const STARTED = { manual: "Creating manual cluster snapshot", automated: "Creating automated cluster snapshot" };
const DONE = { manual: "Manual cluster snapshot created", automated: "Automated cluster snapshot created" };

/**
 * RDS-EVENT-0074 / RDS-EVENT-0075 for a manual snapshot (or a copy), RDS-EVENT-0168 / RDS-EVENT-0169 for an
 * automated one: dated when it starts, and when it becomes available.
 */
export function announceSnapshot(scope: NeptuneScope, snapshot: ClusterSnapshotRecord): void {
  const source = snapshotSource(snapshot);
  announce(scope, source, STARTED[snapshot.SnapshotType], ["backup"], snapshot.SnapshotCreateTime);
  announce(scope, source, DONE[snapshot.SnapshotType], ["backup"], snapshotReadyAt(scope, snapshot));
}
