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
