import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { keepTickEntryShape } from "../src/server/tick-shape.js";
import { benchOptions } from "./lib/options.js";

/**
 * The cost of one `process.nextTick` after full garbage collections, with and without src/server/tick-shape.ts
 * keeping a queue entry alive: each mode runs in a Node of its own (started with --expose-gc), which times chains of
 * nextTick between forced full collections. Without the kept entry, a nextTick costs several times as much after a
 * few collections, with nothing else running; with it, the cost stays where it started.
 * Usage: node dist/bench/next-tick.js [--collections 8] [--ticks 1000000]
 */
const values = benchOptions({
  collections: { type: "string", default: "8" },
  ticks: { type: "string", default: "1000000" },
  mode: { type: "string" },
});
const collections = Number(values.collections);
const ticks = Number(values.ticks);

/** Nanoseconds per nextTick over a chain of `count`, each tick scheduling the next. */
const timeChain = (count: number) =>
  new Promise<number>((resolve) => {
    let left = count;
    const started = process.hrtime.bigint();
    const step = () => {
      if (--left === 0) resolve(Number(process.hrtime.bigint() - started) / count);
      else process.nextTick(step);
    };
    process.nextTick(step);
  });

/** One mode, in this process: the median ns/tick of the chains after each collection, printed as JSON. */
async function measureHere(keep: boolean) {
  if (keep) keepTickEntryShape();
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error("run with --expose-gc");
  const before = await timeChain(ticks);
  const after: number[] = [];
  for (let i = 0; i < collections; i++) {
    // A macrotask between chains: no entry is left alive when the collection runs.
    await new Promise((resolve) => setImmediate(resolve));
    collect();
    after.push(await timeChain(ticks));
  }
  console.log(JSON.stringify({ before, after }));
}

if (values.mode) await measureHere(values.mode === "keep");
else {
  const script = fileURLToPath(import.meta.url);
  const runMode = (mode: string) => {
    const args = [
      "--expose-gc",
      script,
      "--mode",
      mode,
      "--collections",
      String(collections),
      "--ticks",
      String(ticks),
    ];
    return JSON.parse(execFileSync(process.execPath, args).toString()) as { before: number; after: number[] };
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const figures = { without: runMode("plain"), with: runMode("keep") };
  for (const [label, { before, after }] of Object.entries(figures)) {
    const list = after.map((ns) => ns.toFixed(0)).join(", ");
    console.log(
      `${label.padEnd(8)} the kept entry: ${before.toFixed(0)} ns/tick before; after each collection ${list}`,
    );
  }
  const ratio = median(figures.without.after) / median(figures.with.after);
  console.log(`after the collections (medians): without / with = ${ratio.toFixed(2)}×`);
}
