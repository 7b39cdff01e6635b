import { createHook } from "node:async_hooks";

/**
 * Keeps the hidden class of Node's `process.nextTick` queue entries alive for the life of the process.
 *
 * Why: Node 20 builds each entry as an object literal with two symbol keys (its async ids). V8 holds the
 * transitions to that literal's hidden class weakly, so a full garbage collection that finds no entry alive drops
 * them; after a few such collections V8 builds every later entry on its slow path (the runtime's
 * DefineKeyedOwnPropertyInLiteral and a map migration per entry): a nextTick then costs about 300 ns instead of about
 * 55 ns, with no other code running (bench/next-tick.ts). node:http calls nextTick several times per request, so a
 * server that has run for a while lost about 5% of its throughput to it (issue 15's GetCallerIdentity figure).
 * Holding one real entry keeps the transitions alive. Its ids are set to fractions once it has run, so the hidden
 * class it holds is the one with the most general number representation, which no later id can deprecate.
 * The entry is Node's own, caught through async_hooks, so its keys always match whatever this Node version builds.
 */
let kept: object | undefined;

/** Catches one nextTick entry and keeps it (once per process); returns it, for the test that checks its shape. */
export function keepTickEntryShape(): object | undefined {
  if (kept) return kept;
  let caught: object | undefined;
  const hook = createHook({
    init(_asyncId, type, _triggerAsyncId, resource) {
      if (type === "TickObject") caught ??= resource;
    },
  });
  hook.enable();
  try {
    process.nextTick(() => generalizeIds(caught));
  } finally {
    hook.disable();
  }
  kept = caught;
  return kept;
}

/** Runs once the entry is off the queue, so nothing of Node's reads the ids written here. */
function generalizeIds(entry: object | undefined): void {
  if (!entry) return;
  for (const key of Object.getOwnPropertySymbols(entry)) {
    if (typeof Reflect.get(entry, key) === "number") Reflect.set(entry, key, 0.5);
  }
}
