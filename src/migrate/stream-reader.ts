import { GetPropertygraphStreamCommand, type NeptunedataClient } from "@aws-sdk/client-neptunedata";
import { explainDataError, type DataEndpoint } from "./data-plane.js";
import { awsErrorCode, awsErrorMessage, EXIT, MigrateError } from "./errors.js";
import {
  changeRecordOf,
  compareEvents,
  eventIdOf,
  formatEvent,
  ZERO_POSITION,
  type ChangeRecord,
  type EventId,
} from "./stream-records.js";

/**
 * Reading the source's Neptune Streams through neptunedata's GetPropertygraphStream (`GET /propertygraph/stream`,
 * IAM action neptune-db:GetStreamRecords). Sources: Neptune user guide, "Calling the Neptune Streams REST API"
 * (iterator types; LATEST returns at most one record), "Neptune Streams API Exceptions" (ExpiredStreamException
 * 400: the requested records have expired; StreamRecordsNotFoundException 404, e.g. "Requested startEventId is from
 * the future" when asked after the newest record).
 */

/** The most records one read asks for (Neptune's range: 1–100,000; default 10). */
export const DEFAULT_PAGE = 1000;

export interface StreamPage {
  records: ChangeRecord[];
  /** The newest event of the stream, when the answer says. */
  lastEventId?: EventId;
}

/** The stream has lost records the replayer still needs: the target can't catch up from its snapshot. */
export class StreamGapError extends MigrateError {
  constructor(position: EventId, why: string, options?: { cause?: unknown }) {
    super(
      `the source's stream no longer holds the changes after ${formatEvent(position)}, the last one the target has (${why}): replaying would skip them`,
      "take a new snapshot: delete the target cluster (and the journal's stream position goes with a new journal), then run apply --live again; to avoid this, raise neptune_streams_expiry_days on the source's cluster parameter group (1–90 days, default 7) or catch up sooner",
      EXIT.blocked,
      options,
    );
  }
}

export class StreamReader {
  constructor(
    private readonly client: NeptunedataClient,
    private readonly where: DataEndpoint,
  ) {}

  /**
   * The stream's newest event (LATEST); ZERO_POSITION when the stream holds none yet (Neptune then answers
   * StreamRecordsNotFoundException), with its commit time when there is one.
   */
  async latest(): Promise<{ position: EventId; timestamp?: number }> {
    try {
      const answer = await this.client.send(new GetPropertygraphStreamCommand({ iteratorType: "LATEST", limit: 1 }));
      const record = answer.records?.[0];
      const position = eventIdOf(answer.lastEventId) ?? (record ? eventIdOf(record.eventId) : undefined);
      const timestamp = record?.commitTimestampInMillis ?? answer.lastTrxTimestampInMillis;
      return { position: position ?? ZERO_POSITION, ...(timestamp !== undefined ? { timestamp } : {}) };
    } catch (error) {
      if (awsErrorCode(error) === "StreamRecordsNotFoundException") return { position: ZERO_POSITION };
      throw this.explain(error);
    }
  }

  /** Up to `limit` records after `position`, in commit order; none when it is the newest. A lost record: StreamGapError. */
  async after(position: EventId, limit = DEFAULT_PAGE): Promise<StreamPage> {
    const fromStart = compareEvents(position, ZERO_POSITION) === 0;
    try {
      const answer = await this.client.send(
        new GetPropertygraphStreamCommand(
          fromStart
            ? { iteratorType: "TRIM_HORIZON", limit }
            : { iteratorType: "AFTER_SEQUENCE_NUMBER", commitNum: position.commitNum, opNum: position.opNum, limit },
        ),
      );
      const lastEventId = eventIdOf(answer.lastEventId);
      return { records: (answer.records ?? []).map(changeRecordOf), ...(lastEventId ? { lastEventId } : {}) };
    } catch (error) {
      const code = awsErrorCode(error);
      if (code === "ExpiredStreamException")
        throw new StreamGapError(position, awsErrorMessage(error), { cause: error });
      if (code === "StreamRecordsNotFoundException") {
        // Nothing after the newest event (or an empty stream); any other position not found is lost.
        const { position: newest } = await this.latest();
        const order = compareEvents(position, newest);
        if (order === 0) return { records: [], lastEventId: newest };
        if (order > 0)
          throw new MigrateError(
            `the target has applied the source's stream up to ${formatEvent(position)}, beyond its newest event ${formatEvent(newest)}`,
            "the journal belongs to another source cluster's stream (or the source was restored): start the migration again with a new journal",
            EXIT.blocked,
            { cause: error },
          );
        throw new StreamGapError(position, awsErrorMessage(error), { cause: error });
      }
      throw this.explain(error);
    }
  }

  private explain(error: unknown): unknown {
    // Neptune's answer when streams are not in effect on the instance (graph-notebook reads this code so).
    if (awsErrorCode(error) === "UnsupportedOperationException")
      return new MigrateError(
        `Neptune Streams are not in effect at the ${this.where.side} cluster ${this.where.cluster}: ${awsErrorMessage(error)}`,
        "set neptune_streams=1 in its cluster parameter group and reboot its instances (trident migrate plan --live shows the commands), then run again",
        EXIT.blocked,
        { cause: error },
      );
    if (awsErrorCode(error) === "AccessDeniedException")
      return new MigrateError(
        `the ${this.where.side} account may not read the stream of ${this.where.cluster}: ${awsErrorMessage(error)}`,
        "allow the caller neptune-db:GetStreamRecords on the cluster (docs/migrate-permissions.md)",
        EXIT.blocked,
        { cause: error },
      );
    return explainDataError(error, this.where);
  }
}
