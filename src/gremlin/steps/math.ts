import { describe } from "../elements.js";
import { GremlinErrors } from "../errors.js";
import { evaluateMath, parseMath } from "../math-expression.js";
import { byValue } from "./by.js";
import type { StepRunner } from "./run.js";
import { mapEach, scoped } from "./traverser.js";

/**
 * math(expression): a double from the expression, whose `_` is the object and whose other names are step labels,
 * map keys or side effects; by() modulators apply to the variables round-robin, in the order they first appear
 * (TinkerPop's MathStep).
 */
export const MATH_STEPS: Record<string, StepRunner> = {
  math: (step, stream, ctx) => {
    if (typeof step.args[0] !== "string") throw GremlinErrors.badArgument("math() takes an expression");
    const { expression, variables } = parseMath(step.args[0]);
    return mapEach(stream, (t) => {
      const values = new Map<string, number>();
      variables.forEach((name, i) => {
        const raw = name === "_" ? t.value : scoped(t, name, ctx);
        if (raw === undefined)
          throw GremlinErrors.badArgument(`Neither the map, sideEffects, nor path has a ${name}-key`);
        const by = step.by.length > 0 ? step.by[i % step.by.length] : undefined;
        const value = byValue(by, { ...t, value: raw }, ctx);
        if (typeof value !== "bigint" && typeof value !== "number")
          throw GremlinErrors.badArgument(
            `The variable ${name} for math() step must resolve to a Number - it is instead ${describe(value ?? null)}`,
          );
        values.set(name, Number(value));
      });
      return evaluateMath(expression, values);
    });
  },
};
