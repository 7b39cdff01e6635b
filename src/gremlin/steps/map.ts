import { element, elementMap, labelOf, property, propertyMap, valueMap } from "../elements.js";
import { GremlinErrors } from "../errors.js";
import { GPath, Token, type GValue } from "../values.js";
import { byValue, cycleBy } from "./by.js";
import type { Step } from "./compile.js";
import { child, type StepRunner } from "./run.js";
import { mapEach, moved, scoped, type TraversalContext, type Traverser } from "./traverser.js";

/** The steps that turn each traverser's value into one other value. */
export const MAP_STEPS: Record<string, StepRunner> = {
  valueMap: (step, stream) => mapEach(stream, (t) => valueMap(t.value, step.args, step.tokens === true)),
  elementMap: ({ args }, stream) => mapEach(stream, (t) => elementMap(t.value, args.map(String))),
  id: (_step, stream) => mapEach(stream, (t) => element(t.value).id),
  label: (_step, stream) => mapEach(stream, (t) => labelOf(t.value)),
  constant: ({ args }, stream) => mapEach(stream, () => args[0] as GValue),
  loops: (_step, stream) => mapEach(stream, (t) => BigInt(t.loops)),
  path: (step, stream, ctx) =>
    mapEach(
      stream,
      (t) =>
        new GPath(
          t.path.map((e) => e.labels),
          cycleBy(
            t.path.map((e) => e.object),
            step,
            ctx,
          ),
        ),
    ),
  project: (step, stream, ctx) => mapEach(stream, (t) => project(t, step.args.map(String), step, ctx)),
  select: (step, stream, ctx) => select(stream, step, ctx),
  propertyMap: ({ args }, stream) => mapEach(stream, (t) => propertyMap(t.value, args.map(String))),
  key: (_step, stream) => mapEach(stream, (t) => property(t.value).key),
  value: (_step, stream) => mapEach(stream, (t) => property(t.value).value),
  // map(traversal): the first object the traversal yields from each traverser; none, and the traverser ends.
  map: ({ args }, stream, ctx) =>
    stream.flatMap((t) => {
      const first = child(args[0], t, ctx)[0];
      return first === undefined ? [] : [moved(t, first.value)];
    }),
};

function project(t: Traverser, keys: string[], step: Step, ctx: TraversalContext): Map<GValue, GValue> {
  const out = new Map<GValue, GValue>();
  keys.forEach((key, i) => {
    const value = byValue(step.by.length > 0 ? step.by[i % step.by.length] : undefined, t, ctx);
    if (value !== undefined) out.set(key, value);
  });
  return out;
}

function select(stream: Traverser[], step: Step, ctx: TraversalContext): Traverser[] {
  const args = step.args.filter((a) => !(a instanceof Token && ["first", "last", "all", "mixed"].includes(a.name)));
  const column = args[0] instanceof Token ? args[0] : undefined;
  if (column) {
    return stream.map((t) => {
      if (!(t.value instanceof Map)) throw GremlinErrors.badArgument("select(keys|values) expects a map");
      return moved(t, column.name === "keys" ? [...t.value.keys()] : [...t.value.values()]);
    });
  }
  const labels = args.map(String);
  return stream.flatMap((t) => {
    const found = labels.map((l) => scoped(t, l, ctx));
    if (found.some((f) => f === undefined)) return [];
    const values = cycleBy(found as GValue[], step, ctx);
    if (labels.length === 1) return [moved(t, values[0]!)];
    return [moved(t, new Map<GValue, GValue>(labels.map((l, i) => [l, values[i]!])))];
  });
}
