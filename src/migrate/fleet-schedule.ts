/**
 * Bounded parallelism for a fleet: a pool that runs at most `limit` workers at once, in the items' order, and a
 * counting semaphore for a quota shared by the running workers (AWS's copies in progress per account). Both are
 * plain promises: no timers, so tests on a manual clock never wait.
 */

/** Runs `worker` on every item, at most `limit` at once; a worker's rejection is the worker's to catch. */
export async function runBounded<T>(items: T[], limit: number, worker: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await worker(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
}

/** `size` slots; `hold` waits for one, runs the body, and gives the slot back however the body ends. */
export class Slots {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(readonly size: number) {
    this.#free = size;
  }

  /** `onQueued` is called when the body has to wait for a slot (to say so). */
  async hold<T>(body: () => Promise<T>, onQueued?: () => void): Promise<T> {
    if (this.#free > 0) this.#free -= 1;
    else {
      onQueued?.();
      // The slot is handed over by `release`, never returned to the pool in between: no one can overtake.
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
    try {
      return await body();
    } finally {
      this.#release();
    }
  }

  #release(): void {
    const waiter = this.#waiting.shift();
    if (waiter) waiter();
    else this.#free += 1;
  }
}
