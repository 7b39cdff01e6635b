import { GremlinErrors } from "./errors.js";
import { compile } from "./steps/compile.js";
import { execute } from "./steps/run.js";
import type { TraversalContext } from "./steps/traverser.js";
import { BytecodeArg, type Bytecode, type GValue } from "./values.js";

export type { TraversalContext } from "./steps/traverser.js";

/**
 * Gremlin bytecode run over the cluster's one property graph (src/graph/model): a vertex is a node, an edge a
 * relationship, so what one language writes the other reads. The steps live in steps/, one module per kind.
 *
 * Neptune's semantics (reference §3.6): string ids only; a vertex's labels are its node labels, written `A::B`;
 * `property(k, v)` has set cardinality by default; elements are answered as references (the face's codecs).
 */

/** What a traversal reaches: the graph, and the request's rules (may it write, has it run out of time). */
export type TraversalAccess = Pick<TraversalContext, "graph" | "write" | "tick">;

/** Runs a request's traversal; the values it yields, in order. */
export function runTraversal(bytecode: Bytecode, access: TraversalAccess): GValue[] {
  const sideEffects = new Map<string, GValue>();
  let initialSack: GValue | undefined;
  for (const { name, args } of bytecode.source) {
    if (name === "withSideEffect") {
      if (typeof args[0] !== "string") throw GremlinErrors.badArgument("withSideEffect() takes a key and a value");
      sideEffects.set(args[0], (args[1] ?? null) as GValue);
    } else if (name === "withSack") {
      // withSack(value[, splitOperator][, mergeOperator]): a traverser never splits or merges here (bulk 1).
      if (args[0] instanceof BytecodeArg || args[0] === undefined)
        throw GremlinErrors.unsupported("withSack() takes a value (Neptune refuses lambdas)");
      initialSack = args[0] as GValue;
    } else if (!["withStrategies", "withoutStrategies", "with"].includes(name)) {
      // Strategies and configuration change nothing Trident runs; anything else is refused.
      throw GremlinErrors.unsupported(`Unsupported traversal source step: ${name}`);
    }
  }
  const ctx: TraversalContext = { ...access, sideEffects, initialSack };
  return execute(compile(bytecode.step), [], ctx, true).map((t) => t.value);
}
