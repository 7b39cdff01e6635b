import { hasStep, idOrPredicate, labelsOf, matchesAny } from "../elements.js";
import { same, test } from "../predicates.js";
import { BytecodeArg, GProperty, Predicate, isElement, type Arg, type GValue } from "../values.js";
import { byRequired } from "./by.js";
import { isLocal, type Step } from "./compile.js";
import { collection } from "./collections.js";
import { produces, type StepRunner } from "./run.js";
import { mapEach, scoped, selectLabel, start, type TraversalContext, type Traverser } from "./traverser.js";

/** A step that keeps the traversers `keep` says yes to. */
const keeping =
  (keep: (t: Traverser, step: Step, ctx: TraversalContext) => boolean): StepRunner =>
  (step, stream, ctx) =>
    stream.filter((t) => keep(t, step, ctx));

/** The steps that let traversers through or not: has…, is, where, not/and/or, path shapes, dedup, slices. */
export const FILTER_STEPS: Record<string, StepRunner> = {
  has: keeping((t, { args }) => hasStep(t.value, args)),
  hasLabel: keeping((t, { args }) => matchesAny(labelsOf(t.value), args)),
  hasId: keeping((t, { args }) => isElement(t.value) && matchesAny([t.value.id], args.map(idOrPredicate))),
  hasKey: keeping(
    (t, { args }) =>
      (t.value instanceof GProperty && matchesAny([t.value.key], args)) ||
      (isElement(t.value) && matchesAny([...t.value.properties.keys()], args)),
  ),
  hasValue: keeping((t, { args }) => t.value instanceof GProperty && matchesAny([t.value.value], args)),
  filter: keeping((t, { args }, ctx) => produces(args[0], t, ctx)),
  hasNot: keeping((t, { args }) => isElement(t.value) && !t.value.properties.has(String(args[0]))),
  is: keeping((t, { args }) => matchesAny([t.value], args)),
  where: keeping((t, { args }, ctx) => where(t, args, ctx)),
  not: keeping((t, { args }, ctx) => !produces(args[0], t, ctx)),
  and: keeping((t, { args }, ctx) => args.every((a) => produces(a, t, ctx))),
  or: keeping((t, { args }, ctx) => args.some((a) => produces(a, t, ctx))),
  simplePath: keeping((t) => distinctObjects(t)),
  cyclicPath: keeping((t) => !distinctObjects(t)),
  dedup: (step, stream, ctx) =>
    isLocal(step.args)
      ? mapEach(stream, (t) => dedup(collection(t.value).map(start), step, ctx).map((d) => d.value))
      : dedup(stream, step, ctx),
  limit: sliceStep(([n = 0]) => ({ from: 0, to: n, count: n })),
  range: sliceStep(([low = 0, high = -1]) => ({ from: low, to: high, count: high < 0 ? undefined : high - low })),
  skip: sliceStep(([n = 0]) => ({ from: n, to: -1 })),
  tail: sliceStep(([n = 1], size) => ({ from: Math.max(0, size - n), to: -1, count: n })),
};

/** Where a slice starts and ends (-1: at the end), and how many items it asks for (when it says). */
type Bounds = (numbers: number[], size: number) => { from: number; to: number; count?: number };

/**
 * limit, range, skip and tail: a slice of the stream; with Scope.local, of each traverser's collection, where a
 * slice asked for one item is that item (TinkerPop's RangeLocalStep and TailLocalStep: `limit(local, 1)` of a list
 * is its first item, not a list).
 */
function sliceStep(bounds: Bounds): StepRunner {
  const cut = <T>(items: T[], numbers: Arg[]) => {
    const { from, to, count } = bounds(numbers.map(Number), items.length);
    return { sliced: items.slice(from, to < 0 ? undefined : to), one: count === 1 };
  };
  return ({ args }, stream) => {
    if (!isLocal(args)) return cut(stream, args).sliced;
    return mapEach(stream, (t) => {
      const { sliced, one } = cut(collection(t.value), args.slice(1));
      if (t.value instanceof Map) return new Map(sliced.flatMap((entry) => [...(entry as Map<GValue, GValue>)]));
      return one && sliced.length === 1 ? sliced[0]! : sliced;
    });
  };
}

/** where(traversal), where(P over a step label) and where(label, P over a step label). */
function where(t: Traverser, args: Arg[], ctx: TraversalContext): boolean {
  if (args[0] instanceof BytecodeArg) return produces(args[0], t, ctx);
  const [subject, p] = typeof args[0] === "string" ? [selectLabel(t, args[0]), args[1]] : [t.value, args[0]];
  if (subject === undefined || !(p instanceof Predicate)) return false;
  const resolve = (a: Arg): Arg => (typeof a === "string" ? (scoped(t, a, ctx) ?? null) : a);
  // within/without a name: the collection it names (a side effect made by aggregate(), withSideEffect()).
  const operand = Array.isArray(p.value)
    ? p.value.flatMap((a) => {
        const resolved = resolve(a);
        return typeof a === "string" && Array.isArray(resolved) ? resolved : [resolved];
      })
    : resolve(p.value);
  return test(new Predicate(p.name, operand, p.other === undefined ? undefined : resolve(p.other)), subject);
}

function dedup(stream: Traverser[], step: Step, ctx: TraversalContext): Traverser[] {
  const seen: GValue[] = [];
  return stream.filter((t) => {
    const key = byRequired(step.by[0], t, ctx) ?? null;
    if (seen.some((s) => same(s, key))) return false;
    seen.push(key);
    return true;
  });
}

function distinctObjects(t: Traverser): boolean {
  const objects = t.path.map((e) => e.object);
  return objects.every((o, i) => objects.findIndex((x) => same(x, o)) === i);
}
