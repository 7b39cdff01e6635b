/**
 * Ids ordered by an expiry time (a binary min-heap): the earliest comes out first in O(log n), so pruning what
 * has expired costs in proportion to what is pruned, never a scan of everything held.
 */
export class ExpiryQueue {
  readonly #heap: { id: string; at: number }[] = [];

  get size(): number {
    return this.#heap.length;
  }

  push(id: string, at: number): void {
    const heap = this.#heap;
    heap.push({ id, at });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.at <= heap[i]!.at) break;
      [heap[parent], heap[i]] = [heap[i]!, heap[parent]!];
      i = parent;
    }
  }

  /** The earliest entry's time, or undefined when empty. */
  peek(): number | undefined {
    return this.#heap[0]?.at;
  }

  /** Removes and returns the earliest entry's id. */
  pop(): string | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top?.id;
    heap[0] = last;
    for (let i = 0; ;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < heap.length && heap[left]!.at < heap[least]!.at) least = left;
      if (right < heap.length && heap[right]!.at < heap[least]!.at) least = right;
      if (least === i) break;
      [heap[least], heap[i]] = [heap[i]!, heap[least]!];
      i = least;
    }
    return top.id;
  }
}
