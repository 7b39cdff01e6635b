import { compare } from "../predicates.js";
import { BytecodeArg, type GValue } from "../values.js";
import { byRequired, byValue, entryFor } from "./by.js";
import { compile, isLocal, type Step } from "./compile.js";
import { collection } from "./collections.js";
import { execute, type StepRunner } from "./run.js";
import { mapEach, start, type TraversalContext, type Traverser } from "./traverser.js";

/** The reducing barriers: the whole stream into one value (or, with Scope.local, each traverser's collection). */
export const REDUCE_STEPS: Record<string, StepRunner> = {
  count: ({ args }, stream) =>
    isLocal(args) ? mapEach(stream, (t) => BigInt(collection(t.value).length)) : [start(BigInt(stream.length))],
  sum: (step, stream) => reduceNumbers(step.name, stream),
  max: (step, stream) => reduceNumbers(step.name, stream),
  min: (step, stream) => reduceNumbers(step.name, stream),
  mean: (step, stream) => reduceNumbers(step.name, stream),
  fold: (_step, stream) => [start(stream.map((t) => t.value))],
  groupCount: (step, stream, ctx) => [start(groupCount(stream, step, ctx))],
  group: (step, stream, ctx) => [start(group(stream, step, ctx))],
};

function groupCount(stream: Traverser[], step: Step, ctx: TraversalContext): Map<GValue, GValue> {
  const entries: { key: GValue; value: bigint }[] = [];
  for (const t of stream) {
    const key = byRequired(step.by[0], t, ctx);
    if (key === undefined) continue;
    entryFor(entries, key, () => 0n).value++;
  }
  return new Map(entries.map((e) => [e.key, e.value]));
}

const REDUCING = new Set(["count", "fold", "sum", "max", "min", "mean", "groupCount", "group"]);

/** group().by(key).by(value): the value traversal runs over each group's members; without a reducing end, folded. */
function group(stream: Traverser[], step: Step, ctx: TraversalContext): Map<GValue, GValue> {
  const entries: { key: GValue; value: Traverser[] }[] = [];
  for (const t of stream) {
    const key = byRequired(step.by[0], t, ctx);
    if (key === undefined) continue;
    entryFor(entries, key, () => [] as Traverser[]).value.push(t);
  }
  const valueBy = step.by[1]?.[0];
  return new Map(
    entries.map(({ key, value }) => {
      if (valueBy instanceof BytecodeArg) {
        const steps = compile(valueBy.step);
        const results = execute(steps, value, ctx).map((r) => r.value);
        const reduced = steps.length > 0 && REDUCING.has(steps[steps.length - 1]!.name);
        return [key, reduced ? (results[0] ?? null) : results];
      }
      return [key, value.map((t) => byValue(step.by[1], t, ctx)).filter((v): v is GValue => v !== undefined)];
    }),
  );
}

function reduceNumbers(name: string, stream: Traverser[]): Traverser[] {
  const values = stream
    .map((t) => t.value)
    .filter((v): v is bigint | number => typeof v === "bigint" || typeof v === "number");
  if (values.length === 0) return name === "sum" ? [start(0n)] : [];
  if (name === "max" || name === "min") {
    const sorted = [...values].sort((a, b) => compare(a, b));
    return [start(name === "max" ? sorted[sorted.length - 1]! : sorted[0]!)];
  }
  const allIntegers = values.every((v) => typeof v === "bigint");
  const total = allIntegers
    ? values.reduce((a, b) => (a as bigint) + (b as bigint), 0n)
    : values.reduce((a, b) => Number(a) + Number(b), 0);
  if (name === "sum") return [start(total)];
  return [start(Number(total) / values.length)];
}
