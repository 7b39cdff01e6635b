import { GraphErrors } from "../../graph/errors.js";
import { GremlinErrors } from "../errors.js";
import { same } from "../predicates.js";
import { runTraversal, type TraversalAccess } from "../traversal.js";
import { GPath, type GValue, type Instruction } from "../values.js";
import type { Script } from "./parser.js";

/**
 * Runs a parsed script as Gremlin Server evaluates one (reference §3.1, §3.6): its statements in order, in the one
 * transaction the caller holds; the last statement's results answer. A statement before the last runs only when a
 * terminal method iterates it (`.iterate()`, `.next()`…): an un-iterated traversal does nothing in TinkerPop, and
 * Neptune requires those statements to be iterated.
 *
 * The results are what the script's value is, iterated as Gremlin Server iterates it (IteratorUtils.asIterator):
 * a traversal's results one by one; a list (`toList()`, `next(n)`, `fold().next()`) its elements; a map
 * (`valueMap().next()`) its entries, each a map of one entry; a path its objects; anything else itself. So they are
 * plain values, never traversers.
 */
export function runScript(script: Script, ctx: TraversalAccess): GValue[] {
  let results: GValue[] = [];
  script.statements.forEach((statement, index) => {
    const last = index === script.statements.length - 1;
    if (!last && !statement.terminal) return;
    results = terminate(runTraversal(statement.bytecode, ctx), statement.terminal);
  });
  return results;
}

function terminate(values: GValue[], terminal: Instruction | undefined): GValue[] {
  if (!terminal) return values;
  switch (terminal.name) {
    case "toList":
    case "toBulkSet":
      return values;
    case "toSet":
      return values.filter((v, i) => values.findIndex((x) => same(x, v)) === i);
    case "iterate":
      return [];
    case "hasNext":
      return [values.length > 0];
    case "next": {
      if (terminal.args.length > 0) {
        const amount = terminal.args[0];
        if (typeof amount !== "bigint" || terminal.args.length > 1)
          throw GremlinErrors.badArgument("next(n) takes one integer");
        // TinkerPop's next(n) takes up to n results: none for n <= 0.
        return amount > 0n ? values.slice(0, Number(amount)) : [];
      }
      // docs best-practices-gremlin-console-glv-differences: next() with no result raises NoSuchElementException
      // and the transaction rolls back. *Decided*: BadRequestException (400), the code of a request that cannot
      // succeed as written; Neptune's wire code for it is not documented.
      if (values.length === 0) throw noSuchElement();
      return iterated(values[0]!);
    }
    case "tryNext":
      // *Decided*: tryNext() answers the first result, or nothing (Java's Optional has no wire form).
      return values.length === 0 ? [] : iterated(values[0]!);
    default:
      throw GremlinErrors.unsupported(`${terminal.name}() is not supported by Trident in a Gremlin script`);
  }
}

/** One value as Gremlin Server iterates a script's value. */
function iterated(value: GValue): GValue[] {
  if (Array.isArray(value)) return value;
  if (value instanceof Map) return [...value].map(([k, v]) => new Map([[k, v]]));
  if (value instanceof GPath) return value.objects;
  return [value];
}

const noSuchElement = () =>
  GraphErrors.badRequest("java.util.NoSuchElementException: next() found no result, so the script was rolled back");
