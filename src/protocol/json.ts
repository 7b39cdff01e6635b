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
 * An operation's input from the request body. A body that is one flat object of string and blob members (KMS's
 * Encrypt, Decrypt, ReEncrypt without a context …) is read straight from its bytes (readFlatBody); any other body,
 * and any body that reading finds something wrong with, is parsed as JSON and read by the shape's compiled reader,
 * which answers every error.
 */
export function readJsonBody(model: ServiceModel, shapeName: string, body: Buffer): Record<string, unknown> {
  return (
    readFlatBody(model, shapeOf(model, shapeName), body) ?? deserializeJsonInput(model, shapeName, parseJsonBody(body))
  );
}

/**
 * The flat body's members, or undefined to leave the body to JSON.parse. A blob's base64 is decoded from the body's
 * bytes: no text of the whole body, nor a second copy of the blob's kilobytes of text, is made (JSON.parse makes
 * both). It reads only what JSON.parse would read the same way: a body without any backslash (no escapes), whose
 * strings are printable ASCII (a blob's by being standard base64; other strings, short ones only, are checked), whose
 * members are all the shape's own string and blob members, with JSON's whitespace around its tokens. A repeated
 * member is the last one, as with JSON.parse; the members are put in the shape's order, as its reader puts them.
 */
function readFlatBody(model: ServiceModel, shape: Shape, body: Buffer): Record<string, unknown> | undefined {
  const members = flatMembersOf(model, shape);
  if (!members || body.length === 0 || body.indexOf(BACKSLASH) >= 0) return undefined;
  const found = new Map<string, string | Buffer>();
  let i = skipSpace(body, 0);
  if (body[i] !== OPEN_BRACE) return undefined;
  i = skipSpace(body, i + 1);
  if (body[i] === CLOSE_BRACE) i++;
  else {
    for (;;) {
      const nameEnd = stringEnd(body, i);
      if (nameEnd < 0 || !isPrintableAscii(body, i + 1, nameEnd)) return undefined;
      const name = body.toString("latin1", i + 1, nameEnd);
      const kind = members.get(name);
      if (kind === undefined) return undefined;
      i = skipSpace(body, nameEnd + 1);
      if (body[i] !== COLON) return undefined;
      i = skipSpace(body, i + 1);
      const end = stringEnd(body, i);
      if (end < 0) return undefined;
      if (kind === "blob") {
        const text = body.toString("latin1", i + 1, end);
        const bytes = Buffer.from(text, "base64");
        if (!isStandardBase64(text, bytes.length)) return undefined;
        found.set(name, bytes);
      } else {
        if (end - i - 1 > MAX_FLAT_TEXT || !isPrintableAscii(body, i + 1, end)) return undefined;
        found.set(name, body.toString("latin1", i + 1, end));
      }
      i = skipSpace(body, end + 1);
      if (body[i] === CLOSE_BRACE) {
        i++;
        break;
      }
      if (body[i] !== COMMA) return undefined;
      i = skipSpace(body, i + 1);
    }
  }
  if (skipSpace(body, i) !== body.length) return undefined;
  const out: Record<string, unknown> = {};
  for (const name of members.keys()) {
    const value = found.get(name);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const COLON = 0x3a;
const COMMA = 0x2c;
/** Longer strings than a blob's are checked byte by byte in JavaScript: JSON.parse reads them faster. */
const MAX_FLAT_TEXT = 2048;

/** A structure's string and blob members by name, in the shape's order; undefined when it has no member. */
const flatMembers = new WeakMap<Shape, Map<string, "string" | "blob"> | undefined>();

function flatMembersOf(model: ServiceModel, shape: Shape): Map<string, "string" | "blob"> | undefined {
  if (flatMembers.has(shape)) return flatMembers.get(shape);
  let members: Map<string, "string" | "blob"> | undefined;
  if (shape.type === "structure" && !shape.document) {
    members = new Map();
    for (const [name, ref] of Object.entries(shape.members ?? {})) {
      const type = shapeOf(model, ref.shape).type;
      if (type === "string" || type === "blob") members.set(name, type);
    }
    if (members.size === 0) members = undefined;
  }
  flatMembers.set(shape, members);
  return members;
}

/** JSON's whitespace: space, tab, line feed, carriage return (RFC 8259 §2). */
function skipSpace(body: Buffer, i: number): number {
  while (i < body.length) {
    const byte = body[i]!;
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) break;
    i++;
  }
  return i;
}

/** The index of the closing quote of the string that opens at `i`, or -1 when none opens there. */
function stringEnd(body: Buffer, i: number): number {
  return body[i] === QUOTE ? body.indexOf(QUOTE, i + 1) : -1;
}

function isPrintableAscii(body: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const byte = body[i]!;
    if (byte < 0x20 || byte > 0x7e) return false;
  }
  return true;
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
 * Standard base64 (RFC 4648 §4, padded), as the SDKs send blobs. KMS answers a blob that is not base64 with
 * SerializationException (400; the message is *decided*, no capture shows KMS's text). Node's decoder is lenient:
 * it also reads base64url's `-` and `_`, reads only the low byte of a UTF-16 unit, skips any other character it
 * cannot read and stops at a `=`. So a text is standard base64 when it is ASCII without `-` or `_`, its length is a
 * multiple of 4, and it decoded to every byte its characters stand for: a skipped character or an early `=` leaves
 * fewer. A last character carrying bits the bytes do not use is read, as the grammar reads it. The check is made on
 * the decoded length: no second text of kilobytes is made to compare (as re-encoding the bytes would).
 */
function decodeBase64(text: string, path: string): Buffer {
  const bytes = Buffer.from(text, "base64");
  if (isStandardBase64(text, bytes.length)) return bytes;
  throw serializationError(`Value of ${path || "input"} is not valid base64.`);
}

const EQUALS = 0x3d;

function isStandardBase64(text: string, decodedLength: number): boolean {
  const length = text.length;
  if (length % 4 !== 0 || text.includes("-") || text.includes("_")) return false;
  if (Buffer.byteLength(text, "utf8") !== length) return false; // a character outside ASCII
  const padding =
    length === 0 || text.charCodeAt(length - 1) !== EQUALS ? 0 : text.charCodeAt(length - 2) === EQUALS ? 2 : 1;
  return decodedLength === (length / 4) * 3 - padding;
}

function mismatch(path: string, expected: string): AwsError {
  const article = /^[aeiou]/.test(expected) ? "an" : "a";
  return serializationError(`Unexpected value type for ${path || "input"}: expected ${article} ${expected}.`);
}

// ---------------------------------------------------------------------------------------------- responses

/**
 * The answer's bytes, written once into one Buffer of the exact size: the JSON text around the blobs, and each
 * blob's base64 in place, without first joining a text of them (a 4 KiB blob is 5.5 KB of text, copied again by
 * every concatenation that holds it).
 */
export function serializeJsonOutput(model: ServiceModel, shapeName: string | undefined, output: unknown): Buffer {
  const out = new JsonOut();
  if (shapeName && output !== undefined && output !== null) writerOf(model, shapeOf(model, shapeName))(output, out);
  else out.text("{}");
  return out.toBuffer();
}

/**
 * The JSON text of one value as the model writes it, or undefined for no value (shared with rest-json). Members
 * the shape does not have are left out; so are undefined and null ones.
 */
export function writeJson(model: ServiceModel, shape: Shape, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const out = new JsonOut();
  writerOf(model, shape)(value, out);
  return out.toText();
}

/**
 * JSON being written: its text so far, and the blobs (their base64 is the quoted text between two parts) whose
 * text is written only in toBuffer or toText.
 */
class JsonOut {
  /** Text before each blob (ending with its opening quote), then the text after the last one. */
  readonly #texts: string[] = [];
  readonly #blobs: Buffer[] = [];
  #pending = "";

  text(text: string): void {
    this.#pending += text;
  }

  blob(bytes: Buffer): void {
    this.#texts.push(`${this.#pending}"`);
    this.#blobs.push(bytes);
    this.#pending = '"';
  }

  toBuffer(): Buffer {
    const texts = [...this.#texts, this.#pending];
    let length = 0;
    for (const text of texts) length += Buffer.byteLength(text, "utf8");
    for (const bytes of this.#blobs) length += base64Length(bytes.length);
    const buffer = Buffer.allocUnsafe(length);
    let offset = buffer.write(texts[0]!, 0, "utf8");
    for (let i = 0; i < this.#blobs.length; i++) {
      offset += buffer.write(this.#blobs[i]!.toString("base64"), offset, "latin1");
      offset += buffer.write(texts[i + 1]!, offset, "utf8");
    }
    return buffer;
  }

  toText(): string {
    let text = "";
    for (let i = 0; i < this.#blobs.length; i++) text += this.#texts[i]! + this.#blobs[i]!.toString("base64");
    return text + this.#pending;
  }
}

/** Padded base64 (RFC 4648 §4): 4 characters for each 3 bytes or part of them. */
const base64Length = (bytes: number) => Math.ceil(bytes / 3) * 4;

/** Writes one value (never undefined or null) as JSON. */
type Writer = (value: unknown, out: JsonOut) => void;

const writers = new WeakMap<Shape, Writer>();

function writerOf(model: ServiceModel, shape: Shape): Writer {
  return compiledOnce(writers, shape, () => compileWriter(model, shape));
}

/** An absent value in an array (a sparse list's item) or a map: `null`; an absent member is left out. */
const absent = (value: unknown) => value === undefined || value === null;

function compileWriter(model: ServiceModel, shape: Shape): Writer {
  switch (shape.type) {
    case "structure": {
      if (shape.document) return (value, out) => out.text(JSON.stringify(value));
      const members = Object.entries(shape.members ?? {}).map(([name, ref]) => ({
        name,
        key: `${JSON.stringify(name)}:`,
        write: writerOf(model, shapeOf(model, ref.shape)),
      }));
      return (value, out) => {
        let separator = "{";
        for (const { name, key, write } of members) {
          const member = (value as Record<string, unknown>)[name];
          if (absent(member)) continue;
          out.text(separator + key);
          write(member, out);
          separator = ",";
        }
        out.text(separator === "{" ? "{}" : "}");
      };
    }
    case "list": {
      const item = writerOf(model, shapeOf(model, shape.member!.shape));
      return (value, out) => {
        let separator = "[";
        for (const each of value as unknown[]) {
          out.text(separator);
          if (absent(each)) out.text("null");
          else item(each, out);
          separator = ",";
        }
        out.text(separator === "[" ? "[]" : "]");
      };
    }
    case "map": {
      const entry = writerOf(model, shapeOf(model, shape.value!.shape));
      return (value, out) => {
        let separator = "{";
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
          if (absent(v)) continue;
          out.text(`${separator}${JSON.stringify(k)}:`);
          entry(v, out);
          separator = ",";
        }
        out.text(separator === "{" ? "{}" : "}");
      };
    }
    case "timestamp": {
      // The JSON protocols' default is epoch seconds; a shape may say otherwise (neptunedata's ISO 8601 dates).
      const iso = shape.timestampFormat === "iso8601";
      return (value, out) => {
        const date = value instanceof Date ? value : new Date(value as string);
        out.text(iso ? `"${date.toISOString()}"` : JSON.stringify(date.getTime() / 1000));
      };
    }
    case "blob":
      // Base64 needs no escaping; a Uint8Array is read through a Buffer view of its bytes, not copied.
      return (value, out) => out.blob(asBuffer(value));
    default:
      return (value, out) => out.text(JSON.stringify(value));
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
