import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  clusterJobs,
  nextSequence,
  recordJob,
  type LoaderJobRecord,
} from "../domain/neptune/data-plane/loader-jobs.js";
import type {
  CancelLoaderJobInput,
  CancelLoaderJobOutput,
  GetLoaderJobStatusInput,
  GetLoaderJobStatusOutput,
  ListLoaderJobsInput,
  ListLoaderJobsOutput,
  StartLoaderJobInput,
  StartLoaderJobOutput,
} from "../generated/neptunedata.js";
import { bulkLoad, type FeedCounts, type LoadFile, type LoadResult } from "../graph/load/bulk-load.js";
import { AwsError } from "../protocol/errors.js";
import { dataPlaneError, readOnly } from "./errors.js";
import type { DataPlaneContext } from "./operations.js";

/**
 * Neptune's bulk loader (reference §5): StartLoaderJob, GetLoaderJobStatus, ListLoaderJobs, CancelLoaderJob.
 *
 * *Decided*: a load runs within its StartLoaderJob request. Trident does no background work and its time goes
 * through one clock (DESIGN), so a job's status is final when StartLoaderJob answers: LOAD_IN_PROGRESS is never
 * seen, `totalTimeSpent` is 0 and `startTime` is the clock's time of the request. Clients that poll
 * GetLoaderJobStatus until a final status (graph-notebook's FINAL_LOAD_STATUSES) get it on their first poll.
 *
 * *Decided*: a load is one transaction of the graph. With `failOnError` (the default) the first bad record halts
 * it and nothing of it stays (Neptune commits in batches, so a halted load there may leave earlier batches: the
 * stricter outcome here is reproducible). Without it, bad records are reported by line and the rest committed.
 * Either way a load with errors ends LOAD_FAILED ("Load failed as a result of one or more errors", Neptune's
 * loader-message page), its erring files listed as `failedFeeds`; the counters say what was loaded.
 *
 * *Extension*: Trident has no S3. `source` is a local path (a file, or a directory whose files are all loaded,
 * as an S3 prefix is) or a `file://` URL, read by the server process.
 */

const OK = "200 OK";

/** S3 sources (reference §5.1: `s3://…` and the `https://s3…amazonaws.com/…` forms). */
const isS3Source = (source: string) => /^s3:\/\//i.test(source) || /^https?:\/\/s3[.-]/i.test(source);

/**
 * The files of a source, by path (a directory's, recursively and sorted, as S3 lists a prefix). *Decided*: an S3
 * source is S3Exception (400), the model's code for a source the loader cannot read from S3, naming it; a local
 * path that does not exist is BadRequestException, refused before any job is recorded.
 */
function sourceFiles(source: string): string[] {
  if (isS3Source(source))
    throw dataPlaneError(
      "S3Exception",
      `Trident has no S3: it cannot read the source '${source}'. Give a local path or a file:// URL instead.`,
    );
  let path: string;
  try {
    path = /^file:/i.test(source) ? fileURLToPath(source) : resolve(source);
  } catch {
    throw dataPlaneError("BadRequestException", `The source '${source}' is not a valid file:// URL.`);
  }
  const files: string[] = [];
  const walk = (at: string) => {
    const stat = statSync(at);
    if (stat.isDirectory()) {
      for (const name of readdirSync(at).sort()) walk(join(at, name));
    } else if (stat.isFile()) {
      if (stat.size > MAX_FILE_BYTES) throw tooLarge(at);
      files.push(at);
    }
    // Anything else (a FIFO, a device) is skipped: reading one could block the server forever.
  };
  try {
    walk(path);
  } catch (error) {
    if (error instanceof AwsError) throw error;
    throw dataPlaneError("BadRequestException", `The source '${source}' does not exist or cannot be read.`);
  }
  if (files.length === 0) throw dataPlaneError("BadRequestException", `The source '${source}' holds no files.`);
  return files;
}

/**
 * *Decided*: a file is read whole into memory (the load is one transaction), so one larger than this is refused
 * (BadRequestException naming it) rather than exhausting the server: V8's longest string is ~512 MiB.
 */
const MAX_FILE_BYTES = 256 * 1024 * 1024;

const tooLarge = (path: string) =>
  dataPlaneError(
    "BadRequestException",
    `The file '${path}' is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB, the most Trident's loader reads from one file; split it.`,
  );

