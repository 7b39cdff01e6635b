import { hasStep, idOrPredicate, labelsOf, matchesAny } from "../elements.js";
import { same, test } from "../predicates.js";
import { BytecodeArg, Predicate, isElement, type Arg, type GValue } from "../values.js";
import { byRequired } from "./by.js";
import { isLocal, type Step } from "./compile.js";
import { collection } from "./collections.js";
import { produces, type StepRunner } from "./run.js";
import { mapEach, selectLabel, type TraversalContext, type Traverser } from "./traverser.js";

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
  hasKey: keeping((t, { args }) => isElement(t.value) && matchesAny([...t.value.properties.keys()], args)),
  hasNot: keeping((t, { args }) => isElement(t.value) && !t.value.properties.has(String(args[0]))),
  is: keeping((t, { args }) => matchesAny([t.value], args)),
  where: keeping((t, { args }, ctx) => where(t, args, ctx)),
  not: keeping((t, { args }, ctx) => !produces(args[0], t, ctx)),
  and: keeping((t, { args }, ctx) => args.every((a) => produces(a, t, ctx))),
  or: keeping((t, { args }, ctx) => args.some((a) => produces(a, t, ctx))),
  simplePath: keeping((t) => distinctObjects(t)),
  cyclicPath: keeping((t) => !distinctObjects(t)),
  dedup: (step, stream, ctx) => dedup(stream, step, ctx),
  limit: ({ args }, stream) =>
    isLocal(args)
      ? mapEach(stream, (t) => collection(t.value).slice(0, Number(args[1])))
      : stream.slice(0, Number(args[0])),
  range: ({ args }, stream) => stream.slice(Number(args[0]), Number(args[1]) < 0 ? undefined : Number(args[1])),
  skip: ({ args }, stream) => stream.slice(Number(args[0])),
  tail: ({ args }, stream) => stream.slice(Math.max(0, stream.length - Number(args[0] ?? 1n))),
};

/** where(traversal), where(P over a step label) and where(label, P over a step label). */
function where(t: Traverser, args: Arg[], ctx: TraversalContext): boolean {
  if (args[0] instanceof BytecodeArg) return produces(args[0], t, ctx);
  const [subject, p] = typeof args[0] === "string" ? [selectLabel(t, args[0]), args[1]] : [t.value, args[0]];
  if (subject === undefined || !(p instanceof Predicate)) return false;
  const resolve = (a: Arg): Arg => (typeof a === "string" ? (selectLabel(t, a) ?? null) : a);
  const operand = Array.isArray(p.value) ? p.value.map(resolve) : resolve(p.value);
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
