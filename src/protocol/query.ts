import { AwsError } from "./errors.js";
import { fitsIntegerType, shapeOf, type MemberRef, type ServiceModel, type Shape } from "./model.js";
import { dictionary } from "../util/dictionary.js";
import { Chunks } from "./chunks.js";
import { isSettled, overlayBase } from "./settled.js";
import { codePointName, escapeXml, forbiddenXmlChar, XmlWriter } from "./xml.js";

/**
 * The AWS Query protocol (Neptune/RDS and STS): form-encoded parameters in, XML out.
 * Parameter names follow botocore's serializer: structure members by `locationName`, list items as
 * `Name.<member locationName or "member">.N` (or `Name.N` when flattened), maps as `Name.entry.N.key`, and an
 * empty list as a bare `Name=`.
 */

export type QueryParams = Map<string, string>;

/**
 * An `application/x-www-form-urlencoded` text's parameters, added to `into` (a later one of the same name wins).
 * Decoded as the WHATWG form parser (URLSearchParams) decodes: a name or value with no `%` or `+` is taken as it
 * is, a percent-encoded one through decodeURIComponent, and anything that refuses (a malformed escape) through
 * URLSearchParams itself, so the result is always URLSearchParams's.
 */
export function parseForm(text: string, into: QueryParams = new Map()): QueryParams {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf("&", start);
    if (end < 0) end = text.length;
    if (end > start) {
      const pair = text.slice(start, end); // '=' is looked for in the pair only: never a rescan of the rest
      const eq = pair.indexOf("=");
      const name = formDecode(eq < 0 ? pair : pair.slice(0, eq));
      const value = eq < 0 ? "" : formDecode(pair.slice(eq + 1));
      if (name !== undefined && value !== undefined) into.set(name, value);
      else for (const [k, v] of new URLSearchParams(pair)) into.set(k, v);
    }
    start = end + 1;
  }
  return into;
}

/** One form-encoded name or value, or undefined when only the WHATWG parser's lenience can read it. */
function formDecode(text: string): string | undefined {
  if (!text.includes("%")) return text.includes("+") ? text.replaceAll("+", " ") : text;
  try {
    return decodeURIComponent(text.replaceAll("+", " "));
  } catch {
    return undefined;
  }
}

/**
 * The parameters as a tree of their dot-separated names (`Tags.Tag.1.Key` → Tags → Tag → 1 → Key), built once
 * per request in time linear in the size of the names: reading the input then visits each node once, instead of
 * rescanning every parameter for every member (which made a 1 MiB form take minutes).
 */
interface ParamNode {
  value?: string;
  children?: Map<string, ParamNode>;
}

function paramTree(params: QueryParams): ParamNode {
  const root: ParamNode = {};
  for (const [name, value] of params) {
    let node = root;
    for (const part of name.split(".")) {
      node.children ??= new Map();
      let child = node.children.get(part);
      if (!child) node.children.set(part, (child = {}));
      node = child;
    }
    node.value = value;
  }
  return root;
}

/** Reads the input structure of an operation out of the flat parameter map. */
export function deserializeQueryInput(
  model: ServiceModel,
  shapeName: string,
  params: QueryParams,
): Record<string, unknown> {
  const shape = shapeOf(model, shapeName);
  // An input without members (GetCallerIdentity's) reads nothing: no tree to build.
  if (wireMembers(shape).length === 0) return {};
  return readStructure(model, shape, paramTree(params), "") ?? {};
}

/** A structure's members with the parameter name each is read from, listed once per shape. */
interface WireMember {
  memberName: string;
  name: string;
  ref: MemberRef;
}

const wireMemberLists = new WeakMap<Shape, WireMember[]>();

function wireMembers(shape: Shape): WireMember[] {
  let list = wireMemberLists.get(shape);
  if (!list) {
    list = Object.entries(shape.members ?? {}).map(([memberName, ref]) => ({
      memberName,
      name: ref.locationName ?? memberName,
      ref,
    }));
    wireMemberLists.set(shape, list);
  }
  return list;
}

function join(prefix: string, name: string): string {
  return prefix ? `${prefix}.${name}` : name;
}

function readStructure(
  model: ServiceModel,
  shape: Shape,
  node: ParamNode,
  prefix: string,
): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  let found = false;
  for (const { memberName, name, ref } of wireMembers(shape)) {
    const child = node.children?.get(name);
    if (!child) continue;
    const value = readValue(model, ref, child, join(prefix, name));
    if (value !== undefined) {
      out[memberName] = value;
      found = true;
    }
  }
  return found || !prefix ? out : undefined;
}

