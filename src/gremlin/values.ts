import { Node, Relationship, type PropertyValue } from "../graph/model/values.js";

/**
 * What a traversal reads and yields, whatever the wire (GraphSON 3 or GraphBinary) carried it: the graph's own
 * values (integers `bigint`, floats `number`), its nodes and relationships (Gremlin's vertices and edges), and
 * Gremlin's own shapes (paths, maps with any keys, the enum tokens such as `T.id`).
 */
export type GValue =
  | null
  | boolean
  | bigint
  | number
  | string
  | Date
  | Node
  | Relationship
  | GPath
  | GProperty
  | Token
  | GValue[]
  | Map<GValue, GValue>;

/** An enum value of Gremlin's (`T.id`, `Order.desc`, `Direction.OUT`, `Column.keys`, `cardinality.single`, …). */
export class Token {
  constructor(
    /** `T`, `Direction`, `Order`, …; undefined when the wire did not say (GraphBinary's reader drops it). */
    readonly type: string | undefined,
    readonly name: string,
  ) {}
}

/** Gremlin's Path: each object with the step labels (`as`) it was given. */
export class GPath {
  constructor(
    readonly labels: string[][],
    readonly objects: GValue[],
  ) {}
}

/**
 * A property as `properties()` yields it: of a vertex, one value of its (set-valued) property, a VertexProperty on
 * the wire with a number for id (Neptune's vertex property ids are numbers, reference §3.6); of an edge, its one
 * value, a Property.
 */
export class GProperty {
  constructor(
    readonly element: Node | Relationship,
    readonly key: string,
    readonly value: PropertyValue,
  ) {}

  /**
   * *Decided*: Neptune does not say how it numbers vertex properties; Trident derives the id from the vertex, the
   * key and the value (FNV-1a, 48 bits: exact as a JavaScript number), so the same property has the same id.
   */
  get id(): bigint {
    let hash = 0xcbf29ce484222325n;
    for (const c of Buffer.from(`${this.element.id}\u0000${this.key}\u0000${String(this.value)}`)) {
      hash = ((hash ^ BigInt(c)) * 0x100000001b3n) & 0xffffffffffffffffn;
    }
    return hash & 0xffffffffffffn;
  }
}

/** `P` and `TextP`: a predicate name and its operand (for `and`/`or`, the two predicates; for `within`, a list). */
export class Predicate {
  constructor(
    readonly name: string,
    readonly value: Arg,
    readonly other?: Arg,
  ) {}
}

/** A traversal given as an argument (`__.out()`), or the request's whole traversal. */
export interface Bytecode {
  readonly source: Instruction[];
  readonly step: Instruction[];
}

export interface Instruction {
  readonly name: string;
  readonly args: Arg[];
}

/** An element the client names by reference (a Vertex or Edge object given to `V(v)`, `from(v)`, …). */
export class ElementRef {
  constructor(readonly id: string) {}
}

/** An argument of a step. */
export type Arg = GValue | Predicate | BytecodeArg | ElementRef | Arg[] | Map<Arg, Arg>;

/** A Bytecode inside an argument list (a class so that it is told apart from a map or a list). */
export class BytecodeArg implements Bytecode {
  constructor(
    readonly source: Instruction[],
    readonly step: Instruction[],
  ) {}
}

export const isElement = (v: unknown): v is Node | Relationship => v instanceof Node || v instanceof Relationship;

export type { PropertyValue };
