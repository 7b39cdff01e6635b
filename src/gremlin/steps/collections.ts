import { GPath, type GValue } from "../values.js";

/** A value as the collection a local-scoped step works on: a list, a map's entries, a path's objects, or itself. */
export function collection(v: GValue): GValue[] {
  if (Array.isArray(v)) return v;
  if (v instanceof Map) return [...v.entries()].map(([k, x]) => new Map([[k, x]]));
  if (v instanceof GPath) return v.objects;
  return [v];
}

/** What unfold() makes of a value: a list's or a map's entries; anything else stays itself. */
export function unfolded(v: GValue): GValue[] {
  return Array.isArray(v) || v instanceof Map ? collection(v) : [v];
}
