import { AwsError, modelError } from "./errors.js";
import { readValue, writeJson } from "./json.js";
import { fitsIntegerType, shapeOf, type MemberRef, type Operation, type ServiceModel, type Shape } from "./model.js";
import { dictionary } from "../util/dictionary.js";

/**
 * The AWS REST-JSON protocol, driven by the model (neptunedata): the operation is found from the method and the
 * operation's `requestUri` template; input members are bound from where the model puts them (`uri` labels,
 * `querystring`, `header`, the JSON body, or a `payload` member that is the whole body); outputs are written the
 * same way (a `statusCode` member is the HTTP status). Errors are the service's error shapes; this module does not
 * choose their wire form (the data-plane face writes Neptune's).
 */

/** A JSON text written by the handler exactly as the output shape's body (64-bit integers kept as digits). */
export class RawJson {
  constructor(readonly text: string) {}
}

interface Segment {
  literal?: string;
  label?: string;
  /** `{name+}`: takes the rest of the path, slashes included. */
  greedy?: boolean;
}

interface Template {
  operation: string;
  method: string;
  segments: Segment[];
  /** Literal query parts of the template (`/x?versions`): each key must be present. */
  queryLiterals: [string, string][];
  literalCount: number;
}

export type RestMatch =
  | { kind: "operation"; operation: string; labels: Record<string, string> }
  /** The path names operations, none with this method: MethodNotAllowed. */
  | { kind: "method"; allowed: string[] }
  | { kind: "none" };

function compile(operation: Operation): Template {
  const [path = "/", query = ""] = operation.http!.requestUri.split("?", 2) as [string, string?];
  const segments = path
    .split("/")
    .filter((part) => part !== "")
    .map((part): Segment => {
      const label = /^\{([^}+]+)(\+?)\}$/.exec(part);
      return label ? { label: label[1]!, greedy: label[2] === "+" } : { literal: part.toLowerCase() };
    });
  const queryLiterals = [...new URLSearchParams(query)];
  return {
    operation: operation.name,
    method: operation.http!.method.toUpperCase(),
    segments,
    queryLiterals,
    literalCount: segments.filter((s) => s.literal !== undefined).length,
  };
}

/** The labels of `path` under `template`, or undefined when it does not match. */
function matchPath(template: Template, parts: string[]): Record<string, string> | undefined {
  const labels = dictionary<string>();
  for (let i = 0; i < template.segments.length; i++) {
    const segment = template.segments[i]!;
    if (segment.greedy) {
      if (i >= parts.length) return undefined;
      labels[segment.label!] = parts.slice(i).join("/");
      return labels;
    }
    const part = parts[i];
    if (part === undefined || part === "") return undefined;
    // *Decided*: literal segments match case-insensitively: Neptune serves `/openCypher` and `/opencypher` alike
    // (reference §1.2), and no two neptunedata paths differ only by case.
    if (segment.literal !== undefined && segment.literal !== part.toLowerCase()) return undefined;
    if (segment.label !== undefined) labels[segment.label] = part;
  }
  return parts.length === template.segments.length ? labels : undefined;
}

/** The operations of a rest-json model by method and path template, compiled once. */
export class RestJsonRouter {
  readonly #templates: Template[];

  constructor(readonly model: ServiceModel) {
    this.#templates = Object.values(model.operations)
      .filter((op) => op.http)
      .map(compile)
      // The most specific template wins (`/loader/{loadId}` over a greedy one, literals over labels).
      .sort((a, b) => b.literalCount - a.literalCount);
  }

  /** Which operation `method path?query` names. Path segments are percent-decoded after splitting. */
  match(method: string, path: string, query: URLSearchParams): RestMatch {
    let parts: string[];
    try {
      parts = path
        .split("/")
        .filter((part) => part !== "")
        .map(decodeURIComponent);
    } catch {
      return { kind: "none" };
    }
    const allowed: string[] = [];
    for (const template of this.#templates) {
      const labels = matchPath(template, parts);
      if (!labels || !template.queryLiterals.every(([key]) => query.has(key))) continue;
      if (template.method === method.toUpperCase()) return { kind: "operation", operation: template.operation, labels };
      allowed.push(template.method);
    }
    return allowed.length > 0 ? { kind: "method", allowed } : { kind: "none" };
  }
}

