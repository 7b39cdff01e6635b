import { edgesOf, verticesOf } from "../elements.js";
import type { GValue } from "../values.js";
import type { StepRunner } from "./run.js";
import { flatMapEach, start } from "./traverser.js";

/** The steps that start a stream (or, mid-traversal, add to it): V(), E(), inject(). */
export const START_STEPS: Record<string, StepRunner> = {
  V: (step, stream, ctx, first) => {
    const found = verticesOf(ctx.graph, step.args);
    return first ? found.map(start) : flatMapEach(stream, () => found);
  },
  E: (step, stream, ctx, first) => {
    const found = edgesOf(ctx.graph, step.args);
    return first ? found.map(start) : flatMapEach(stream, () => found);
  },
  inject: (step, stream, _ctx, first) => {
    const injected = step.args.map((a) => start(a as GValue));
    return first ? injected : [...injected, ...stream];
  },
};
