import { readOnlyViolation, type GraphSession } from "../domain/neptune/data-plane/session.js";
import { parseScript } from "../gremlin/script/parser.js";
import { runScript } from "../gremlin/script/run.js";
import type { TraversalAccess } from "../gremlin/traversal.js";
import type { GValue } from "../gremlin/values.js";
import { sessionless, type RunIn } from "./gremlin-sessions.js";
import { GremlinErrors } from "../gremlin/errors.js";

/**
 * Gremlin on a request's session, whatever carried it (bytecode or a script, over WebSocket or HTTP): one
 * transaction of the cluster's graph (its own, or a Gremlin session's: `runIn`), bounded by the query timeout, in
 * which a reader endpoint refuses the writes.
 */
export function traverseOn(
  session: GraphSession,
  work: (ctx: TraversalAccess) => GValue[],
  runIn: RunIn = sessionless,
): GValue[] {
  const write = () => {
    if (session.role === "reader") throw readOnlyViolation();
  };
  return runIn(session, (graph, tick) => work({ graph, write, tick }));
}

/** A string script's results (src/gremlin/script): parsed and run in the transaction, under its stack guard. */
export const evaluateOn = (session: GraphSession, script: string): GValue[] =>
  traverseOn(session, (ctx) => runScript(parseScript(script), ctx));

/**
 * A script's `bindings` (TinkerPop's script parameters): Neptune has none and refuses a query that gives some, over
 * HTTP with status 400 and the message below (observed on engine 1.4.7.0, aws/amazon-neptune-for-graphql#186; docs
 * access-graph-gremlin-differences). *Decided*: UnsupportedOperationException, Neptune's code for a feature it does
 * not offer (the observation names no code). Empty or absent bindings (what clients send by default) are no
 * bindings.
 */
export function refuseBindings(bindings: unknown): void {
  const given =
    bindings instanceof Map
      ? bindings.size > 0
      : typeof bindings === "object" && bindings !== null && Object.keys(bindings).length > 0;
  if (given) throw GremlinErrors.unsupported("Bindings in Gremlin are not supported.");
}
