import { arithmetic } from "../graph/exec/arithmetic.js";
import { GremlinErrors } from "./errors.js";

/**
 * The expressions of the `math()` step, as TinkerPop evaluates them (with exp4j): numbers, variables (`_` for the
 * current object, other names for step labels, side effects or map keys), `+ - * / % ^`, unary signs, parentheses,
 * exp4j's functions and constants `pi`, `e`. Parsed by recursive descent over a character scanner (no regular
 * expression, nothing evaluated as code); the value is always a double.
 *
 *   sum     := product (('+' | '-') product)*
 *   product := unary (('*' | '/' | '%') unary)*
 *   unary   := ('-' | '+') unary | power
 *   power   := primary ('^' unary)?          (right-associative, above the unary signs: -2^2 is -4)
 *   primary := number | name | name '(' sum (',' sum)* ')' | '(' sum ')'
 */
export type MathExpression =
  | { readonly kind: "number"; readonly value: number }
  | { readonly kind: "variable"; readonly name: string }
  | { readonly kind: "negate"; readonly operand: MathExpression }
  | { readonly kind: "binary"; readonly op: string; readonly left: MathExpression; readonly right: MathExpression }
  | { readonly kind: "call"; readonly fn: string; readonly args: MathExpression[] };

export interface ParsedMath {
  readonly expression: MathExpression;
  /** The variables in the order they first appear (by() modulators apply to them in this order). */
  readonly variables: string[];
}

const FUNCTIONS: Record<string, (...x: number[]) => number> = {
  abs: Math.abs,
  acos: Math.acos,
  asin: Math.asin,
  atan: Math.atan,
  cbrt: Math.cbrt,
  ceil: Math.ceil,
  cos: Math.cos,
  cosh: Math.cosh,
  cot: (x) => 1 / Math.tan(x),
  exp: Math.exp,
  expm1: Math.expm1,
  floor: Math.floor,
  log: Math.log,
  log10: Math.log10,
  log1p: Math.log1p,
  log2: Math.log2,
  pow: Math.pow,
  signum: Math.sign,
  sin: Math.sin,
  sinh: Math.sinh,
  sqrt: Math.sqrt,
  tan: Math.tan,
  tanh: Math.tanh,
};
const CONSTANTS: Record<string, number> = { pi: Math.PI, e: Math.E };

const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
const isNameStart = (c: string | undefined) =>
  c !== undefined && ((c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_");
const isNamePart = (c: string | undefined) => isNameStart(c) || isDigit(c);

const invalid = (text: string, why: string) => GremlinErrors.badArgument(`Invalid math() expression '${text}': ${why}`);

export function parseMath(text: string): ParsedMath {
  let at = 0;
  const variables: string[] = [];
  const skipSpace = () => {
    while (text[at] === " " || text[at] === "\t" || text[at] === "\n" || text[at] === "\r") at++;
  };
  const peek = () => {
    skipSpace();
    return text[at];
  };
  const expect = (c: string) => {
    if (peek() !== c) throw invalid(text, `expected '${c}' at ${at + 1}`);
    at++;
  };
  const sum = (): MathExpression => {
    let left = product();
    for (let op = peek(); op === "+" || op === "-"; op = peek()) {
      at++;
      left = { kind: "binary", op, left, right: product() };
    }
    return left;
  };
  const product = (): MathExpression => {
    let left = unary();
    for (let op = peek(); op === "*" || op === "/" || op === "%"; op = peek()) {
      at++;
      left = { kind: "binary", op, left, right: unary() };
    }
    return left;
  };
  const unary = (): MathExpression => {
    const c = peek();
    if (c === "-" || c === "+") {
      at++;
      const operand = unary();
      return c === "-" ? { kind: "negate", operand } : operand;
    }
    return power();
  };
  const power = (): MathExpression => {
    const base = primary();
    if (peek() !== "^") return base;
    at++;
    return { kind: "binary", op: "^", left: base, right: unary() };
  };
  const primary = (): MathExpression => {
    const c = peek();
    if (c === "(") {
      at++;
      const inner = sum();
      expect(")");
      return inner;
    }
    if (isDigit(c) || c === ".") return number();
    if (isNameStart(c)) {
      const from = at;
      while (isNamePart(text[at])) at++;
      const name = text.slice(from, at);
      if (peek() === "(") {
        const fn = FUNCTIONS[name];
        if (!fn) throw invalid(text, `unknown function ${name}()`);
        at++;
        const args = [sum()];
        while (peek() === ",") {
          at++;
          args.push(sum());
        }
        expect(")");
        if (args.length !== fn.length) throw invalid(text, `${name}() takes ${fn.length} argument(s)`);
        return { kind: "call", fn: name, args };
      }
      if (name in CONSTANTS) return { kind: "number", value: CONSTANTS[name]! };
      if (!variables.includes(name)) variables.push(name);
      return { kind: "variable", name };
    }
    throw invalid(text, c === undefined ? "it ends too soon" : `unexpected '${c}' at ${at + 1}`);
  };
  const number = (): MathExpression => {
    const from = at;
    while (isDigit(text[at])) at++;
    if (text[at] === ".") {
      at++;
      while (isDigit(text[at])) at++;
    }
    if (text[at] === "e" || text[at] === "E") {
      at++;
      if (text[at] === "+" || text[at] === "-") at++;
      if (!isDigit(text[at])) throw invalid(text, `a number's exponent has no digits at ${at + 1}`);
      while (isDigit(text[at])) at++;
    }
    const value = Number(text.slice(from, at));
    if (Number.isNaN(value)) throw invalid(text, `'${text.slice(from, at)}' is not a number`);
    return { kind: "number", value };
  };
  const expression = sum();
  if (peek() !== undefined) throw invalid(text, `unexpected '${text[at]}' at ${at + 1}`);
  return { expression, variables };
}

/** The expression's value with the variables' values (each a number). */
export function evaluateMath(e: MathExpression, values: ReadonlyMap<string, number>): number {
  switch (e.kind) {
    case "number":
      return e.value;
    case "variable":
      return values.get(e.name)!;
    case "negate":
      return -evaluateMath(e.operand, values);
    case "call":
      return FUNCTIONS[e.fn]!(...e.args.map((a) => evaluateMath(a, values)));
    case "binary": {
      const a = evaluateMath(e.left, values);
      const b = evaluateMath(e.right, values);
      if (e.op === "^") return Math.pow(a, b);
      // exp4j refuses a division by zero (ArithmeticException "Division by zero!").
      if ((e.op === "/" || e.op === "%") && b === 0) throw GremlinErrors.badArgument("Division by zero!");
      return arithmetic(e.op as "+" | "-" | "*" | "/" | "%", a, b) as number;
    }
  }
}
