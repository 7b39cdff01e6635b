import { Node, Relationship } from "../graph/model/values.js";
import { GremlinErrors } from "./errors.js";
import { UnreadableRequest, type GremlinCodec, type RequestMessage, type ResponseMessage } from "./messages.js";
import {
  BytecodeArg,
  ElementRef,
  GPath,
  GProperty,
  Predicate,
  Token,
  type Arg,
  type GValue,
  type Instruction,
} from "./values.js";

/**
 * GraphSON 3.0 (`application/vnd.gremlin-v3.0+json`, reference §3.3), both ways. Written here rather than taken
 * from the `gremlin` package: its GraphSON reader drops the types a server needs (an enum's type, Int64 against
 * Double, a Bytecode stays a plain object) and its writer has no g:Path.
 */
export const GRAPHSON3: GremlinCodec = {
  mimeType: "application/vnd.gremlin-v3.0+json",

  decodeRequest(payload: Buffer): RequestMessage {
    let json: unknown;
    try {
      json = JSON.parse(payload.toString("utf8"));
    } catch {
      throw new UnreadableRequest("The request is not GraphSON 3.0: it is not JSON");
    }
    if (!isObject(json)) throw new UnreadableRequest("The request is not GraphSON 3.0: it is not a JSON object");
    const args = new Map<string, Arg>();
    if (isObject(json.args)) for (const [k, v] of Object.entries(json.args)) args.set(k, read(v));
    const requestId = read(json.requestId);
    return {
      requestId: typeof requestId === "string" ? requestId : "",
      op: typeof json.op === "string" ? json.op : "",
      processor: typeof json.processor === "string" ? json.processor : "",
      args,
    };
  },

  encodeResponse(response: ResponseMessage, traversers: boolean): string {
    return responseJson(response, traversers, true);
  },
};

/**
 * A ResponseMessage as Gremlin Server writes it in JSON (over WebSocket, and as the body of its HTTP endpoint,
 * reference §3.1): GraphSON 3 with types, or without (`;types=false`: plain JSON, `{}` for the empty maps).
 */
