import { isUpdating, queryEffects, type Query, type QueryEffects } from "./cypher/ast.js";
import { parseQuery } from "./cypher/parser.js";
import { executeQuery, type QueryResult } from "./exec/execute.js";
import { toNeptuneJson } from "./format.js";
import { PropertyGraph } from "./model/graph.js";
import type { Value } from "./model/values.js";
import { GraphErrors } from "./errors.js";
import { parseParameters } from "./parameters.js";
import { SystemClock, type Clock } from "../state/clock.js";
import { heapGuard } from "./memory.js";

/** How many distinct query texts keep their parsed form (applications repeat a few queries with parameters). */
const PARSE_CACHE_SIZE = 512;

/** Neptune's default `neptune_query_timeout` (ms; reference §2.3, from /status settings). */
export const DEFAULT_QUERY_TIMEOUT_MS = 120_000;

/** How many loop steps pass between two looks at the timer and the heap (reading them costs more than a step). */
const STEPS_PER_TIME_CHECK = 1024;

export interface EngineOptions {
  /** The cluster parameter group's `neptune_query_timeout`, in ms. */
  queryTimeoutMs?: number;
  /**
   * Elapsed time for the query timeout, in ms. A query runs synchronously, so the emulator's clock (which only
   * moves between requests) cannot bound it: this is CPU wall time. Tests give a counter here.
   */
  elapsed?: () => number;
  /** The heap size (bytes) past which a running query fails with MemoryLimitExceededException. */
  heapLimitBytes?: number;
}

/**
 * The graph engine of one cluster: openCypher text in, results out, each query one transaction over the
 * graph (it commits whole, or fails and leaves the graph as it was). Knows nothing of HTTP: the data-plane face
 * calls `run` and turns a GraphError into Neptune's error body.
 */
export class GraphEngine {
  readonly #parsed = new Map<string, Query>();

  constructor(
    readonly graph: PropertyGraph = new PropertyGraph(),
    readonly clock: Clock = new SystemClock(),
    readonly options: EngineOptions = {},
  ) {}

  parse(text: string): Query {
    let query = this.#parsed.get(text);
    if (!query) {
      query = withinStack(() => parseQuery(text));
      if (this.#parsed.size >= PARSE_CACHE_SIZE) this.#parsed.delete(this.#parsed.keys().next().value!);
      this.#parsed.set(text, query);
    }
    return query;
  }

  /** Whether the query writes (a reader endpoint refuses it with ReadOnlyViolationException). */
  isReadOnly(text: string): boolean {
    return !isUpdating(this.parse(text));
  }

  /** What the query could do to the graph (IAM database authentication requires an action for each). */
  effects(text: string): QueryEffects {
    return queryEffects(this.parse(text));
  }

  /** Runs one query atomically. Parameters as Neptune sends them (a JSON object in a string) or already as values. */
  execute(text: string, parameters?: string | ReadonlyMap<string, Value>): QueryResult {
    const query = this.parse(text);
    const params =
      typeof parameters === "string" || parameters === undefined ? parseParameters(parameters) : parameters;
    // Every parameter the query names, before any work: a query that would not reach one still needs it.
    const missing = query.parameters.filter((name) => !params.has(name));
    if (missing.length > 0) throw GraphErrors.missingParameters(missing);
    const ctx = { graph: this.graph, params, now: this.clock.now(), tick: this.deadline() };
    return withinStack(() => this.graph.atomically(() => executeQuery(query, ctx)));
  }

  /** A check that fails work on this engine's graph once it has filled the heap (queries, bulk loads). */
  heapGuard(): () => void {
    return heapGuard(this.options.heapLimitBytes);
  }

  /**
   * A tick function that fails the query once it has run longer than the timeout or filled the heap (a Gremlin
   * traversal on this engine's graph is bounded by it too).
   */
  deadline(): () => void {
    const elapsed = this.options.elapsed ?? (() => performance.now());
    const limit = elapsed() + (this.options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS);
    const checkHeap = this.heapGuard();
    let steps = 0;
    return () => {
      if (++steps % STEPS_PER_TIME_CHECK !== 0) return;
      if (elapsed() > limit) throw GraphErrors.timeLimit();
      checkHeap();
    };
  }

  /** Runs one query and answers Neptune's openCypher JSON (`{"results":[…]}`). */
  run(text: string, parameters?: string | ReadonlyMap<string, Value>): string {
    return toNeptuneJson(this.execute(text, parameters));
  }
}

/** Runs recursive work (parsing, evaluating); a stack overflow from a too deeply nested query is its error. */
export function withinStack<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof RangeError && error.message.includes("call stack")) throw GraphErrors.tooDeep();
    throw error;
  }
}
