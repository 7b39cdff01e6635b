import type { Emulator } from "../emulator.js";
import type { DataPlaneListeners, DataPlaneOptions } from "./listeners.js";
import { loadEmulatorParts } from "../emulator-parts.js";

/**
 * The data plane's sockets as the server holds them: DataPlaneListeners (and with it the graph engines, Gremlin,
 * the bulk loader: most of the data plane's code) is loaded when the port book first holds a port, not at start,
 * so a server whose clusters have not been created yet starts sooner and holds less memory (bench/scale.ts). With
 * the data plane off (`--no-data-plane`) it is never loaded and nothing listens.
 */
export class OnDemandDataPlane {
  readonly #emulator: Emulator;
  readonly #options: DataPlaneOptions;
  #listeners: Promise<DataPlaneListeners> | undefined;
  /** The listeners once loaded. */
  #loaded: DataPlaneListeners | undefined;
  /** The book's version when it was last seen empty: nothing to load until it moves (or a forced look). */
  #emptyAt = -1;
  #stopped = false;

  constructor(emulator: Emulator, options: DataPlaneOptions = {}) {
    this.#emulator = emulator;
    this.#options = { ...options };
  }

  /**
   * DataPlaneListeners.sync, once there is a port to listen on. Asked after every control-plane request: nothing to
   * wait for (no promise) when the listeners are loaded and up to date, or the book is still empty.
   */
  sync(force = false): Promise<void> | undefined {
    const { ports } = this.#emulator.dataPlane;
    if (ports.config.off || this.#stopped) return undefined;
    if (this.#loaded) return this.#loaded.sync(force);
    if (!force && ports.version === this.#emptyAt) return undefined;
    return this.#loadAndSync(force);
  }

  async #loadAndSync(force: boolean): Promise<void> {
    const { ports, store } = this.#emulator.dataPlane;
    if (!this.#listeners) {
      this.#emptyAt = ports.version;
      // Read as a unit of work of its own (changing nothing), as the listeners read the book.
      const empty = await store.transact(
        async () => ports.allocated(store).length === 0,
        () => false,
      );
      if (empty || this.#stopped) return;
      // Sessions open the clusters' graphs and keys through the emulator's parts (emulator-parts.ts).
      this.#listeners ??= Promise.all([import("./listeners.js"), loadEmulatorParts()]).then(
        ([{ DataPlaneListeners }]) => {
          this.#loaded = new DataPlaneListeners(this.#emulator, this.#options);
          return this.#loaded;
        },
      );
    }
    const listeners = await this.#listeners;
    if (!this.#stopped) await listeners.sync(force);
  }

  /** How many times the listeners read the port book (DataPlaneListeners.bookReads; none before they load). */
  get bookReads(): number {
    return this.#loaded?.bookReads ?? 0;
  }

  /** The `address:port` keys listening now (for the health view and tests). */
  listening(): string[] {
    return this.#loaded?.listening() ?? [];
  }

  /** DataPlaneListeners.useCertificate; kept for the listeners made later. */
  useCertificate(tls: { key: string; cert: string }): void {
    this.#options.tls = tls;
    this.#loaded?.useCertificate(tls);
  }

  async close(): Promise<void> {
    this.#stopped = true;
    await (await this.#listeners)?.close();
  }

  async drain(timeoutMs: number): Promise<"drained" | "timed-out"> {
    this.#stopped = true;
    return (await (await this.#listeners)?.drain(timeoutMs)) ?? "drained";
  }
}
