import { test } from "node:test";
import assert from "node:assert/strict";
import { createHook } from "node:async_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { keepTickEntryShape } from "../../src/server/tick-shape.js";
import { sameHiddenClass } from "../helpers/hidden-class.js";

// node --test runs each file in a process of its own: the entry kept here is this file's.
const entry = keepTickEntryShape()!;

/** A nextTick entry made now, caught as keepTickEntryShape catches its own. */
function freshEntry(): object {
  let caught: object | undefined;
  const hook = createHook({
    init(_asyncId, type, _triggerAsyncId, resource) {
      if (type === "TickObject") caught ??= resource;
    },
  });
  hook.enable();
  process.nextTick(() => {});
  hook.disable();
  return caught!;
}

/** V8's full garbage collection, made callable here (`gc` of a context made after --expose-gc is set). */
function fullCollection(): () => void {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

const ranOnce = () => new Promise((resolve) => setImmediate(resolve));

test("the kept nextTick entry is Node's own: same keys as a fresh entry, and one per process", async () => {
  await ranOnce();
  const keys = (of: object) => Reflect.ownKeys(of).map(String);
  assert.deepEqual(keys(entry), keys(freshEntry()));
  assert.ok(keys(entry).includes("callback") && keys(entry).some((key) => key.startsWith("Symbol(")));
  assert.equal(keepTickEntryShape(), entry);
  // Once it has run, its ids are fractions: the hidden class it holds has the most general number representation.
  const ids = Object.getOwnPropertySymbols(entry).map((key) => Reflect.get(entry, key) as unknown);
  assert.deepEqual(ids, [0.5, 0.5]);
});

test("entries made after full garbage collections still share the kept entry's hidden class", async () => {
  const collect = fullCollection();
  const sameMap: boolean[] = [];
  for (let round = 0; round < 4; round++) {
    // A macrotask between rounds: no entry but the kept one is alive when the collection runs.
    await ranOnce();
    collect();
    sameMap.push(sameHiddenClass(entry, freshEntry()));
  }
  assert.deepEqual(sameMap, [true, true, true, true]);
});
