import { GraphErrors } from "../errors.js";
import { LONG_MAX, LONG_MIN, typeName, type Value } from "../model/values.js";

/**
 * openCypher arithmetic: integer op integer stays a 64-bit integer (overflow is an error, as in Neptune's Java
 * engine, rather than a silent wrap); any float makes the result a float; `+` also joins strings and lists.
 */
export function arithmetic(op: "+" | "-" | "*" | "/" | "%", a: Value, b: Value): Value {
  if (a === null || b === null) return null;
  if (op === "+") {
    if (Array.isArray(a)) return Array.isArray(b) ? [...a, ...b] : [...a, b];
    if (Array.isArray(b)) return [a, ...b];
    if (typeof a === "string" || typeof b === "string") {
      if (isScalarText(a) && isScalarText(b)) return toText(a) + toText(b);
    }
  }
  if (typeof a === "bigint" && typeof b === "bigint") return checked(integerOp(op, a, b));
  if ((typeof a === "bigint" || typeof a === "number") && (typeof b === "bigint" || typeof b === "number")) {
    return floatOp(op, Number(a), Number(b));
  }
  throw GraphErrors.badRequest(`Cannot apply ${op} to ${typeName(a)} and ${typeName(b)}`);
}

function integerOp(op: string, a: bigint, b: bigint): bigint {
  switch (op) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    default:
      if (b === 0n) throw GraphErrors.badRequest("/ by zero");
      return op === "/" ? a / b : a % b;
  }
}

function floatOp(op: string, a: number, b: number): number {
  switch (op) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      return a / b;
    default:
      return a % b;
  }
}

export function negate(a: Value): Value {
  if (a === null) return null;
  if (typeof a === "bigint") return checked(-a);
  if (typeof a === "number") return -a;
  throw GraphErrors.badRequest(`Cannot negate ${typeName(a)}`);
}

export function checked(n: bigint): bigint {
  if (n > LONG_MAX || n < LONG_MIN) throw GraphErrors.badRequest("long overflow");
  return n;
}

const isScalarText = (v: Value) => typeof v === "string" || typeof v === "bigint" || typeof v === "number";

/** A number or string as toString() and string concatenation show it (floats keep their `.0`, as Java prints them). */
export function toText(v: Value): string {
  if (typeof v === "number") return formatFloat(v);
  return String(v);
}

export function formatFloat(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (!Number.isFinite(n)) return n > 0 ? "Infinity" : "-Infinity";
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(1);
  return String(n);
}
