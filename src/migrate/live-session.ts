import type { MigrationClients } from "./clients.js";
import { openClusterGraph, type OpenGraph } from "./data-endpoints.js";
import type { Journal } from "./journal.js";
import { Replayer, type Lag } from "./live-replay.js";
import { StreamReader } from "./stream-reader.js";
import { formatEvent } from "./stream-records.js";
import type { MigrateInputs } from "./types.js";

/** How a live replay runs (apply --live's replay step and cutover share it). */
export interface LiveRunOptions {
  /** Records per read of the stream (default stream-reader.ts DEFAULT_PAGE). */
  pageSize?: number;
  /** apply --live --follow: keep following the source after catching up, until the process is stopped. */
  follow?: boolean;
  /** Between reads once caught up (following, or waiting for quiet at cutover); default 1000 ms. */
  pollMs?: number;
  /** Test hook: runs after a batch is applied on the target and before the journal records it (a kill there). */
  afterBatch?: () => void | Promise<void>;
}

export const DEFAULT_POLL_MS = 1000;

/** Both clusters' data clients and a replayer between them, from the journal's position. */
export interface LiveSession {
  source: OpenGraph;
  target: OpenGraph;
  reader: StreamReader;
  replayer: Replayer;
  close(): void;
}

export async function openLiveSession(
  clients: MigrationClients,
  inputs: MigrateInputs,
  accounts: { source: string; target: string },
  journal: Journal,
  options: LiveRunOptions & { now?: () => number } = {},
): Promise<LiveSession> {
  const source = await openClusterGraph(clients, inputs, accounts.source, "source", inputs.sourceCluster, "--live");
  let target: OpenGraph;
  try {
    target = await openClusterGraph(clients, inputs, accounts.target, "target", inputs.targetCluster, "--live");
  } catch (error) {
    source.client.destroy();
    throw error;
  }
  const reader = new StreamReader(source.client, source.where);
  const replayer = new Replayer({
    reader,
    target: target.client,
    targetWhere: target.where,
    journal,
    ...(options.pageSize ? { pageSize: options.pageSize } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.afterBatch ? { afterBatch: options.afterBatch } : {}),
  });
  return {
    source,
    target,
    reader,
    replayer,
    close() {
      source.client.destroy();
      target.client.destroy();
    },
  };
}

export function describeLag(lag: Lag): string {
  return `lag ${lag.commits} commit${lag.commits === 1 ? "" : "s"}, ${lag.seconds.toFixed(1)} s (target at ${formatEvent(lag.applied)}, source at ${formatEvent(lag.newest)}; ${lag.appliedRecords} record${lag.appliedRecords === 1 ? "" : "s"} applied)`;
}
