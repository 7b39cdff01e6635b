import { AwsError } from "./errors.js";
import { shapeOf, type MemberRef, type ServiceModel, type Shape } from "./model.js";
import { XmlWriter } from "./xml.js";

/**
 * The AWS Query protocol (Neptune/RDS and STS): form-encoded parameters in, XML out.
 * Parameter names follow botocore's serializer: structure members by `locationName`, list items as
 * `Name.<member locationName or "member">.N` (or `Name.N` when flattened), maps as `Name.entry.N.key`, and an
 * empty list as a bare `Name=`.
 */

export type QueryParams = Map<string, string>;

export function parseForm(text: string): QueryParams {
  const params: QueryParams = new Map();
  for (const [key, value] of new URLSearchParams(text)) params.set(key, value);
  return params;
}

/** The flat parameters being read, and their names (for prefix lookups). */
interface Reader {
  model: ServiceModel;
  params: QueryParams;
  keys: string[];
}

/** Reads the input structure of an operation out of the flat parameter map. */
export function deserializeQueryInput(
  model: ServiceModel,
  shapeName: string,
  params: QueryParams,
): Record<string, unknown> {
  const reader: Reader = { model, params, keys: [...params.keys()] };
  return readStructure(reader, shapeOf(model, shapeName), "") ?? {};
}

function join(prefix: string, name: string): string {
  return prefix ? `${prefix}.${name}` : name;
}

function hasPrefix(reader: Reader, prefix: string): boolean {
  const dotted = prefix + ".";
  return reader.keys.some((k) => k === prefix || k.startsWith(dotted));
}

function readStructure(reader: Reader, shape: Shape, prefix: string): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  let found = false;
  for (const [memberName, ref] of Object.entries(shape.members ?? {})) {
    const value = readValue(reader, ref, join(prefix, ref.locationName ?? memberName));
    if (value !== undefined) {
      out[memberName] = value;
      found = true;
    }
  }
  return found || !prefix ? out : undefined;
}

function readValue(reader: Reader, ref: MemberRef, key: string): unknown {
  const shape = shapeOf(reader.model, ref.shape);
  switch (shape.type) {
    case "structure":
      return hasPrefix(reader, key) ? readStructure(reader, shape, key) : undefined;
    case "list":
      return readList(reader, shape, key, ref.flattened ?? shape.flattened);
    case "map":
      return readMap(reader, shape, key, shape.flattened);
    default: {
      const raw = reader.params.get(key);
      return raw === undefined ? undefined : parseScalar(shape, raw, key);
    }
  }
}

function readList(reader: Reader, shape: Shape, key: string, flattened: boolean | undefined): unknown[] | undefined {
  if (reader.params.get(key) === "") return []; // botocore sends an empty list as `Name=`
  const itemPrefix = flattened ? key : `${key}.${shape.member!.locationName ?? "member"}`;
  if (!hasPrefix(reader, itemPrefix)) return undefined;
  const items: unknown[] = [];
  for (let i = 1; hasPrefix(reader, `${itemPrefix}.${i}`); i++) {
    items.push(readValue(reader, shape.member!, `${itemPrefix}.${i}`));
  }
  return items;
}

function readMap(
  reader: Reader,
  shape: Shape,
  key: string,
  flattened: boolean | undefined,
): Record<string, unknown> | undefined {
  const entryPrefix = flattened ? key : `${key}.entry`;
  if (!hasPrefix(reader, entryPrefix)) return undefined;
  const out: Record<string, unknown> = {};
  const keyName = shape.key!.locationName ?? "key";
  const valueName = shape.value!.locationName ?? "value";
  for (let i = 1; hasPrefix(reader, `${entryPrefix}.${i}`); i++) {
    const k = reader.params.get(`${entryPrefix}.${i}.${keyName}`);
    if (k !== undefined) out[k] = readValue(reader, shape.value!, `${entryPrefix}.${i}.${valueName}`);
  }
  return out;
}