function readValue(model: ServiceModel, ref: MemberRef, node: ParamNode, key: string): unknown {
  const shape = shapeOf(model, ref.shape);
  switch (shape.type) {
    case "structure":
      return node.children ? readStructure(model, shape, node, key) : undefined;
    case "list":
      return readList(model, shape, node, key, ref.flattened ?? shape.flattened);
    case "map":
      return readMap(model, shape, node, key, shape.flattened);
    default:
      return node.value === undefined ? undefined : parseScalar(shape, node.value, key);
  }
}

/**
 * The numbered members `1..n` under `node`, in order. Numbers must run from 1 without a gap: a list
 * `Tags.Tag.1`, `Tags.Tag.3` is refused rather than silently shortened or closed up. *Decided*: RDS documents
 * MalformedQueryString (400) among its common errors but no capture shows which error a gap gets; the message
 * names the missing member. Names that are not numbers are ignored, as unknown parameters are.
 */
function numberedMembers(node: ParamNode | undefined, prefix: string): ParamNode[] | undefined {
  if (!node?.children) return undefined;
  const members: ParamNode[] = [];
  let count = 0;
  for (const [name, child] of node.children) {
    if (!/^[1-9]\d{0,8}$/.test(name)) continue;
    members[Number(name) - 1] = child;
    count++;
  }
  if (count === 0) return undefined;
  if (members.length !== count) {
    let missing = 1;
    while (members[missing - 1] !== undefined) missing++;
    throw new AwsError(
      "MalformedQueryString",
      `The query string contains a syntax error: ${prefix}.${missing} is missing; list members are numbered 1, 2, 3… without gaps.`,
      400,
    );
  }
  return members;
}

function readList(
  model: ServiceModel,
  shape: Shape,
  node: ParamNode,
  key: string,
  flattened: boolean | undefined,
): unknown[] | undefined {
  if (node.value === "" && !node.children) return []; // botocore sends an empty list as `Name=`
  const itemName = flattened ? undefined : (shape.member!.locationName ?? "member");
  const itemPrefix = itemName ? `${key}.${itemName}` : key;
  const members = numberedMembers(itemName ? node.children?.get(itemName) : node, itemPrefix);
  return members?.map((member, i) => {
    const memberKey = `${itemPrefix}.${i + 1}`;
    // A numbered member is there, so the item is: a structure with no known member reads as `{}`.
    const item = readValue(model, shape.member!, member, memberKey);
    if (item !== undefined) return item;
    if (shapeOf(model, shape.member!.shape).type === "structure") return {};
    throw new AwsError(
      "MalformedQueryString",
      `The query string contains a syntax error: ${memberKey} has no value.`,
      400,
    );
  });
}

/** Maps keyed by the caller's keys: a null-prototype object, so `__proto__` or `constructor` is a key like any other. */
function readMap(
  model: ServiceModel,
  shape: Shape,
  node: ParamNode,
  key: string,
  flattened: boolean | undefined,
): Record<string, unknown> | undefined {
  const entryPrefix = flattened ? key : `${key}.entry`;
  const entries = numberedMembers(flattened ? node : node.children?.get("entry"), entryPrefix);
  if (!entries) return undefined;
  const out = dictionary<unknown>();
  const keyName = shape.key!.locationName ?? "key";
  const valueName = shape.value!.locationName ?? "value";
  entries.forEach((entry, i) => {
    const k = entry.children?.get(keyName)?.value;
    const valueNode = entry.children?.get(valueName);
    const value = valueNode && readValue(model, shape.value!, valueNode, `${entryPrefix}.${i + 1}.${valueName}`);
    if (k !== undefined && value !== undefined) out[k] = value;
  });
  return out;
}

