import type { Store } from "../../../state/store.js";
import { endpointAddress } from "../cluster-endpoints.js";
import { clusterEndpointTable, type ClusterEndpointRecord } from "../records.js";
import type { Arrival } from "./endpoint-routing.js";
import type { DataPlanePorts, PortOwner } from "./ports.js";

/** One socket of the data plane: an address and port, what it serves, and how requests on it are routed. */
export interface ListeningAddress {
  port: number;
  address: string;
  arrival: Arrival;
  owner: PortOwner;
}

/**
 * Every `address:port` the data plane listens on, derived from the port book: each port on the host; a cluster's
 * port also on the reader host, and on the address of each of its custom endpoints. An address that fell back to
 * the host (addresses.ts) adds nothing: the host's listener already serves the port (as the writer).
 * Read without tracking (the listeners only follow), inside a unit of work of the caller's.
 */
export function listeningAddresses(store: Store, ports: DataPlanePorts): Map<string, ListeningAddress> {
  const { config } = ports;
  const wanted = new Map<string, ListeningAddress>();
  const add = (address: string, port: number, arrival: Arrival, owner: PortOwner) => {
    const key = `${address}:${port}`;
    if (!wanted.has(key)) wanted.set(key, { port, address, arrival, owner });
  };
  const endpoints = new EndpointsByCluster(store);
  for (const { port, owner } of ports.allocated(store)) {
    add(config.host, port, "host", owner);
    if (owner.kind !== "cluster") continue;
    add(config.readerHost, port, "readerHost", owner);
    for (const endpoint of endpoints.of(owner))
      if (endpoint.slot !== undefined) add(endpointAddress(config, endpoint), port, { slot: endpoint.slot }, owner);
  }
  return wanted;
}

/** The custom endpoints of clusters, each (account, region)'s table read once. */
class EndpointsByCluster {
  readonly #places = new Map<string, Map<string, Readonly<ClusterEndpointRecord>[]>>();

  constructor(readonly store: Store) {}

  of(owner: PortOwner): readonly Readonly<ClusterEndpointRecord>[] {
    const place = `${owner.accountId}/${owner.region}`;
    let byCluster = this.#places.get(place);
    if (!byCluster) {
      byCluster = new Map();
      const { store } = this;
      for (const endpoint of clusterEndpointTable({
        store,
        accountId: owner.accountId,
        region: owner.region,
      }).peekValues()) {
        const list = byCluster.get(endpoint.clusterResourceId) ?? [];
        byCluster.set(endpoint.clusterResourceId, [...list, endpoint]);
      }
      this.#places.set(place, byCluster);
    }
    return byCluster.get(owner.resourceId) ?? [];
  }
}
