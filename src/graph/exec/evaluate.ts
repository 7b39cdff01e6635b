import { GraphErrors } from "../errors.js";
import { AGGREGATES, type Expr } from "../cypher/ast.js";
import { Node, Relationship, typeName, type Value } from "../model/values.js";
import { arithmetic, negate } from "./arithmetic.js";
import { compare, equals } from "./compare.js";
import { withVariable, type Scope } from "./context.js";
import { callFunction } from "./functions.js";
import { patternExists, patternPaths } from "./match.js";

/** Evaluates an expression in a scope, with openCypher's null propagation and three-valued logic. */
export function evaluate(expr: Expr, scope: Scope): Value {
  switch (expr.kind) {
    case "literal":
      return expr.value;
    case "parameter": {
      const value = scope.ctx.params.get(expr.name);
      if (value === undefined) throw GraphErrors.missingParameters([expr.name]); // the engine checks first
      return value;
    }
    case "variable": {
      const value = scope.row.get(expr.name);
      if (value === undefined) throw GraphErrors.malformed(`Variable \`${expr.name}\` not defined`);
      return value;
    }
    case "property":
      return property(evaluate(expr.object, scope), expr.key);
    case "hasLabels": {
      const node = evaluate(expr.object, scope);
      if (node === null) return null;
      if (!(node instanceof Node)) throw GraphErrors.badRequest(`Expected a Node, got ${typeName(node)}`);
      return expr.labels.every((label) => node.labels.includes(label));
    }
    case "list":
      return expr.items.map((item) => evaluate(item, scope));
    case "map":
      return new Map(expr.entries.map(([key, value]) => [key, evaluate(value, scope)]));
    case "binary":
      return binary(expr, scope);
    case "not": {
      const value = predicate(expr.operand, scope);
      return value === null ? null : !value;
    }
    case "negate":
      return negate(evaluate(expr.operand, scope));
    case "isNull":
      return (evaluate(expr.operand, scope) === null) !== expr.negated;
    case "index":
      return index(evaluate(expr.list, scope), evaluate(expr.index, scope));
    case "slice":
      return slice(
        evaluate(expr.list, scope),
        expr.from && evaluate(expr.from, scope),
        expr.to && evaluate(expr.to, scope),
      );
    case "countStar":
      return aggregate(expr, scope);
    case "call":
      return call(expr, scope);
    case "case":
      return caseExpr(expr, scope);
    case "comprehension": {
      const source = evaluate(expr.source, scope);
      if (source === null) return null;
      const out: Value[] = [];
      for (const item of asList(source)) {
        const inner = withVariable(scope, expr.variable, item);
        if (expr.where && predicate(expr.where, inner) !== true) continue;
        out.push(expr.map ? evaluate(expr.map, inner) : item);
      }
      return out;
    }
    case "quantifier":
      return quantifier(expr, scope);
    case "pattern":
      return patternPaths(expr.pattern, scope);
    case "patternComprehension": {
      const out: Value[] = [];
      patternPaths(expr.pattern, scope, (row) => {
        const inner = { ...scope, row };
        if (!expr.where || predicate(expr.where, inner) === true) out.push(evaluate(expr.map, inner));
      });
      return out;
    }
  }
}

/** An expression in a boolean position: true, false or null. A pattern there means "such a match exists". */
export function predicate(expr: Expr, scope: Scope): boolean | null {
  if (expr.kind === "pattern") return patternExists(expr.pattern, scope);
  const value = evaluate(expr, scope);
  if (value === null || typeof value === "boolean") return value;
  throw GraphErrors.badRequest(`Expected a Boolean, got ${typeName(value)}`);
}

export function property(object: Value, key: string): Value {
  if (object === null) return null;
  if (object instanceof Node || object instanceof Relationship) return object.properties.get(key) ?? null;
  if (object instanceof Map) return object.get(key) ?? null;
  throw GraphErrors.badRequest(`Cannot read property '${key}' of ${typeName(object)}`);
}

export function asList(value: Value): Value[] {
  if (Array.isArray(value)) return value;
  throw GraphErrors.badRequest(`Expected a List, got ${typeName(value)}`);
}

