import { AwsError } from "./errors.js";
import { fitsIntegerType, shapeOf, type ServiceModel, type Shape } from "./model.js";
import { dictionary } from "../util/dictionary.js";

/**
 * The AWS JSON 1.1 protocol (KMS): `X-Amz-Target: <prefix>.<Operation>`, JSON in and out, blobs as base64,
 * timestamps as epoch seconds. Type mismatches are `SerializationException`, as AWS's JSON services answer.
 */

function serializationError(message: string): AwsError {
  return new AwsError("SerializationException", message, 400);
}

export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw serializationError("Start of structure or map found where not expected.");
  }
}

export function deserializeJsonInput(model: ServiceModel, shapeName: string, value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw serializationError("Start of structure or map found where not expected.");
  }
  return readValue(model, shapeOf(model, shapeName), value, "") as Record<string, unknown>;
}

/**
 * Requests are read, and responses written, by closures compiled once per shape from the model (on first use, then
 * cached, as the Query serializer's are: src/protocol/query.ts): each knows its members and how each member's type
 * is read or written, so a request costs no lookup of the model and no switch on types.
 */

/** Reads one member's JSON value (never undefined or null) as the model types it; `path` names it in errors. */
type Reader = (value: unknown, path: string) => unknown;

const readers = new WeakMap<Shape, Reader>();

/** One member's JSON value as the model types it (shared with rest-json, whose bodies are JSON too). */
export function readValue(model: ServiceModel, shape: Shape, value: unknown, path: string): unknown {
  if (value === null || value === undefined) return undefined;
  return readerOf(model, shape)(value, path);
}

function readerOf(model: ServiceModel, shape: Shape): Reader {
  return compiledOnce(readers, shape, () => compileReader(model, shape));
}

/**
 * The closure cached for `shape`, compiled on first use. While it compiles, a forwarder to it stands in the cache:
 * a shape that holds itself (directly or not) compiles once, and its inner uses go through the forwarder.
 */
function compiledOnce<F extends (...args: never[]) => unknown>(
  cache: WeakMap<Shape, F>,
  shape: Shape,
  compile: () => F,
): F {
  const known = cache.get(shape);
  if (known) return known;
  cache.set(shape, ((...args: Parameters<F>) => cache.get(shape)!(...args)) as F);
  const compiled = compile();
  cache.set(shape, compiled);
  return compiled;
}

function compileReader(model: ServiceModel, shape: Shape): Reader {
  switch (shape.type) {
    case "structure": {
      if (shape.document) return (value) => value; // free-form JSON, kept as sent
      const members = Object.entries(shape.members ?? {}).map(([name, ref]) => ({
        name,
        read: readerOf(model, shapeOf(model, ref.shape)),
      }));
      return (value, path) => {
        if (typeof value !== "object" || Array.isArray(value)) throw mismatch(path, "structure");
        const out: Record<string, unknown> = {};
        for (const { name, read } of members) {
          const member = (value as Record<string, unknown>)[name];
          if (member !== undefined && member !== null) out[name] = read(member, name);
        }
        return out;
      };
    }
    case "list": {
      const item = readerOf(model, shapeOf(model, shape.member!.shape));
      return (value, path) => {
        if (!Array.isArray(value)) throw mismatch(path, "list");
        return value.map((each: unknown) => (each === null || each === undefined ? undefined : item(each, path)));
      };
    }
    case "map": {
      const entry = readerOf(model, shapeOf(model, shape.value!.shape));
      return (value, path) => {
        if (typeof value !== "object" || Array.isArray(value)) throw mismatch(path, "map");
        const out = dictionary<unknown>(); // keyed by the caller: `__proto__` is a key like any other
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
          out[k] = v === null || v === undefined ? undefined : entry(v, path);
        }
        return out;
      };
    }
    case "string":
      return (value, path) => {
        if (typeof value !== "string") throw mismatch(path, "string");
        return value;
      };
    case "boolean":
      return (value, path) => {
        if (typeof value !== "boolean") throw mismatch(path, "boolean");
        return value;
      };
    case "integer":
    case "long": {
      const type = shape.type;
      return (value, path) => {
        if (typeof value !== "number" || !fitsIntegerType(type, value)) throw mismatch(path, "integer");
        return value;
      };
    }
    case "double":
    case "float":
      return (value, path) => {
        if (typeof value !== "number") throw mismatch(path, "number");
        return value;
      };
    case "timestamp":
      return (value, path) => {
        if (typeof value === "number") return new Date(value * 1000);
        if (typeof value === "string" && !Number.isNaN(Date.parse(value))) return new Date(value);
        throw mismatch(path, "timestamp");
      };
    case "blob":
      return (value, path) => {
        if (typeof value !== "string") throw mismatch(path, "blob");
        return decodeBase64(value, path);
      };
  }
}

