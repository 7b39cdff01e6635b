import { PropertyGraph } from "../../../graph/model/graph.js";
import { applyChanges, decodeChanges, encodeChanges, type Change } from "../../../graph/storage/changes.js";
import { deserialize } from "../../../graph/storage/serialize.js";
import type { Store } from "../../../state/store.js";
import { readImage, releaseImage, type ImageRef } from "./graph-images.js";
import { sealGraphBytes, unsealGraphBytes, type DataKey } from "./graph-sealing.js";

/**
 * A cluster's graph over time, in the store: checkpoints (images of the whole graph, graph-images.ts) and the log
 * of the changes committed since (one sealed record per write query: graph/storage/changes.ts). The graph now is
 * the newest checkpoint plus the records after it; the graph at an earlier time T (point-in-time restore) is the
 * newest checkpoint taken by T plus the records committed by T. Checkpoints and records older than the backup
 * retention needs are pruned.
 *
 * Rows live in the cluster's (account, region), keyed by its DbClusterResourceId (stable across renames).
 */
export const GRAPHS_TABLE = "neptune.graphs";
export const GRAPH_LOG_TABLE = "neptune.graphLog";

export interface Checkpoint {
  /** The records before this sequence number are in the image. */
  seq: number;
  /** When the checkpoint was taken (epoch ms). */
  at: number;
  /** The image; none for an empty graph (a new cluster, a fast reset). */
  image?: ImageRef;
}

export interface GraphHead {
  /** Oldest first; never empty. */
  checkpoints: Checkpoint[];
  /** The sequence number of the next record. */
  nextSeq: number;
  /** The stored size of the records after the newest checkpoint. */
  logBytes: number;
  /** When the newest record was committed. */
  lastWriteAt?: number;
  /** Changes with every write: a live graph made from another version is stale (a rolled-back unit of work). */
  version: number;
}

interface LogRecord {
  seq: number;
  at: number;
  /** The encoded changes, sealed (graph-sealing.ts). */
  bytes: string;
}

export interface GraphPlace {
  store: Store;
  accountId: string;
  region: string;
}

const heads = (place: GraphPlace) => place.store.table<GraphHead>(GRAPHS_TABLE, place.accountId, place.region);
const logRows = (place: GraphPlace) => place.store.table<LogRecord>(GRAPH_LOG_TABLE, place.accountId, place.region);

/** Log rows sort by cluster, then sequence. */
const logId = (resourceId: string, seq: number) => `${resourceId}/${String(seq).padStart(12, "0")}`;
const sealPlace = (resourceId: string, seq: number) => `neptune-graph-log/${resourceId}/${seq}`;

/** The cluster's head; a cluster whose graph was never written starts empty when it was created. */
export function headOf(place: GraphPlace, resourceId: string, createdAt: number): GraphHead {
  return (
    heads(place).get(resourceId) ?? {
      checkpoints: [{ seq: 0, at: createdAt }],
      nextSeq: 0,
      logBytes: 0,
      version: 0,
    }
  );
}

export function saveHead(place: GraphPlace, resourceId: string, head: GraphHead): void {
  head.version++;
  heads(place).put(resourceId, head);
}

/** Appends one committed transaction's changes to the log. */
export function appendChanges(
  place: GraphPlace,
  resourceId: string,
  head: GraphHead,
  changes: readonly Change[],
  dataKey: DataKey,
  at: number,
): void {
  const seq = head.nextSeq;
  const bytes = sealGraphBytes(dataKey, sealPlace(resourceId, seq), encodeChanges(changes));
  logRows(place).put(logId(resourceId, seq), { seq, at, bytes });
  head.nextSeq = seq + 1;
  head.logBytes += bytes.length;
  head.lastWriteAt = at;
  saveHead(place, resourceId, head);
}

/** Makes `image` (the graph as it is now; none when empty) the newest checkpoint, the log after it empty. */
export function addCheckpoint(
  place: GraphPlace,
  resourceId: string,
  head: GraphHead,
  image: ImageRef | undefined,
  at: number,
): void {
  head.checkpoints.push({ seq: head.nextSeq, at, ...(image ? { image } : {}) });
  head.logBytes = 0;
  saveHead(place, resourceId, head);
}