function binary(expr: Extract<Expr, { kind: "binary" }>, scope: Scope): Value {
  switch (expr.op) {
    case "AND": {
      const left = predicate(expr.left, scope);
      if (left === false) return false;
      const right = predicate(expr.right, scope);
      if (right === false) return false;
      return left === null || right === null ? null : true;
    }
    case "OR": {
      const left = predicate(expr.left, scope);
      if (left === true) return true;
      const right = predicate(expr.right, scope);
      if (right === true) return true;
      return left === null || right === null ? null : false;
    }
    case "XOR": {
      const left = predicate(expr.left, scope);
      const right = predicate(expr.right, scope);
      return left === null || right === null ? null : left !== right;
    }
  }
  const left = evaluate(expr.left, scope);
  const right = evaluate(expr.right, scope);
  switch (expr.op) {
    case "=":
      return equals(left, right);
    case "<>": {
      const same = equals(left, right);
      return same === null ? null : !same;
    }
    case "<":
    case ">":
    case "<=":
    case ">=": {
      const c = compare(left, right);
      if (c === null) return null;
      return expr.op === "<" ? c < 0 : expr.op === ">" ? c > 0 : expr.op === "<=" ? c <= 0 : c >= 0;
    }
    case "IN":
      return inList(left, right);
    case "STARTS WITH":
    case "ENDS WITH":
    case "CONTAINS":
      // Neptune: these apply to strings only; anything else (null included) gives null.
      if (typeof left !== "string" || typeof right !== "string") return null;
      return expr.op === "STARTS WITH"
        ? left.startsWith(right)
        : expr.op === "ENDS WITH"
          ? left.endsWith(right)
          : left.includes(right);
    default:
      return arithmetic(expr.op, left, right);
  }
}

function inList(item: Value, list: Value): boolean | null {
  if (list === null) return null;
  let sawNull = false;
  for (const element of asList(list)) {
    const same = equals(item, element);
    if (same === true) return true;
    if (same === null) sawNull = true;
  }
  return sawNull ? null : false;
}

function index(container: Value, at: Value): Value {
  if (container === null || at === null) return null;
  if (Array.isArray(container)) {
    if (typeof at !== "bigint") throw GraphErrors.badRequest(`List index must be an Integer, got ${typeName(at)}`);
    const i = Number(at < 0n ? BigInt(container.length) + at : at);
    return i >= 0 && i < container.length ? container[i]! : null;
  }
  if (typeof at === "string") return property(container, at);
  throw GraphErrors.badRequest(`Cannot index ${typeName(container)} with ${typeName(at)}`);
}

function slice(container: Value, from: Value | undefined, to: Value | undefined): Value {
  if (container === null || from === null || to === null) return null;
  const list = asList(container);
  const bound = (v: Value | undefined, otherwise: number) => {
    if (v === undefined) return otherwise;
    if (typeof v !== "bigint") throw GraphErrors.badRequest(`List slice bounds must be Integers, got ${typeName(v)}`);
    const n = Number(v);
    return Math.max(0, Math.min(list.length, n < 0 ? list.length + n : n));
  };
  return list.slice(bound(from, 0), bound(to, list.length));
}

function aggregate(expr: Expr, scope: Scope): Value {
  const value = scope.aggregates?.get(expr);
  if (value === undefined) throw GraphErrors.malformed("Aggregation is only allowed in RETURN and WITH");
  return value;
}

function call(expr: Extract<Expr, { kind: "call" }>, scope: Scope): Value {
  const name = expr.name.toLowerCase();
  if (AGGREGATES.has(name)) return aggregate(expr, scope);
  switch (name) {
    case "exists": {
      const arg = expr.args[0];
      if (expr.args.length !== 1 || !arg) throw GraphErrors.malformed("exists() takes one argument");
      if (arg.kind === "pattern") return patternExists(arg.pattern, scope);
      return evaluate(arg, scope) !== null;
    }
    case "coalesce": {
      for (const arg of expr.args) {
        const value = evaluate(arg, scope);
        if (value !== null) return value;
      }
      return null;
    }
  }
  return callFunction(
    expr.name,
    expr.args.map((arg) => evaluate(arg, scope)),
    scope.ctx,
  );
}

function caseExpr(expr: Extract<Expr, { kind: "case" }>, scope: Scope): Value {
  const subject = expr.subject && evaluate(expr.subject, scope);
  for (const [when, then] of expr.whens) {
    const hit =
      subject === undefined ? predicate(when, scope) === true : equals(subject, evaluate(when, scope)) === true;
    if (hit) return evaluate(then, scope);
  }
  return expr.otherwise ? evaluate(expr.otherwise, scope) : null;
}

function quantifier(expr: Extract<Expr, { kind: "quantifier" }>, scope: Scope): Value {
  const source = evaluate(expr.source, scope);
  if (source === null) return null;
  let trues = 0;
  let nulls = 0;
  const items = asList(source);
  for (const item of items) {
    const result = predicate(expr.where, withVariable(scope, expr.variable, item));
    if (result === true) trues++;
    else if (result === null) nulls++;
  }
  const falses = items.length - trues - nulls;
  switch (expr.quantifier) {
    case "all":
      return falses > 0 ? false : nulls > 0 ? null : true;
    case "any":
      return trues > 0 ? true : nulls > 0 ? null : false;
    case "none":
      return trues > 0 ? false : nulls > 0 ? null : true;
    case "single":
      return trues > 1 ? false : nulls > 0 ? null : trues === 1;
  }
}
