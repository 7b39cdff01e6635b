import { randomUUID } from "node:crypto";
import type { Store } from "../../../state/store.js";
import { sealGraphBytes, unsealGraphBytes, type DataKey } from "./graph-sealing.js";

/**
 * Graph images: a cluster's whole graph in its stored form (graph/storage/serialize.ts), sealed with the
 * cluster's data key, written once and never changed. A cluster's checkpoints and the snapshots taken of it refer
 * to images by id; a snapshot copy, in this account or another, refers to the same image (the data key is
 * re-wrapped by the copy, the bytes are shared: O(1) in the graph's size), and so does a cluster restored from it.
 * Each image counts the records that refer to it and is dropped with the last of them.
 *
 * An image lives in the (account, region) where it was made; a reference names that place.
 */
export const GRAPH_IMAGES_TABLE = "neptune.graphImages";
/** How many records refer to each image (a small row, apart from the image's large one). */
export const GRAPH_IMAGE_REFS_TABLE = "neptune.graphImageRefs";

export interface ImageRef {
  accountId: string;
  region: string;
  id: string;
}

interface ImageRecord {
  /** The serialized graph, sealed with the data key of the cluster it was made from (unless it had none). */
  bytes: string;
  sealed: boolean;
}

interface RefCount {
  refs: number;
}

const images = (store: Store, ref: Omit<ImageRef, "id">) =>
  store.table<ImageRecord>(GRAPH_IMAGES_TABLE, ref.accountId, ref.region);
const refCounts = (store: Store, ref: Omit<ImageRef, "id">) =>
  store.table<RefCount>(GRAPH_IMAGE_REFS_TABLE, ref.accountId, ref.region);

/** The seal of an image is bound to its id. */
const sealPlace = (id: string) => `neptune-graph-image/${id}`;

/** Stores a new image of `graph` (serialized bytes) in `place`, referred to once (by the caller). */
export function storeImage(store: Store, place: Omit<ImageRef, "id">, graph: Buffer, dataKey: DataKey): ImageRef {
  const ref = { accountId: place.accountId, region: place.region, id: randomUUID() };
  const bytes = sealGraphBytes(dataKey, sealPlace(ref.id), graph);
  images(store, ref).put(ref.id, { bytes, sealed: dataKey !== undefined });
  refCounts(store, ref).put(ref.id, { refs: 1 });
  return ref;
}

/** The serialized graph of an image, opened with the data key it was sealed with. */
export function readImage(store: Store, ref: ImageRef, dataKey: DataKey): Buffer {
  const image = imageRecord(store, ref);
  if (image.sealed && !dataKey) throw new Error(`graph image ${ref.id} is sealed and no data key was given`);
  return unsealGraphBytes(image.sealed ? dataKey : undefined, sealPlace(ref.id), image.bytes);
}

/** Whether the image is sealed with a data key (an unencrypted cluster's is not). */
export function imageSealed(store: Store, ref: ImageRef): boolean {
  return imageRecord(store, ref).sealed;
}

/** The image's stored size (base64 characters). */
export function imageSize(store: Store, ref: ImageRef): number {
  return imageRecord(store, ref).bytes.length;
}

function imageRecord(store: Store, ref: ImageRef): Readonly<ImageRecord> {
  // Read without tracking: the row is never changed, and re-encoding tens of MiB at commit would be waste.
  const image = images(store, ref).peek(ref.id);
  if (!image) throw new Error(`graph image ${ref.id} is missing from ${ref.accountId}/${ref.region}`);
  return image;
}

/** One more record refers to the image. */
export function retainImage(store: Store, ref: ImageRef): void {
  const counts = refCounts(store, ref);
  const count = counts.get(ref.id);
  if (!count) throw new Error(`graph image ${ref.id} is missing from ${ref.accountId}/${ref.region}`);
  counts.put(ref.id, { refs: count.refs + 1 });
}

/** One record fewer refers to the image; the last one takes it away. */
export function releaseImage(store: Store, ref: ImageRef): void {
  const counts = refCounts(store, ref);
  const count = counts.get(ref.id);
  if (!count) return; // already gone with its place (a reset of Neptune's state)
  if (count.refs > 1) return counts.put(ref.id, { refs: count.refs - 1 });
  counts.delete(ref.id);
  images(store, ref).delete(ref.id);
}
