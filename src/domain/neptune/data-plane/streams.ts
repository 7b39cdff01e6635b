import type { Change } from "../../../graph/storage/changes.js";
import { GraphError } from "../../../graph/errors.js";
import type { Table } from "../../../state/store.js";
import type { GraphPlace } from "./graph-history.js";
import { sealGraphBytes, unsealGraphBytes, type DataKey } from "./graph-sealing.js";
import { streamOps, type StreamData, type StreamOp } from "./streams-records.js";
import type { StreamSettings } from "./streams-settings.js";

/**
 * A cluster's Neptune Stream (docs streams.html, streams-using-api-call.html): while `neptune_streams` is in effect,
 * each committed write transaction is logged, numbered by `commitNum` (1, 2, … per cluster), its change records
 * numbered by `opNum` (1 … n) and stamped with the commit's time from the one clock. A transaction is stored in rows
 * of CHUNK records, so that a reader paging through a bulk load's transaction opens only the rows it reads.
 * Transactions older than `neptune_streams_expiry_days` are trimmed as the stream is written and read. A row is
 * sealed with the cluster's data key, as its graph log is (graph-sealing.ts).
 *
 * Rows live in the cluster's (account, region), keyed by its DbClusterResourceId.
 */
export const STREAM_HEADS_TABLE = "neptune.streamHeads";
export const STREAM_LOG_TABLE = "neptune.streamLog";

export interface EventId {
  commitNum: number;
  opNum: number;
}

interface StreamHead {
  /** The commitNum of the next transaction logged. */
  nextCommitNum: number;
  /** The oldest commitNum not trimmed (nextCommitNum when the stream holds nothing). */
  oldest: number;
  /** The newest event logged, trimmed or not (none before the first). */
  last?: EventId & { at: number };
}

interface StreamRow {
  commitNum: number;
  at: number;
  /** How many records the whole transaction has. */
  ops: number;
  /** CHUNK of the transaction's records ({data, op} each) from opNum `chunk * CHUNK + 1`, as JSON, sealed. */
  bytes: string;
}

/** Records per stored row. */
const CHUNK = 1000;
const chunksOf = (ops: number) => Math.ceil(ops / CHUNK);

const DAY_MS = 24 * 60 * 60 * 1000;

const heads = (place: GraphPlace) => place.store.table<StreamHead>(STREAM_HEADS_TABLE, place.accountId, place.region);
const rows = (place: GraphPlace) => place.store.table<StreamRow>(STREAM_LOG_TABLE, place.accountId, place.region);
const rowId = (resourceId: string, commitNum: number, chunk = 0) =>
  `${resourceId}/${String(commitNum).padStart(12, "0")}/${chunk}`;
const sealPlace = (resourceId: string, commitNum: number, chunk: number) =>
  `neptune-stream/${resourceId}/${commitNum}/${chunk}`;

function headOf(place: GraphPlace, resourceId: string): StreamHead {
  return heads(place).get(resourceId) ?? { nextCommitNum: 1, oldest: 1 };
}

/** Logs one committed transaction's changes (a transaction that changed nothing a stream shows logs nothing). */
export function appendToStream(
  place: GraphPlace,
  resourceId: string,
  changes: readonly Change[],
  dataKey: DataKey,
  settings: StreamSettings,
  at: number,
): void {
  const ops = streamOps(changes);
  if (ops.length === 0) return;
  const head = headOf(place, resourceId);
  trim(place, resourceId, head, settings, at);
  const commitNum = head.nextCommitNum;
  for (let chunk = 0; chunk < chunksOf(ops.length); chunk++) {
    const json = Buffer.from(JSON.stringify(ops.slice(chunk * CHUNK, (chunk + 1) * CHUNK)));
    const bytes = sealGraphBytes(dataKey, sealPlace(resourceId, commitNum, chunk), json);
    rows(place).put(rowId(resourceId, commitNum, chunk), { commitNum, at, ops: ops.length, bytes });
  }
  head.nextCommitNum = commitNum + 1;
  head.last = { commitNum, opNum: ops.length, at };
  heads(place).put(resourceId, head);
}

/** Drops the rows older than the retention (docs: neptune_streams_expiry_days, 1–90 days, default 7). */
function trim(place: GraphPlace, resourceId: string, head: StreamHead, settings: StreamSettings, now: number): void {
  const log = rows(place);
  const before = head.oldest;
  while (head.oldest < head.nextCommitNum) {
    const row = log.peek(rowId(resourceId, head.oldest));
    if (row && row.at >= now - settings.expiryDays * DAY_MS) break;
    deleteCommit(log, resourceId, head.oldest, row);
    head.oldest++;
  }
  if (head.oldest !== before) heads(place).put(resourceId, head);
}