/**
 * Standard base64 (RFC 4648 §4, padded), as the SDKs send blobs. Node's decoder skips what it cannot read, so the
 * text is checked: KMS answers a blob that is not base64 with SerializationException (400; the message is
 * *decided*, no capture shows KMS's text). The check is that the bytes encode back to the very text (two native
 * passes, no regular expression over kilobytes); only a text that does not (not base64, or base64 whose last
 * character carries bits the bytes do not use) is checked by the grammar, which accepts the latter.
 */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decodeBase64(text: string, path: string): Buffer {
  const bytes = Buffer.from(text, "base64");
  if (bytes.toString("base64") === text || BASE64.test(text)) return bytes;
  throw serializationError(`Value of ${path || "input"} is not valid base64.`);
}

function mismatch(path: string, expected: string): AwsError {
  const article = /^[aeiou]/.test(expected) ? "an" : "a";
  return serializationError(`Unexpected value type for ${path || "input"}: expected ${article} ${expected}.`);
}

// ---------------------------------------------------------------------------------------------- responses

export function serializeJsonOutput(model: ServiceModel, shapeName: string | undefined, output: unknown): string {
  if (!shapeName) return "{}";
  return writeJson(model, shapeOf(model, shapeName), output) ?? "{}";
}

/**
 * The JSON text of one value as the model writes it, or undefined for no value (shared with rest-json). Members
 * the shape does not have are left out; so are undefined and null ones.
 */
export function writeJson(model: ServiceModel, shape: Shape, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return writerOf(model, shape)(value);
}

/** Writes one value (never undefined or null) as JSON text; undefined when JSON has no text for it. */
type Writer = (value: unknown) => string | undefined;

const writers = new WeakMap<Shape, Writer>();

function writerOf(model: ServiceModel, shape: Shape): Writer {
  return compiledOnce(writers, shape, () => compileWriter(model, shape));
}

/** A JSON value of a member, an item or an entry: absent ones write nothing in an object, `null` in an array. */
const optional = (write: Writer, value: unknown) => (value === undefined || value === null ? undefined : write(value));

function compileWriter(model: ServiceModel, shape: Shape): Writer {
  switch (shape.type) {
    case "structure": {
      if (shape.document) return (value) => JSON.stringify(value);
      const members = Object.entries(shape.members ?? {}).map(([name, ref]) => ({
        name,
        key: `${JSON.stringify(name)}:`,
        write: writerOf(model, shapeOf(model, ref.shape)),
      }));
      return (value) => {
        let text = "";
        for (const { name, key, write } of members) {
          const member = optional(write, (value as Record<string, unknown>)[name]);
          if (member !== undefined) text += text === "" ? key + member : `,${key}${member}`;
        }
        return `{${text}}`;
      };
    }
    case "list": {
      const item = writerOf(model, shapeOf(model, shape.member!.shape));
      return (value) => `[${(value as unknown[]).map((each) => optional(item, each) ?? "null").join(",")}]`;
    }
    case "map": {
      const entry = writerOf(model, shapeOf(model, shape.value!.shape));
      return (value) => {
        const entries: string[] = [];
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
          const text = optional(entry, v);
          if (text !== undefined) entries.push(`${JSON.stringify(k)}:${text}`);
        }
        return `{${entries.join(",")}}`;
      };
    }
    case "timestamp": {
      // The JSON protocols' default is epoch seconds; a shape may say otherwise (neptunedata's ISO 8601 dates).
      const iso = shape.timestampFormat === "iso8601";
      return (value) => {
        const date = value instanceof Date ? value : new Date(value as string);
        return iso ? `"${date.toISOString()}"` : JSON.stringify(date.getTime() / 1000);
      };
    }
    case "blob":
      // Base64 needs no escaping; a Uint8Array is read through a Buffer view of its bytes, not copied.
      return (value) => `"${asBuffer(value).toString("base64")}"`;
    default:
      return (value) => JSON.stringify(value);
  }
}

function asBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return Buffer.from(value as string);
}

export function serializeJsonError(error: AwsError): string {
  return JSON.stringify({ __type: error.code, message: error.message });
}
