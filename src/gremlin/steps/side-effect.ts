import { GremlinErrors } from "../errors.js";
import type { GValue } from "../values.js";
import { byValue } from "./by.js";
import type { Step } from "./compile.js";
import { child, type StepRunner } from "./run.js";
import { labelled, start, type TraversalContext, type Traverser } from "./traverser.js";

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
  aggregate: collect,
  // store() is aggregate() without the barrier (deprecated in 3.8); the stream runs whole at each step here anyway.
  store: collect,
  cap: ({ args }, _stream, ctx) => {
    const keys = args.map(String);
    const values = keys.map((key) => {
      const value = ctx.sideEffects.get(key);
      if (value === undefined)
        throw GremlinErrors.badArgument(`The side-effect key does not exist in the side-effects: ${key}`);
      return value;
    });
    return [start(keys.length === 1 ? values[0]! : new Map<GValue, GValue>(keys.map((k, i) => [k, values[i]!])))];
  },
  match: () => {
    // Neptune runs match(); Trident does not yet.
    throw GremlinErrors.unsupported("The match() step is not supported by Trident yet: use where() and select()");
  },
};

/** aggregate([Scope,] key).by(…): each object (or its by() value) added to the side effect's list. */
function collect(step: Step, stream: Traverser[], ctx: TraversalContext): Traverser[] {
  const key = step.args[step.args.length - 1];
  if (typeof key !== "string") throw GremlinErrors.badArgument(`${step.name}() takes a side-effect key`);
  const before = ctx.sideEffects.get(key);
  const list: GValue[] = Array.isArray(before) ? before : before === undefined || before === null ? [] : [before];
  for (const t of stream) {
    const value = byValue(step.by[0], t, ctx);
    if (value !== undefined) list.push(value);
  }
  ctx.sideEffects.set(key, list);
  return stream;
}
