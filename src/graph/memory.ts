import { getHeapStatistics } from "node:v8";
import { GraphErrors } from "./errors.js";

/**
 * The heap a query or a bulk load may drive the process to before it is stopped: 80% of V8's limit. Work that
 * builds its rows in memory would otherwise take the whole server down; stopped, its rows are garbage and its
 * writes are undone.
 */
export const DEFAULT_HEAP_LIMIT_BYTES = Math.floor(getHeapStatistics().heap_size_limit * 0.8);

/**
 * A check that fails the work (MemoryLimitExceededException) once the heap is past `limit`. The heap may still
 * hold earlier work's garbage: only work that itself grew it by a good part of the limit is stopped, so a
 * collection V8 has not run yet fails nobody. Reading the heap costs more than a step: callers check every so
 * many steps.
 */
export function heapGuard(limit = DEFAULT_HEAP_LIMIT_BYTES): () => void {
  const grownFrom = getHeapStatistics().used_heap_size + limit / 4;
  return () => {
    const used = getHeapStatistics().used_heap_size;
    if (used > limit && used > grownFrom) throw GraphErrors.memoryLimit();
  };
}
