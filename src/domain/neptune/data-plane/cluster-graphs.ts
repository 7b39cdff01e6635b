import { GraphEngine } from "../../../graph/engine.js";
import { PropertyGraph } from "../../../graph/model/graph.js";
import type { Change } from "../../../graph/storage/changes.js";
import { serialize } from "../../../graph/storage/serialize.js";
import type { Clock } from "../../../state/clock.js";
import type { KmsServiceAccess } from "../../kms/service-access.js";
import type { ClusterRecord } from "../records.js";
import {
  addCheckpoint,
  appendChanges,
  dropHistory,
  graphAt,
  hasLogSinceCheckpoint,
  headOf,
  prune,
  startFrom,
  thinCheckpoints,
  type GraphHead,
  type GraphPlace,
} from "./graph-history.js";
import {
  imageSealed,
  imageSize,
  readImage,
  releaseImage,
  retainImage,
  storeImage,
  type ImageRef,
} from "./graph-images.js";
import type { DataKey } from "./graph-sealing.js";
import { OpenTransactions } from "./open-transactions.js";
import {
  appendToStream,
  copyStream,
  dropStream,
  readStream,
  streamPositionAt,
  type EventId,
  type StreamPage,
  type StreamQuery,
} from "./streams.js";
import { STREAMS_OFF, type StreamSettings } from "./streams-settings.js";

/** What the graphs need of a request's world: the store, the cluster's place, KMS (for data keys). */
export interface GraphScope extends GraphPlace {
  kms: KmsServiceAccess | undefined;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The log is compacted into a new checkpoint once it is larger than the newest image (so rewriting the image costs
 * no more than the writes that led to it), and at least this large.
 */
const COMPACT_MIN_BYTES = 1 << 20;

/** A cluster's graph in memory, made from its stored history at `version`. */
interface LiveGraph {
  engine: GraphEngine;
  place: GraphPlace;
  createdAt: number;
  /** The plaintext data key, in memory only while the cluster serves (none for an unencrypted cluster). */
  dataKey: DataKey;
  /** The head's version the graph matches. */
  version: number;
  retentionDays: number;
  /** Neptune Streams as the writer instance serves them: each commit is logged to the stream while enabled. */
  streams: StreamSettings;
}

/**
 * The live graph of each cluster, by DbClusterResourceId (stable across renames), loaded lazily from the store on
 * first use (after a restart too) and kept in memory while the cluster serves. Every committed write query
 * appends its changes to the cluster's log in the store, in the unit of work of the request; a live graph whose
 * stored history moved on without it (a unit of work rolled back, a reset or import of the state) is reloaded.
 * Snapshots and restores exchange images with it.
 */
export class ClusterGraphs {
  readonly #live = new Map<string, LiveGraph>();
  /** The transactions held open across requests (Gremlin sessions) and the elements they lock. */
  readonly transactions = new OpenTransactions();

  constructor(readonly clock: Clock) {}

  /**
   * The cluster's engine, with the query timeout of its parameter group; its commits are logged to the cluster's
   * Neptune Stream when `streams` (the answering instance's settings) has them on.
   */
  engine(scope: GraphScope, cluster: ClusterRecord, queryTimeoutMs: number, streams = STREAMS_OFF): GraphEngine {
    const live = this.#current(scope, cluster);
    live.streams = streams;
    if (live.engine.options.queryTimeoutMs !== queryTimeoutMs) {
      const { graph } = live.engine;
      live.engine = new GraphEngine(graph, this.clock, { queryTimeoutMs });
    }
    return live.engine;
  }

