import type { ErrorLog, FeedResult } from "../../../graph/load/bulk-load.js";
import type { Store, Table } from "../../../state/store.js";

/**
 * The bulk-load jobs of each cluster, kept in the store with the cluster's account and region, so that their
 * status outlives the request (and a restart) and leaves with a reset of the state. A job is written once, when
 * its load has run (loads run within StartLoaderJob: see src/dataplane/loader.ts).
 */
export interface LoaderJobRecord {
  loadId: string;
  clusterResourceId: string;
  /** The `source` as given; `fullUri` in the status. */
  source: string;
  /** Creation order within the store (ListLoaderJobs lists the newest first). */
  sequence: number;
  /** Epoch seconds (reference §5.2: `startTime` is in seconds). */
  startTime: number;
  runNumber: number;
  status: string;
  feeds: FeedResult[];
  errors: ErrorLog[];
}

const LOADER_JOBS_TABLE = "neptune.loaderJobs";

/** Neptune keeps track of the most recent 1,024 load jobs (reference §5.2); older ones are forgotten. */
const KEPT_JOBS = 1024;

export const loaderJobTable = (store: Store, accountId: string, region: string): Table<LoaderJobRecord> =>
  store.table(LOADER_JOBS_TABLE, accountId, region);

/** The cluster's jobs, newest first. */
export function clusterJobs(table: Table<LoaderJobRecord>, clusterResourceId: string): LoaderJobRecord[] {
  return table
    .values()
    .filter((job) => job.clusterResourceId === clusterResourceId)
    .sort((a, b) => b.sequence - a.sequence);
}

/** Records a job (a new one, or a new run of one), forgetting the cluster's jobs beyond the newest 1,024. */
export function recordJob(table: Table<LoaderJobRecord>, job: LoaderJobRecord): void {
  table.put(job.loadId, job);
  for (const old of clusterJobs(table, job.clusterResourceId).slice(KEPT_JOBS)) table.delete(old.loadId);
}

/** The next sequence number of the table. */
export const nextSequence = (table: Table<LoaderJobRecord>): number =>
  table.values().reduce((max, job) => Math.max(max, job.sequence), 0) + 1;
