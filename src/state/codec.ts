/**
 * Records are plain data, with two exceptions the domain uses: Buffers (key material, wrapped data keys) and
 * Dates. This codec turns a record into JSON text and back without losing either, so that every place that
 * writes state out (the durable store, an exported state document) agrees on one form.
 */

const BUFFER_TAG = "$buffer";
const DATE_TAG = "$date";

/** JSON text of a record; Buffers become `{"$buffer": base64}`, Dates `{"$date": ISO-8601}`. */
export function encodeRecord(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, encoded: unknown) {
    // JSON.stringify calls Buffer#toJSON and Date#toJSON before the replacer sees the value: read the holder.
    const raw = this[key];
    if (Buffer.isBuffer(raw)) return { [BUFFER_TAG]: raw.toString("base64") };
    if (raw instanceof Date) return { [DATE_TAG]: raw.toISOString() };
    return encoded;
  });
}

/** The record `encodeRecord` wrote. */
export function decodeRecord<T = unknown>(text: string): T {
  // Most records hold neither: without a tag (an object key starting with "$") the reviver is not needed, and
  // skipping it halves the start-up of a large data directory.
  if (!text.includes('{"$')) return JSON.parse(text) as T;
  return JSON.parse(text, (_key, value: unknown) => {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
    const keys = Object.keys(value);
    if (keys.length !== 1) return value;
    const tagged = value as Record<string, unknown>;
    if (typeof tagged[BUFFER_TAG] === "string") return Buffer.from(tagged[BUFFER_TAG], "base64");
    if (typeof tagged[DATE_TAG] === "string") return new Date(tagged[DATE_TAG]);
    return value;
  }) as T;
}
