import { idOf } from "../elements.js";
import { GremlinErrors } from "../errors.js";
import { Token, type Arg, type GValue, type Instruction } from "../values.js";

/** A step with the modulators that follow it (`by`, `from`, `to`, `times`, `until`, `emit`, `with`, `option`). */
export interface Step {
  readonly name: string;
  readonly args: Arg[];
  readonly by: Arg[][];
  from?: Arg;
  to?: Arg;
  times?: number;
  until?: { arg: Arg | undefined; before: boolean };
  emit?: { arg: Arg | undefined; before: boolean };
  id?: string;
  tokens?: boolean;
  /** option(key, value) in the order written: mergeV/mergeE's (Merge.onCreate|onMatch, map), choose's. */
  options?: { key: Arg; value: Arg }[];
}

const MODULATORS = new Set(["by", "from", "to", "times", "until", "emit", "with", "option"]);

/** Bytecode instructions → steps, each with the modulators written after it (until/emit may come before repeat). */
export function compile(instructions: readonly Instruction[]): Step[] {
  const steps: Step[] = [];
  let pendingUntil: Step["until"];
  let pendingEmit: Step["emit"];
  for (const { name, args } of instructions) {
    const last = steps[steps.length - 1];
    if ((name === "until" || name === "emit") && last?.name !== "repeat") {
      if (name === "until") pendingUntil = { arg: args[0], before: true };
      else pendingEmit = { arg: args[0], before: true };
      continue;
    }
    if (MODULATORS.has(name)) {
      if (!last) throw GremlinErrors.badArgument(`${name}() modulates no step`);
      modulate(last, name, args);
      continue;
    }
    // addV/addE take their id from a property(id, …) written right after them (Neptune's way to give one).
    if (name === "property" && last && (last.name === "addV" || last.name === "addE") && isToken(args[0], "id")) {
      last.id = idOf(args[1] as GValue);
      continue;
    }
    const step: Step = { name, args, by: [] };
    if (name === "repeat") {
      if (pendingUntil) step.until = pendingUntil;
      if (pendingEmit) step.emit = pendingEmit;
      pendingUntil = pendingEmit = undefined;
    }
    steps.push(step);
  }
  return steps;
}

function modulate(step: Step, name: string, args: Arg[]): void {
  switch (name) {
    case "by":
      step.by.push(args);
      return;
    case "from":
      step.from = args[0];
      return;
    case "to":
      step.to = args[0];
      return;
    case "times":
      step.times = Number(args[0]);
      return;
    case "until":
      step.until = { arg: args[0], before: false };
      return;
    case "emit":
      step.emit = { arg: args[0], before: false };
      return;
    case "option":
      (step.options ??= []).push({ key: args[0] ?? null, value: args[1] ?? null });
      return;
    case "with":
      // valueMap().with(WithOptions.tokens): Gremlin sends the option's key as `~tinkerpop.valueMap.tokens`.
      if (String(args[0]).endsWith("tokens")) step.tokens = true;
      return;
    default:
      throw GremlinErrors.unsupported(`Unsupported step: ${name}`);
  }
}

export const isToken = (v: Arg | undefined, name: string): boolean => v instanceof Token && v.name === name;

/** Scope.local as a step's first argument (count(local), limit(local, 2), order(local), …). */
export const isLocal = (args: Arg[]) => isToken(args[0], "local");

/** The value of option(token, …) given by a token's name (Merge.onCreate, Pick.none, …); the first one written. */
export const optionOf = (step: Step, name: string): Arg | undefined =>
  step.options?.find((o) => isToken(o.key, name))?.value;
