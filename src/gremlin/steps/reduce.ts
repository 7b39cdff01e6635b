import { compare } from "../predicates.js";
import { GremlinErrors } from "../errors.js";
import { BytecodeArg, Token, type GValue } from "../values.js";
import { byRequired, byValue, entryFor } from "./by.js";
import { compile, isLocal, type Step } from "./compile.js";
import { collection } from "./collections.js";
import { execute, type StepRunner } from "./run.js";
import { operate } from "./sack.js";
import { mapEach, moved, start, type TraversalContext, type Traverser } from "./traverser.js";

/** The reducing barriers: the whole stream into one value (or, with Scope.local, each traverser's collection). */
export const REDUCE_STEPS: Record<string, StepRunner> = {
  count: ({ args }, stream) =>
    isLocal(args) ? mapEach(stream, (t) => BigInt(collection(t.value).length)) : [start(BigInt(stream.length))],
  sum: numbers,
  max: numbers,
  min: numbers,
  mean: numbers,
  // fold(), or fold(seed, Operator): the objects reduced from the seed by the operator.
  fold: ({ args }, stream) => {
    if (args.length === 0) return [start(stream.map((t) => t.value))];
    const [seed, op] = args;
    if (!(op instanceof Token))
      throw GremlinErrors.unsupported("fold(seed, …) takes an Operator (Neptune refuses lambdas)");
    return [start(stream.reduce<GValue>((acc, t) => operate(op.name, acc, t.value), seed as GValue))];
  },
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

/** sum, max, min, mean: of the stream's numbers, or with Scope.local of each traverser's collection's. */
function numbers(step: Step, stream: Traverser[]): Traverser[] {
  if (!isLocal(step.args)) {
    const reduced = reduceNumbers(
      step.name,
      stream.map((t) => t.value),
    );
    return reduced === undefined ? [] : [start(reduced)];
  }
  return stream.flatMap((t) => {
    const reduced = reduceNumbers(step.name, collection(t.value));
    return reduced === undefined ? [] : [moved(t, reduced)];
  });
}

/** The numbers among `values` reduced; undefined when there are none (sum: 0). */
function reduceNumbers(name: string, values: GValue[]): GValue | undefined {
  const numeric = values.filter((v): v is bigint | number => typeof v === "bigint" || typeof v === "number");
  if (numeric.length === 0) return name === "sum" ? 0n : undefined;
  if (name === "max" || name === "min") {
    const sorted = [...numeric].sort((a, b) => compare(a, b));
    return name === "max" ? sorted[sorted.length - 1]! : sorted[0]!;
  }
  const allIntegers = numeric.every((v) => typeof v === "bigint");
  const total = allIntegers
    ? numeric.reduce((a, b) => (a as bigint) + (b as bigint), 0n)
    : numeric.reduce((a, b) => Number(a) + Number(b), 0);
  return name === "sum" ? total : Number(total) / numeric.length;
}
