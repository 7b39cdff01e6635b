import { isUpdating, type Clause, type PatternPart, type Query } from "../cypher/ast.js";
import { GraphErrors } from "../errors.js";
import type { Value } from "../model/values.js";
import { groupKey } from "./compare.js";
import type { QueryContext, Row, Scope } from "./context.js";
import { evaluate, predicate } from "./evaluate.js";
import { hintsFrom, matchParts } from "./match.js";
import { project, type Table } from "./project.js";
import {
  applyDelete,
  applyRemove,
  applySet,
  checkPendingDeletes,
  createPattern,
  type PendingDeletes,
} from "./write.js";

/** A query's answer: the RETURN's column names and its rows, in order. */
export interface QueryResult {
  columns: string[];
  rows: Value[][];
}

/**
 * Runs a parsed query clause by clause, each clause taking the whole table of rows from the one before (so a
 * clause sees every change the previous clauses made, as openCypher specifies). The caller makes it atomic.
 */
export function executeQuery(query: Query, ctx: QueryContext): QueryResult {
  if (query.parts.length > 1 && isUpdating(query)) {
    // Neptune's compliance page: UNION is for read-only queries (reference §2.4).
    throw GraphErrors.unsupported("Mutation inside UNION is not supported by Neptune openCypher");
  }
  const pending: PendingDeletes = new Set();
  const results = query.parts.map((clauses) => executeSingle(clauses, ctx, pending));
  checkPendingDeletes(pending);
  const first = results[0]!;
  let rows = first.rows;
  for (let i = 1; i < results.length; i++) {
    const next = results[i]!;
    if (next.columns.join("\u0000") !== first.columns.join("\u0000")) {
      throw GraphErrors.malformed("All sub queries in an UNION must have the same column names");
    }
    rows = [...rows, ...next.rows];
    if (!query.unionAll[i - 1]) rows = distinctRows(rows, first.columns);
  }
  return { columns: first.columns, rows: rows.map((row) => first.columns.map((c) => row.get(c) ?? null)) };
}

function distinctRows(rows: Row[], columns: string[]): Row[] {
  const seen = new Set<string>();
  return rows.filter((row) => {
    const key = groupKey(columns.map((c) => row.get(c) ?? null));
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function executeSingle(clauses: Clause[], ctx: QueryContext, pending: PendingDeletes): Table {
  let table: Table = { columns: [], rows: [new Map()] };
  for (const clause of clauses) {
    if (clause.kind === "return") return project(table, clause.projection, ctx);
    table = runClause(clause, table, ctx, pending);
  }
  return { columns: [], rows: [] };
}

function runClause(clause: Clause, table: Table, ctx: QueryContext, pending: PendingDeletes): Table {
  const scopes = (rows: Row[]): Scope[] => rows.map((row) => ({ row, ctx }));
  switch (clause.kind) {
    case "match":
      return {
        columns: withNew(table.columns, patternVariables(clause.patterns)),
        rows: match(clause, table.rows, ctx),
      };
    case "unwind": {
      const rows: Row[] = [];
      for (const scope of scopes(table.rows)) {
        const value = evaluate(clause.expr, scope);
        if (value === null) continue;
        for (const item of Array.isArray(value) ? value : [value]) {
          ctx.tick();
          rows.push(new Map(scope.row).set(clause.variable, item));
        }
      }
      return { columns: withNew(table.columns, [clause.variable]), rows };
    }
    case "with": {
      const projected = project(table, clause.projection, ctx);
      if (!clause.where) return projected;
      const where = clause.where;
      return { ...projected, rows: projected.rows.filter((row) => predicate(where, { row, ctx }) === true) };
    }
    case "return":
      return project(table, clause.projection, ctx);
    case "create": {
      const rows = scopes(table.rows).map((scope) =>
        clause.patterns.reduce((row, part) => createPattern(part, { ...scope, row }), scope.row),
      );
      return { columns: withNew(table.columns, patternVariables(clause.patterns)), rows };
    }
    case "merge":
      return {
        columns: withNew(table.columns, patternVariables([clause.pattern])),
        rows: table.rows.flatMap((row) => merge(clause, { row, ctx })),
      };
    case "set":
      for (const scope of scopes(table.rows)) for (const item of clause.items) applySet(item, scope);
      return table;
    case "remove":
      for (const scope of scopes(table.rows)) for (const item of clause.items) applyRemove(item, scope);
      return table;
    case "delete":
      for (const scope of scopes(table.rows)) {
        for (const expr of clause.exprs) applyDelete(evaluate(expr, scope), clause.detach, ctx, pending);
      }
      return table;
  }
}

function match(clause: Extract<Clause, { kind: "match" }>, rows: Row[], ctx: QueryContext): Row[] {
  const out: Row[] = [];
  const introduced = patternVariables(clause.patterns);
  for (const row of rows) {
    const scope = { row, ctx };
    const hints = hintsFrom(clause.where, row);
    let matched = false;
    matchParts(clause.patterns, scope, hints, (extended) => {
      if (clause.where && predicate(clause.where, { row: extended, ctx }) !== true) return;
      matched = true;
      out.push(extended);
    });
    if (!matched && clause.optional) {
      const padded = new Map(row);
      for (const name of introduced) if (!padded.has(name)) padded.set(name, null);
      out.push(padded);
    }
  }
  return out;
}

/** MERGE: every match of the whole pattern (then ON MATCH SET), or, if there is none, one creation (ON CREATE SET). */
function merge(clause: Extract<Clause, { kind: "merge" }>, scope: Scope): Row[] {
  const found: Row[] = [];
  matchParts([clause.pattern], scope, new Map(), (row) => {
    found.push(row);
  });
  if (found.length > 0) {
    for (const row of found) for (const item of clause.onMatch) applySet(item, { row, ctx: scope.ctx });
    return found;
  }
  rejectNullMergeProperties(clause.pattern, scope);
  const row = createPattern(clause.pattern, scope, true);
  for (const item of clause.onCreate) applySet(item, { row, ctx: scope.ctx });
  return [row];
}

function rejectNullMergeProperties(part: PatternPart, scope: Scope): void {
  for (const element of [...part.nodes, ...part.relationships]) {
    if (!element.properties) continue;
    const value = evaluate(element.properties, scope);
    if (!(value instanceof Map)) continue;
    for (const [key, v] of value) {
      if (v === null)
        throw GraphErrors.badRequest(`Cannot merge the following node because of null property value for '${key}'`);
    }
  }
}

/** The variables a list of patterns names, in order of appearance. */
function patternVariables(parts: PatternPart[]): string[] {
  const names: string[] = [];
  for (const part of parts) {
    if (part.variable !== undefined) names.push(part.variable);
    part.nodes.forEach((node, i) => {
      if (node.variable !== undefined) names.push(node.variable);
      const rel = part.relationships[i];
      if (rel?.variable !== undefined) names.push(rel.variable);
    });
  }
  return names;
}

function withNew(columns: string[], names: string[]): string[] {
  const out = [...columns];
  for (const name of names) if (!out.includes(name)) out.push(name);
  return out;
}
