import { arithmetic } from "../../graph/exec/arithmetic.js";
import { GremlinErrors } from "../errors.js";
import { compare } from "../predicates.js";
import { Token, type GValue } from "../values.js";
import { byValue } from "./by.js";
import type { StepRunner } from "./run.js";
import { mapEach, type TraversalContext, type Traverser } from "./traverser.js";

/** sack(): each traverser's sack (withSack's value until changed; null without withSack). */
const sackOf = (t: Traverser, ctx: TraversalContext): GValue => t.sack ?? ctx.initialSack ?? null;

/** `sack()` reads the sack; `sack(Operator).by(…)` changes it with the by() value (the object without a by()). */
export const SACK_STEPS: Record<string, StepRunner> = {
  sack: (step, stream, ctx) => {
    const [op] = step.args;
    if (op === undefined) return mapEach(stream, (t) => sackOf(t, ctx));
    if (!(op instanceof Token)) throw GremlinErrors.unsupported("sack() takes an Operator (Neptune refuses lambdas)");
    return stream.map((t) => {
      const operand = byValue(step.by[0], t, ctx);
      if (operand === undefined) return t;
      return { ...t, sack: operate(op.name, sackOf(t, ctx), operand) };
    });
  },
};

/** The Operators that are arithmetic, as the graph's arithmetic writes them. */
const ARITHMETIC: Record<string, "+" | "-" | "*" | "/"> = { sum: "+", sumLong: "+", minus: "-", mult: "*", div: "/" };

/**
 * TinkerPop's Operator on two values. Arithmetic keeps integers integers when both are (`div` then divides as
 * integers, as TinkerPop's NumberHelper does for longs), by the graph's own arithmetic (src/graph/exec).
 */
export function operate(op: string, a: GValue, b: GValue): GValue {
  if (op === "assign") return b;
  if (op === "and" || op === "or") {
    if (typeof a !== "boolean" || typeof b !== "boolean") throw operandError(op, a, b);
    return op === "and" ? a && b : a || b;
  }
  if (op === "addAll") return [...(Array.isArray(a) ? a : [a]), ...(Array.isArray(b) ? b : [b])];
  if (op === "min" || op === "max") return compare(a, b) <= 0 === (op === "min") ? a : b;
  const symbol = ARITHMETIC[op];
  if (!symbol) throw GremlinErrors.badArgument(`Unsupported Operator: ${op}`);
  if ((typeof a !== "bigint" && typeof a !== "number") || (typeof b !== "bigint" && typeof b !== "number"))
    throw operandError(op, a, b);
  return arithmetic(symbol, a, b) as GValue;
}

const operandError = (op: string, a: GValue, b: GValue) =>
  GremlinErrors.badArgument(`Operator.${op} cannot take ${String(a)} and ${String(b)}`);
