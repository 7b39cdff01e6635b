import { child, type StepRunner } from "./run.js";
import { labelled } from "./traverser.js";

/** The steps that leave the stream as it is (or end it): as, sideEffect, identity, barrier, none/discard. */
export const SIDE_EFFECT_STEPS: Record<string, StepRunner> = {
  as: ({ args }, stream) => stream.map((t) => labelled(t, args.map(String))),
  sideEffect: ({ args }, stream, ctx) => {
    for (const t of stream) child(args[0], t, ctx);
    return stream;
  },
  identity: (_step, stream) => stream,
  barrier: (_step, stream) => stream,
  // iterate(): the client wants no results (3.7 sends none(), 3.8 discard()).
  none: () => [],
  discard: () => [],
};
