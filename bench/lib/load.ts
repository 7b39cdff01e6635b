import { spawn, type ChildProcess } from "node:child_process";
import { Agent, request } from "node:http";
import { Agent as TlsAgent, request as tlsRequest } from "node:https";
import { fileURLToPath } from "node:url";
import { onCpus } from "./cpus.js";
import { benchOptions } from "./options.js";

/**
 * A small load generator: replays pre-signed HTTP requests (SigV4 signatures stay valid for 15 minutes, so
 * signing is kept out of the measured loop) at a fixed concurrency over keep-alive connections, and reports
 * requests/s and latency percentiles. The server runs in its own process so it gets a core of its own.
 */

// The SDK's notice about future Node versions would interleave with the figures; benches print figures only.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

export interface PreparedRequest {
  /** The request path (default `/`, the control plane's). */
  path?: string;
  headers: Record<string, string>;
  body: string;
  /** Optional check of the response, e.g. the status; a failure counts as an error. */
  expectStatus?: number;
}

export interface LoadOptions {
  endpoint: string;
  concurrency: number;
  /** Stop after this many requests, or this many milliseconds, whichever comes first. */
  requests: number;
  durationMs: number;
  warmupRequests?: number;
  /** https endpoints: the CA to trust (a data plane's with --data-plane-tls). */
  ca?: string;
  /** false: a new connection (and TLS handshake) per request. Default true. */
  keepAlive?: boolean;
}

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
}

export function send(agent: Agent, url: URL, prepared: PreparedRequest): Promise<number> {
  return exchange(agent, url, prepared, false).then((answer) => answer.status);
}

/** One request and its whole answer (status, headers, body bytes): what a bench records. */
export function fetchAnswer(agent: Agent, url: URL, prepared: PreparedRequest): Promise<RecordedAnswer> {
  return exchange(agent, url, prepared, true);
}

