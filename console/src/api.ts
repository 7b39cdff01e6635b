import type { MigrationSummary, MigrationView, StateResponse } from "./types.js";

/**
 * The page's one way to the server: GETs of the console's read API, refreshed when the server-sent events say
 * that something changed, and by a short poll (statuses such as `creating` → `available` follow the clock, not a
 * write; and when the event stream is down, the poll is all there is).
 */
export const API = "/_trident/console/api";

export type Liveness = "connecting" | "live" | "polling";

export interface Snapshot {
  state?: StateResponse;
  migrations: MigrationSummary[];
  migration?: MigrationView;
  error?: string;
  liveness: Liveness;
  updatedAt?: Date;
}

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(`${API}/${path}`, { headers: { accept: "application/json" }, cache: "no-store" });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

/** How often the page reads again by itself: often while the event stream is down, less while it is live. */
const POLL_MS = { live: 5000, polling: 2000 } as const;

export class LiveData {
  #snapshot: Snapshot = { migrations: [], liveness: "connecting" };
  #migrationId: string | undefined;
  #listeners = new Set<(snapshot: Snapshot) => void>();
  #loading = false;
  #again = false;
  #timer: ReturnType<typeof setTimeout> | undefined;

  get snapshot(): Snapshot {
    return this.#snapshot;
  }

  subscribe(listener: (snapshot: Snapshot) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Which migration the page shows (its timeline is read along with the rest). */
  selectMigration(id: string | undefined): void {
    if (id === this.#migrationId) return;
    this.#migrationId = id;
    this.#set({ migration: undefined });
    void this.refresh();
  }

  start(): void {
    const events = new EventSource(`${API}/events`);
    events.addEventListener("hello", () => {
      this.#set({ liveness: "live" });
      void this.refresh();
    });
    events.addEventListener("change", () => void this.refresh());
    // EventSource reconnects by itself (the server's `retry`); meanwhile the poll carries on, faster.
    events.addEventListener("error", () => this.#set({ liveness: "polling" }));
    void this.refresh();
  }

  /** Reads everything again; a change announced while a read is under way starts another right after it. */
  async refresh(): Promise<void> {
    if (this.#loading) {
      this.#again = true;
      return;
    }
    this.#loading = true;
    clearTimeout(this.#timer);
    try {
      const id = this.#migrationId;
      const [state, list, migration] = await Promise.all([
        getJson<StateResponse>("state"),
        getJson<{ migrations: MigrationSummary[] }>("migrations"),
        id ? getJson<MigrationView>(`migrations/${encodeURIComponent(id)}`).catch(() => undefined) : undefined,
      ]);
      this.#set({ state, migrations: list.migrations, migration, error: undefined, updatedAt: new Date() });
    } catch (error) {
      this.#set({ error: (error as Error).message, liveness: "polling" });
    } finally {
      this.#loading = false;
      this.#timer = setTimeout(
        () => void this.refresh(),
        POLL_MS[this.#snapshot.liveness === "live" ? "live" : "polling"],
      );
      if (this.#again) {
        this.#again = false;
        void this.refresh();
      }
    }
  }

  #set(change: Partial<Snapshot>): void {
    this.#snapshot = { ...this.#snapshot, ...change };
    for (const listener of this.#listeners) listener(this.#snapshot);
  }
}
