import type { PropertyGraph } from "../../graph/model/graph.js";
import type { GValue } from "../values.js";

/** One object on a traverser's path with the step labels (`as`) it was given. */
export interface PathEntry {
  readonly object: GValue;
  readonly labels: string[];
}

/** A traverser: where it is, how it got there, how many times it went round a repeat(). */
export interface Traverser {
  readonly value: GValue;
  readonly path: readonly PathEntry[];
  readonly loops: number;
  /** Its sack (`withSack`, `sack(operator)`); undefined until it has one of its own (then the initial value). */
  readonly sack?: GValue;
}

export interface TraversalContext {
  readonly graph: PropertyGraph;
  /** Throws (ReadOnlyViolationException) when the request may not write: a reader endpoint. */
  readonly write: () => void;
  /** Called in loops: throws when the request has run past its time. */
  readonly tick: () => void;
  /** The traversal's side effects by key (`withSideEffect`, `aggregate`, `store`; read by `cap`, `select`, `where`). */
  readonly sideEffects: Map<string, GValue>;
  /** `withSack(value)`: every traverser's first sack; undefined without withSack. */
  readonly initialSack?: GValue;
}

export const start = (value: GValue): Traverser => ({ value, path: [{ object: value, labels: [] }], loops: 0 });

export const moved = (t: Traverser, value: GValue): Traverser => ({
  ...t,
  value,
  path: [...t.path, { object: value, labels: [] }],
});

/** The traverser with `labels` added to the object it stands on (`as`). */
export function labelled(t: Traverser, labels: string[]): Traverser {
  const path = [...t.path];
  const last = path[path.length - 1] ?? { object: t.value, labels: [] };
  path[path.length === 0 ? 0 : path.length - 1] = { object: last.object, labels: [...last.labels, ...labels] };
  return { ...t, path };
}

/** The object a step label names on the traverser's path (the last one, Pop.last), or a key of a map value. */
export function selectLabel(t: Traverser, label: string): GValue | undefined {
  for (let i = t.path.length - 1; i >= 0; i--) if (t.path[i]!.labels.includes(label)) return t.path[i]!.object;
  if (t.value instanceof Map && t.value.has(label)) return t.value.get(label);
  return undefined;
}

/** Each traverser moved to the value `f` gives it (map steps). */
export const mapEach = (stream: Traverser[], f: (t: Traverser) => GValue): Traverser[] =>
  stream.map((t) => moved(t, f(t)));

/** Each traverser moved to every value `f` gives it (flatMap steps). */
export const flatMapEach = (stream: Traverser[], f: (t: Traverser) => GValue[]): Traverser[] =>
  stream.flatMap((t) => f(t).map((v) => moved(t, v)));

/** What a name means to select(), where() and math(): a step label on the path, a map key, else a side effect. */
export const scoped = (t: Traverser, name: string, ctx: TraversalContext): GValue | undefined =>
  selectLabel(t, name) ?? ctx.sideEffects.get(name);
