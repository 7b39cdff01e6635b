import assert from "node:assert/strict";
import type { NeptuneClient } from "@aws-sdk/client-neptune";
import { openSession, type GraphSession } from "../../src/domain/neptune/data-plane/session.js";
import { GRAPH_LOG_TABLE, GRAPHS_TABLE, type GraphHead } from "../../src/domain/neptune/data-plane/graph-history.js";
import { GRAPH_IMAGE_REFS_TABLE, GRAPH_IMAGES_TABLE } from "../../src/domain/neptune/data-plane/graph-images.js";
import { clusterSnapshotTable, clusterTable } from "../../src/domain/neptune/records.js";
import type { Emulator } from "../../src/emulator.js";
import { REGION } from "../helpers/harness.js";
import { createCluster, createInstance, describeCluster } from "./resources.js";

/** Shared by the graph storage tests: clusters that serve, queries as the data-plane face runs them. */

/** Every node and relationship with ids, labels and properties, in a fixed order: two equal answers, one graph. */
export const EVERYTHING = "MATCH (n) OPTIONAL MATCH (n)-[r]->(m) RETURN n, r, m ORDER BY id(n), id(r)";

/** A cluster with a writer instance, available (instant delays). */
export async function servingCluster(
  neptune: NeptuneClient,
  id: string,
  extra: Parameters<typeof createCluster>[2] = {},
) {
  await createCluster(neptune, id, extra);
  await createInstance(neptune, id, `${id}-1`);
  return describeCluster(neptune, id);
}

/** The session on the cluster endpoint of `cluster` (its Port), as the face opens one per request. */
export async function sessionOf(emulator: Emulator, neptune: NeptuneClient, cluster: string): Promise<GraphSession> {
  const { Port } = await describeCluster(neptune, cluster);
  return openSession(emulator.dataPlane, Port!, "host");
}

/** One openCypher request as the face runs it: a session, the query, in one unit of work of the store. */
export async function query(
  emulator: Emulator,
  neptune: NeptuneClient,
  cluster: string,
  text: string,
): Promise<string> {
  const { Port } = await describeCluster(neptune, cluster);
  return emulator.store.transact(
    async () => openSession(emulator.dataPlane, Port!, "host").openCypher(text),
    () => true,
  );
}

/** The rows of `cluster`, by resource id, in its graph tables. */
export function graphRows(emulator: Emulator, account: string, resourceId: string) {
  const { store } = emulator;
  const head = store.table<GraphHead>(GRAPHS_TABLE, account, REGION).peek(resourceId);
  const logIds = [...store.rows()]
    .filter((row) => row.table === GRAPH_LOG_TABLE && row.accountId === account && row.id.startsWith(`${resourceId}/`))
    .map((row) => (row.value as { seq: number }).seq);
  return { head, logSeqs: logIds.sort((a, b) => a - b) };
}

export function resourceIdOf(emulator: Emulator, account: string, cluster: string): string {
  return clusterTable(emulator.store, account, REGION).peek(cluster)!.DbClusterResourceId;
}

/** The ids of the images stored anywhere, and of those some snapshot or checkpoint refers to. */
export function imageBook(emulator: Emulator) {
  const stored = new Set<string>();
  const counted = new Set<string>();
  const referenced = new Map<string, number>();
  const refer = (id: string | undefined) => id && referenced.set(id, (referenced.get(id) ?? 0) + 1);
  for (const row of emulator.store.rows()) {
    if (row.table === GRAPH_IMAGES_TABLE) stored.add(row.id);
    if (row.table === GRAPH_IMAGE_REFS_TABLE) counted.add(row.id);
    if (row.table === GRAPHS_TABLE) for (const c of (row.value as GraphHead).checkpoints) refer(c.image?.id);
    if (row.table === "neptune.clusterSnapshots") refer((row.value as { graphImage?: { id: string } }).graphImage?.id);
  }
  return { stored, counted, referenced };
}

/** Every stored image is referred to, and counts exactly its references; nothing refers to a missing image. */
export function assertImagesAccountedFor(emulator: Emulator): void {
  const { stored, counted, referenced } = imageBook(emulator);
  assert.deepEqual([...stored].sort(), [...referenced.keys()].sort());
  assert.deepEqual([...counted].sort(), [...stored].sort());
  for (const row of emulator.store.rows()) {
    if (row.table !== GRAPH_IMAGE_REFS_TABLE) continue;
    assert.equal((row.value as { refs: number }).refs, referenced.get(row.id), `references of image ${row.id}`);
  }
}

/** The graph image a snapshot of `account` refers to. */
export const snapshotImage = (emulator: Emulator, account: string, id: string) =>
  clusterSnapshotTable(emulator.store, account, REGION).peek(id)?.graphImage;
