import { GremlinErrors } from "../errors.js";
import { BytecodeArg, type Arg } from "../values.js";
import { compile, type Step } from "./compile.js";
import type { TraversalContext, Traverser } from "./traverser.js";
import { STEPS } from "./registry.js";

/**
 * The runner: traversers move through the steps one step at a time over the whole stream (eager, in memory):
 * simple, and a request is one transaction anyway. Each step's work lives in the module of its kind
 * (registry.ts names them).
 */

/** What a step does to the stream. `first`: it starts the request's own traversal (V(), addV(), inject()). */
export type StepRunner = (step: Step, stream: Traverser[], ctx: TraversalContext, first: boolean) => Traverser[];

/** Runs steps over traversers. `root`: the request's own traversal (its first V()/E()/addV() starts the stream). */
export function execute(steps: readonly Step[], input: Traverser[], ctx: TraversalContext, root = false): Traverser[] {
  let stream = input;
  steps.forEach((step, index) => {
    ctx.tick();
    const run = STEPS.get(step.name);
    if (!run) throw GremlinErrors.unsupported(`Unsupported step: ${step.name}`);
    stream = run(step, stream, ctx, root && index === 0);
    // One tick per traverser made: a stream that grows without end (repeat over a cycle) meets the limits.
    for (let i = 0; i < stream.length; i++) ctx.tick();
  });
  return stream;
}

/** A child traversal (`__.out()`) from one traverser. */
export function child(arg: Arg | undefined, t: Traverser, ctx: TraversalContext): Traverser[] {
  if (!(arg instanceof BytecodeArg)) throw GremlinErrors.badArgument("Expected a traversal as argument");
  return execute(compile(arg.step), [t], ctx);
}

/** Whether a child traversal yields anything from the traverser (where, not, and, or, until, emit). */
export const produces = (arg: Arg | undefined, t: Traverser, ctx: TraversalContext) => child(arg, t, ctx).length > 0;
