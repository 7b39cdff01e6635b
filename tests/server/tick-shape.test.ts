import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";

const TICK_SHAPE = new URL("../../src/server/tick-shape.js", import.meta.url).href;

/**
 * Runs `body` as an ES module in a Node of its own, with V8's natives syntax (%HaveSameMap) and gc() available, and
 * returns what it printed as JSON. `entry` is what keepTickEntryShape returned; `freshEntry()` catches a nextTick
 * entry made now.
 */
function inOwnNode(body: string): unknown {
  const source = `
    import { createHook } from "node:async_hooks";
    import { keepTickEntryShape } from ${JSON.stringify(TICK_SHAPE)};
    const entry = keepTickEntryShape();
    const freshEntry = () => {
      let caught;
      const hook = createHook({ init(id, type, trigger, resource) { if (type === "TickObject") caught ??= resource; } });
      hook.enable();
      process.nextTick(() => {});
      hook.disable();
      return caught;
    };
    ${body}`;
  const args = ["--allow-natives-syntax", "--expose-gc", "--input-type=module", "-e", source];
  return JSON.parse(execFileSync(process.execPath, args).toString());
}

test("the kept nextTick entry is Node's own: same keys as a fresh entry, and one per process", () => {
  const seen = inOwnNode(`
    await new Promise((resolve) => setImmediate(resolve));
    console.log(JSON.stringify({
      kept: Reflect.ownKeys(entry).map(String),
      fresh: Reflect.ownKeys(freshEntry()).map(String),
      again: keepTickEntryShape() === entry,
      ids: Object.getOwnPropertySymbols(entry).map((key) => entry[key]),
    }));`) as { kept: string[]; fresh: string[]; again: boolean; ids: number[] };
  assert.deepEqual(seen.kept, seen.fresh);
  assert.ok(seen.kept.includes("callback") && seen.kept.some((key) => key.startsWith("Symbol(")), seen.kept.join());
  assert.equal(seen.again, true);
  // Once it has run, its ids are fractions: the hidden class it holds has the most general number representation.
  assert.deepEqual(seen.ids, [0.5, 0.5]);
});

test("entries made after full garbage collections still share the kept entry's hidden class", () => {
  const seen = inOwnNode(`
    const sameMap = [];
    for (let round = 0; round < 4; round++) {
      // A macrotask between rounds: no entry but the kept one is alive when the collection runs.
      await new Promise((resolve) => setImmediate(resolve));
      gc();
      sameMap.push(%HaveSameMap(entry, freshEntry()));
    }
    console.log(JSON.stringify(sameMap));`);
  assert.deepEqual(seen, [true, true, true, true]);
});
