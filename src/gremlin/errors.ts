import { GraphError } from "../graph/errors.js";

/**
 * The traversal engine's errors, in Neptune's codes (reference §3.6). Neptune documents no message for most of
 * them; the texts below are Trident's, except where the reference quotes Neptune's.
 */
export const GremlinErrors = {
  /** A step, source step or token Trident (or Neptune, for lambdas) does not run. */
  unsupported: (message: string) => new GraphError("UnsupportedOperationException", message, 400),
  /** reference §3.6: ids are strings; Neptune's message for a number (observed). */
  nonStringId: (javaClass: string) =>
    new GraphError(
      "UnsupportedOperationException",
      `Expected an id that is convertible to String but received class ${javaClass}`,
      400,
    ),
  /** A traversal that is well formed bytecode but cannot run as written (a wrong argument, a missing end). */
  badArgument: (message: string) => new GraphError("IllegalArgumentException", message, 400),
  /** reference §3.6: "Vertex with id already exists: <id>" (and its edge counterpart). */
  duplicateVertex: (id: string) =>
    new GraphError("ConstraintViolationException", `Vertex with id already exists: ${id}`, 400),
  duplicateEdge: (id: string) =>
    new GraphError("ConstraintViolationException", `Edge with id already exists: ${id}`, 400),
  /** A request message that is not a bytecode traversal Trident serves (op, processor, aliases). */
  malformed: (message: string) => new GraphError("MalformedQueryException", message, 400),
};
