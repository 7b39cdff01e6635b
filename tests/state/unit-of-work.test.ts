import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDurableStore } from "../../src/state/durable-store.js";
import { MemoryStore, type Store } from "../../src/state/store.js";

interface Row {
  n: number;
  tags: string[];
  at?: Date;
}

const A = "111111111111";
const REGION = "us-east-1";
const rows = (store: Store) => store.table<Row>("neptune.clusters", A, REGION);
const keep = () => true;
const drop = () => false;

/** Each case runs on memory and on a data directory (reopened to read what reached the disk). */
const modes: { name: string; open: () => { store: Store; reopen: () => Store } }[] = [
  {
    name: "memory",
    open: () => {
      const store = new MemoryStore();
      return { store, reopen: () => store };
    },
  },
  {
    name: "data directory",
    open: () => {
      const dir = mkdtempSync(join(tmpdir(), "trident-uow-"));
      const store = openDurableStore(dir, {});
      return {
        store,
        reopen: () => {
          store.close();
          return openDurableStore(dir, {});
        },
      };
    },
  },
];

for (const mode of modes) {
  describe(`the unit of work (${mode.name})`, () => {
    test("a record changed in place after get() or values() is committed, with no put", async () => {
      const { store, reopen } = mode.open();
      const others = (view: Store) => view.table<Row>("neptune.instances", A, REGION);
      rows(store).put("c1", { n: 1, tags: [] });
      others(store).put("i1", { n: 1, tags: [] });
      await store.transact(async () => void rows(store).get("c1")!.tags.push("a"), keep);
      await store.transact(async () => void (others(store).values()[0]!.at = new Date(0)), keep);
      const after = reopen();
      assert.deepEqual(rows(after).get("c1"), { n: 1, tags: ["a"] });
      assert.deepEqual(others(after).get("i1"), { n: 1, tags: [], at: new Date(0) });
      after.close();
    });

    test("a failed unit changes nothing: in-place edits, puts, deletes and clears are all undone", async () => {
      const { store, reopen } = mode.open();
      rows(store).put("c1", { n: 1, tags: ["x"] });
      rows(store).put("c2", { n: 2, tags: [] });
      const seen = rows(store).get("c1");
      const result = await store.transact(async () => {
        rows(store).get("c1")!.n = 99;
        rows(store).put("c3", { n: 3, tags: [] });
        rows(store).delete("c2");
        store.clear((table) => table === "neptune.clusters");
        return "refused";
      }, drop);
      assert.equal(result, "refused");
      await assert.rejects(
        store.transact(async () => {
          rows(store).get("c1")!.tags.push("y");
          throw new Error("handler failed");
        }, keep),
        /handler failed/,
      );
      for (const view of [store, reopen()]) {
        assert.deepEqual(rows(view).get("c1"), { n: 1, tags: ["x"] });
        assert.deepEqual(rows(view).get("c2"), { n: 2, tags: [] });
        assert.equal(rows(view).has("c3"), false);
      }
      // The restored row is a fresh copy: the object the failed unit changed is no longer the row.
      assert.notEqual(rows(store).get("c1"), seen);
    });

    test("units of work run one at a time, in order, even when they await", async () => {
      const { store } = mode.open();
      rows(store).put("c", { n: 0, tags: [] });
      const order: string[] = [];
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const first = store.transact(async () => {
        order.push("first starts");
        rows(store).get("c")!.n = 1;
        await gate;
        order.push("first ends");
      }, drop);
      const second = store.transact(async () => {
        order.push(`second sees ${rows(store).get("c")!.n}`);
      }, keep);
      release();
      await Promise.all([first, second]);
      assert.deepEqual(order, ["first starts", "first ends", "second sees 0"]);
      store.close();
    });
  });
}

test("a row changed in place moves its table's generation on when the unit commits, not only when handed out", async () => {
  const store = new MemoryStore();
  rows(store).put("a", { n: 1, tags: [] });
  let seen = NaN;
  await store.transact(async () => {
    const row = rows(store).get("a")!;
    // Something derived from the table read it after the row was handed out: then the row changes in place.
    seen = rows(store).generation;
    row.n = 2;
  }, keep);
  assert.notEqual(rows(store).generation, seen);
  assert.equal(rows(store).peek("a")!.n, 2);

  // A unit that hands a row out and changes nothing leaves the generation as the hand-out left it.
  await store.transact(async () => {
    rows(store).get("a");
    seen = rows(store).generation;
  }, keep);
  assert.equal(rows(store).generation, seen);
});

describe("transactNow: the request path's unit of work", () => {
  test("a unit that runs at once and has nothing to write gives its result itself, not a promise", () => {
    const store = new MemoryStore();
    rows(store).put("c", { n: 1, tags: [] });
    const read = store.transactNow(() => rows(store).get("c")!.n, keep);
    assert.equal(read, 1);
    const changed = store.transactNow(() => (rows(store).get("c")!.n = 2), keep);
    assert.equal(changed, 2, "in memory, a change is committed before transactNow returns");
    assert.equal(rows(store).peek("c")!.n, 2);
    const refused = store.transactNow(() => ((rows(store).get("c")!.n = 3), "refused"), drop);
    assert.equal(refused, "refused");
    assert.equal(rows(store).peek("c")!.n, 2, "a unit not kept is put back before transactNow returns");
  });

  test("a change to a data directory is a promise that settles once the change is on disk", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trident-uow-now-"));
    const store = openDurableStore(dir, {});
    rows(store).put("c", { n: 1, tags: [] });
    assert.equal(
      store.transactNow(() => rows(store).peek("c")!.n, keep),
      1,
      "a read writes nothing: no wait",
    );
    const changed = store.transactNow(() => void rows(store).put("c", { n: 2, tags: [] }), keep);
    assert.ok(changed instanceof Promise);
    await changed;
    store.close();
    const reopened = openDurableStore(dir, {});
    assert.equal(rows(reopened).peek("c")!.n, 2);
    reopened.close();
  });

  test("a unit behind another one, or whose work waits, is a promise; a failure is always a rejection", async () => {
    const store = new MemoryStore();
    rows(store).put("c", { n: 1, tags: [] });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const waiting = store.transactNow(() => gate.then(() => "first"), keep);
    assert.ok(waiting instanceof Promise);
    const behind = store.transactNow(() => rows(store).peek("c")!.n, keep);
    assert.ok(behind instanceof Promise, "its turn comes after the first unit's");
    release();
    assert.deepEqual(await Promise.all([waiting, behind]), ["first", 1]);

    const failed = store.transactNow(() => {
      rows(store).get("c")!.n = 9;
      throw new Error("handler failed");
    }, keep);
    assert.ok(failed instanceof Promise);
    await assert.rejects(failed, /handler failed/);
    assert.equal(rows(store).peek("c")!.n, 1);
  });
});
