import { GraphError } from "../graph/errors.js";
import { Node, Relationship } from "../graph/model/values.js";
import { GPath, GProperty, Predicate, Token, type Arg, type GValue } from "./values.js";

/**
 * Gremlin's comparison: numbers by value whatever their type (`1` and `1.0` are equal, as in TinkerPop's
 * NumberHelper), elements by id, dates by instant, lists element by element; anything else by identity.
 */
export function same(a: Arg, b: Arg): boolean {
  if (isNum(a) && isNum(b)) return numCompare(a, b) === 0;
  if (a instanceof Node || a instanceof Relationship)
    return (b instanceof Node || b instanceof Relationship) && a.constructor === b.constructor && a.id === b.id;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]!));
  if (a instanceof Token && b instanceof Token) return a.name === b.name;
  if (a instanceof GProperty && b instanceof GProperty)
    return same(a.element, b.element) && a.key === b.key && same(a.value, b.value);
  return a === b;
}

const isNum = (v: unknown): v is bigint | number => typeof v === "bigint" || typeof v === "number";

function numCompare(a: bigint | number, b: bigint | number): number {
  if (typeof a === "bigint" && typeof b === "bigint") return a < b ? -1 : a > b ? 1 : 0;
  const x = Number(a);
  const y = Number(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The order of `order()` across types: nulls, booleans, numbers, dates, strings, then the rest by their text. */
function rank(v: GValue): number {
  if (v === null) return 0;
  if (typeof v === "boolean") return 1;
  if (isNum(v)) return 2;
  if (v instanceof Date) return 3;
  if (typeof v === "string") return 4;
  return 5;
}

export function compare(a: GValue, b: GValue): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (isNum(a) && isNum(b)) return numCompare(a, b);
  if (typeof a === "boolean") return Number(a) - Number(b as boolean);
  if (a instanceof Date) return a.getTime() - (b as Date).getTime();
  if (typeof a === "string") return a < (b as string) ? -1 : a > (b as string) ? 1 : 0;
  const ka = keyText(a);
  const kb = keyText(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function keyText(v: GValue): string {
  if (v instanceof Node || v instanceof Relationship) return v.id;
  if (v instanceof GPath) return v.objects.map(keyText).join(",");
  if (v instanceof Token) return v.name;
  if (v instanceof GProperty) return `${v.key}=${String(v.value)}`;
  return String(v);
}

/** Whether two values compare at all under `lt`/`gt` (TinkerPop: a number against a string does not match). */
const comparable = (a: GValue, b: GValue) => rank(a) === rank(b) && rank(a) < 5;

const asList = (v: Arg): Arg[] => (Array.isArray(v) ? v : [v]);

/** Whether `value` passes the predicate. */
export function test(p: Predicate, value: GValue): boolean {
  const operand = p.value as GValue;
  const text = typeof value === "string" && typeof operand === "string";
  switch (p.name) {
    case "eq":
      return same(value, operand);
    case "neq":
      return !same(value, operand);
    case "lt":
      return comparable(value, operand) && compare(value, operand) < 0;
    case "lte":
      return comparable(value, operand) && compare(value, operand) <= 0;
    case "gt":
      return comparable(value, operand) && compare(value, operand) > 0;
    case "gte":
      return comparable(value, operand) && compare(value, operand) >= 0;
    case "within":
      return asList(p.value).some((x) => same(value, x));
    case "without":
      return !asList(p.value).some((x) => same(value, x));
    case "inside":
    case "outside":
    case "between": {
      const [low, high] = bounds(p);
      const inLow = comparable(value, low) && compare(value, low) > (p.name === "between" ? -1 : 0);
      const inHigh = comparable(value, high) && compare(value, high) < 0;
      if (p.name === "outside") return comparable(value, low) && (compare(value, low) < 0 || compare(value, high) > 0);
      return inLow && inHigh;
    }
    case "and":
      return test(p.value as Predicate, value) && test(p.other as Predicate, value);
    case "or":
      return test(p.value as Predicate, value) || test(p.other as Predicate, value);
    case "not":
      return !test(p.value as Predicate, value);
    case "containing":
      return text && value.includes(operand);
    case "notContaining":
      return text && !value.includes(operand);
    case "startingWith":
      return text && value.startsWith(operand);
    case "notStartingWith":
      return text && !value.startsWith(operand);
    case "endingWith":
      return text && value.endsWith(operand);
    case "notEndingWith":
      return text && !value.endsWith(operand);
    default:
      throw new GraphError("UnsupportedOperationException", `Unsupported predicate: ${p.name}`, 400);
  }
}

/** `between(a, b)` and friends carry their bounds as a list of two (GraphSON) or as value and other (binary). */
function bounds(p: Predicate): [GValue, GValue] {
  if (p.other !== undefined) return [p.value as GValue, p.other as GValue];
  const [low = null, high = null] = asList(p.value) as GValue[];
  return [low, high];
}
