import { createRequire } from "node:module";

/**
 * The `gremlin` package's own GraphBinary serializers (TinkerPop's reference JavaScript implementation), which
 * read and write every value both ways; Trident uses them for the server's side of the protocol. The package
 * ships no types: this module is the one place that declares the little of it that Trident calls.
 */
const require = createRequire(import.meta.url);

interface Decoded<T> {
  v: T;
  len: number;
}

interface ValueSerializer<T> {
  serialize(item: T, fullyQualifiedFormat?: boolean): Buffer;
  deserialize(buffer: Buffer, fullyQualifiedFormat?: boolean, nullable?: boolean): Decoded<T>;
}

export interface GraphBinaryIoc {
  uuidSerializer: ValueSerializer<string>;
  stringSerializer: ValueSerializer<string>;
  intSerializer: ValueSerializer<number>;
  longSerializer: ValueSerializer<bigint>;
  doubleSerializer: ValueSerializer<number>;
  mapSerializer: ValueSerializer<Map<unknown, unknown>>;
  /** Picks the first of `serializers` that `canBeUsedFor` a value, for every value and every nested one. */
  anySerializer: ValueSerializer<unknown> & { serializers: ChoosableSerializer[] };
}

interface ChoosableSerializer {
  canBeUsedFor(item: unknown): boolean;
  serialize(item: unknown, fullyQualifiedFormat?: boolean): Buffer;
}

export interface TinkerPopStructure {
  Vertex: new (id: unknown, label: string, properties?: unknown) => object;
  Edge: new (id: unknown, outV: object, label: string, inV: object, properties?: unknown) => object;
  Path: new (labels: unknown[], objects: unknown[]) => object;
  VertexProperty: new (id: unknown, label: string, value: unknown, properties?: unknown) => object;
  Property: new (key: string, value: unknown) => object;
}

export interface TinkerPopProcess {
  Traverser: new (object: unknown, bulk: number) => object;
  EnumValue: new (typeName: string | undefined, elementName: string) => object;
  P: new (...args: never[]) => { operator: string; value: unknown; other: unknown };
  TextP: new (...args: never[]) => { operator: string; value: unknown; other: unknown };
}

/** What the reader makes of a Bytecode. */
export interface TinkerPopBytecode {
  sourceInstructions: [string, ...unknown[]][];
  stepInstructions: [string, ...unknown[]][];
}

export const graphBinary = require("gremlin/lib/structure/io/binary/GraphBinary.js") as GraphBinaryIoc;
export const structure = require("gremlin/lib/structure/graph.js") as TinkerPopStructure;
export const Bytecode = require("gremlin/lib/process/bytecode.js") as new () => TinkerPopBytecode;
export const processTypes = require("gremlin/lib/process/traversal.js") as TinkerPopProcess;

/**
 * A number whose GraphBinary type the server chose. The package picks a number's type from its JavaScript value
 * (an integral number goes out as an Int, whatever it was), so a Long stays a Long and a whole-valued Double
 * (`2.0`) a Double only when said so: the graph keeps integers as `bigint` (Long) and floats as `number` (Double).
 */
export class TypedNumber {
  constructor(
    readonly type: "long" | "double",
    readonly value: bigint | number,
  ) {}
}

// Consulted before the package's own choice; it matches nothing but a TypedNumber, so the client side (which
// shares the package in one process, as in the tests) is unaffected.
graphBinary.anySerializer.serializers.unshift({
  canBeUsedFor: (item) => item instanceof TypedNumber,
  serialize: (item, fullyQualifiedFormat = true) => {
    const { type, value } = item as TypedNumber;
    return type === "long"
      ? graphBinary.longSerializer.serialize(BigInt(value), fullyQualifiedFormat)
      : graphBinary.doubleSerializer.serialize(Number(value), fullyQualifiedFormat);
  },
});
