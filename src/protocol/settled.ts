/**
 * Values that never change once made, so that a serializer writes each of them once and reuses the bytes:
 *   - a settled value (a record's view while the record is unchanged) is deep-frozen and marked here;
 *   - an overlay is an object whose prototype is a settled value (a settled overlay too), with a few members of its
 *     own (a status, times that follow the clock, made per request): making one copies nothing, and the serializer
 *     writes it as the base's cached bytes with only its own members written anew. Every member reads as usual; spread and
 *     Object.keys see only the overlay's own, so a changed view is made with `overlay(view, changes)`.
 * Marked explicitly rather than inferred from Object.isFrozen: a shallow freeze elsewhere says nothing about what
 * the value holds. Dates in a settled value are taken as values: nothing in Trident sets a Date in place.
 */

const settledValues = new WeakSet<object>();

/** `value`, deep-frozen and marked settled: it and everything in it stay as they are. */
export function settle<T>(value: T): Readonly<T> {
  deepFreeze(value);
  if (typeof value === "object" && value !== null) settledValues.add(value);
  return value;
}

function deepFreeze(value: unknown): void {
  if (typeof value !== "object" || value === null || value instanceof Date || Object.isFrozen(value)) return;
  for (const inner of Object.values(value)) deepFreeze(inner);
  Object.freeze(value);
}

export function isSettled(value: object): boolean {
  return settledValues.has(value);
}

/**
 * `base` (settled; an overlay: then its own base; or a plain value: then a plain copy) with `own`'s members laid
 * over it. A member set to undefined in `own` is absent, whatever the base holds. A settled overlay is a base like
 * any settled value, so overlays can be layered: what changes seldom (a status) settled over what changes less, and
 * what changes with every request laid over both. No registry: a per-request object kept in a WeakMap costs more
 * than building the view did; the prototype says what it is.
 */
export function overlay<T extends object>(base: Readonly<T>, own: Partial<T>): T {
  if (!settledValues.has(base)) {
    const under = overlayBase(base);
    if (under) return overlay(under as T, { ...base, ...own });
    // A value nobody shares (a view made for one answer): the changes on a plain copy, which nothing registers.
    // Object.assign rather than `{ ...base, ...own }`, which V8 gives a hidden class of its own per object.
    return Object.assign({}, base, own) as T;
  }
  const value = Object.create(base) as Record<string, unknown>;
  for (const name in own) {
    const member = (own as Record<string, unknown>)[name];
    // The frozen base's members are read-only: a member it also holds is defined on the overlay, not assigned.
    if (name in base) Object.defineProperty(value, name, { value: member, enumerable: true, writable: true });
    else value[name] = member;
  }
  return value as T;
}

/** The settled value an overlay lies over, or undefined for any other value. */
export function overlayBase(value: object): object | undefined {
  const prototype = Object.getPrototypeOf(value) as object | null;
  return prototype !== null && settledValues.has(prototype) ? prototype : undefined;
}
