import type { Expr } from "../cypher/ast.js";
import type { PropertyGraph } from "../model/graph.js";
import type { Value } from "../model/values.js";

/** The variables bound at one point of a query. A Map, so that any name (even `__proto__`) is just a name. */
export type Row = ReadonlyMap<string, Value>;

/** What every expression of one query sees: the graph, the parameters, and the statement clock. */
export interface QueryContext {
  graph: PropertyGraph;
  params: ReadonlyMap<string, Value>;
  /** One instant per query: `timestamp()` and `datetime()` agree within a statement (Neptune: statement clock). */
  now: Date;
  /** Called in every loop that may run long; throws TimeLimitExceededException past the query's deadline. */
  tick(): void;
}

/** Where an expression is evaluated: a row, and, in a projection that aggregates, the aggregates' results. */
export interface Scope {
  row: Row;
  ctx: QueryContext;
  aggregates?: ReadonlyMap<Expr, Value>;
}

export function withVariable(scope: Scope, name: string, value: Value): Scope {
  return { ...scope, row: new Map(scope.row).set(name, value) };
}