const readFiles = (paths: string[]): LoadFile[] =>
  paths.map((path) => ({ uri: path, text: readFileSync(path, "utf8") }));

/** Raw Neptune sends flags as `"TRUE"`/`"FALSE"`; parserConfiguration is a map of strings. */
const flag = (value: string | undefined, otherwise: boolean) =>
  value === undefined ? otherwise : value.toLowerCase() === "true";

/**
 * Runs the load in one transaction; a halted one is rolled back by throwing out of it. A load that fills the heap
 * fails the request with MemoryLimitExceededException (500) and is undone, as a query that does (no job is
 * recorded: the request's unit of work is rolled back).
 */
function runLoad(ctx: DataPlaneContext, files: LoadFile[], input: StartLoaderJobInput): LoadResult {
  const halt = Symbol("halt");
  let result: LoadResult | undefined;
  try {
    ctx.session.writeGraph((graph, checkHeap) => {
      result = bulkLoad(graph, files, {
        checkHeap,
        format: input.format as "csv" | "opencypher",
        failOnError: input.failOnError ?? true,
        allowEmptyStrings: flag(input.parserConfiguration?.["allowEmptyStrings"], false),
        updateSingleCardinalityProperties: input.updateSingleCardinalityProperties ?? false,
        userProvidedEdgeIds: input.userProvidedEdgeIds ?? true,
      });
      if (result.halted) throw halt;
    });
  } catch (error) {
    if (error !== halt) throw error;
  }
  return result!;
}

const overall = (feeds: { status: string }[]) =>
  feeds.every((f) => f.status === "LOAD_COMPLETED") ? "LOAD_COMPLETED" : "LOAD_FAILED";

/**
 * `mode` (reference §5.1), locally. NEW: always a new job. RESUME: the newest job of the same source on this
 * cluster runs again (same loadId, `runNumber` + 1) over its files that did not complete, as Neptune reloads
 * only failed files; none → BadRequestException (Neptune's loader stops then). AUTO (the default): RESUME when
 * there is such a job, else NEW.
 */
function startLoaderJob(input: StartLoaderJobInput, ctx: DataPlaneContext): StartLoaderJobOutput {
  const { session } = ctx;
  // A load writes: the writer's endpoint takes it, a replica refuses it as any write (reference §1.1).
  if (session.role === "reader") throw readOnly();
  if (input.format !== "csv" && input.format !== "opencypher")
    throw dataPlaneError(
      "UnsupportedOperationException",
      `Trident's loader reads the property-graph formats csv and opencypher, not ${input.format}: the cluster ` +
        "holds a property graph.",
    );
  // reference §5.1: the bucket's region must be the cluster's.
  if (input.s3BucketRegion !== session.region)
    throw dataPlaneError(
      "BadRequestException",
      `The region '${input.s3BucketRegion}' is not the cluster's region '${session.region}'.`,
    );
  const paths = sourceFiles(input.source);
  const mode = input.mode ?? "AUTO";
  const previous =
    mode === "NEW"
      ? undefined
      : clusterJobs(session.loaderJobs, session.clusterResourceId).find((j) => j.source === input.source);
  if (mode === "RESUME" && !previous)
    throw dataPlaneError("BadRequestException", `mode RESUME: no previous load from the source '${input.source}'.`);
  const startTime = Math.floor(ctx.now.getTime() / 1000);
  const unmet = (input.dependencies ?? []).filter((id) => session.loaderJobs.get(id)?.status !== "LOAD_COMPLETED");
  if (previous) {
    const pending = new Set(previous.feeds.filter((f) => f.status !== "LOAD_COMPLETED").map((f) => f.fullUri));
    const result = runLoad(ctx, readFiles(paths.filter((p) => pending.has(p))), input);
    const feeds = previous.feeds.map((f) => result.feeds.find((r) => r.fullUri === f.fullUri) ?? f);
    recordJob(session.loaderJobs, {
      ...previous,
      runNumber: previous.runNumber + 1,
      startTime,
      feeds,
      errors: result.errors,
      status: overall(feeds),
    });
    return { status: OK, payload: { loadId: previous.loadId } };
  }
  const job: LoaderJobRecord = {
    loadId: randomUUID(),
    clusterResourceId: session.clusterResourceId,
    source: input.source,
    sequence: nextSequence(session.loaderJobs),
    startTime,
    runNumber: 1,
    status: "LOAD_FAILED_BECAUSE_DEPENDENCY_NOT_SATISFIED",
    feeds: [],
    errors: [],
  };
  // All loads finish within their request, so a dependency is satisfied or never will be (reference §5.2 status).
  if (unmet.length === 0) {
    const result = runLoad(ctx, readFiles(paths), input);
    job.feeds = result.feeds;
    job.errors = result.errors;
    job.status = overall(result.feeds);
  }
  recordJob(session.loaderJobs, job);
  return { status: OK, payload: { loadId: job.loadId } };
}

