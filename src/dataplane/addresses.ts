import { createServer, isIPv4 } from "node:net";

/**
 * Where the data plane listens, decided once at `serve` start, before any request (DescribeDBClusters names these
 * addresses). The host is `--data-plane-host`, else the address `serve` listens on, or 127.0.0.1 when that is a
 * wildcard (an endpoint must name one address a client can reach). Reader endpoints listen on the next loopback
 * address (127.0.0.2 for 127.0.0.1; Linux routes all of 127/8 without configuration); where it cannot be bound
 * (macOS has only 127.0.0.1 unless aliased) or the host is not a loopback address, the reader host is the host
 * itself, and a cluster's reader endpoint reaches its writer.
 */
export interface DataPlaneAddresses {
  host: string;
  readerHost: string;
  /** Why the reader host fell back to the host, when it did (the banner says it). */
  fallback?: string;
}

const WILDCARDS = new Set(["0.0.0.0", "::", "[::]", "::0"]);

export function dataPlaneHost(serveHost: string, explicit?: string): string {
  if (explicit !== undefined) return explicit;
  return WILDCARDS.has(serveHost) ? "127.0.0.1" : serveHost;
}

/** The loopback address after `host` (127.a.b.c → 127.a.b.c+1), if there is one. */
function nextLoopback(host: string): string | undefined {
  if (!isIPv4(host)) return undefined;
  const parts = host.split(".").map(Number);
  if (parts[0] !== 127 || parts[3]! >= 254) return undefined;
  return `${parts[0]}.${parts[1]}.${parts[2]}.${parts[3]! + 1}`;
}

/** Whether this machine can listen on `address` (a free port is taken and given back at once). */
function canBind(address: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    probe.listen(0, address, () => probe.close(() => resolve(undefined)));
  });
}

/** The addresses, or an Error naming a data-plane host this machine cannot listen on. */
export async function resolveDataPlaneAddresses(serveHost: string, explicit?: string): Promise<DataPlaneAddresses> {
  const host = dataPlaneHost(serveHost, explicit);
  // A host taken from --host is checked when the control plane listens on it, in --host's words.
  const unusable = explicit === undefined ? undefined : await canBind(host);
  if (unusable !== undefined) throw new Error(`cannot listen on --data-plane-host ${host}: ${unusable}`);
  const reader = nextLoopback(host);
  if (!reader) return { host, readerHost: host };
  const problem = await canBind(reader);
  if (problem === undefined) return { host, readerHost: reader };
  return {
    host,
    readerHost: host,
    fallback: `cannot listen on ${reader} (${problem}): reader endpoints share ${host} and reach the writer`,
  };
}
