import type { Expr, Projection, ProjectionItem } from "../cypher/ast.js";
import { GraphErrors } from "../errors.js";
import { typeName, type Value } from "../model/values.js";
import { aggregatesIn, computeAggregate } from "./aggregate.js";
import { groupKey, orderCompare } from "./compare.js";
import type { QueryContext, Row, Scope } from "./context.js";
import { evaluate } from "./evaluate.js";

/** Rows with the names of the variables they bind, in order (RETURN * and the result's columns need the order). */
export interface Table {
  columns: string[];
  rows: Row[];
}

/**
 * WITH and RETURN: projection, grouping with aggregation, DISTINCT, ORDER BY, SKIP and LIMIT, in openCypher's
 * order. ORDER BY sees the projected names and, when the projection neither aggregates nor is DISTINCT, the
 * variables from before it as well.
 */
export function project(input: Table, projection: Projection, ctx: QueryContext): Table {
  const items: ProjectionItem[] = [
    ...(projection.star ? input.columns.map((name) => ({ expr: { kind: "variable", name } as Expr, name })) : []),
    ...projection.items,
  ];
  if (items.length === 0) throw GraphErrors.malformed("RETURN * is not allowed when there are no variables in scope");
  const columns = items.map((item) => item.name);
  if (new Set(columns).size !== columns.length) {
    throw GraphErrors.malformed("Multiple result columns with the same name are not supported");
  }
  const aggregates = items.map((item) => aggregatesIn(item.expr));
  const aggregating = aggregates.some((found) => found.length > 0);

  // Each output row, with the scope ORDER BY sees.
  let out: { row: Row; sortScope: Scope }[];
  if (aggregating) {
    out = aggregate(input.rows, items, aggregates, ctx).map((row) => ({ row, sortScope: { row, ctx } }));
  } else {
    out = input.rows.map((row) => {
      ctx.tick();
      const scope = { row, ctx };
      const projected = new Map(items.map((item) => [item.name, evaluate(item.expr, scope)]));
      const sortRow = projection.distinct ? projected : new Map([...row, ...projected]);
      return { row: projected, sortScope: { row: sortRow, ctx } };
    });
  }
  if (projection.distinct) {
    const seen = new Set<string>();
    out = out.filter(({ row }) => {
      const key = groupKey(columns.map((c) => row.get(c)!));
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }
  if (projection.orderBy.length > 0) {
    const sortExprs = projection.orderBy.map(({ expr }) => {
      // ORDER BY count(*) after RETURN count(*): the same expression as an item means that item's column.
      const same = items.find((item) => sameExpr(item.expr, expr));
      return same ? ({ kind: "variable", name: same.name } as Expr) : expr;
    });
    const keyed = out.map((entry) => ({ entry, keys: sortExprs.map((e) => evaluate(e, entry.sortScope)) }));
    keyed.sort((a, b) => {
      for (let i = 0; i < sortExprs.length; i++) {
        const c = orderCompare(a.keys[i]!, b.keys[i]!);
        if (c !== 0) return projection.orderBy[i]!.descending ? -c : c;
      }
      return 0;
    });
    out = keyed.map(({ entry }) => entry);
  }
  const skip = projection.skip ? count(projection.skip, "SKIP", ctx) : 0;
  const limit = projection.limit ? count(projection.limit, "LIMIT", ctx) : undefined;
  const rows = out.slice(skip, limit === undefined ? undefined : skip + limit).map(({ row }) => row);
  return { columns, rows };
}

function aggregate(rows: Row[], items: ProjectionItem[], aggregates: Expr[][], ctx: QueryContext): Row[] {
  const keyItems = items.filter((_, i) => aggregates[i]!.length === 0);
  const groups = new Map<string, Scope[]>();
  for (const row of rows) {
    const scope = { row, ctx };
    const key = groupKey(keyItems.map((item) => evaluate(item.expr, scope)));
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(scope);
  }
  // With no grouping key, an empty input still makes one row (count(*) = 0).
  if (groups.size === 0 && keyItems.length === 0) groups.set("", []);
  const all = aggregates.flat();
  return [...groups.values()].map((group) => {
    const results = new Map<Expr, Value>(all.map((expr) => [expr, computeAggregate(expr, group)]));
    const scope: Scope = { row: group[0]?.row ?? new Map(), ctx, aggregates: results };
    return new Map(items.map((item) => [item.name, evaluate(item.expr, scope)]));
  });
}

function count(expr: Expr, clause: string, ctx: QueryContext): number {
  const value = evaluate(expr, { row: new Map(), ctx });
  if (typeof value !== "bigint" || value < 0n) {
    throw GraphErrors.badRequest(`${clause} must be a non-negative integer, got ${typeName(value)} ${String(value)}`);
  }
  return Number(value);
}

/** Structural equality of two expressions (literal values compared by group key, so bigints compare). */
function sameExpr(a: Expr, b: Expr): boolean {
  return JSON.stringify(a, replacer) === JSON.stringify(b, replacer);
}

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return `${value}n`;
  return value;
}