export function responseJson(response: ResponseMessage, traversers: boolean, withTypes: boolean): string {
  const value = withTypes ? write : plain;
  const list = (items: unknown[]) => (withTypes ? typed("g:List", items) : items);
  const emptyMap = withTypes ? typed("g:Map", []) : {};
  const data =
    response.data === null
      ? null
      : list(
          response.data.map((v) =>
            traversers ? typed("g:Traverser", { bulk: typed("g:Int64", 1), value: value(v) }) : value(v),
          ),
        );
  return JSON.stringify({
    requestId: response.requestId,
    status: { message: response.message, code: response.code, attributes: emptyMap },
    result: { data, meta: emptyMap },
  });
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const typed = (type: string, value: unknown) => ({ "@type": type, "@value": value });

const ENUMS = new Set([
  "T",
  "Direction",
  "Cardinality",
  "Order",
  "Scope",
  "Pop",
  "Column",
  "Operator",
  "Barrier",
  "Pick",
  "Merge",
  "DT",
]);

/** A GraphSON 3 value → a step argument. Untyped JSON numbers (the JS client's) are integers when integral. */
function read(v: unknown): Arg {
  if (v === null || v === undefined) return null;
  if (typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "number") return Number.isInteger(v) ? BigInt(v) : v;
  if (Array.isArray(v)) return v.map(read);
  if (!isObject(v)) return null;
  const type = v["@type"];
  const value = v["@value"];
  if (typeof type !== "string") return new Map(Object.entries(v).map(([k, x]) => [k, read(x)]));
  const name = type.slice(type.indexOf(":") + 1);
  if (ENUMS.has(name)) return new Token(name, String(value));
  switch (type) {
    case "g:Int32":
    case "g:Int64":
    case "gx:Int16":
    case "gx:Byte":
    case "gx:BigInteger":
      return BigInt(typeof value === "number" ? Math.trunc(value) : String(value));
    case "g:Float":
    case "g:Double":
    case "gx:BigDecimal":
      return Number(value);
    case "g:Date":
    case "g:Timestamp":
      return new Date(Number(value));
    case "g:UUID":
    case "g:Class":
      return String(value);
    case "g:List":
    case "g:Set":
      return Array.isArray(value) ? value.map(read) : [];
    case "g:Map": {
      const list = Array.isArray(value) ? value : [];
      const map = new Map<Arg, Arg>();
      for (let i = 0; i + 1 < list.length; i += 2) map.set(read(list[i]), read(list[i + 1]));
      return map;
    }
    case "g:Bytecode": {
      const code = isObject(value) ? value : {};
      const instructions = (list: unknown): Instruction[] =>
        (Array.isArray(list) ? list : []).map((i: unknown) => {
          const [stepName, ...args] = Array.isArray(i) ? i : [];
          return { name: String(stepName), args: args.map(read) };
        });
      return new BytecodeArg(instructions(code.source), instructions(code.step));
    }
    case "g:P":
    case "g:TextP": {
      const p = isObject(value) ? value : {};
      const operand = read(p.value);
      const predicate = String(p.predicate);
      // and/or carry their two predicates as a list.
      if ((predicate === "and" || predicate === "or") && Array.isArray(operand))
        return new Predicate(predicate, operand[0] ?? null, operand[1]);
      return new Predicate(predicate, operand);
    }
    case "g:Vertex":
    case "g:Edge":
      return new ElementRef(String(read(isObject(value) ? value.id : null)));
    case "g:Binding":
      return read(isObject(value) ? value.value : null);
    case "g:Lambda":
      throw GremlinErrors.unsupported("Lambdas are not supported by Neptune");
    default:
      throw GremlinErrors.unsupported(`Unsupported GraphSON type: ${type}`);
  }
}

/** A vertex as a reference, its id and labels (reference §3.6: Neptune returns no properties). */
const vertexReference = (v: Node) => ({ id: v.id, label: v.labels.join("::") });

/** An edge as a reference: its id, label and both ends' ids and labels. */
const edgeReference = (v: Relationship) => ({
  id: v.id,
  label: v.type,
  inVLabel: v.end.labels.join("::"),
  outVLabel: v.start.labels.join("::"),
  inV: v.end.id,
  outV: v.start.id,
});

/** A result → GraphSON 3: elements as references (reference §3.6). */
function write(v: GValue): unknown {
  if (v === null || typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "bigint") return typed("g:Int64", Number(v));
  if (typeof v === "number") return typed("g:Double", Number.isFinite(v) ? v : String(v));
  if (v instanceof Date) return typed("g:Date", v.getTime());
  if (v instanceof Node) return typed("g:Vertex", vertexReference(v));
  if (v instanceof Relationship) return typed("g:Edge", edgeReference(v));
  if (v instanceof GPath)
    return typed("g:Path", {
      labels: typed(
        "g:List",
        v.labels.map((l) => typed("g:Set", l)),
      ),
      objects: typed("g:List", v.objects.map(write)),
    });
  if (v instanceof GProperty)
    return v.element instanceof Node
      ? typed("g:VertexProperty", { id: typed("g:Int64", Number(v.id)), value: write(v.value), label: v.key })
      : typed("g:Property", { key: v.key, value: write(v.value) });
  if (v instanceof Token) return typed(`g:${v.type ?? "T"}`, v.name);
  if (Array.isArray(v)) return typed("g:List", v.map(write));
  return typed(
    "g:Map",
    [...v].flatMap(([k, x]) => [write(k), write(x)]),
  );
}

/**
 * A result in GraphSON 3 without types (TinkerPop 3.7's `types=false`): plain JSON. Integers and doubles are JSON
 * numbers (NaN and the infinities, which JSON has no number for, their names), dates epoch milliseconds, elements
 * references, tokens their names, and a map an object whose keys are written as text.
 */
function plain(v: GValue): unknown {
  if (v === null || typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "number") return Number.isFinite(v) ? v : String(v);
  if (v instanceof Date) return v.getTime();
  if (v instanceof Node) return vertexReference(v);
  if (v instanceof Relationship) return edgeReference(v);
  if (v instanceof GPath) return { labels: v.labels, objects: v.objects.map(plain) };
  if (v instanceof GProperty)
    return v.element instanceof Node
      ? { id: Number(v.id), value: plain(v.value), label: v.key }
      : { key: v.key, value: plain(v.value) };
  if (v instanceof Token) return v.name;
  if (Array.isArray(v)) return v.map(plain);
  return Object.fromEntries([...v].map(([k, x]) => [keyText(k), plain(x)]));
}

function keyText(k: GValue): string {
  const key = plain(k);
  if (typeof key === "string") return key;
  if (k instanceof Node || k instanceof Relationship) return k.id;
  return JSON.stringify(key);
}
