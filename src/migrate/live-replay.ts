import { ExecuteOpenCypherQueryCommand, type NeptunedataClient } from "@aws-sdk/client-neptunedata";
import { explainDataError, type DataEndpoint } from "./data-plane.js";
import { awsErrorCode, awsErrorMessage, EXIT, MigrateError } from "./errors.js";
import type { Journal } from "./journal.js";
import { DEFAULT_PAGE, type StreamReader } from "./stream-reader.js";
import { compareEvents, formatEvent, type ChangeRecord, type EventId } from "./stream-records.js";
import { translate } from "./stream-translate.js";

/**
 * The replayer: reads the source's stream after the target's position, applies whole transactions to the target
 * (one openCypher request per page of complete transactions, stream-translate.ts), then writes the new position
 * to the journal. A kill between the request and the journal write re-applies that batch on resume, which changes
 * nothing (the translation is idempotent); a kill before the request loses nothing. So a crash mid-replay resumes
 * without loss or duplication.
 */

/** How far the target is behind the source. */
export interface Lag {
  applied: EventId;
  newest: EventId;
  /** Commits between the two (commit numbers grow with each transaction). */
  commits: number;
  /** Age of the oldest change not applied yet; 0 when caught up. */
  seconds: number;
  /** Records applied by this replayer so far. */
  appliedRecords: number;
}

export interface ReplayOptions {
  reader: StreamReader;
  target: NeptunedataClient;
  targetWhere: DataEndpoint;
  journal: Journal;
  /** Records per read (default DEFAULT_PAGE). */
  pageSize?: number;
  now?: () => number;
  /** Test hook: after a batch is applied on the target, before the journal records it. */
  afterBatch?: () => void | Promise<void>;
}

/** How often the lag is shown while catching up. */
export const LAG_EVERY_MS = 1000;

export class Replayer {
  private pending: ChangeRecord[] = [];
  private appliedRecords = 0;

  constructor(private readonly options: ReplayOptions) {}

  /** The last event the target has (its transaction applied whole). */
  get position(): EventId {
    const live = this.options.journal.data.live;
    const position = live?.applied ?? live?.snapshotPosition;
    if (!position)
      throw new MigrateError(
        "the journal has no stream position for this migration (its snapshot was taken without apply --live)",
        "a snapshot's stream position is read just before it is taken: delete the target cluster and run apply --live again from a new snapshot",
      );
    return position;
  }

  get recordsApplied(): number {
    return this.appliedRecords;
  }

  /**
   * One read and its complete transactions applied; the lag as seen before applying them. `caughtUp`: nothing
   * newer than the target's position was there to read.
   */
  async step(): Promise<{ applied: number; caughtUp: boolean; lag: Lag }> {
    const { reader, journal } = this.options;
    const limit = this.options.pageSize ?? DEFAULT_PAGE;
    const readFrom = this.pending.at(-1)?.eventId ?? this.position;
    const page = await reader.after(readFrom, limit);
    const records = [...this.pending, ...page.records];
    const newest = page.records.length > 0 ? (await reader.latest()).position : readFrom;
    const lag = this.lag(records, newest);
    // A transaction is complete at its last op; a short page ends at a commit boundary too (Neptune writes a
    // commit's records to the stream at once), for streams that leave isLastOp out.
    const lastComplete = lastCompleteIndex(records, page.records.length < limit);
    const complete = records.slice(0, lastComplete + 1);
    this.pending = records.slice(lastComplete + 1);
    if (complete.length > 0) {
      await this.apply(complete);
      await this.options.afterBatch?.();
      const applied = complete.at(-1)!.eventId;
      this.appliedRecords += complete.length;
      journal.updateLive({ applied, appliedRecords: (journal.data.live?.appliedRecords ?? 0) + complete.length });
    }
    return {
      applied: complete.length,
      caughtUp: page.records.length === 0 && this.pending.length === 0,
      lag: { ...lag, appliedRecords: this.appliedRecords },
    };
  }

  /**
   * Steps until the target reaches the source's newest event as read when this call starts (a source that keeps
   * being written to is never "done": following is the caller's loop). `onLag` at most once per LAG_EVERY_MS.
   */
  async catchUp(onLag?: (lag: Lag) => void): Promise<Lag> {
    const now = this.options.now ?? Date.now;
    const goal = (await this.options.reader.latest()).position;
    let shown = now();
    for (;;) {
      const { caughtUp, lag } = await this.step();
      if (caughtUp || (this.pending.length === 0 && compareEvents(this.position, goal) >= 0)) {
        const newest = caughtUp ? this.position : lag.newest;
        const commits = Math.max(0, newest.commitNum - this.position.commitNum);
        return { ...lag, applied: this.position, newest, commits, seconds: commits === 0 ? 0 : lag.seconds };
      }
      if (now() - shown >= LAG_EVERY_MS) {
        onLag?.(lag);
        shown = now();
      }
    }
  }

  private lag(records: ChangeRecord[], newest: EventId): Omit<Lag, "appliedRecords"> {
    const applied = this.position;
    const oldest = records[0];
    const now = (this.options.now ?? Date.now)();
    return {
      applied,
      newest,
      commits: Math.max(0, newest.commitNum - applied.commitNum),
      seconds: oldest && compareEvents(newest, applied) > 0 ? Math.max(0, (now - oldest.commitTimestamp) / 1000) : 0,
    };
  }

  private async apply(records: ChangeRecord[]): Promise<void> {
    const request = translate(records);
    if (!request) return;
    try {
      await this.options.target.send(
        new ExecuteOpenCypherQueryCommand({
          openCypherQuery: request.query,
          parameters: JSON.stringify(request.parameters),
        }),
      );
    } catch (error) {
      if (awsErrorCode(error) === "AccessDeniedException")
        throw new MigrateError(
          `the target account may not write the graph of ${this.options.targetWhere.cluster}: ${awsErrorMessage(error)}`,
          "allow the caller neptune-db:ReadDataViaQuery, WriteDataViaQuery and DeleteDataViaQuery on the target cluster (docs/migrate-permissions.md)",
          EXIT.blocked,
          { cause: error },
        );
      const explained = explainDataError(error, this.options.targetWhere);
      if (explained !== error) throw explained;
      throw new MigrateError(
        `the target refused the changes ${formatEvent(records[0]!.eventId)}…${formatEvent(records.at(-1)!.eventId)} of the source: ${awsErrorCode(error) ?? "error"}: ${awsErrorMessage(error)}`,
        "nothing was applied of these changes and the journal still has the position before them; fix the cause and run the same command again",
        EXIT.failure,
        { cause: error },
      );
    }
  }
}

/** The index of the last record that ends a transaction (-1: none does yet). */
function lastCompleteIndex(records: ChangeRecord[], shortPage: boolean): number {
  for (let index = records.length - 1; index >= 0; index--) {
    const record = records[index]!;
    const next = records[index + 1];
    if (record.isLastOp || (next && next.eventId.commitNum !== record.eventId.commitNum)) return index;
    if (!next && shortPage) return index;
  }
  return -1;
}