export interface RecordedAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** Sends a prepared request; keeps the answer's body only when asked (a load loop only counts answers). */
function exchange(agent: Agent, url: URL, prepared: PreparedRequest, keepBody: boolean): Promise<RecordedAnswer> {
  return new Promise((resolve, reject) => {
    const req = (url.protocol === "https:" ? tlsRequest : request)(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: prepared.path ?? "/",
        method: "POST",
        headers: { ...prepared.headers, "content-length": Buffer.byteLength(prepared.body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        if (keepBody) res.on("data", (chunk: Buffer) => chunks.push(chunk));
        else res.resume();
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(prepared.body);
  });
}

export async function runLoad(options: LoadOptions, nextRequest: (i: number) => PreparedRequest): Promise<LoadResult> {
  const url = new URL(options.endpoint);
  const agentOptions = { keepAlive: options.keepAlive ?? true, maxSockets: options.concurrency };
  const agent = url.protocol === "https:" ? new TlsAgent({ ...agentOptions, ca: options.ca }) : new Agent(agentOptions);
  for (let i = 0; i < (options.warmupRequests ?? 200); i++) await send(agent, url, nextRequest(i));
  const latencies: number[] = [];
  let issued = 0;
  let errors = 0;
  const started = performance.now();
  const deadline = started + options.durationMs;
  const worker = async () => {
    while (issued < options.requests && performance.now() < deadline) {
      const prepared = nextRequest(issued++);
      const t0 = performance.now();
      try {
        const status = await send(agent, url, prepared);
        if (status !== (prepared.expectStatus ?? 200)) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => percentile(latencies, p);
  return {
    requests: latencies.length,
    errors,
    seconds,
    perSecond: latencies.length / seconds,
    p50: pct(50),
    p99: pct(99),
    max: latencies.at(-1) ?? 0,
  };
}

/** The p-th percentile of ascending latencies (0 when there are none). */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export function formatResult(label: string, result: LoadResult, concurrency: number): string {
  return `${label}: ${result.requests} requests in ${result.seconds.toFixed(2)}s at ${concurrency} connections = ${Math.round(result.perSecond)} req/s; p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, max ${result.max.toFixed(2)} ms; errors ${result.errors}`;
}

/**
 * Starts `trident serve` on a free port in a child process (or the bare node:http baseline, whose `extraArgs` is
 * its recorded responses file) and returns its endpoint.
 */
export async function startChildServer(
  kind: "trident" | "bare",
  extraArgs: string[] = [],
  /** The CPUs it runs on (a taskset CPU list, bench/lib/cpus.ts), or wherever the scheduler puts it. */
  cpus?: string,
): Promise<{ endpoint: string; child: ChildProcess }> {
  const script =
    kind === "trident"
      ? fileURLToPath(new URL("../../cli/trident.js", import.meta.url))
      : fileURLToPath(new URL("./bare-server.js", import.meta.url));
  // Every cluster holds a data-plane port from its creation: the default range (200) is too small for the benches'
  // thousand clusters, so they get a range of their own unless they name one.
  const ports =
    extraArgs.includes("--data-plane-ports") || extraArgs.includes("--no-data-plane")
      ? []
      : ["--data-plane-ports", BENCH_DATA_PLANE_PORTS];
  const args =
    kind === "trident" ? [script, "serve", "--port", "0", "--quiet", ...ports, ...extraArgs] : [script, ...extraArgs];
  // taskset runs node in its own process (exec): the child's pid is the server's, as /proc readers need.
  const child = spawn(...onCpus(cpus, process.execPath, args), { stdio: ["ignore", "pipe", "inherit"] });
  // A bench that dies before stopping its servers (an uncaught error; its output piped to `head`, which closed it)
  // takes them along: left running, they would keep their ports and memory, and load the next bench's machine.
  const stopWithBench = () => child.kill();
  process.once("exit", stopWithBench);
  child.once("exit", () => process.off("exit", stopWithBench));
  const endpoint = await new Promise<string>((resolve, reject) => {
    let buffered = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const match = /(http:\/\/[\d.]+:\d+)/.exec(buffered);
      if (match) resolve(match[1]!);
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { endpoint, child };
}

/**
 * The data-plane ports of a bench's `trident serve`: room for 3,000 clusters, above Linux's ephemeral range
 * (32768-60999). A port another process holds (an outgoing connection's, another server's) is retried at every
 * sync of the listeners, i.e. after every request, at a cost that grows with the clusters: the figures would
 * measure that instead (src/dataplane/listeners.ts).
 */
const BENCH_DATA_PLANE_PORTS = "61000-63999";

export interface CommonBenchArgs {
  endpoint?: string;
  concurrency: number;
  requests: number;
  durationMs: number;
  bare: boolean;
  /** describe-clusters: (account, region) scopes holding other state, which a request must not pay for. */
  extraScopes: number;
  /** describe-clusters: clusters in each measured account (0: the request's fixed cost alone). */
  clustersPerAccount: number;
}

/** The common options, with `defaults` in place of the usual concurrency and duration where a bench sets them. */
export function parseBenchArgs(defaults: { concurrency?: string; seconds?: string } = {}): CommonBenchArgs {
  const values = benchOptions({
    endpoint: { type: "string" },
    concurrency: { type: "string", default: defaults.concurrency ?? "32" },
    requests: { type: "string", default: "50000" },
    seconds: { type: "string", default: defaults.seconds ?? "10" },
    bare: { type: "boolean", default: false },
    "extra-scopes": { type: "string", default: "0" },
    clusters: { type: "string", default: "100" },
  });
  return {
    endpoint: values.endpoint,
    concurrency: Number(values.concurrency),
    requests: Number(values.requests),
    durationMs: Number(values.seconds) * 1000,
    bare: values.bare,
    extraScopes: Number(values["extra-scopes"]),
    clustersPerAccount: Number(values.clusters),
  };
}