/** Whether records were committed after the newest checkpoint. */
export const hasLogSinceCheckpoint = (head: GraphHead) => head.nextSeq > head.checkpoints.at(-1)!.seq;

/**
 * Drops what no restorable time from `earliest` on needs: the checkpoints before the newest one taken by then,
 * and the records before it.
 */
export function prune(place: GraphPlace, resourceId: string, head: GraphHead, earliest: number): void {
  let base = 0;
  while (base + 1 < head.checkpoints.length && head.checkpoints[base + 1]!.at <= earliest) base++;
  if (base === 0) return;
  const dropped = head.checkpoints.splice(0, base);
  const log = logRows(place);
  for (let seq = dropped[0]!.seq; seq < head.checkpoints[0]!.seq; seq++) log.delete(logId(resourceId, seq));
  for (const checkpoint of dropped) if (checkpoint.image) releaseImage(place.store, checkpoint.image);
  saveHead(place, resourceId, head);
}

/**
 * Drops the checkpoints between the oldest and the newest that follow the one kept before them by less than
 * `spacing`: point-in-time restore needs only the oldest (and the log after it), loading needs the newest, and
 * pruning needs one now and then to advance to. Without this, compactions under steady writes would keep an
 * image of the whole graph each.
 */
export function thinCheckpoints(place: GraphPlace, resourceId: string, head: GraphHead, spacing: number): void {
  const all = head.checkpoints;
  const kept = [all[0]!];
  for (const checkpoint of all.slice(1, -1)) {
    if (checkpoint.at - kept.at(-1)!.at >= spacing) kept.push(checkpoint);
    else if (checkpoint.image) releaseImage(place.store, checkpoint.image);
  }
  if (all.length > 1) kept.push(all.at(-1)!);
  if (kept.length === all.length) return;
  head.checkpoints = kept;
  saveHead(place, resourceId, head);
}

/**
 * The graph as of `at`: the newest checkpoint by then, and the records committed by then. A time before the oldest
 * checkpoint kept (pruned history: only an automated backup of a day past the retention asks for it) gets the
 * oldest checkpoint's graph.
 */
export function graphAt(
  place: GraphPlace,
  resourceId: string,
  head: GraphHead,
  at: number,
  dataKey: DataKey,
  newId?: () => string,
): PropertyGraph {
  let checkpoint = head.checkpoints[0]!;
  for (const c of head.checkpoints) if (c.at <= at) checkpoint = c;
  const graph = checkpoint.image
    ? deserialize(readImage(place.store, checkpoint.image, dataKey), newId)
    : new PropertyGraph(newId);
  const log = logRows(place);
  for (let seq = checkpoint.seq; seq < head.nextSeq; seq++) {
    const record = log.peek(logId(resourceId, seq));
    if (!record) throw new Error(`graph log record ${seq} of ${resourceId} is missing`);
    if (record.at > at) break;
    applyChanges(graph, decodeChanges(unsealGraphBytes(dataKey, sealPlace(resourceId, seq), record.bytes)));
  }
  return graph;
}

/** Removes the cluster's graph: its head, its log and its references to images. */
export function dropHistory(place: GraphPlace, resourceId: string): void {
  const head = heads(place).get(resourceId);
  if (!head) return;
  const log = logRows(place);
  for (let seq = head.checkpoints[0]!.seq; seq < head.nextSeq; seq++) log.delete(logId(resourceId, seq));
  for (const checkpoint of head.checkpoints) if (checkpoint.image) releaseImage(place.store, checkpoint.image);
  heads(place).delete(resourceId);
}

/** Starts a new cluster's graph from an image (a restore), referred to by its first checkpoint. */
export function startFrom(place: GraphPlace, resourceId: string, image: ImageRef | undefined, at: number): void {
  const head: GraphHead = { checkpoints: [], nextSeq: 0, logBytes: 0, version: 0 };
  addCheckpoint(place, resourceId, head, image, at);
}
