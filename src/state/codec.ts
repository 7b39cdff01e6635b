/**
 * Records are plain data, with two exceptions the domain uses: Buffers (key material, wrapped data keys) and
 * Dates. This codec turns a record into JSON text and back without losing either, so that every place that
 * writes state out (the durable store, an exported state document) agrees on one form.
 *
 * A Buffer is written `{"$buffer": base64}`, a Date `{"$date": ISO-8601}`. A record's own object that happens to
 * look like a tag (one key, `$buffer`, `$date` or `$literal`: an encryption context `{"$buffer": "x"}` is a
 * caller's to choose) is written `{"$literal": {…}}`, so it comes back as the object it was.
 */

const BUFFER_TAG = "$buffer";
const DATE_TAG = "$date";
const LITERAL_TAG = "$literal";
const TAGS: readonly string[] = [BUFFER_TAG, DATE_TAG, LITERAL_TAG];

const isPlainObject = (value: unknown): value is object =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The `{"$literal": …}` wrappers this module made: their one member is written as it is, never wrapped again. */
const literalWrappers = new WeakSet<object>();

/** The only key of an object whose members are not undefined, or undefined when it has none or several. */
function onlyKey(object: object): string | undefined {
  let only: string | undefined;
  for (const key in object) {
    if ((object as Record<string, unknown>)[key] === undefined) continue;
    if (only !== undefined) return undefined;
    only = key;
  }
  return only;
}

/**
 * JSON.stringify's replacer: tags Buffers and Dates, and wraps a plain object that looks like a tag. A replacer
 * keeps the encoding a single pass of V8's serializer (the cost of every committed row); it reads the holder
 * because Buffer#toJSON and Date#toJSON have run before it sees the value.
 */
function tagging(this: unknown, key: string, encoded: unknown): unknown {
  const raw = (this as Record<string, unknown>)[key];
  if (Buffer.isBuffer(raw)) return { [BUFFER_TAG]: raw.toString("base64") };
  if (raw instanceof Date) return { [DATE_TAG]: raw.toISOString() };
  if (!isPlainObject(encoded) || literalWrappers.has(this as object)) return encoded;
  const only = onlyKey(encoded);
  if (only === undefined || !TAGS.includes(only)) return encoded;
  const wrapper = { [LITERAL_TAG]: encoded };
  literalWrappers.add(wrapper);
  return wrapper;
}

/** The value `tagging` wrote, read top-down so that a literal's insides are never taken for tags. */
function untagged(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(untagged);
  if (!isPlainObject(value)) return value;
  const entries = Object.entries(value);
  if (entries.length === 1) {
    const [tag, inner] = entries[0]!;
    if (tag === BUFFER_TAG && typeof inner === "string") return Buffer.from(inner, "base64");
    if (tag === DATE_TAG && typeof inner === "string") return new Date(inner);
    if (tag === LITERAL_TAG && isPlainObject(inner)) return untaggedObject(Object.entries(inner));
  }
  return untaggedObject(entries);
}

const untaggedObject = (entries: [string, unknown][]) =>
  Object.fromEntries(entries.map(([key, item]) => [key, untagged(item)]));

/** JSON text of a record; Buffers become `{"$buffer": base64}`, Dates `{"$date": ISO-8601}`. */
export function encodeRecord(value: unknown): string {
  return JSON.stringify(value, tagging);
}

/** The record `encodeRecord` wrote. */
export function decodeRecord<T = unknown>(text: string): T {
  const parsed: unknown = JSON.parse(text);
  // Most records hold no tag at all (every tag is an object whose key starts with "$"): then the parsed value is
  // the record, and skipping the walk halves the start-up of a large data directory.
  return (text.includes('{"$') ? untagged(parsed) : parsed) as T;
}
