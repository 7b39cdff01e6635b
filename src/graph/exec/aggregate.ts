import { AGGREGATES, subExpressions, type Expr } from "../cypher/ast.js";
import { GraphErrors } from "../errors.js";
import { typeName, type Value } from "../model/values.js";
import { arithmetic } from "./arithmetic.js";
import { groupKey, isNum, orderCompare } from "./compare.js";
import type { Scope } from "./context.js";
import { evaluate } from "./evaluate.js";

/** The aggregate calls inside an expression (not looking inside an aggregate's own arguments). */
export function aggregatesIn(expr: Expr, out: Expr[] = []): Expr[] {
  if (expr.kind === "countStar" || (expr.kind === "call" && AGGREGATES.has(expr.name.toLowerCase()))) {
    out.push(expr);
    return out;
  }
  for (const child of subExpressions(expr)) aggregatesIn(child, out);
  return out;
}

/** Computes one aggregate over the rows of a group. */
export function computeAggregate(expr: Expr, group: Scope[]): Value {
  if (expr.kind === "countStar") return BigInt(group.length);
  if (expr.kind !== "call") throw new Error("not an aggregate");
  const name = expr.name.toLowerCase();
  const arg = expr.args[0];
  if (!arg) throw GraphErrors.malformed(`${expr.name}() needs an argument`);
  let values = group.map((scope) => evaluate(arg, scope)).filter((v) => v !== null);
  if (expr.distinct) {
    const seen = new Set<string>();
    values = values.filter((v) => {
      const key = groupKey(v);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }
  switch (name) {
    case "count":
      return BigInt(values.length);
    case "collect":
      return values;
    case "sum":
      return values.reduce<Value>((total, v) => arithmetic("+", total, numeric(v, expr.name)), 0n);
    case "avg":
      if (values.length === 0) return null;
      return values.reduce<number>((total, v) => total + Number(numeric(v, expr.name)), 0) / values.length;
    case "min":
    case "max": {
      if (values.length === 0) return null;
      const sign = name === "min" ? 1 : -1;
      return values.reduce((best, v) => (sign * orderCompare(v, best) < 0 ? v : best));
    }
    case "stdev":
    case "stdevp":
      return deviation(
        values.map((v) => Number(numeric(v, expr.name))),
        name === "stdev",
      );
    default:
      return percentile(
        name,
        values.map((v) => Number(numeric(v, expr.name))),
        expr,
        group,
      );
  }
}

function numeric(v: Value, name: string): bigint | number {
  if (isNum(v)) return v;
  throw GraphErrors.badRequest(`${name}() expects numbers, got ${typeName(v)}`);
}

function deviation(values: number[], sample: boolean): number {
  const n = values.length;
  if (n < (sample ? 2 : 1)) return 0;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const squares = values.reduce((a, b) => a + (b - mean) ** 2, 0);
  return Math.sqrt(squares / (sample ? n - 1 : n));
}

function percentile(name: string, values: number[], expr: Extract<Expr, { kind: "call" }>, group: Scope[]): Value {
  const at = expr.args[1] && group[0] ? evaluate(expr.args[1], group[0]) : null;
  if (!isNum(at) || Number(at) < 0 || Number(at) > 1) {
    throw GraphErrors.badRequest(`${expr.name}() needs a percentile between 0.0 and 1.0`);
  }
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const p = Number(at);
  if (name === "percentiledisc") return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
  const position = p * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}