function parseScalar(shape: Shape, raw: string, key: string): unknown {
  switch (shape.type) {
    case "boolean":
      if (raw === "true" || raw === "false") return raw === "true";
      throw malformed(key, raw, "boolean");
    case "integer":
    case "long": {
      if (!/^[-+]?\d+$/.test(raw) || !fitsIntegerType(shape.type, Number(raw))) throw malformed(key, raw, "integer");
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
      return shape.pattern ? raw : xmlSafe(raw, key); // a model pattern, where there is one, is the validator's
  }
}

/**
 * A string the responses could not carry (a control character, U+FFFE/U+FFFF) is refused before anything stores
 * it. *Decided*: RDS and STS publish no capture of this case; InvalidParameterValue (400) names the parameter and
 * the character's code point, without echoing it.
 */
function xmlSafe(raw: string, key: string): string {
  const char = forbiddenXmlChar(raw);
  if (char === undefined) return raw;
  throw new AwsError(
    "InvalidParameterValue",
    `Invalid value for parameter ${key}: the character ${codePointName(char)} is not allowed.`,
    400,
  );
}

function malformed(key: string, raw: string, kind: string): AwsError {
  return new AwsError("InvalidParameterValue", `Invalid ${kind} value '${raw}' for parameter ${key}.`, 400);
}

// ---------------------------------------------------------------------------------------------- responses

/**
 * Responses are written by closures compiled once per output shape from the model (on first use, then cached):
 * each knows its element names, its members and how each member's type is written, so serializing is appending
 * text, with no lookup of the model, no switch on types and escaping only for strings (numbers, booleans,
 * timestamps and base64 never need it). A settled structure (settled.ts) is written once and its bytes reused; an
 * overlay of one is written from a template of the base's bytes with its own members written anew. The bytes are
 * those of the model walk this replaced (tests/protocol).
 */

/** Writes one value (never undefined or null) under an element name fixed at compile time. */
type ValueWriter = (out: Chunks, value: unknown) => void;
/** Writes a structure's members (without the structure's own element). */
type MembersWriter = (out: Chunks, value: Record<string, unknown>) => void;

interface CompiledMember {
  name: string;
  write: ValueWriter;
}

/** Where a structure is written: its element's tags, or none for an operation's result. */
interface Element {
  open: string;
  close: string;
}
const NO_ELEMENT: Element = { open: "", close: "" };

/**
 * A structure written in one place: a settled value's bytes kept whole, an overlay's from a template (the base's
 * bytes, with the overlay's own members written where they stand), anything else written member by member.
 */
type StructureWriter = (out: Chunks, value: Record<string, unknown>) => void;

/** An overlay's template: the bytes around the overlay's own members, its element's tags included. */
interface Template {
  /** The overlay's own member names it was made for, in the overlay's order. */
  names: string[];
  parts: (Buffer | CompiledMember)[];
}

const compiledMembers = new WeakMap<Shape, CompiledMember[]>();

/** A structure's members, compiled once per shape (on first use: shapes may refer to themselves). */
function compiledMembersOf(model: ServiceModel, shape: Shape): CompiledMember[] {
  let members = compiledMembers.get(shape);
  if (members) return members;
  // Set before the members compile: a shape that holds itself finds its (still empty, then filled) list.
  members = [];
  compiledMembers.set(shape, members);
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    members.push({ name, write: valueWriter(model, ref, ref.locationName ?? name) });
  }
  return members;
}

function structureWriter(model: ServiceModel, shape: Shape, element: Element): StructureWriter {
  let compiled: CompiledMember[] | undefined;
  const members = () => (compiled ??= compiledMembersOf(model, shape));
  const plain: MembersWriter = (out, value) => {
    out.text += element.open;
    for (const member of members()) writeMember(out, value, member);
    out.text += element.close;
  };
  // Kept as long as the value (or the overlays' base) lives.
  const settledBytes = new WeakMap<object, Buffer>();
  const templates = new WeakMap<object, Template[]>();

  const templateFor = (base: Record<string, unknown>, names: string[]): Template => {
    let known = templates.get(base);
    if (!known) templates.set(base, (known = []));
    for (const template of known) if (sameNames(template.names, names)) return template;
    const own = new Set(names);
    const parts: Template["parts"] = [];
    let run = new Chunks();
    run.text = element.open;
    for (const member of members()) {
      if (own.has(member.name)) {
        parts.push(run.toKeptBuffer(), member);
        run = new Chunks();
      } else {
        writeMember(run, base, member);
      }
    }
    run.text += element.close;
    parts.push(run.toKeptBuffer());
    const template = { names, parts };
    known.push(template);
    return template;
  };

  const unsettled: MembersWriter = (out, value) => {
    const base = overlayBase(value);
    if (!base) return plain(out, value);
    // The names are read at each write: a member set on the overlay after it was made is written too.
    for (const part of templateFor(base as Record<string, unknown>, Object.keys(value)).parts) {
      if (part instanceof Uint8Array) out.bytes(part);
      else writeMember(out, value, part);
    }
  };

  return (out, value) => {
    if (!isSettled(value)) return unsettled(out, value);
    let bytes = settledBytes.get(value);
    if (!bytes) {
      const own = new Chunks();
      unsettled(own, value);
      settledBytes.set(value, (bytes = own.toKeptBuffer()));
    }
    out.bytes(bytes);
  };
}

function sameNames(x: string[], y: string[]): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

function writeMember(out: Chunks, value: Record<string, unknown>, { name, write }: CompiledMember): void {
  const member = value[name];
  if (member !== undefined && member !== null) write(out, member);
}

