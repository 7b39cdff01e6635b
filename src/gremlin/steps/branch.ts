import type { Arg } from "../values.js";
import type { Step } from "./compile.js";
import { child, produces, type StepRunner } from "./run.js";
import type { TraversalContext, Traverser } from "./traverser.js";

/** The steps that run child traversals and keep what they yield: union, coalesce, optional, local, repeat. */
export const BRANCH_STEPS: Record<string, StepRunner> = {
  union: ({ args }, stream, ctx) => stream.flatMap((t) => args.flatMap((a) => child(a, t, ctx))),
  coalesce: ({ args }, stream, ctx) =>
    stream.flatMap((t) => {
      for (const a of args) {
        const found = child(a, t, ctx);
        if (found.length > 0) return found;
      }
      return [];
    }),
  optional: ({ args }, stream, ctx) =>
    stream.flatMap((t) => {
      const found = child(args[0], t, ctx);
      return found.length > 0 ? found : [t];
    }),
  local: ({ args }, stream, ctx) => stream.flatMap((t) => child(args[0], t, ctx)),
  repeat: (step, stream, ctx) => repeat(stream, step, ctx),
};

/**
 * repeat(t) with times(n), until(t) and emit([t]), each before (while-do) or after (do-while) the repeat. Breadth
 * first, one loop over the whole frontier at a time. A loop that never ends is stopped by the request's time limit.
 */
function repeat(stream: Traverser[], step: Step, ctx: TraversalContext): Traverser[] {
  const body = step.args[0];
  const out: Traverser[] = [];
  const passes = (cond: { arg: Arg | undefined } | undefined, t: Traverser) =>
    cond !== undefined && (cond.arg === undefined || produces(cond.arg, t, ctx));
  let frontier = stream;
  for (let loop = 0; frontier.length > 0; loop++) {
    ctx.tick();
    if (step.until?.before) {
      out.push(...frontier.filter((t) => passes(step.until, t)));
      frontier = frontier.filter((t) => !passes(step.until, t));
    }
    if (step.emit?.before) out.push(...frontier.filter((t) => passes(step.emit, t)));
    if (step.times !== undefined && loop >= step.times) {
      if (!step.emit) out.push(...frontier);
      break;
    }
    frontier = frontier.flatMap((t) => child(body, { ...t, loops: loop }, ctx)).map((t) => ({ ...t, loops: loop + 1 }));
    if (step.until && !step.until.before) {
      const done = frontier.filter((t) => passes(step.until, t));
      out.push(...done);
      frontier = frontier.filter((t) => !done.includes(t));
    }
    if (step.emit && !step.emit.before) out.push(...frontier.filter((t) => passes(step.emit, t)));
  }
  return out;
}
