import { element, labelOf } from "../elements.js";
import { GremlinErrors } from "../errors.js";
import { same } from "../predicates.js";
import { Token, isElement, type Arg, type GValue } from "../values.js";
import type { Step } from "./compile.js";
import { child } from "./run.js";
import { start, type TraversalContext, type Traverser } from "./traverser.js";

/** A by() modulator applied to a value: identity, a property key, a token, or a child traversal's first result. */
export function byValue(by: Arg[] | undefined, t: Traverser, ctx: TraversalContext): GValue | undefined {
  const key = by?.[0];
  const v = t.value;
  if (
    key === undefined ||
    (key instanceof Token && (key.name === "asc" || key.name === "desc" || key.name === "shuffle"))
  )
    return v;
  if (typeof key === "string") {
    if (v instanceof Map) return v.get(key);
    const found = isElement(v) ? v.properties.get(key) : undefined;
    return Array.isArray(found) ? found[0] : found;
  }
  if (key instanceof Token) {
    if (key.name === "id") return element(v).id;
    if (key.name === "label") return labelOf(v);
    if (key.name === "keys" && v instanceof Map) return [...v.keys()];
    if (key.name === "values" && v instanceof Map) return [...v.values()];
    throw GremlinErrors.unsupported(`Unsupported by() token: ${key.name}`);
  }
  return child(key, t, ctx)[0]?.value;
}

/** The value of a by() that must produce one (TinkerPop: an unproductive by() fails the traverser). */
export const byRequired = (by: Arg[] | undefined, t: Traverser, ctx: TraversalContext) => byValue(by, t, ctx);

/** by() modulators applied round-robin to a list of objects (path().by(…), select(a, b).by(…)). */
export function cycleBy(objects: GValue[], step: Step, ctx: TraversalContext): GValue[] {
  if (step.by.length === 0) return objects;
  return objects.map((o, i) => byValue(step.by[i % step.by.length], start(o), ctx) ?? null);
}

/** A map keyed by value: equal values (1 and 1.0, the same element twice) share an entry. */
export function entryFor<T>(
  entries: { key: GValue; value: T }[],
  key: GValue,
  make: () => T,
): { key: GValue; value: T } {
  let entry = entries.find((e) => same(e.key, key));
  if (!entry) entries.push((entry = { key, value: make() }));
  return entry;
}
