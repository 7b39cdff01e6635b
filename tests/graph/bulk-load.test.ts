import assert from "node:assert/strict";
import { test } from "node:test";
import { getHeapStatistics } from "node:v8";
import { GraphError } from "../../src/graph/errors.js";
import { bulkLoad, type LoadOptions } from "../../src/graph/load/bulk-load.js";
import { heapGuard } from "../../src/graph/memory.js";
import { PropertyGraph } from "../../src/graph/model/graph.js";

const OPTIONS: LoadOptions = {
  format: "csv",
  failOnError: true,
  allowEmptyStrings: false,
  updateSingleCardinalityProperties: false,
  userProvidedEdgeIds: true,
};

const vertices = (n: number) => {
  const lines = ["~id,~label,name:String,rank:Int"];
  for (let i = 0; i < n; i++) lines.push(`m${i},Thing,name-${i},${i}`);
  return [{ uri: "vertices.csv", text: lines.join("\n") }];
};

test("a bulk load that fills the heap fails with MemoryLimitExceededException (500), and leaves nothing", () => {
  const graph = new PropertyGraph();
  graph.onCommit = () => {};
  // A limit just above today's heap: a load that grows it by a quarter of the limit is stopped.
  const checkHeap = heapGuard(getHeapStatistics().used_heap_size + 1);
  assert.throws(
    () => graph.atomically(() => bulkLoad(graph, vertices(200_000), { ...OPTIONS, checkHeap })),
    (error: unknown) =>
      error instanceof GraphError &&
      error.code === "MemoryLimitExceededException" &&
      error.status === 500 &&
      error.message === "Operation terminated (out of memory)",
  );
  assert.equal(graph.nodes.size, 0);
  // Under the default limit the same load goes through.
  const result = graph.atomically(() => bulkLoad(graph, vertices(200_000), { ...OPTIONS, checkHeap: heapGuard() }));
  assert.deepEqual(
    result.feeds.map((f) => [f.status, f.totalRecords]),
    [["LOAD_COMPLETED", 200_000]],
  );
  assert.equal(graph.nodes.size, 200_000);
});
