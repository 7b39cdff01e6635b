import { randomUUID } from "node:crypto";
import { GraphErrors } from "../errors.js";
import { LONG_MAX, LONG_MIN, Node, Path, Relationship, typeName, type Value } from "../model/values.js";
import { toText } from "./arithmetic.js";
import type { QueryContext } from "./context.js";

/**
 * The scalar, list, string and math functions of Neptune's openCypher (compliance page, reference §2.4). Each
 * gets its arguments evaluated; null in gives null out unless the function says otherwise. `exists` and
 * `coalesce` (which look at their arguments unevaluated or lazily) and the aggregates live in the evaluator.
 */
type Fn = (args: Value[], ctx: QueryContext) => Value;

interface Signature {
  /** Fewest and most arguments. */
  arity: [number, number];
  /** Whether a null first argument gives null without calling. */
  nullIn: boolean;
  fn: Fn;
}

const fn = (arity: [number, number], f: Fn, nullIn = true): Signature => ({ arity, nullIn, fn: f });

const FUNCTIONS: Record<string, Signature> = {
  id: fn([1, 1], ([e]) => element(e!, "id").id),
  labels: fn([1, 1], ([n]) => [...node(n!, "labels").labels]),
  type: fn([1, 1], ([r]) => relationship(r!, "type").type),
  properties: fn([1, 1], ([e]) => (e instanceof Map ? new Map(e) : new Map(element(e!, "properties").properties))),
  keys: fn([1, 1], ([e]) => [...(e instanceof Map ? e.keys() : element(e!, "keys").properties.keys())]),
  startnode: fn([1, 1], ([r]) => relationship(r!, "startNode").start),
  endnode: fn([1, 1], ([r]) => relationship(r!, "endNode").end),
  nodes: fn([1, 1], ([p]) => path(p!, "nodes").nodes),
  relationships: fn([1, 1], ([p]) => path(p!, "relationships").relationships),
  length: fn([1, 1], ([v]) => {
    if (v instanceof Path) return BigInt(v.relationships.length);
    if (typeof v === "string") return BigInt(v.length);
    return BigInt(list(v!, "length").length);
  }),
  size: fn([1, 1], ([v]) => (typeof v === "string" ? BigInt(v.length) : BigInt(list(v!, "size").length))),
  head: fn([1, 1], ([l]) => list(l!, "head")[0] ?? null),
  last: fn([1, 1], ([l]) => list(l!, "last").at(-1) ?? null),
  tail: fn([1, 1], ([l]) => list(l!, "tail").slice(1)),
  reverse: fn([1, 1], ([v]) =>
    typeof v === "string" ? [...v].reverse().join("") : [...list(v!, "reverse")].reverse(),
  ),
  range: fn([2, 3], ([from, to, step]) => range(from!, to!, step ?? 1n)),
  tostring: fn([1, 1], ([v]) => {
    if (typeof v === "boolean") return String(v);
    if (v instanceof Date) return v.toISOString();
    if (typeof v === "string" || typeof v === "bigint" || typeof v === "number") return toText(v);
    throw badArgument("toString", v!);
  }),
  tointeger: fn([1, 1], ([v]) => toInteger(v!)),
  tofloat: fn([1, 1], ([v]) => toFloat(v!)),
  toboolean: fn([1, 1], ([v]) => {
    if (typeof v === "boolean") return v;
    if (typeof v === "string")
      return v.trim().toLowerCase() === "true" ? true : v.trim().toLowerCase() === "false" ? false : null;
    throw badArgument("toBoolean", v!);
  }),
  toupper: fn([1, 1], ([s]) => string(s!, "toUpper").toUpperCase()),
  tolower: fn([1, 1], ([s]) => string(s!, "toLower").toLowerCase()),
  trim: fn([1, 1], ([s]) => string(s!, "trim").trim()),
  ltrim: fn([1, 1], ([s]) => string(s!, "lTrim").trimStart()),
  rtrim: fn([1, 1], ([s]) => string(s!, "rTrim").trimEnd()),
  split: fn([2, 2], ([s, d]) => (d === null ? null : string(s!, "split").split(string(d!, "split")))),
  substring: fn([2, 3], ([s, start, len]) => {
    const text = string(s!, "substring");
    const from = count(start!, "substring");
    return len === undefined || len === null ? text.slice(from) : text.slice(from, from + count(len, "substring"));
  }),
  left: fn([2, 2], ([s, n]) => string(s!, "left").slice(0, count(n!, "left"))),
  right: fn([2, 2], ([s, n]) => {
    const text = string(s!, "right");
    return text.slice(Math.max(0, text.length - count(n!, "right")));
  }),
  replace: fn([3, 3], ([s, find, by]) =>
    find === null || by === null
      ? null
      : string(s!, "replace").split(string(find!, "replace")).join(string(by!, "replace")),
  ),
  // Neptune extension: join(list, delimiter).
  join: fn([2, 2], ([l, d]) =>
    list(l!, "join")
      .map((item) => string(item, "join"))
      .join(d === null ? "" : string(d!, "join")),
  ),
  // Neptune extension: removeKeyFromMap(map, key).
  removekeyfrommap: fn([2, 2], ([m, k]) => {
    if (!(m instanceof Map)) throw badArgument("removeKeyFromMap", m!);
    const out = new Map(m);
    out.delete(string(k!, "removeKeyFromMap"));
    return out;
  }),
  abs: fn([1, 1], ([n]) => (typeof n === "bigint" ? (n < 0n ? -n : n) : Math.abs(number(n!, "abs")))),
  ceil: fn([1, 1], ([n]) => Math.ceil(number(n!, "ceil"))),
  floor: fn([1, 1], ([n]) => Math.floor(number(n!, "floor"))),
  // Java's Math.round: halves go up.
  round: fn([1, 1], ([n]) => Math.floor(number(n!, "round") + 0.5)),
  sign: fn([1, 1], ([n]) => BigInt(Math.sign(number(n!, "sign")))),
  sqrt: fn([1, 1], ([n]) => Math.sqrt(number(n!, "sqrt"))),
  exp: fn([1, 1], ([n]) => Math.exp(number(n!, "exp"))),
  log: fn([1, 1], ([n]) => Math.log(number(n!, "log"))),
  log10: fn([1, 1], ([n]) => Math.log10(number(n!, "log10"))),
  sin: fn([1, 1], ([n]) => Math.sin(number(n!, "sin"))),
  cos: fn([1, 1], ([n]) => Math.cos(number(n!, "cos"))),
  tan: fn([1, 1], ([n]) => Math.tan(number(n!, "tan"))),
  cot: fn([1, 1], ([n]) => 1 / Math.tan(number(n!, "cot"))),
  asin: fn([1, 1], ([n]) => Math.asin(number(n!, "asin"))),
  acos: fn([1, 1], ([n]) => Math.acos(number(n!, "acos"))),
  atan: fn([1, 1], ([n]) => Math.atan(number(n!, "atan"))),
  atan2: fn([2, 2], ([y, x]) => (x === null ? null : Math.atan2(number(y!, "atan2"), number(x!, "atan2")))),
  degrees: fn([1, 1], ([n]) => (number(n!, "degrees") * 180) / Math.PI),
  radians: fn([1, 1], ([n]) => (number(n!, "radians") * Math.PI) / 180),
  pi: fn([0, 0], () => Math.PI),
  e: fn([0, 0], () => Math.E),
  rand: fn([0, 0], () => Math.random()),
  randomuuid: fn([0, 0], () => randomUUID()),
  timestamp: fn([0, 0], (_args, ctx) => BigInt(ctx.now.getTime())),
  // datetime(): the statement's instant; datetime(string): an ISO-8601 instant, kept in UTC (reference §2.4).
  datetime: fn(
    [0, 1],
    ([s], ctx) => {
      if (s === undefined) return ctx.now;
      if (s === null) return null;
      const when = new Date(string(s, "datetime"));
      if (Number.isNaN(when.getTime())) throw GraphErrors.badRequest(`Text cannot be parsed to a DateTime: '${s}'`);
      return when;
    },
    false,
  ),
  epochmillis: fn([1, 1], ([d]) => {
    if (!(d instanceof Date)) throw badArgument("epochMillis", d!);
    return BigInt(d.getTime());
  }),
};

