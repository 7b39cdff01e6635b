import type { Store } from "../../../state/store.js";

/**
 * Where each cluster's and instance's data plane listens on this machine. AWS gives every endpoint a DNS name on
 * port 8182; locally one address serves them all, so each cluster (its writer endpoint, and its reader endpoint
 * on a second loopback address) and each instance gets a port of its own from a configured range. The port is
 * stored with its owner, so it is the same after a restart.
 */

/**
 * Custom endpoints per cluster: Neptune's quota "Custom endpoints for each DB cluster: 5" (Neptune limits). Kept
 * here, with the addresses it sizes, so that `serve` picks them without loading the endpoints' rules (bench/scale.ts).
 */
export const CUSTOM_ENDPOINT_QUOTA = 5;

export interface DataPlaneConfig {
  /** The address endpoints name and listeners bind: `--data-plane-host`, else the address `serve` listens on. */
  host: string;
  /**
   * The address of clusters' reader endpoints, on the cluster's port. *Decided*: the API gives a cluster one Port
   * for its writer and reader endpoints, so the reader endpoint differs by address: the next loopback address
   * (127.0.0.2 for 127.0.0.1, which Linux routes without configuration). Where no second address can be bound
   * it equals `host`, and the reader endpoint then reaches the writer, as AWS's does for a cluster without readers.
   */
  readerHost: string;
  /**
   * The addresses of custom cluster endpoints, on their cluster's port: one per slot of the cluster's five
   * (cluster-endpoints.ts keeps each endpoint's slot). *Decided*: the loopback addresses after the reader host
   * (127.0.0.3-127.0.0.7 for 127.0.0.1), so that an endpoint differs from its cluster's others by address, as the
   * reader endpoint does, and five aliases suffice where addresses must be added by hand (macOS). Where they cannot
   * be bound they equal `host`, and custom endpoints reach the writer.
   */
  customHosts: readonly string[];
  /** The range ports are taken from, inclusive (Neptune's port is 8182, so the range starts there by default). */
  firstPort: number;
  lastPort: number;
  /**
   * `trident serve --no-data-plane`: the control plane only. No port is taken and nothing listens; endpoints show
   * AWS's names and port (endpoint-ports.ts, endpoints.ts), so clusters are not bounded by the range.
   */
  off?: boolean;
}

export const DEFAULT_DATA_PLANE: DataPlaneConfig = {
  host: "127.0.0.1",
  readerHost: "127.0.0.2",
  customHosts: ["127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.6", "127.0.0.7"],
  firstPort: 8182,
  lastPort: 8381,
};

/** Who a port serves: a cluster (writer and reader endpoints) or one instance, by resource id. */
export interface PortOwner {
  kind: "cluster" | "instance";
  accountId: string;
  region: string;
  /** DbClusterResourceId or DbiResourceId: stable across renames. */
  resourceId: string;
}

/** A row of the port book: the owner, and the port (also the row's key). */
interface PortRow extends PortOwner {
  port: number;
}

const TABLE = "neptune.dataPlanePorts";
const GLOBAL_SCOPE = "aws-global";

const portTable = (store: Store) => store.table<PortRow>(TABLE, GLOBAL_SCOPE, GLOBAL_SCOPE);

/** The port book: which port belongs to whom. `version` moves on every change, so listeners know when to look. */
export class DataPlanePorts {
  #version = 0;

  constructor(readonly config: DataPlaneConfig = DEFAULT_DATA_PLANE) {}

  /** Changes whenever a port is taken or given back (also by work later rolled back: a spurious look is harmless). */
  get version(): number {
    return this.#version;
  }

  /**
   * A port for `owner`: `wanted` when it is in the range and free (*decided*: a Port asked for in CreateDBCluster
   * is honoured only then), else the lowest free port of the range. A full range is refused by the caller's rule.
   */
  allocate(store: Store, owner: PortOwner, wanted?: number): number | undefined {
    const table = portTable(store);
    const { firstPort, lastPort } = this.config;
    const free = (port: number) => port >= firstPort && port <= lastPort && !table.has(String(port));
    let port = wanted !== undefined && free(wanted) ? wanted : undefined;
    for (let candidate = firstPort; port === undefined && candidate <= lastPort; candidate++)
      if (free(candidate)) port = candidate;
    if (port === undefined) return undefined;
    table.put(String(port), { ...owner, port });
    this.#version++;
    return port;
  }

  /** What listens on a cluster's port changed without the book (a custom endpoint came or went): look again. */
  touch(): void {
    this.#version++;
  }

  release(store: Store, port: number | undefined): void {
    if (port === undefined) return;
    if (portTable(store).delete(String(port))) this.#version++;
  }

  ownerOf(store: Store, port: number): PortOwner | undefined {
    return portTable(store).get(String(port));
  }

  /** Every allocated port and its owner (for the listeners; bounded by the range's size). */
  allocated(store: Store): { port: number; owner: PortOwner }[] {
    // Only read (the listeners follow the book): untracked, so a sync after each create costs no re-encoding and
    // restoring of every row of the book (Table.peekValues).
    return portTable(store)
      .peekValues()
      .map(({ port, ...owner }) => ({ port, owner }));
  }
}