function parseScalar(shape: Shape, raw: string, key: string): unknown {
  switch (shape.type) {
    case "boolean":
      if (raw === "true" || raw === "false") return raw === "true";
      throw malformed(key, raw, "boolean");
    case "integer":
    case "long": {
      if (!/^[-+]?\d+$/.test(raw)) throw malformed(key, raw, "integer");
      return Number(raw);
    }
    case "double":
    case "float": {
      const n = Number(raw);
      if (raw.trim() === "" || Number.isNaN(n)) throw malformed(key, raw, "number");
      return n;
    }
    case "timestamp": {
      const date = /^\d+(\.\d+)?$/.test(raw) ? new Date(Number(raw) * 1000) : new Date(raw);
      if (Number.isNaN(date.getTime())) throw malformed(key, raw, "timestamp");
      return date;
    }
    case "blob":
      return Buffer.from(raw, "base64");
    default:
      return raw;
  }
}

function malformed(key: string, raw: string, kind: string): AwsError {
  return new AwsError("InvalidParameterValue", `Invalid ${kind} value '${raw}' for parameter ${key}.`, 400);
}

// ---------------------------------------------------------------------------------------------- responses

export function serializeQueryResponse(
  model: ServiceModel,
  operation: string,
  output: unknown,
  requestId: string,
): string {
  const op = model.operations[operation]!;
  const xml = new XmlWriter().open(`${operation}Response`, { xmlns: model.metadata.xmlNamespace! });
  if (op.output) {
    const wrapper = op.output.resultWrapper ?? `${operation}Result`;
    xml.open(wrapper);
    writeMembers(xml, model, shapeOf(model, op.output.shape), (output ?? {}) as Record<string, unknown>);
    xml.close(wrapper);
  }
  xml.open("ResponseMetadata").element("RequestId", requestId).close("ResponseMetadata");
  return xml.close(`${operation}Response`).toString();
}

export function serializeQueryError(model: ServiceModel, error: AwsError, requestId: string): string {
  return new XmlWriter()
    .open("ErrorResponse", { xmlns: model.metadata.xmlNamespace! })
    .open("Error")
    .element("Type", error.sender ? "Sender" : "Receiver")
    .element("Code", error.code)
    .element("Message", error.message)
    .close("Error")
    .element("RequestId", requestId)
    .close("ErrorResponse")
    .toString();
}

/** Each structure's members with their XML names, computed once per shape: large responses repeat shapes. */
const memberCache = new WeakMap<Shape, { name: string; xmlName: string; ref: MemberRef }[]>();

function membersOf(shape: Shape): { name: string; xmlName: string; ref: MemberRef }[] {
  let members = memberCache.get(shape);
  if (!members) {
    members = Object.entries(shape.members ?? {}).map(([name, ref]) => ({
      name,
      xmlName: ref.locationName ?? name,
      ref,
    }));
    memberCache.set(shape, members);
  }
  return members;
}

function writeMembers(xml: XmlWriter, model: ServiceModel, shape: Shape, value: Record<string, unknown>): void {
  for (const { name, xmlName, ref } of membersOf(shape)) {
    const member = value[name];
    if (member !== undefined && member !== null) writeValue(xml, model, ref, xmlName, member);
  }
}

function writeValue(xml: XmlWriter, model: ServiceModel, ref: MemberRef, name: string, value: unknown): void {
  const shape = shapeOf(model, ref.shape);
  switch (shape.type) {
    case "structure":
      xml.open(name);
      writeMembers(xml, model, shape, value as Record<string, unknown>);
      xml.close(name);
      return;
    case "list": {
      const items = value as unknown[];
      if (ref.flattened ?? shape.flattened) {
        const itemName = shape.member!.locationName ?? name;
        for (const item of items) writeValue(xml, model, shape.member!, itemName, item);
        return;
      }
      const itemName = shape.member!.locationName ?? "member";
      xml.open(name);
      for (const item of items) writeValue(xml, model, shape.member!, itemName, item);
      xml.close(name);
      return;
    }
    case "map": {
      xml.open(name);
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        xml.open("entry");
        xml.element(shape.key!.locationName ?? "key", k);
        writeValue(xml, model, shape.value!, shape.value!.locationName ?? "value", v);
        xml.close("entry");
      }
      xml.close(name);
      return;
    }
    default:
      xml.element(name, formatScalar(shape, value));
  }
}

function formatScalar(shape: Shape, value: unknown): string {
  switch (shape.type) {
    case "timestamp":
      return (value instanceof Date ? value : new Date(value as string)).toISOString(); // ISO-8601 with milliseconds
    case "blob":
      return Buffer.from(value as Uint8Array).toString("base64");
    default:
      return String(value);
  }
}
