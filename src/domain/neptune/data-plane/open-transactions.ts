import { GraphError } from "../../../graph/errors.js";
import type { Change } from "../../../graph/storage/changes.js";

/**
 * Neptune: "the longest time Neptune can keep a script-based session open is 10 minutes. If you don't close a
 * session before that, the session times out and everything in it is rolled back" (docs
 * access-graph-gremlin-sessions.html; reference §3.2). Bytecode sessions (`g.tx()`) are held to the same limit.
 */
export const SESSION_LIFETIME_MS = 10 * 60 * 1000;

/**
 * A transaction held open across requests (a Gremlin session's, `g.tx()`): the changes it made so far, which the
 * graph does not hold (it holds committed changes only), and the elements they touch, which it holds locked
 * until it ends.
 */
export class OpenTransaction {
  /** Every change since it began, in order: replayed at each of its requests and at its commit. */
  changes: Change[] = [];
  /** The elements its changes touch (`node:ID`, `relationship:ID`). */
  readonly locked = new Set<string>();
  ended = false;

  constructor(
    readonly clusterResourceId: string,
    readonly openedAt: number,
  ) {}

  expired(now: number): boolean {
    return now - this.openedAt > SESSION_LIFETIME_MS;
  }
}

/**
 * The open transactions of every cluster, and the locks they hold. Neptune: a mutation takes locks on what it
 * touches, a conflicting transaction waits for them and fails with ConcurrentModificationException when its
 * lock wait times out; read-only queries read a snapshot of committed data and never wait (docs
 * transactions-neptune.html, transactions-exceptions.html). *Decided*: Trident runs a request to its end without
 * yielding, so a writer meeting another transaction's lock cannot wait for it: it fails at once with
 * ConcurrentModificationException (Neptune's outcome once the wait runs out) and is rolled back. Reads never
 * meet locks, since uncommitted changes are never in the graph. Time is the clock's: a transaction past the
 * session lifetime is rolled back (dropped, its locks released) when next looked at.
 */
export class OpenTransactions {
  readonly #open = new Map<string, Set<OpenTransaction>>();

  begin(clusterResourceId: string, now: number): OpenTransaction {
    const tx = new OpenTransaction(clusterResourceId, now);
    let open = this.#open.get(clusterResourceId);
    if (!open) this.#open.set(clusterResourceId, (open = new Set()));
    open.add(tx);
    return tx;
  }

  /** Ends the transaction (committed or rolled back): its changes are no longer held, its locks released. */
  end(tx: OpenTransaction): void {
    tx.ended = true;
    tx.changes = [];
    tx.locked.clear();
    const open = this.#open.get(tx.clusterResourceId);
    open?.delete(tx);
    if (open?.size === 0) this.#open.delete(tx.clusterResourceId);
  }

  /**
   * Throws ConcurrentModificationException when `changes` touch an element that another open transaction of the
   * cluster (not `own`) holds locked; else, for `own`, takes the locks on what they touch.
   */
  lock(clusterResourceId: string, changes: readonly Change[], now: number, own?: OpenTransaction): void {
    const others = [...(this.#open.get(clusterResourceId) ?? [])].filter((tx) => {
      if (tx === own) return false;
      if (!tx.expired(now)) return true;
      this.end(tx);
      return false;
    });
    if (others.length === 0 && !own) return; // the common case (no session open): nothing to look at
    const touched = changes.flatMap(touches);
    if (others.length > 0 && touched.some((key) => others.some((tx) => tx.locked.has(key))))
      throw concurrentModification();
    if (own) for (const key of touched) own.locked.add(key);
  }
}

/** The elements a change touches: its own, and a new relationship's two ends. */
function touches(change: Change): string[] {
  switch (change.op) {
    case "setProperty":
    case "removeProperty":
      return [`${change.on}:${change.id}`];
    case "addRelationship":
      return [`relationship:${change.id}`, `node:${change.start}`, `node:${change.end}`];
    case "removeRelationship":
      return [`relationship:${change.id}`];
    default:
      return [`node:${change.id}`];
  }
}

/**
 * Reference §1.4 and §3.2: ConcurrentModificationException, 500, retryable; Neptune's message (observed) begins
 * "Failed to complete Insert operation … Please retry."; the text here is Trident's.
 */
export const concurrentModification = () =>
  new GraphError(
    "ConcurrentModificationException",
    "Failed to complete the operation: an element it changes is locked by another open transaction. Please retry.",
    500,
  );
