import { createServer, isIPv4 } from "node:net";
import { CUSTOM_ENDPOINT_QUOTA } from "../domain/neptune/data-plane/ports.js";

/**
 * Where the data plane listens, decided once at `serve` start, before any request (DescribeDBClusters names these
 * addresses). The host is `--data-plane-host`, else the address `serve` listens on, or 127.0.0.1 when that is a
 * wildcard (an endpoint must name one address a client can reach). Reader endpoints listen on the next loopback
 * address (127.0.0.2 for 127.0.0.1; Linux routes all of 127/8 without configuration), custom endpoints on the five
 * after it (127.0.0.3-127.0.0.7; ports.ts says why). Where they cannot be bound (macOS has only 127.0.0.1 unless
 * aliased) or the host is not a loopback address, they are the host itself, and those endpoints reach the writer.
 */
export interface DataPlaneAddresses {
  host: string;
  readerHost: string;
  /** One per custom-endpoint slot of a cluster. */
  customHosts: string[];
  /** Why the reader or custom endpoints fell back to the host, when they did (the banner says it). */
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

/** The `count` loopback addresses after `host`, or undefined when the block runs out of loopback addresses. */
function loopbackBlock(host: string, count: number): string[] | undefined {
  const block: string[] = [];
  for (let last = host; block.length < count;) {
    const next = nextLoopback(last);
    if (!next) return undefined;
    block.push((last = next));
  }
  return block;
}

/** Whether this machine can listen on `address` (a free port is taken and given back at once). */
function canBind(address: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    probe.listen(0, address, () => probe.close(() => resolve(undefined)));
  });
}

/** The first address of `block` this machine cannot listen on, and why. */
async function unbindable(block: string[]): Promise<{ address: string; problem: string } | undefined> {
  for (const address of block) {
    const problem = await canBind(address);
    if (problem !== undefined) return { address, problem };
  }
  return undefined;
}

/** The addresses, or an Error naming a data-plane host this machine cannot listen on. */
export async function resolveDataPlaneAddresses(serveHost: string, explicit?: string): Promise<DataPlaneAddresses> {
  const host = dataPlaneHost(serveHost, explicit);
  // A host taken from --host is checked when the control plane listens on it, in --host's words.
  const unusable = explicit === undefined ? undefined : await canBind(host);
  if (unusable !== undefined) throw new Error(`cannot listen on --data-plane-host ${host}: ${unusable}`);
  const reader = nextLoopback(host);
  const customs = reader && loopbackBlock(reader, CUSTOM_ENDPOINT_QUOTA);
  const reasons: string[] = [];
  const readerProblem = reader && (await unbindable([reader]));
  if (readerProblem)
    reasons.push(
      `cannot listen on ${reader} (${readerProblem.problem}): reader endpoints share ${host} and reach the writer`,
    );
  // *Decided*: the custom block is used whole or not at all, so that every custom endpoint behaves alike.
  const customProblem = customs && (await unbindable(customs));
  if (customProblem)
    reasons.push(
      `cannot listen on ${customProblem.address} (${customProblem.problem}): custom endpoints share ${host} and ` +
        "reach the writer",
    );
  return {
    host,
    readerHost: !reader || readerProblem ? host : reader,
    customHosts: !customs || customProblem ? Array<string>(CUSTOM_ENDPOINT_QUOTA).fill(host) : customs,
    ...(reasons.length > 0 ? { fallback: reasons.join("; ") } : {}),
  };
}
