import { GraphEngine } from "../../../graph/engine.js";
import type { Clock } from "../../../state/clock.js";

/**
 * The live graph of each cluster, by DbClusterResourceId (stable across renames), opened on first use.
 * In memory only for now: persistence, encryption with the cluster's data key and snapshots come next.
 */
export class ClusterGraphs {
  readonly #engines = new Map<string, GraphEngine>();

  constructor(readonly clock: Clock) {}

  /** The cluster's engine, with the query timeout of its parameter group. */
  engine(resourceId: string, queryTimeoutMs: number): GraphEngine {
    let engine = this.#engines.get(resourceId);
    if (!engine || engine.options.queryTimeoutMs !== queryTimeoutMs) {
      engine = new GraphEngine(engine?.graph, this.clock, { queryTimeoutMs });
      this.#engines.set(resourceId, engine);
    }
    return engine;
  }

  /** Empties the cluster's graph (fast reset). */
  reset(resourceId: string): void {
    this.#engines.delete(resourceId);
  }

  /** Forgets a deleted cluster's graph. */
  drop(resourceId: string): void {
    this.#engines.delete(resourceId);
  }
}