export function callFunction(name: string, args: Value[], ctx: QueryContext): Value {
  const signature = FUNCTIONS[name.toLowerCase()];
  if (!signature) throw GraphErrors.malformed(`Unknown function '${name}'`);
  const [min, max] = signature.arity;
  if (args.length < min || args.length > max) {
    throw GraphErrors.malformed(
      `Function ${name} takes ${min === max ? min : `${min} to ${max}`} argument(s), got ${args.length}`,
    );
  }
  if (signature.nullIn && args[0] === null) return null;
  return signature.fn(args, ctx);
}

function badArgument(name: string, value: Value): Error {
  return GraphErrors.badRequest(`Invalid argument for ${name}(): ${typeName(value)}`);
}

function element(v: Value, name: string): Node | Relationship {
  if (v instanceof Node || v instanceof Relationship) return v;
  throw badArgument(name, v);
}

function node(v: Value, name: string): Node {
  if (v instanceof Node) return v;
  throw badArgument(name, v);
}

function relationship(v: Value, name: string): Relationship {
  if (v instanceof Relationship) return v;
  throw badArgument(name, v);
}

function path(v: Value, name: string): Path {
  if (v instanceof Path) return v;
  throw badArgument(name, v);
}

function list(v: Value, name: string): Value[] {
  if (Array.isArray(v)) return v;
  throw badArgument(name, v);
}

