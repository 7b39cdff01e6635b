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

/** One member's JSON value as the model types it (shared with rest-json, whose bodies are JSON too). */
export function readValue(model: ServiceModel, shape: Shape, value: unknown, path: string): unknown {
  if (value === null || value === undefined) return undefined;
  switch (shape.type) {
    case "structure": {
      if (shape.document) return value; // free-form JSON, kept as sent
      if (typeof value !== "object" || Array.isArray(value)) throw mismatch(path, "structure");
      const out: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const member = readValue(model, shapeOf(model, ref.shape), (value as Record<string, unknown>)[name], name);
        if (member !== undefined) out[name] = member;
      }
      return out;
    }
    case "list":
      if (!Array.isArray(value)) throw mismatch(path, "list");
      return value.map((item) => readValue(model, shapeOf(model, shape.member!.shape), item, path));
    case "map": {
      if (typeof value !== "object" || Array.isArray(value)) throw mismatch(path, "map");
      const out = dictionary<unknown>(); // keyed by the caller: `__proto__` is a key like any other
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        out[k] = readValue(model, shapeOf(model, shape.value!.shape), v, path);
      }
      return out;
    }
    case "string":
      if (typeof value !== "string") throw mismatch(path, "string");
      return value;
    case "boolean":
      if (typeof value !== "boolean") throw mismatch(path, "boolean");
      return value;
    case "integer":
    case "long":
      if (typeof value !== "number" || !fitsIntegerType(shape.type, value)) throw mismatch(path, "integer");
      return value;
    case "double":
    case "float":
      if (typeof value !== "number") throw mismatch(path, "number");
      return value;
    case "timestamp":
      if (typeof value === "number") return new Date(value * 1000);
      if (typeof value === "string" && !Number.isNaN(Date.parse(value))) return new Date(value);
      throw mismatch(path, "timestamp");
    case "blob":
      if (typeof value !== "string") throw mismatch(path, "blob");
      return decodeBase64(value, path);
  }
}

/**
 * Standard base64 (RFC 4648 §4, padded), as the SDKs send blobs. Node's decoder skips what it cannot read, so the
 * text is checked first: KMS answers a blob that is not base64 with SerializationException (400; the message is
 * *decided*, no capture shows KMS's text).
 */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decodeBase64(text: string, path: string): Buffer {
  if (!BASE64.test(text)) throw serializationError(`Value of ${path || "input"} is not valid base64.`);
  return Buffer.from(text, "base64");
}

function mismatch(path: string, expected: string): AwsError {
  const article = /^[aeiou]/.test(expected) ? "an" : "a";
  return serializationError(`Unexpected value type for ${path || "input"}: expected ${article} ${expected}.`);
}

// ---------------------------------------------------------------------------------------------- responses

export function serializeJsonOutput(model: ServiceModel, shapeName: string | undefined, output: unknown): string {
  if (!shapeName || output === undefined) return "{}";
  return JSON.stringify(writeValue(model, shapeOf(model, shapeName), output));
}

/** One value as the model writes it in JSON (shared with rest-json). */
export function writeValue(model: ServiceModel, shape: Shape, value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  switch (shape.type) {
    case "structure": {
      if (shape.document) return value;
      const out: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const member = writeValue(model, shapeOf(model, ref.shape), (value as Record<string, unknown>)[name]);
        if (member !== undefined) out[name] = member;
      }
      return out;
    }
    case "list":
      return (value as unknown[]).map((item) => writeValue(model, shapeOf(model, shape.member!.shape), item));
    case "map": {
      const out = dictionary<unknown>();
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        out[k] = writeValue(model, shapeOf(model, shape.value!.shape), v);
      }
      return out;
    }
    case "timestamp": {
      const date = value instanceof Date ? value : new Date(value as string);
      // The JSON protocols' default is epoch seconds; a shape may say otherwise (neptunedata's ISO 8601 dates).
      return shape.timestampFormat === "iso8601" ? date.toISOString() : date.getTime() / 1000;
    }
    case "blob":
      return Buffer.from(value as Uint8Array).toString("base64");
    default:
      return value;
  }
}

export function serializeJsonError(error: AwsError): string {
  return JSON.stringify({ __type: error.code, message: error.message });
}