/** Unknown (or forgotten) load ids: BulkLoadIdNotFoundException, 404 in the model (reference §5.2). */
function jobOf(ctx: DataPlaneContext, loadId: string): LoaderJobRecord {
  const job = ctx.session.loaderJobs.get(loadId);
  if (!job || job.clusterResourceId !== ctx.session.clusterResourceId)
    throw dataPlaneError("BulkLoadIdNotFoundException", `The load id '${loadId}' was not found.`);
  return job;
}

function sumCounts(feeds: FeedCounts[]): FeedCounts {
  const total: FeedCounts = {
    totalRecords: 0,
    totalDuplicates: 0,
    parsingErrors: 0,
    datatypeMismatchErrors: 0,
    insertErrors: 0,
  };
  for (const feed of feeds) for (const key of Object.keys(total) as (keyof FeedCounts)[]) total[key] += feed[key];
  return total;
}

/** The status document (reference §5.2): `failedFeeds` with `details`, a page of `errors` with `errors`. */
function getLoaderJobStatus(input: GetLoaderJobStatusInput, ctx: DataPlaneContext): GetLoaderJobStatusOutput {
  const job = jobOf(ctx, input.loadId);
  const feedCount = new Map<string, number>();
  for (const feed of job.feeds) feedCount.set(feed.status, (feedCount.get(feed.status) ?? 0) + 1);
  const common = { runNumber: job.runNumber, retryNumber: 0, totalTimeSpent: 0, startTime: job.startTime };
  const payload: Record<string, unknown> = {
    feedCount: [...feedCount].map(([status, n]) => ({ [status]: n })),
    overallStatus: { fullUri: job.source, ...common, status: job.status, ...sumCounts(job.feeds) },
  };
  if (input.details)
    payload["failedFeeds"] = job.feeds
      .filter((f) => f.status !== "LOAD_COMPLETED")
      .map(({ fullUri, status, ...counts }) => ({ fullUri, ...common, status, ...counts }));
  if (input.errors) {
    const perPage = input.errorsPerPage ?? 10;
    const start = ((input.page ?? 1) - 1) * perPage;
    const errorLogs = job.errors.slice(start, start + perPage);
    // *Decided*: an empty page has startIndex and endIndex 0 (1-based indexes otherwise, reference §5.2).
    payload["errors"] = {
      startIndex: errorLogs.length ? start + 1 : 0,
      endIndex: errorLogs.length ? start + errorLogs.length : 0,
      loadId: job.loadId,
      errorLogs,
    };
  }
  return { status: OK, payload };
}

/** *Decided*: `limit` defaults to 100, the model's maximum; newest first; no job is ever queued. */
function listLoaderJobs(input: ListLoaderJobsInput, ctx: DataPlaneContext): ListLoaderJobsOutput {
  const ids = clusterJobs(ctx.session.loaderJobs, ctx.session.clusterResourceId).map((j) => j.loadId);
  return { status: OK, payload: { loadIds: ids.slice(0, input.limit ?? 100) } };
}

/**
 * *Decided*: every job has finished when it can be named (loads run within their request), so cancelling one
 * answers Neptune's `{"status":"200 OK"}` and changes nothing: there is nothing left to stop.
 */
function cancelLoaderJob(input: CancelLoaderJobInput, ctx: DataPlaneContext): CancelLoaderJobOutput {
  jobOf(ctx, input.loadId);
  return { status: OK };
}

export const LOADER_HANDLERS = {
  StartLoaderJob: startLoaderJob,
  GetLoaderJobStatus: getLoaderJobStatus,
  ListLoaderJobs: listLoaderJobs,
  CancelLoaderJob: cancelLoaderJob,
};