/** The newest event committed by `at` (a snapshot's stream position); none when the stream logged nothing by then. */
export function streamPositionAt(place: GraphPlace, resourceId: string, at: number): EventId | undefined {
  const head = heads(place).get(resourceId);
  if (!head?.last) return undefined;
  if (head.last.at <= at) return { commitNum: head.last.commitNum, opNum: head.last.opNum };
  const log = rows(place);
  for (let n = head.nextCommitNum - 1; n >= head.oldest; n--) {
    const row = log.peek(rowId(resourceId, n));
    if (row && row.at <= at) return { commitNum: n, opNum: row.ops };
  }
  return undefined;
}

/** One cluster's stream where it is stored, and the data key its rows are sealed with. */
export interface StreamPlace {
  place: GraphPlace;
  resourceId: string;
  dataKey: DataKey;
}

/**
 * Replaces `to`'s stream with `from`'s, numbering kept, each row opened with the giving cluster's data key and
 * sealed with the receiving cluster's, in the receiving cluster's place: a global database's stream is in its
 * replicated storage ("Neptune uses the same native storage for the change-log stream as for graph data", docs
 * streams.html), so the cluster that takes over the graph takes over the stream too.
 */
export function copyStream(from: StreamPlace, to: StreamPlace): void {
  dropStream(to.place, to.resourceId);
  const head = heads(from.place).get(from.resourceId);
  if (!head) return;
  const source = rows(from.place);
  const target = rows(to.place);
  for (let n = head.oldest; n < head.nextCommitNum; n++) {
    const first = source.peek(rowId(from.resourceId, n));
    for (let chunk = 0; chunk < chunksOf(first?.ops ?? 1); chunk++) {
      const row = source.peek(rowId(from.resourceId, n, chunk));
      if (!row) continue;
      const json = unsealGraphBytes(from.dataKey, sealPlace(from.resourceId, n, chunk), row.bytes);
      const bytes = sealGraphBytes(to.dataKey, sealPlace(to.resourceId, n, chunk), json);
      target.put(rowId(to.resourceId, n, chunk), { ...row, bytes });
    }
  }
  heads(to.place).put(to.resourceId, { ...head, ...(head.last ? { last: { ...head.last } } : {}) });
}

/** Removes the cluster's stream (the cluster is gone). */
export function dropStream(place: GraphPlace, resourceId: string): void {
  const head = heads(place).get(resourceId);
  if (!head) return;
  const log = rows(place);
  for (let n = head.oldest; n < head.nextCommitNum; n++)
    deleteCommit(log, resourceId, n, log.peek(rowId(resourceId, n)));
  heads(place).delete(resourceId);
}

function deleteCommit(log: Table<StreamRow>, resourceId: string, commitNum: number, first: StreamRow | undefined) {
  for (let chunk = 0; chunk < chunksOf(first?.ops ?? 1); chunk++) log.delete(rowId(resourceId, commitNum, chunk));
}

export type IteratorType = "AT_SEQUENCE_NUMBER" | "AFTER_SEQUENCE_NUMBER" | "TRIM_HORIZON" | "LATEST";

export interface StreamQuery {
  iteratorType: IteratorType;
  commitNum?: number;
  opNum?: number;
  limit: number;
}

export interface StreamRecord extends StreamOp {
  commitTimestamp: number;
  eventId: EventId;
  isLastOp?: true;
}

export interface StreamPage {
  lastEventId: EventId;
  lastTrxTimestamp: number;
  records: StreamRecord[];
}

/**
 * docs streams-using-api-call.html: "There is also a size limit of 10 MB on the response that can't be modified and
 * that takes precedence over the number of records specified in the limit parameter. The response does include a
 * threshold-breaching record if the 10 MB limit was reached."
 */
const RESPONSE_LIMIT_BYTES = 10 * 1024 * 1024;

/**
 * The records a GetPropertygraphStream request asks for (docs streams-using-api-call.html):
 *   - AT_SEQUENCE_NUMBER from (commitNum, opNum), AFTER_SEQUENCE_NUMBER from the event after it (opNum defaults to
 *     1); TRIM_HORIZON from the oldest record not trimmed; LATEST the newest record only ("at most one record").
 *   - `limit` records at most. *Decided*: a transaction is split at the limit (each record says whether it ends its
 *     transaction with `isLastOp`, "useful for ensuring that an entire transaction is consumed", data-api
 *     PropertygraphRecord), and the next read goes on AFTER_SEQUENCE_NUMBER the last event returned.
 * Errors (docs streams-using-api-exceptions.html): a start past the newest event is StreamRecordsNotFoundException
 * (404) with Neptune's message naming the last valid event (as amazon-neptune-tools' neptune-export parses it:
 * "Requested startEventId is from the future. Last valid eventId is [commitNum = 1132, opNum = 200]"); so is a
 * stream that holds nothing. A start before the oldest record kept is ExpiredStreamException (400): the records
 * asked for were trimmed, and skipping them silently would lose changes.
 */
