/**
 * The typed syntax tree of an openCypher query, our own. Shapes follow the openCypher 9 grammar's productions
 * (a query is single queries joined by UNION; a single query is clauses; patterns are chains of node and
 * relationship patterns), not any parser's internal tree.
 */
import type { Value } from "../model/values.js";

export interface Query {
  parts: Clause[][];
  /** One entry per UNION between parts: true for UNION ALL. */
  unionAll: boolean[];
  /** The parameters the query names, in order of first appearance (all must be given before it runs). */
  parameters: string[];
}

export type Clause =
  | { kind: "match"; optional: boolean; patterns: PatternPart[]; where?: Expr }
  | { kind: "unwind"; expr: Expr; variable: string }
  | { kind: "with"; projection: Projection; where?: Expr }
  | { kind: "return"; projection: Projection }
  | { kind: "create"; patterns: PatternPart[] }
  | { kind: "merge"; pattern: PatternPart; onCreate: SetItem[]; onMatch: SetItem[] }
  | { kind: "set"; items: SetItem[] }
  | { kind: "remove"; items: RemoveItem[] }
  | { kind: "delete"; detach: boolean; exprs: Expr[] };

export interface Projection {
  distinct: boolean;
  /** `*`: every variable in scope, before the listed items. */
  star: boolean;
  items: ProjectionItem[];
  orderBy: SortItem[];
  skip?: Expr;
  limit?: Expr;
}

export interface ProjectionItem {
  expr: Expr;
  /** The column name: the alias, or the expression's text as written. */
  name: string;
}

export interface SortItem {
  expr: Expr;
  descending: boolean;
}

export type SetItem =
  | { kind: "property"; target: Expr; key: string; value: Expr }
  | { kind: "replace"; variable: string; value: Expr }
  | { kind: "merge"; variable: string; value: Expr }
  | { kind: "labels"; variable: string; labels: string[] };

export type RemoveItem =
  { kind: "property"; target: Expr; key: string } | { kind: "labels"; variable: string; labels: string[] };

export interface PatternPart {
  /** `p = (a)-->(b)`: the path's variable. */
  variable?: string;
  /** Alternating node and relationship patterns, starting and ending with a node. */
  nodes: NodePattern[];
  relationships: RelationshipPattern[];
}

export interface NodePattern {
  variable?: string;
  labels: string[];
  properties?: Expr;
}

export interface RelationshipPattern {
  variable?: string;
  types: string[];
  direction: "out" | "in" | "both";
  properties?: Expr;
  /** Variable length `*min..max`; absent for a single hop. */
  range?: { min: number; max: number | undefined };
}

export type BinaryOperator =
  | "OR"
  | "XOR"
  | "AND"
  | "="
  | "<>"
  | "<"
  | ">"
  | "<="
  | ">="
  | "+"
  | "-"
  | "*"
  | "/"
  | "%"
  | "IN"
  | "STARTS WITH"
  | "ENDS WITH"
  | "CONTAINS";

export type Expr =
  | { kind: "literal"; value: Value }
  | { kind: "parameter"; name: string }
  | { kind: "variable"; name: string }
  | { kind: "property"; object: Expr; key: string }
  | { kind: "hasLabels"; object: Expr; labels: string[] }
  | { kind: "list"; items: Expr[] }
  | { kind: "map"; entries: [string, Expr][] }
  | { kind: "binary"; op: BinaryOperator; left: Expr; right: Expr }
  | { kind: "not"; operand: Expr }
  | { kind: "negate"; operand: Expr }
  | { kind: "isNull"; operand: Expr; negated: boolean }
  | { kind: "index"; list: Expr; index: Expr }
  | { kind: "slice"; list: Expr; from?: Expr; to?: Expr }
  | { kind: "call"; name: string; distinct: boolean; args: Expr[] }
  | { kind: "countStar" }
  | { kind: "case"; subject?: Expr; whens: [Expr, Expr][]; otherwise?: Expr }
  | { kind: "comprehension"; variable: string; source: Expr; where?: Expr; map?: Expr }
  | { kind: "quantifier"; quantifier: "all" | "any" | "none" | "single"; variable: string; source: Expr; where: Expr }
  | { kind: "pattern"; pattern: PatternPart }
  | { kind: "patternComprehension"; pattern: PatternPart; where?: Expr; map: Expr };

/** The aggregating functions of openCypher (and Neptune's list of them). */
export const AGGREGATES = new Set([
  "count",
  "sum",
  "avg",
  "min",
  "max",
  "collect",
  "stdev",
  "stdevp",
  "percentiledisc",
  "percentilecont",
]);

export const isAggregateCall = (e: Expr) =>
  e.kind === "countStar" || (e.kind === "call" && AGGREGATES.has(e.name.toLowerCase()));

/**
 * What a query's clauses could do to the graph, whether or not they end up doing it: `writes` (CREATE, MERGE,
 * SET) and `deletes` (DELETE, and REMOVE, which deletes a property or a label). IAM database authentication
 * requires an action for each (src/dataplane/authorize.ts).
 */
export interface QueryEffects {
  writes: boolean;
  deletes: boolean;
}

export function queryEffects(query: Query): QueryEffects {
  const clauses = query.parts.flat();
  return {
    writes: clauses.some((c) => c.kind === "create" || c.kind === "merge" || c.kind === "set"),
    deletes: clauses.some((c) => c.kind === "remove" || c.kind === "delete"),
  };
}

/** Whether a query writes: the reader endpoint refuses such queries (ReadOnlyViolationException). */
export function isUpdating(query: Query): boolean {
  const { writes, deletes } = queryEffects(query);
  return writes || deletes;
}

/**
 * The expressions directly inside an expression (not those inside patterns). Comprehensions' and quantifiers'
 * own parts are included: a caller that cares about their local variable handles those kinds itself.
 */
export function subExpressions(e: Expr): Expr[] {
  switch (e.kind) {
    case "property":
    case "hasLabels":
      return [e.object];
    case "list":
      return e.items;
    case "map":
      return e.entries.map(([, v]) => v);
    case "binary":
      return [e.left, e.right];
    case "not":
    case "negate":
    case "isNull":
      return [e.operand];
    case "index":
      return [e.list, e.index];
    case "slice":
      return [e.list, ...(e.from ? [e.from] : []), ...(e.to ? [e.to] : [])];
    case "call":
      return e.args;
    case "case":
      return [...(e.subject ? [e.subject] : []), ...e.whens.flat(), ...(e.otherwise ? [e.otherwise] : [])];
    case "comprehension":
      return [e.source, ...(e.where ? [e.where] : []), ...(e.map ? [e.map] : [])];
    case "quantifier":
      return [e.source, e.where];
    default:
      return [];
  }
}