function string(v: Value, name: string): string {
  if (typeof v === "string") return v;
  throw badArgument(name, v);
}

function number(v: Value, name: string): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  throw badArgument(name, v);
}

function count(v: Value, name: string): number {
  if (typeof v === "bigint" && v >= 0n) return Number(v);
  throw badArgument(name, v);
}

function range(from: Value, to: Value, step: Value): Value[] {
  if (typeof from !== "bigint" || typeof to !== "bigint" || typeof step !== "bigint") {
    throw GraphErrors.badRequest("range() takes Integer arguments");
  }
  if (step === 0n) throw GraphErrors.badRequest("range() step must not be zero");
  const out: bigint[] = [];
  if ((to - from) / step + 1n > 10_000_000n) throw GraphErrors.badRequest("range() would produce too many values");
  for (let i = from; step > 0n ? i <= to : i >= to; i += step) out.push(i);
  return out;
}

/** Neptune: toInteger saturates at the Long bounds (reference §2.4); unparseable text gives null. */
function toInteger(v: Value): Value {
  if (typeof v === "bigint") return v;
  if (typeof v === "boolean") return v ? 1n : 0n;
  if (typeof v === "number") return saturate(v);
  if (typeof v === "string") {
    const f = parseNumber(v);
    if (f === undefined) return null;
    return typeof f === "bigint" ? f : saturate(f);
  }
  throw badArgument("toInteger", v);
}

function saturate(f: number): Value {
  if (Number.isNaN(f)) return null;
  if (f >= 9.223372036854776e18) return LONG_MAX;
  if (f <= -9.223372036854776e18) return LONG_MIN;
  return BigInt(Math.trunc(f));
}

function toFloat(v: Value): Value {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "string") {
    const f = parseNumber(v);
    return f === undefined ? null : Number(f);
  }
  throw badArgument("toFloat", v);
}

/** A decimal number in text, read by a character scan: an integer (exact) or a float; undefined if not a number. */
function parseNumber(text: string): bigint | number | undefined {
  const s = text.trim();
  let i = 0;
  if (s[i] === "+" || s[i] === "-") i++;
  const digitsStart = i;
  while (i < s.length && s[i]! >= "0" && s[i]! <= "9") i++;
  const intDigits = i - digitsStart;
  if (i === s.length && intDigits > 0) {
    const n = BigInt(s);
    return n > LONG_MAX ? LONG_MAX : n < LONG_MIN ? LONG_MIN : n;
  }
  if (s.length === 0 || Number.isNaN(Number(s)) || s.includes("x") || s.includes("X")) return undefined;
  return Number(s);
}