export function readStream(
  place: GraphPlace,
  resourceId: string,
  dataKey: DataKey,
  settings: StreamSettings,
  query: StreamQuery,
  now: number,
): StreamPage {
  const head = headOf(place, resourceId);
  trim(place, resourceId, head, settings, now);
  const log = rows(place);
  const rowAt = (commitNum: number, chunk = 0) => log.peek(rowId(resourceId, commitNum, chunk));
  const last = head.last;
  let start: EventId;
  switch (query.iteratorType) {
    case "TRIM_HORIZON":
      if (head.oldest >= head.nextCommitNum) throw noRecords(last);
      start = { commitNum: head.oldest, opNum: 1 };
      break;
    case "LATEST":
      if (head.oldest >= head.nextCommitNum || !last) throw noRecords(last);
      start = { commitNum: last.commitNum, opNum: last.opNum };
      break;
    default: {
      const commitNum = query.commitNum;
      const opNum = query.opNum ?? 1;
      if (commitNum === undefined)
        throw invalidParameter(`commitNum is required when iteratorType is ${query.iteratorType}.`);
      if (commitNum < 1 || opNum < 1) throw invalidParameter("commitNum and opNum must be positive numbers.");
      start = { commitNum, opNum: query.iteratorType === "AFTER_SEQUENCE_NUMBER" ? opNum + 1 : opNum };
    }
  }
  // An opNum past its transaction's last op means the next transaction's first.
  const startRow = rowAt(start.commitNum);
  if (startRow && start.opNum > startRow.ops) start = { commitNum: start.commitNum + 1, opNum: 1 };
  if (!last || start.commitNum > last.commitNum) throw noRecords(last);
  if (start.commitNum < head.oldest) throw expired(head.oldest);

  const limit = query.iteratorType === "LATEST" ? 1 : query.limit;
  const records: StreamRecord[] = [];
  let bytes = 0;
  const full = () => records.length >= limit || bytes >= RESPONSE_LIMIT_BYTES;
  for (let n = start.commitNum; n < head.nextCommitNum && !full(); n++) {
    const from = n === start.commitNum ? start.opNum - 1 : 0;
    const first = rowAt(n);
    if (!first) throw new Error(`stream record ${n} of ${resourceId} is missing`);
    for (let chunk = Math.floor(from / CHUNK); chunk < chunksOf(first.ops) && !full(); chunk++) {
      const row = rowAt(n, chunk);
      if (!row) throw new Error(`stream record ${n}/${chunk} of ${resourceId} is missing`);
      const plain = unsealGraphBytes(dataKey, sealPlace(resourceId, n, chunk), row.bytes);
      const ops = JSON.parse(plain.toString("utf8")) as StreamOp[];
      for (let i = Math.max(from - chunk * CHUNK, 0); i < ops.length && !full(); i++) {
        const { data, op } = ops[i]!;
        const opNum = chunk * CHUNK + i + 1;
        const record: StreamRecord = {
          commitTimestamp: row.at,
          eventId: { commitNum: n, opNum },
          data: data as StreamData,
          op,
          ...(opNum === row.ops ? { isLastOp: true as const } : {}),
        };
        records.push(record);
        bytes += JSON.stringify(record).length;
      }
    }
  }
  const newest = records.at(-1)!;
  return { lastEventId: newest.eventId, lastTrxTimestamp: newest.commitTimestamp, records };
}

const invalidParameter = (message: string) => new GraphError("InvalidParameterException", message, 400);

function noRecords(last: EventId | undefined): GraphError {
  return new GraphError(
    "StreamRecordsNotFoundException",
    last
      ? `Requested startEventId is from the future. Last valid eventId is [commitNum = ${last.commitNum}, opNum = ${last.opNum}]`
      : "Requested startEventId is from the future. The stream holds no records yet.",
    404,
  );
}

const expired = (oldest: number) =>
  new GraphError(
    "ExpiredStreamException",
    `All of the requested records exceed the maximum age allowed and have expired. The oldest record kept is in ` +
      `commitNum ${oldest}: read from TRIM_HORIZON (records in between are lost to this reader).`,
    400,
  );