export interface RestRequestParts {
  labels: Record<string, string>;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/**
 * The operation's input from where each member travels. A body that is not JSON, or a value of the wrong type,
 * is the service's `badRequest` error (neptunedata has no SerializationException: BadRequestException is its
 * code for a request it cannot read).
 */
export function bindRestJsonInput(
  model: ServiceModel,
  operationName: string,
  request: RestRequestParts,
  badRequest: string,
): Record<string, unknown> {
  const operation = model.operations[operationName]!;
  if (!operation.input) return {};
  const shape = shapeOf(model, operation.input.shape);
  const refuse = (message: string) => modelError(model, badRequest, message);
  const out: Record<string, unknown> = {};
  let body: Record<string, unknown> | undefined;
  const jsonBody = (): Record<string, unknown> => {
    if (body) return body;
    if (request.body.length === 0) return (body = {});
    let parsed: unknown;
    try {
      parsed = JSON.parse(request.body.toString("utf8"));
    } catch {
      throw refuse("The request body is not valid JSON.");
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
      throw refuse("The request body must be a JSON object.");
    return (body = parsed as Record<string, unknown>);
  };
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const memberShape = shapeOf(model, ref.shape);
    const wireName = ref.locationName ?? name;
    let value: unknown;
    switch (ref.location) {
      case "uri":
        value = scalarFromText(memberShape, request.labels[wireName], wireName, refuse);
        break;
      case "querystring":
        value =
          memberShape.type === "list"
            ? listFromText(model, memberShape, request.query.getAll(wireName), wireName, refuse)
            : scalarFromText(memberShape, request.query.get(wireName) ?? undefined, wireName, refuse);
        break;
      case "header": {
        const raw = request.headers[wireName.toLowerCase()];
        value = scalarFromText(memberShape, Array.isArray(raw) ? raw.join(",") : raw, wireName, refuse);
        break;
      }
      case undefined:
        if (shape.payload === name) {
          value = memberShape.type === "blob" ? request.body : fromJson(model, memberShape, jsonBody(), name, refuse);
        } else {
          value = fromJson(model, memberShape, jsonBody()[wireName], name, refuse);
        }
        break;
      default:
        break;
    }
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function fromJson(
  model: ServiceModel,
  shape: Shape,
  value: unknown,
  name: string,
  refuse: (message: string) => AwsError,
): unknown {
  try {
    return readValue(model, shape, value, name);
  } catch (error) {
    if (error instanceof AwsError) throw refuse(error.message);
    throw error;
  }
}

function listFromText(
  model: ServiceModel,
  shape: Shape,
  values: string[],
  name: string,
  refuse: (message: string) => AwsError,
): unknown[] | undefined {
  if (values.length === 0) return undefined;
  const member = shapeOf(model, shape.member!.shape);
  return values.map((value) => scalarFromText(member, value, name, refuse));
}

/** A scalar from its text in a URI, a query string or a header (REST bindings' string forms). */
function scalarFromText(
  shape: Shape,
  text: string | undefined,
  name: string,
  refuse: (message: string) => AwsError,
): unknown {
  if (text === undefined) return undefined;
  switch (shape.type) {
    case "integer":
    case "long": {
      const n = Number(text);
      if (text.trim() === "" || !fitsIntegerType(shape.type, n)) throw refuse(`${name} must be an integer: '${text}'`);
      return n;
    }
    case "double":
    case "float": {
      const n = Number(text);
      if (text.trim() === "" || Number.isNaN(n)) throw refuse(`${name} must be a number: '${text}'`);
      return n;
    }
    case "boolean": {
      const lower = text.toLowerCase();
      if (lower !== "true" && lower !== "false") throw refuse(`${name} must be true or false: '${text}'`);
      return lower === "true";
    }
    case "timestamp": {
      const date = new Date(/^\d+(\.\d+)?$/.test(text) ? Number(text) * 1000 : text);
      if (Number.isNaN(date.getTime())) throw refuse(`${name} must be a timestamp: '${text}'`);
      return date;
    }
    default:
      return text;
  }
}

export interface RestJsonOutput {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * An operation's output on the wire: the `statusCode` member (else the operation's responseCode) as the status,
 * `header` members as headers, and the body: a `payload` member alone, or the JSON of the body members. A
 * handler that returns a RawJson has written the body itself.
 */
export function serializeRestJsonOutput(model: ServiceModel, operationName: string, output: unknown): RestJsonOutput {
  const operation = model.operations[operationName]!;
  const status = operation.http?.responseCode ?? 200;
  if (output instanceof RawJson) return { status, headers: {}, body: output.text };
  if (!operation.output || output === undefined || output === null) return { status, headers: {}, body: "{}" };
  const shape = shapeOf(model, operation.output.shape);
  const values = output as Record<string, unknown>;
  const result: RestJsonOutput = { status, headers: {}, body: "{}" };
  const body: string[] = []; // the body members' `"name":value` texts
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const value = values[name];
    if (value === undefined || value === null) continue;
    const memberShape = shapeOf(model, ref.shape);
    writeMember(model, shape, name, ref, memberShape, value, body, result);
  }
  if (shape.payload === undefined) result.body = `{${body.join(",")}}`;
  return result;
}

function writeMember(
  model: ServiceModel,
  shape: Shape,
  name: string,
  ref: MemberRef,
  memberShape: Shape,
  value: unknown,
  body: string[],
  result: RestJsonOutput,
): void {
  switch (ref.location) {
    case "statusCode":
      result.status = value as number;
      return;
    case "header":
      result.headers[(ref.locationName ?? name).toLowerCase()] =
        value instanceof Date ? value.toUTCString() : String(value);
      return;
    case undefined: {
      if (shape.payload === name) {
        result.body =
          memberShape.type === "blob"
            ? Buffer.from(value as Uint8Array).toString("utf8")
            : (writeJson(model, memberShape, value) ?? "{}");
        return;
      }
      const text = writeJson(model, memberShape, value);
      if (text !== undefined) body.push(`${JSON.stringify(ref.locationName ?? name)}:${text}`);
      return;
    }
    default:
      return;
  }
}