/** How a member of reference `ref` is written under element `name`. */
function valueWriter(model: ServiceModel, ref: MemberRef, name: string): ValueWriter {
  const shape = shapeOf(model, ref.shape);
  const open = `<${name}>`;
  const close = `</${name}>`;
  switch (shape.type) {
    case "structure": {
      const write = structureWriter(model, shape, { open, close });
      return (out, value) => write(out, value as Record<string, unknown>);
    }
    case "list": {
      const flattened = ref.flattened ?? shape.flattened;
      let item: ValueWriter | undefined;
      const itemWriter = () =>
        (item ??= valueWriter(model, shape.member!, shape.member!.locationName ?? (flattened ? name : "member")));
      if (flattened) {
        return (out, value) => {
          for (const each of value as unknown[]) itemWriter()(out, each);
        };
      }
      return (out, value) => {
        out.text += open;
        for (const each of value as unknown[]) itemWriter()(out, each);
        out.text += close;
      };
    }
    case "map": {
      const keyOpen = `<${shape.key!.locationName ?? "key"}>`;
      const keyClose = `</${shape.key!.locationName ?? "key"}>`;
      let entryValue: ValueWriter | undefined;
      return (out, value) => {
        out.text += open;
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
          out.text += `<entry>${keyOpen}${escapeXml(k)}${keyClose}`;
          (entryValue ??= valueWriter(model, shape.value!, shape.value!.locationName ?? "value"))(out, v);
          out.text += "</entry>";
        }
        out.text += close;
      };
    }
    case "timestamp":
      return timestampWriter(open, close);
    default: {
      const format = scalarFormatter(shape);
      return (out, value) => {
        out.text += open + format(value) + close;
      };
    }
  }
}

/** A scalar as element text, escaped where the type can hold markup. */
function scalarFormatter(shape: Shape): (value: unknown) => string {
  if (shape.type === "blob") return (value) => Buffer.from(value as Uint8Array).toString("base64");
  // A number or boolean never needs escaping; anything else (strings, and whatever a handler put there) may.
  return (value) =>
    typeof value === "number" || typeof value === "boolean" ? String(value) : escapeXml(String(value));
}

/**
 * A timestamp element, ISO-8601 with milliseconds. The elements of recent instants are kept as bytes: a response
 * often writes the same few many times (every cluster's LatestRestorableTime is the request's time, and unchanged
 * records keep theirs), and kept bytes are copied into the answer with no text to encode.
 */
function timestampWriter(open: string, close: string): ValueWriter {
  const recent = new Map<number, Buffer>();
  return (out, value) => {
    const date = value instanceof Date ? value : new Date(value as string);
    const ms = date.getTime();
    let bytes = recent.get(ms);
    if (bytes === undefined) {
      if (recent.size >= 1024) recent.clear();
      recent.set(ms, (bytes = Buffer.from(`${open}${date.toISOString()}${close}`)));
    }
    out.bytes(bytes);
  };
}

/**
 * An operation's fixed text before and after its result's members. Text, not bytes: appended to the answer's text,
 * a small answer (GetCallerIdentity's) is one string encoded once, not five parts copied in turn.
 */
interface ResponseFrame {
  head: string;
  members: StructureWriter | undefined;
  /** Up to the request id, which follows. */
  middle: string;
  tail: string;
}

const frames = new WeakMap<ServiceModel, Map<string, ResponseFrame>>();

function responseFrame(model: ServiceModel, operation: string): ResponseFrame {
  let byOperation = frames.get(model);
  if (!byOperation) frames.set(model, (byOperation = new Map()));
  let frame = byOperation.get(operation);
  if (frame) return frame;
  const op = model.operations[operation]!;
  const wrapper = op.output ? (op.output.resultWrapper ?? `${operation}Result`) : undefined;
  const head = `<${operation}Response xmlns="${escapeXml(model.metadata.xmlNamespace!)}">`;
  frame = {
    head: wrapper ? `${head}<${wrapper}>` : head,
    members: op.output ? structureWriter(model, shapeOf(model, op.output.shape), NO_ELEMENT) : undefined,
    middle: `${wrapper ? `</${wrapper}>` : ""}<ResponseMetadata><RequestId>`,
    tail: `</RequestId></ResponseMetadata></${operation}Response>`,
  };
  byOperation.set(operation, frame);
  return frame;
}

/** The response: its text when short and all text, else its bytes (UTF-8): Chunks.toBody. */
export function serializeQueryResponse(
  model: ServiceModel,
  operation: string,
  output: unknown,
  requestId: string,
): string | Buffer {
  const frame = responseFrame(model, operation);
  const out = new Chunks();
  out.text = frame.head;
  frame.members?.(out, (output ?? {}) as Record<string, unknown>);
  // A request id is a UUID made by the pipeline (newRequestId): hex digits and dashes, nothing to escape.
  out.text += frame.middle + requestId + frame.tail;
  return out.toBody();
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
