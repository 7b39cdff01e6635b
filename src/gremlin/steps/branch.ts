import { GremlinErrors } from "../errors.js";
import { same, test } from "../predicates.js";
import { Predicate, Token, type Arg } from "../values.js";
import { byValue } from "./by.js";
import { isToken, optionOf, type Step } from "./compile.js";
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
  choose: (step, stream, ctx) =>
    stream.flatMap((t) => {
      const branch = chosen(step, t, ctx);
      return branch === undefined ? [t] : child(branch, t, ctx);
    }),
};

const PICKS = ["any", "none", "unproductive"];

/**
 * The branch choose() sends a traverser down; undefined: none, the traverser passes as it is. TinkerPop 3.8.1's
 * consistent semantics (ChooseStep; TINKERPOP-3178), which the 3.8 client targets:
 * - `choose(condition, then[, else])`: a traversal that yields anything, or a P the object passes; without an
 *   else, a traverser that fails the condition passes through;
 * - `choose(traversal|T).option(value|P, branch)…`: the first option whose value equals the choice (or whose P
 *   it passes); none matching, `option(Pick.none, …)`; a choice traversal that yields nothing,
 *   `option(Pick.unproductive, …)`; both default to passing the traverser through. `Pick.any` is refused.
 */
function chosen(step: Step, t: Traverser, ctx: TraversalContext): Arg | undefined {
  const [choice, then, otherwise] = step.args;
  if (step.args.length >= 2) {
    const pass = choice instanceof Predicate ? test(choice, t.value) : produces(choice, t, ctx);
    return pass ? then : otherwise;
  }
  const options = step.options ?? [];
  if (options.some((o) => isToken(o.key, "any")))
    throw GremlinErrors.badArgument(
      "Choose step can not have an any-option as only one option per traverser is allowed",
    );
  const value = choice instanceof Token ? byValue([choice], t, ctx) : child(choice, t, ctx)[0]?.value;
  if (value === undefined) return optionOf(step, "unproductive");
  const match = options.find(
    ({ key }) =>
      !(key instanceof Token && PICKS.includes(key.name)) &&
      (key instanceof Predicate ? test(key, value) : same(key, value)),
  );
  return match ? match.value : optionOf(step, "none");
}

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
