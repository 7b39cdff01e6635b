import { compare } from "../predicates.js";
import { Token, type GValue } from "../values.js";
import { byRequired } from "./by.js";
import { isLocal, type Step } from "./compile.js";
import { collection } from "./collections.js";
import type { StepRunner } from "./run.js";
import { mapEach, start, type TraversalContext, type Traverser } from "./traverser.js";

/** order().by(…)…: the whole stream, or with Scope.local each traverser's collection. */
export const ORDER_STEPS: Record<string, StepRunner> = {
  order: (step, stream, ctx) =>
    isLocal(step.args)
      ? mapEach(stream, (t) => orderValues(collection(t.value), step, ctx))
      : orderTraversers(stream, step, ctx),
};

function orderTraversers(stream: Traverser[], step: Step, ctx: TraversalContext): Traverser[] {
  const bys = step.by.length > 0 ? step.by : [[]];
  const keyed = stream
    .map((t) => ({ t, keys: bys.map((by) => byRequired(by, t, ctx)) }))
    .filter((k) => k.keys.every((x) => x !== undefined));
  keyed.sort((a, b) => {
    for (let i = 0; i < bys.length; i++) {
      const order = bys[i]!.find(
        (x): x is Token => x instanceof Token && ["asc", "desc", "incr", "decr", "shuffle"].includes(x.name),
      );
      const c = compare(a.keys[i]!, b.keys[i]!);
      if (c !== 0) return order?.name === "desc" || order?.name === "decr" ? -c : c;
    }
    return 0;
  });
  return keyed.map((k) => k.t);
}

function orderValues(values: GValue[], step: Step, ctx: TraversalContext): GValue[] {
  return orderTraversers(values.map(start), step, ctx).map((t) => t.value);
}
