import type { OpenTransaction, OpenTransactions } from "../domain/neptune/data-plane/open-transactions.js";
import type { GraphSession } from "../domain/neptune/data-plane/session.js";
import type { PropertyGraph } from "../graph/model/graph.js";
import { GremlinErrors } from "../gremlin/errors.js";
import type { BytecodeArg, GValue } from "../gremlin/values.js";

/** A traversal, ready to run on a graph in a transaction (`transact` or `transactIn`). */
export type Traverse = (graph: PropertyGraph, tick: () => void) => GValue[];

/** How a request runs once its GraphSession is open: sessionless, in its own transaction; or in a session's. */
export type RunIn = (session: GraphSession, traverse: Traverse) => GValue[];

export const sessionless: RunIn = (session, traverse) => session.transact(traverse);

/**
 * The Gremlin sessions of one WebSocket (reference §3.2: processor `session`, a `session` argument; `g.tx()` sends
 * its traversals so, then bytecode `[["tx","commit"]]` or `[["tx","rollback"]]`, then op `close`). Each session
 * holds one transaction across its requests (src/domain/neptune/data-plane/open-transactions.ts), begun by its
 * first request, ended by commit or rollback, or rolled back: when a request in it fails (Neptune rolls the
 * session's transaction back; the next request begins a new one, as TinkerPop's do), when it times out, on
 * `close`, and when the socket closes.
 */
export class SocketSessions {
  readonly #open = new Map<string, OpenTransaction>();

  constructor(readonly transactions: OpenTransactions) {}

  /** How a bytecode request of session `id` runs: commit, rollback, or a traversal in its transaction. */
  runIn(id: string, bytecode: BytecodeArg): RunIn {
    const control = txControl(bytecode);
    return (session, traverse) => {
      const tx = this.#open.get(id);
      if (control) {
        this.#open.delete(id);
        // A commit or rollback with no transaction open ends nothing (TinkerPop's: a no-op).
        if (tx && control === "commit") session.commit(tx);
        else if (tx) session.rollback(tx);
        return [];
      }
      // One that timed out is still here (and tells so): only its own request may say it is gone.
      const current = tx ?? session.begin();
      this.#open.set(id, current);
      try {
        return session.transactIn(current, traverse);
      } catch (error) {
        this.#open.delete(id);
        throw error;
      }
    };
  }

  /**
   * Op `close`: the session ends, and an open transaction with it, rolled back. *Decided*: TinkerPop's
   * `Transaction` rolls back on close (its default), and the `gremlin` client commits or rolls back before it
   * closes; Neptune's script sessions (op `eval`) commit on close instead (docs access-graph-gremlin-sessions.html),
   * which the eval path must do before this.
   */
  close(id: string): void {
    const tx = this.#open.get(id);
    if (tx) this.transactions.end(tx);
    this.#open.delete(id);
  }

  /** The socket closed: every open transaction of it rolled back. */
  closeAll(): void {
    for (const id of [...this.#open.keys()]) this.close(id);
  }
}

/** `[["tx","commit"]]` or `[["tx","rollback"]]`: the transaction control of `g.tx()`; undefined for a traversal. */
function txControl(bytecode: BytecodeArg): "commit" | "rollback" | undefined {
  const tx = bytecode.source.find((s) => s.name === "tx");
  if (!tx) return undefined;
  const op = tx.args[0];
  if ((op !== "commit" && op !== "rollback") || bytecode.source.length !== 1 || bytecode.step.length > 0)
    throw GremlinErrors.badArgument(`Unsupported transaction operation: tx(${tx.args.map(String).join(", ")})`);
  return op;
}
