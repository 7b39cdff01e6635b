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
  mapSerializer: ValueSerializer<Map<unknown, unknown>>;
  anySerializer: ValueSerializer<unknown>;
}

export interface TinkerPopStructure {
  Vertex: new (id: unknown, label: string, properties?: unknown) => object;
  Edge: new (id: unknown, outV: object, label: string, inV: object, properties?: unknown) => object;
  Path: new (labels: unknown[], objects: unknown[]) => object;
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
