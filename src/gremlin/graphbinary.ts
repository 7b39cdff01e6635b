import { Node, Relationship } from "../graph/model/values.js";
import { UnreadableRequest, type GremlinCodec, type RequestMessage, type ResponseMessage } from "./messages.js";
import { Bytecode, graphBinary, processTypes, structure, TypedNumber } from "./tinkerpop.js";
import { BytecodeArg, ElementRef, GPath, GProperty, Predicate, Token } from "./values.js";
import type { Arg, GValue, Instruction } from "./values.js";

/**
 * GraphBinary 1.0 (`application/vnd.graphbinary-v1.0`, reference §3.4), with the `gremlin` package's own
 * serializers for the values; the message envelopes (a request read, a response written: the server's side,
 * which the package does not do) are laid out here as the IO documentation gives them.
 */
export const GRAPHBINARY: GremlinCodec = {
  mimeType: "application/vnd.graphbinary-v1.0",

  decodeRequest(payload: Buffer): RequestMessage {
    try {
      if (payload[0] !== 0x81) throw new Error(`unsupported version ${payload[0]}`);
      let cursor = payload.subarray(1);
      const take = <T>(decoded: { v: T; len: number }): T => {
        cursor = cursor.subarray(decoded.len);
        return decoded.v;
      };
      const requestId = take(graphBinary.uuidSerializer.deserialize(cursor, false));
      const op = take(graphBinary.stringSerializer.deserialize(cursor, false));
      const processor = take(graphBinary.stringSerializer.deserialize(cursor, false));
      const args = take(graphBinary.mapSerializer.deserialize(cursor, false));
      const decoded = new Map<string, Arg>();
      for (const [key, value] of args) decoded.set(String(key), fromTinkerPop(value));
      return { requestId, op, processor, args: decoded };
    } catch (error) {
      throw new UnreadableRequest(`The request is not GraphBinary 1.0: ${(error as Error).message}`);
    }
  },

  encodeResponse(response: ResponseMessage, traversers: boolean): Buffer {
    const data = (response.data ?? []).map((v) =>
      traversers ? new processTypes.Traverser(toTinkerPop(v), 1) : toTinkerPop(v),
    );
    return Buffer.concat([
      Buffer.from([0x81]),
      // {request_id} nullable UUID: a value flag, then the UUID.
      response.requestId === null
        ? Buffer.from([0x01])
        : Buffer.concat([Buffer.from([0x00]), graphBinary.uuidSerializer.serialize(response.requestId, false)]),
      graphBinary.intSerializer.serialize(response.code, false),
      // {status_message} nullable String.
      Buffer.concat([Buffer.from([0x00]), graphBinary.stringSerializer.serialize(response.message, false)]),
      graphBinary.mapSerializer.serialize(new Map(), false),
      graphBinary.mapSerializer.serialize(new Map(), false),
      graphBinary.anySerializer.serialize(response.data === null ? null : data),
    ]);
  },
};

/** A value as the package's reader made it → a step argument. */
function fromTinkerPop(v: unknown): Arg {
  if (v === null || v === undefined) return null;
  if (typeof v === "number") return Number.isInteger(v) ? BigInt(v) : v;
  if (typeof v === "string" || typeof v === "boolean" || typeof v === "bigint" || v instanceof Date) return v;
  if (Array.isArray(v)) return v.map(fromTinkerPop);
  if (v instanceof Set) return [...v].map(fromTinkerPop);
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [fromTinkerPop(k), fromTinkerPop(x)]));
  if (v instanceof Bytecode) {
    const instructions = (list: [string, ...unknown[]][]): Instruction[] =>
      list.map(([name, ...args]) => ({ name, args: args.map(fromTinkerPop) }));
    return new BytecodeArg(instructions(v.sourceInstructions), instructions(v.stepInstructions));
  }
  if (v instanceof processTypes.P || v instanceof processTypes.TextP) {
    const other = v.other === undefined || v.other === null ? undefined : fromTinkerPop(v.other);
    return new Predicate(v.operator, fromTinkerPop(v.value), other);
  }
  if (v instanceof processTypes.EnumValue) {
    const e = v as unknown as { typeName: string | undefined; elementName: string };
    return new Token(e.typeName, e.elementName);
  }
  if (v instanceof structure.Vertex || v instanceof structure.Edge)
    return new ElementRef(String((v as { id: unknown }).id));
  throw new Error(`a value Trident does not take as an argument (${Object.prototype.toString.call(v)})`);
}

/**
 * A result → what the package's writer writes: elements as references (id and label, no properties); an integer
 * as a Long and a float as a Double, as GraphSON 3 writes them (g:Int64, g:Double).
 */
function toTinkerPop(v: GValue): unknown {
  if (typeof v === "bigint") return new TypedNumber("long", v);
  if (typeof v === "number") return new TypedNumber("double", v);
  if (v instanceof Node) return new structure.Vertex(v.id, v.labels.join("::"), null);
  if (v instanceof Relationship)
    return new structure.Edge(
      v.id,
      new structure.Vertex(v.start.id, v.start.labels.join("::"), null),
      v.type,
      new structure.Vertex(v.end.id, v.end.labels.join("::"), null),
      null,
    );
  if (v instanceof GPath)
    return new structure.Path(
      v.labels.map((l) => new Set(l)),
      v.objects.map(toTinkerPop),
    );
  if (v instanceof GProperty)
    return v.element instanceof Node
      ? new structure.VertexProperty(new TypedNumber("long", v.id), v.key, toTinkerPop(v.value), null)
      : new structure.Property(v.key, toTinkerPop(v.value));
  if (v instanceof Token) return new processTypes.EnumValue(v.type, v.name);
  if (Array.isArray(v)) return v.map(toTinkerPop);
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [toTinkerPop(k), toTinkerPop(x)]));
  return v;
}