  /** Empties the cluster's graph (fast reset): a checkpoint of the empty graph. */
  reset(scope: GraphScope, cluster: ClusterRecord): void {
    const live = this.#current(scope, cluster);
    const head = this.#head(live, cluster.DbClusterResourceId);
    head.lastWriteAt = this.#now();
    addCheckpoint(live.place, cluster.DbClusterResourceId, head, undefined, this.#now());
    // Fast reset clears the stream too (docs manage-console-fast-reset.html: streams are cleared).
    dropStream(live.place, cluster.DbClusterResourceId);
    live.engine.graph.onCommit = undefined;
    live.engine = new GraphEngine(new PropertyGraph(), this.clock, live.engine.options);
    this.#watch(live, cluster.DbClusterResourceId);
    live.version = head.version;
  }

  /**
   * An image of the cluster's graph as of `at` (a snapshot, a point-in-time restore), referred to once by the
   * caller; undefined for an empty graph. When nothing changed since `at` the newest checkpoint serves (O(1)), or
   * one is made of the live graph; an earlier time is rebuilt from the checkpoint and the log of that time.
   */
  imageAt(scope: GraphScope, cluster: ClusterRecord, at: number): ImageRef | undefined {
    const id = cluster.DbClusterResourceId;
    const head = headOf(scope, id, cluster.ClusterCreateTime);
    if (head.lastWriteAt === undefined || head.lastWriteAt <= at) {
      if (hasLogSinceCheckpoint(head)) this.#compact(this.#current(scope, cluster), id);
      const newest = headOf(scope, id, cluster.ClusterCreateTime).checkpoints.at(-1)!.image;
      if (newest) retainImage(scope.store, newest);
      return newest;
    }
    const dataKey = this.#dataKey(scope, cluster);
    const image = imageOf(scope, graphAt(scope, id, head, at, dataKey), dataKey);
    dataKey?.fill(0);
    return image;
  }

  /**
   * An image of the graph another cluster serves, as of `at`, sealed under `cluster`'s own data key in its own place:
   * a snapshot of a global database's secondary holds the graph its storage replicates from the primary (`from`),
   * not the secondary's own history. Both data keys are opened first, so a key that can't be used writes nothing.
   */
  imageFrom(
    scope: GraphScope,
    cluster: ClusterRecord,
    from: { scope: GraphScope; cluster: ClusterRecord },
    at: number,
  ): ImageRef | undefined {
    const giverId = from.cluster.DbClusterResourceId;
    const giverKey = this.#dataKey(from.scope, from.cluster);
    const dataKey = this.#dataKey(scope, cluster);
    try {
      const head = headOf(from.scope, giverId, from.cluster.ClusterCreateTime);
      const graph =
        head.lastWriteAt === undefined || head.lastWriteAt <= at
          ? this.#current(from.scope, from.cluster).engine.graph
          : graphAt(from.scope, giverId, head, at, giverKey);
      const place = { store: scope.store, accountId: scope.accountId, region: scope.region };
      return imageOf(place, graph, dataKey);
    } finally {
      giverKey?.fill(0);
      dataKey?.fill(0);
    }
  }

  /**
   * Starts a new (restored) cluster's graph from an image (none: empty), taking over the caller's reference to
   * it. The image is shared when it is sealed as the cluster's storage is (a snapshot's data key is the restored
   * cluster's); an unencrypted snapshot restored with a KmsKeyId is sealed anew under the new cluster's data key.
   */
  startFrom(scope: GraphScope, cluster: ClusterRecord, image: ImageRef | undefined): void {
    let start = image;
    if (image && cluster.StorageEncrypted && !imageSealed(scope.store, image)) {
      const dataKey = this.#dataKey(scope, cluster);
      start = storeImage(scope.store, scope, readImage(scope.store, image, undefined), dataKey);
      dataKey?.fill(0);
      releaseImage(scope.store, image);
    }
    startFrom(scope, cluster.DbClusterResourceId, start, this.#now());
  }

  /**
   * The cluster's storage takes the graph another cluster serves, as it is now (a global database's primary moving
   * to it, or a secondary detached with the graph it served): read with the giving cluster's data key and sealed
   * anew under the receiving cluster's own, in the receiving cluster's (account, region), as a new checkpoint of its
   * history (its earlier history stays for point-in-time restores). Both data keys are opened before anything is
   * written, so a key that can't be used (KeyAccessError) changes nothing. The giving cluster's Neptune Stream comes
   * along, in place of the receiving cluster's own (copyStream): its numbering goes on where the giver's stopped.
   */
  receive(scope: GraphScope, cluster: ClusterRecord, from: { scope: GraphScope; cluster: ClusterRecord }): void {
    const giver = this.#current(from.scope, from.cluster);
    const dataKey = this.#dataKey(scope, cluster);
    try {
      const id = cluster.DbClusterResourceId;
      const place = { store: scope.store, accountId: scope.accountId, region: scope.region };
      const head = headOf(place, id, cluster.ClusterCreateTime);
      head.lastWriteAt = this.#now();
      addCheckpoint(place, id, head, imageOf(place, giver.engine.graph, dataKey), this.#now());
      copyStream(
        { place: giver.place, resourceId: from.cluster.DbClusterResourceId, dataKey: giver.dataKey },
        { place, resourceId: id, dataKey },
      );
    } finally {
      dataKey?.fill(0);
    }
  }

  /** The cluster's Neptune Stream records a GetPropertygraphStream asks for (streams.ts). */
  readStream(scope: GraphScope, cluster: ClusterRecord, settings: StreamSettings, query: StreamQuery): StreamPage {
    const dataKey = this.#dataKey(scope, cluster);
    try {
      return readStream(scope, cluster.DbClusterResourceId, dataKey, settings, query, this.#now());
    } finally {
      dataKey?.fill(0);
    }
  }

  /** The cluster's newest stream event committed by `at` (a snapshot's position). */
  streamPositionAt(scope: GraphScope, cluster: ClusterRecord, at: number): EventId | undefined {
    return streamPositionAt(scope, cluster.DbClusterResourceId, at);
  }

  /** Deletes the cluster's stored graph and forgets the live one (the cluster is gone). */
  drop(scope: GraphScope, cluster: ClusterRecord): void {
    dropHistory(scope, cluster.DbClusterResourceId);
    dropStream(scope, cluster.DbClusterResourceId);
    this.evict(cluster.DbClusterResourceId);
  }

  /** Forgets the live graph and its data key (the cluster stopped serving: its key is unusable, or it is gone). */
  evict(resourceId: string): void {
    const live = this.#live.get(resourceId);
    if (!live) return;
    live.dataKey?.fill(0);
    live.engine.graph.onCommit = undefined;
    this.#live.delete(resourceId);
  }

  /** The live graph, loaded (or reloaded) when the stored history is not the one it was made from. */
  #current(scope: GraphScope, cluster: ClusterRecord): LiveGraph {
    const id = cluster.DbClusterResourceId;
    const head = headOf(scope, id, cluster.ClusterCreateTime);
    let live = this.#live.get(id);
    if (!live || live.version !== head.version) {
      this.evict(id);
      const place = { store: scope.store, accountId: scope.accountId, region: scope.region };
      const dataKey = this.#dataKey(scope, cluster);
      const graph = graphAt(place, id, head, Infinity, dataKey);
      live = {
        engine: new GraphEngine(graph, this.clock),
        place,
        createdAt: cluster.ClusterCreateTime,
        dataKey,
        version: head.version,
        retentionDays: cluster.BackupRetentionPeriod,
        streams: STREAMS_OFF,
      };
      this.#watch(live, id);
      this.#live.set(id, live);
    }
    live.retentionDays = cluster.BackupRetentionPeriod;
    return live;
  }

  /**
   * The live graph's commits are appended to the cluster's log; a commit that touches what an open transaction
   * holds locked fails (ConcurrentModificationException) and is rolled back instead.
   */
  #watch(live: LiveGraph, id: string): void {
    live.engine.graph.onCommit = (changes) => {
      this.transactions.lock(id, changes, this.#now());
      this.#committed(live, id, changes);
    };
  }

  /**
   * A write query's changes, as it commits: appended to the log in the request's unit of work (so a failing
   * request leaves no record), then compacted when the log has grown, and history beyond the backup retention
   * pruned.
   */
  #committed(live: LiveGraph, id: string, changes: Change[]): void {
    const head = this.#head(live, id);
    const now = this.#now();
    appendChanges(live.place, id, head, changes, live.dataKey, now);
    if (live.streams.enabled) appendToStream(live.place, id, changes, live.dataKey, live.streams, now);
    const newest = head.checkpoints.at(-1)!.image;
    const imageBytes = newest ? imageSize(live.place.store, newest) : 0;
    if (head.logBytes > Math.max(COMPACT_MIN_BYTES, imageBytes)) this.#compact(live, id);
    prune(live.place, id, this.#head(live, id), now - live.retentionDays * DAY_MS);
    live.version = this.#head(live, id).version;
  }

  /** A new checkpoint: an image of the live graph as it is; the ones in between thinned to two per retention. */
  #compact(live: LiveGraph, id: string): void {
    const head = this.#head(live, id);
    addCheckpoint(live.place, id, head, imageOf(live.place, live.engine.graph, live.dataKey), this.#now());
    thinCheckpoints(live.place, id, head, (live.retentionDays * DAY_MS) / 2);
    live.version = head.version;
  }

  #head(live: LiveGraph, id: string): GraphHead {
    return headOf(live.place, id, live.createdAt);
  }

  #now(): number {
    return this.clock.now().getTime();
  }

  /** The cluster's plaintext data key, from KMS under Neptune's grant for the cluster (none when unencrypted). */
  #dataKey(scope: GraphScope, cluster: ClusterRecord): DataKey {
    const cached = this.#live.get(cluster.DbClusterResourceId)?.dataKey;
    if (cached) return Buffer.from(cached);
    if (!cluster.StorageEncrypted || !cluster.KmsKeyId || !cluster.wrappedDataKey || !cluster.kmsGrantId)
      return undefined;
    if (!scope.kms) throw new Error("KMS is not available to open the cluster's data key");
    return scope.kms.decryptForResource({
      keyArn: cluster.KmsKeyId,
      grantId: cluster.kmsGrantId,
      ciphertextBlob: Buffer.from(cluster.wrappedDataKey),
    });
  }
}

/** A stored image of `graph` (none when it is empty), referred to once. */
function imageOf(place: GraphPlace, graph: PropertyGraph, dataKey: DataKey): ImageRef | undefined {
  if (graph.nodes.size === 0 && graph.relationships.size === 0) return undefined;
  return storeImage(place.store, place, serialize(graph), dataKey);
}
