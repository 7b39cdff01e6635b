import { MigrateError } from "./errors.js";

/**
 * Neptune Streams' change records (PG_JSON, the format of `GET /propertygraph/stream` and neptunedata's
 * GetPropertygraphStream), as the replayer reads them. Sources: Neptune user guide, "Serialization Formats in
 * Neptune Streams" (streams-change-formats: `id`, `type` vl/vp/e/ep, `key`, `value {value, dataType}`, `from`/`to`)
 * and "Neptune Streams API Response Format" (`eventId {commitNum, opNum}`, `op` ADD/REMOVE, `isLastOp`).
 */

/** A position in the stream: a commit and an operation in it. Commits are in order; ops within a commit too. */
export interface EventId {
  commitNum: number;
  opNum: number;
}

export type RecordType = "vl" | "vp" | "e" | "ep";

/** One change, as the replayer uses it. */
export interface ChangeRecord {
  eventId: EventId;
  /** When the transaction committed, in ms since the epoch. */
  commitTimestamp: number;
  op: "ADD" | "REMOVE";
  type: RecordType;
  /** The element's id (the node's for vl/vp, the relationship's for e/ep). */
  id: string;
  /** The property name; `label` for vl and e. */
  key: string;
  /** The value as the query will write it (datetimes as ISO text, see `valueKind`). */
  value: string | number | boolean;
  valueKind: ValueKind;
  from?: string;
  to?: string;
  /** The last op of its commit: a transaction is complete once its last op is read. */
  isLastOp: boolean;
}

/** How a value is written back: the same JSON type, or converted (floats, datetimes). */
export type ValueKind = "string" | "integer" | "float" | "boolean" | "datetime";

/**
 * Neptune's `dataType` names (openCypher's data model: Bool, Byte, Short, Int, Long, Float, Double, DateTime,
 * String; Gremlin's: Boolean, Integer, Date…) mapped to how the value is written. A type not listed is refused,
 * never written as something else.
 */
const KINDS: Record<string, ValueKind> = {
  String: "string",
  Byte: "integer",
  Short: "integer",
  Int: "integer",
  Integer: "integer",
  Long: "integer",
  Float: "float",
  Double: "float",
  Bool: "boolean",
  Boolean: "boolean",
  Date: "datetime",
  DateTime: "datetime",
};

export const ZERO_POSITION: EventId = { commitNum: 0, opNum: 0 };

export function compareEvents(x: EventId, y: EventId): number {
  return x.commitNum - y.commitNum || x.opNum - y.opNum;
}

export function formatEvent(event: EventId): string {
  return `${event.commitNum}/${event.opNum}`;
}

/** An eventId as the SDK gives it (a map whose values are numbers on the wire, strings in the SDK's types). */
export function eventIdOf(raw: Record<string, unknown> | undefined): EventId | undefined {
  if (!raw) return undefined;
  const commitNum = Number(raw.commitNum);
  const opNum = Number(raw.opNum);
  return Number.isSafeInteger(commitNum) && Number.isSafeInteger(opNum) ? { commitNum, opNum } : undefined;
}

/** The SDK's record (client-neptunedata's PropertygraphRecord) as a ChangeRecord; a malformed one is refused. */
export function changeRecordOf(raw: {
  commitTimestampInMillis?: number;
  eventId?: Record<string, unknown>;
  data?: { id?: string; type?: string; key?: string; value?: unknown; from?: string; to?: string };
  op?: string;
  isLastOp?: boolean;
}): ChangeRecord {
  const eventId = eventIdOf(raw.eventId);
  const data = raw.data;
  const type = data?.type;
  const op = raw.op;
  const malformed = (why: string) =>
    new MigrateError(
      `a stream record of the source is not one the replayer knows (${why}): ${JSON.stringify(raw)}`,
      "the replayer reads PG_JSON records (Gremlin and openCypher graphs); report the record",
    );
  if (!eventId) throw malformed("no eventId");
  if (!data || typeof data.id !== "string" || typeof data.key !== "string") throw malformed("no data id or key");
  if (type !== "vl" && type !== "vp" && type !== "e" && type !== "ep") throw malformed(`type ${String(type)}`);
  if (op !== "ADD" && op !== "REMOVE") throw malformed(`op ${String(op)}`);
  const wrapped = data.value as { value?: unknown; dataType?: unknown } | undefined;
  const kind = KINDS[String(wrapped?.dataType)];
  if (!kind) throw malformed(`dataType ${String(wrapped?.dataType)}`);
  const value = writableValue(wrapped!.value, kind);
  if (value === undefined) throw malformed(`a ${String(wrapped?.dataType)} value ${JSON.stringify(wrapped?.value)}`);
  if (type === "e" && (typeof data.from !== "string" || typeof data.to !== "string"))
    throw malformed("a relationship without from and to");
  return {
    eventId,
    commitTimestamp: Number(raw.commitTimestampInMillis ?? 0),
    op,
    type,
    id: data.id,
    key: data.key,
    value,
    valueKind: kind,
    ...(data.from !== undefined ? { from: data.from } : {}),
    ...(data.to !== undefined ? { to: data.to } : {}),
    isLastOp: raw.isLastOp === true,
  };
}

/** The value in the JSON type the query's parameter carries: datetimes as ISO text (from ISO text or epoch ms). */
function writableValue(value: unknown, kind: ValueKind): string | number | boolean | undefined {
  switch (kind) {
    case "string":
      return typeof value === "string" ? value : undefined;
    case "boolean":
      return typeof value === "boolean" ? value : value === "true" ? true : value === "false" ? false : undefined;
    case "integer": {
      const number = typeof value === "string" ? Number(value) : value;
      return typeof number === "number" && Number.isInteger(number) ? number : undefined;
    }
    case "float": {
      const number = typeof value === "string" ? Number(value) : value;
      return typeof number === "number" ? number : undefined;
    }
    case "datetime": {
      const date = typeof value === "number" || typeof value === "string" ? new Date(value) : undefined;
      return date && !Number.isNaN(date.getTime()) ? date.toISOString() : undefined;
    }
  }
}
