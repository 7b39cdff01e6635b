import type { RowChange, Store } from "../state/store.js";

/**
 * The console's live feed: what changed, as server-sent events, fed by the store's commits (and by the runs the
 * console watches). An event names only the kinds of state that changed (`neptune`, `kms`, `iam`, `migrations`),
 * never a row: the page then reads the read API again. Commits of one turn of the event loop are sent as one event.
 */

/** One open event stream: the response it writes to. */
export interface FeedStream {
  write(text: string): void;
  end(): void;
}

/** How long a page's EventSource waits before reconnecting when the stream ends (the SSE `retry` field). */
export const RECONNECT_MS = 2000;

/** The state the console shows, by table prefix; the graph's own tables change with every query and show nothing here. */
function topicOf(table: string): string | undefined {
  if (table.startsWith("neptune.graph") || table === "neptune.dataPlanePorts") return undefined;
  const service = table.slice(0, table.indexOf("."));
  return service === "neptune" || service === "kms" || service === "iam" ? service : undefined;
}

export class ChangeFeed {
  readonly #streams = new Set<FeedStream>();
  #pending: Set<string> | undefined;
  #sequence = 0;

  constructor(store: Store) {
    store.onCommit((changes: readonly RowChange[]) =>
      this.announce(changes.map((change) => topicOf(change.table)).filter((t) => t !== undefined)),
    );
  }

  /** How many pages are listening (tests, health of the feed). */
  get listeners(): number {
    return this.#streams.size;
  }

  /** Starts a stream: says hello at once (so the page knows it is live) and then sends each change. */
  open(stream: FeedStream): () => void {
    this.#streams.add(stream);
    stream.write(`retry: ${RECONNECT_MS}\n${frame("hello", { sequence: this.#sequence })}`);
    return () => this.#streams.delete(stream);
  }

  /** Notes that these kinds of state changed; sent once the current turn of the event loop is over. */
  announce(topics: readonly string[]): void {
    if (topics.length === 0 || this.#streams.size === 0) return;
    if (!this.#pending) {
      this.#pending = new Set();
      setImmediate(() => this.#flush());
    }
    for (const topic of topics) this.#pending.add(topic);
  }

  /** Ends every stream (the server stops; a page reconnects to the next one). */
  closeAll(): void {
    for (const stream of this.#streams) stream.end();
    this.#streams.clear();
  }

  #flush(): void {
    const topics = [...(this.#pending ?? [])].sort();
    this.#pending = undefined;
    const text = frame("change", { sequence: ++this.#sequence, topics });
    for (const stream of this.#streams) stream.write(text);
  }
}

/** One server-sent event. The data is JSON on one line (JSON.stringify escapes every newline). */
export function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
