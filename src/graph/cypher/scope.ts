import { GraphErrors } from "../errors.js";
import { subExpressions, type Clause, type Expr, type PatternPart, type Projection, type Query } from "./ast.js";

/**
 * The semantic check that runs before any data is read: every variable a query uses must be bound where it is
 * used (`MATCH (n) RETURN m` is MalformedQueryException even on an empty graph, as in Neptune's compiler),
 * following openCypher's scoping: MATCH, UNWIND, CREATE and MERGE add variables; WITH replaces the scope with
 * what it projects; comprehensions and pattern comprehensions bind theirs locally.
 */
export function checkScope(query: Query): void {
  for (const clauses of query.parts) {
    let scope = new Set<string>();
    for (const clause of clauses) scope = checkClause(clause, scope);
  }
}

function checkClause(clause: Clause, scope: Set<string>): Set<string> {
  switch (clause.kind) {
    case "match": {
      const inner = withPatterns(scope, clause.patterns);
      for (const part of clause.patterns) checkPattern(part, inner);
      if (clause.where) checkExpr(clause.where, inner);
      return inner;
    }
    case "unwind":
      checkExpr(clause.expr, scope);
      return new Set([...scope, clause.variable]);
    case "with": {
      const next = checkProjection(clause.projection, scope);
      if (clause.where) checkExpr(clause.where, next);
      return next;
    }
    case "return":
      return checkProjection(clause.projection, scope);
    case "create":
    case "merge": {
      const patterns = clause.kind === "create" ? clause.patterns : [clause.pattern];
      const inner = withPatterns(scope, patterns);
      for (const part of patterns) checkPattern(part, inner);
      if (clause.kind === "merge")
        for (const item of [...clause.onCreate, ...clause.onMatch]) checkSetItem(item, inner);
      return inner;
    }
    case "set":
      for (const item of clause.items) checkSetItem(item, scope);
      return scope;
    case "remove":
      for (const item of clause.items) {
        if (item.kind === "labels") checkVariable(item.variable, scope);
        else checkExpr(item.target, scope);
      }
      return scope;
    case "delete":
      for (const expr of clause.exprs) checkExpr(expr, scope);
      return scope;
  }
}

function checkProjection(projection: Projection, scope: Set<string>): Set<string> {
  for (const item of projection.items) checkExpr(item.expr, scope);
  const next = new Set([...(projection.star ? scope : []), ...projection.items.map((item) => item.name)]);
  // ORDER BY may also see what was in scope before the projection (the executor narrows it when aggregating).
  const sortScope = new Set([...scope, ...next]);
  for (const sort of projection.orderBy) checkExpr(sort.expr, sortScope);
  if (projection.skip) checkExpr(projection.skip, new Set());
  if (projection.limit) checkExpr(projection.limit, new Set());
  return next;
}

function checkSetItem(item: Extract<Clause, { kind: "set" }>["items"][number], scope: Set<string>): void {
  if (item.kind === "property") {
    checkExpr(item.target, scope);
  } else {
    checkVariable(item.variable, scope);
  }
  if (item.kind !== "labels") checkExpr(item.value, scope);
}

function withPatterns(scope: Set<string>, patterns: PatternPart[]): Set<string> {
  const out = new Set(scope);
  for (const part of patterns) {
    if (part.variable !== undefined) out.add(part.variable);
    for (const element of [...part.nodes, ...part.relationships]) {
      if (element.variable !== undefined) out.add(element.variable);
    }
  }
  return out;
}

function checkPattern(part: PatternPart, scope: Set<string>): void {
  for (const element of [...part.nodes, ...part.relationships]) {
    if (element.properties) checkExpr(element.properties, scope);
  }
}

function checkVariable(name: string, scope: Set<string>): void {
  if (!scope.has(name)) throw GraphErrors.malformed(`Variable \`${name}\` not defined`);
}

function checkExpr(expr: Expr, scope: Set<string>): void {
  switch (expr.kind) {
    case "variable":
      return checkVariable(expr.name, scope);
    case "comprehension":
    case "quantifier": {
      checkExpr(expr.source, scope);
      const inner = new Set([...scope, expr.variable]);
      if (expr.where) checkExpr(expr.where, inner);
      if (expr.kind === "comprehension" && expr.map) checkExpr(expr.map, inner);
      return;
    }
    case "pattern": {
      const inner = withPatterns(scope, [expr.pattern]);
      return checkPattern(expr.pattern, inner);
    }
    case "patternComprehension": {
      const inner = withPatterns(scope, [expr.pattern]);
      checkPattern(expr.pattern, inner);
      if (expr.where) checkExpr(expr.where, inner);
      return checkExpr(expr.map, inner);
    }
    default:
      for (const child of subExpressions(expr)) checkExpr(child, scope);
  }
}
