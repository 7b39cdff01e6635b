import { GremlinErrors } from "./errors.js";
import { compile } from "./steps/compile.js";
import { execute } from "./steps/run.js";
import type { TraversalContext } from "./steps/traverser.js";
import type { Bytecode, GValue } from "./values.js";

export type { TraversalContext } from "./steps/traverser.js";

/**
 * Gremlin bytecode run over the cluster's one property graph (src/graph/model): a vertex is a node, an edge a
 * relationship, so what one language writes the other reads. The steps live in steps/, one module per kind.
 *
 * Neptune's semantics (reference §3.6): string ids only; a vertex's labels are its node labels, written `A::B`;
 * `property(k, v)` has set cardinality by default; elements are answered as references (the face's codecs).
 */

/** Runs a request's traversal; the values it yields, in order. */
export function runTraversal(bytecode: Bytecode, ctx: TraversalContext): GValue[] {
  for (const source of bytecode.source) {
    // Strategies and side-effect configuration change nothing Trident runs; anything else is refused.
    if (!["withStrategies", "withoutStrategies", "with"].includes(source.name))
      throw GremlinErrors.unsupported(`Unsupported traversal source step: ${source.name}`);
  }
  return execute(compile(bytecode.step), [], ctx, true).map((t) => t.value);
}
