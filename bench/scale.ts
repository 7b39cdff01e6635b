import { Agent } from "node:http";
import { describePages } from "./lib/clusters.js";
import { runLoad, send, startChildServer, type PreparedRequest } from "./lib/load.js";
import { cpuMicros, rssMiB } from "./lib/proc.js";
import { presign } from "./lib/sign.js";
import { runWrk, wrkInstalled } from "./lib/wrk.js";
import { benchOptions } from "./lib/options.js";

/**
 * The scale targets of a fresh `trident serve --relaxed-auth` (issue 15), in one run:
 *   - start to first answered request: from spawning the process (startChildServer spawns at once) to the first
 *     GetCallerIdentity answered, over `--starts` fresh servers one after another (median, and each);
 *   - idle RSS of the fresh server, after that answer;
 *   - the first request of each other service (its code loads then) against its next one, and the RSS after;
 *   - the cost of a page of 100 of DescribeDBClusters in a server holding 1,000 clusters (10 accounts × 100) and in
 *     one holding 100,000 clusters in 1,000 accounts (100 each), the same 10 accounts' pages: the cost must stay
 *     within 120%. Cost is the server's CPU per request (its /proc utime + stime over the requests answered), which
 *     the load of other processes on a shared machine moves far less than throughput. The two servers run side by
 *     side and are measured alternately, `--rounds` times each (the order swapped every round); the figure is the
 *     ratio of the medians, with the spread of the rounds;
 *   - the larger server's RSS (target below 1 GiB).
 * Accounts are named by 12-digit access key ids (relaxed auth). The load is wrk when installed, else Node's.
 * The servers run with --no-data-plane by default (the control plane only: clusters take no port, so 100,000 fit);
 * `--data-plane-ports FIRST-LAST` runs them with their data plane instead, each cluster holding a port of that range
 * and two listening sockets from its creation (so a host's 65,535 ports and a process's open-file limit bound it:
 * use a range below the ephemeral one, e.g. 21000-28999 with --accounts 80; the smaller server gets the ports after).
 * Usage: npm run bench:scale -- [--accounts 1000] [--data-plane-ports FIRST-LAST] [--rounds 7] [--starts 5] [--seconds 4]
 *        [--connections 32]
 */
const values = benchOptions({
  accounts: { type: "string", default: "1000" },
  "data-plane-ports": { type: "string" },
  rounds: { type: "string", default: "7" },
  starts: { type: "string", default: "5" },
  seconds: { type: "string", default: "4" },
  connections: { type: "string", default: "32" },
});
const ACCOUNTS = Number(values.accounts);
const PER_ACCOUNT = 100;
const MEASURED_ACCOUNTS = 10; // describePages's accounts: 100000000001…
const rounds = Number(values.rounds);
const startCount = Number(values.starts);
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const credentials = (accountId: string) => ({ accessKeyId: accountId, secretAccessKey: "bench" });

/** The flags of a bench server: --no-data-plane, or the data plane on `ports` (FIRST-LAST). */
const dataPlane = values["data-plane-ports"];
const serverFlags = (ports: string | undefined) => [
  "--relaxed-auth",
  ...(ports === undefined ? ["--no-data-plane"] : ["--data-plane-ports", ports]),
];
/** With a data plane, the smaller server's clusters take the ports after the larger one's range. */
const smallPorts = (() => {
  if (dataPlane === undefined) return undefined;
  const last = Number(dataPlane.split("-")[1]);
  return `${last + 1}-${last + MEASURED_ACCOUNTS * PER_ACCOUNT}`;
})();

interface BenchServer {
  label: string;
  endpoint: string;
  url: URL;
  pid: number;
  agent: Agent;
  kill(): void;
}

async function startServer(label: string, ports: string | undefined): Promise<BenchServer> {
  const { endpoint, child } = await startChildServer("trident", serverFlags(ports));
  return {
    label,
    endpoint,
    url: new URL(endpoint),
    pid: child.pid!,
    agent: new Agent({ keepAlive: true, maxSockets: connections }),
    kill: () => child.kill(),
  };
}

/** A fresh server: from spawning it to its first answered GetCallerIdentity, and the server's own CPU by then. */
async function timedStart(label: string, ports: string | undefined) {
  const started = performance.now();
  const server = await startServer(label, ports);
  const caller = await presign(server.endpoint, credentials("100000000001"), {
    service: "sts",
    params: { Action: "GetCallerIdentity", Version: "2011-06-15" },
  });
  const status = await send(server.agent, server.url, caller);
  // The server's own CPU time as well: unlike the elapsed time, the load of other processes hardly moves it.
  return { server, ms: performance.now() - started, cpuMs: cpuMicros(server.pid) / 1000, status };
}

const servers: BenchServer[] = [];
try {
  // Several fresh starts, one after another (the last one's server goes on): one start on a shared machine is one
  // draw of its noise.
  const starts: Awaited<ReturnType<typeof timedStart>>[] = [];
  for (let i = 0; i < startCount; i++) {
    const start = await timedStart(`${MEASURED_ACCOUNTS * PER_ACCOUNT} clusters`, smallPorts);
    starts.push(start);
    if (i < startCount - 1) start.server.kill();
  }
  const small = starts.at(-1)!.server;
  servers.push(small);
  console.log(dataPlane === undefined ? "data plane off (--no-data-plane)" : `data plane on ports ${dataPlane}`);
  const list = (key: "ms" | "cpuMs") => starts.map((start) => start[key].toFixed(0)).join(", ");
  console.log(
    `start to first answered request: median ${median(starts.map((s) => s.ms)).toFixed(0)} ms of ${startCount} starts (${list("ms")}), ` +
      `the server's CPU median ${median(starts.map((s) => s.cpuMs)).toFixed(0)} ms (${list("cpuMs")}) ` +
      `(status ${starts.map((s) => s.status).join(",")}; target < 150 ms)`,
  );
  const idle = rssMiB(small.pid);
  console.log(
    `idle RSS of the fresh server: ${idle.toFixed(1)} MiB = ${((idle * 1048576) / 1e6).toFixed(1)} MB (target < 60 MB)`,
  );

  // Each service's code loads on its first request (src/services/registry.ts): what that first request costs.
  const firstRequests: [string, Parameters<typeof presign>[2]][] = [
    ["KMS ListKeys", { service: "kms", target: "ListKeys", json: {} }],
    ["Neptune DescribeDBClusters", { service: "rds", params: { Action: "DescribeDBClusters", Version: "2014-10-31" } }],
    ["IAM ListRoles", { service: "iam", params: { Action: "ListRoles", Version: "2010-05-08" } }],
  ];
  for (const [label, call] of firstRequests) {
    const timed = async () => {
      const request = await presign(small.endpoint, credentials("100000000001"), call);
      const at = performance.now();
      const answered = await send(small.agent, small.url, request);
      return { ms: performance.now() - at, answered };
    };
    const first = await timed();
    const second = await timed();
    console.log(
      `first ${label}: ${first.ms.toFixed(0)} ms (status ${first.answered}), the next ${second.ms.toFixed(1)} ms`,
    );
  }
  console.log(`RSS once every service has answered: ${rssMiB(small.pid).toFixed(1)} MiB`);

  await createClusters(small, 0, MEASURED_ACCOUNTS);
  const large = await startServer(`${ACCOUNTS * PER_ACCOUNT} clusters`, dataPlane);
  servers.push(large);
  const seeding = performance.now();
  await createClusters(large, 0, ACCOUNTS);
  console.log(
    `created ${ACCOUNTS * PER_ACCOUNT} clusters in ${ACCOUNTS} accounts through the API in ${((performance.now() - seeding) / 1000).toFixed(0)} s; ` +
      `RSS ${rssMiB(large.pid).toFixed(0)} MiB (target < 1 GiB; ${rssMiB(small.pid).toFixed(0)} MiB at ${small.label})`,
  );

  const pages = new Map<BenchServer, PreparedRequest[]>();
  for (const server of [small, large]) {
    pages.set(server, await describePages(server.endpoint, PER_ACCOUNT));
    // Once untimed, so every measured scope has caught up (first backups taken) before anything is measured.
    for (const page of pages.get(server)!) await send(server.agent, server.url, page);
  }
  // A load not counted on each: the pages' code optimized, and the collection of what creating the clusters left
  // behind (a full mark-compact of the larger heap, ~0.3 s) done before the first round rather than in it.
  for (const server of [small, large]) await pageCost(server, pages.get(server)!);
  const costs = new Map<BenchServer, number[]>([
    [small, []],
    [large, []],
  ]);
  for (let round = 1; round <= rounds; round++) {
    const order = round % 2 === 1 ? [small, large] : [large, small];
    const line: string[] = [];
    for (const server of order) {
      const measured = await pageCost(server, pages.get(server)!);
      costs.get(server)!.push(measured.microsPerRequest);
      line.push(
        `${server.label} ${measured.microsPerRequest.toFixed(0)} µs CPU/request (${Math.round(measured.perSecond)} req/s)`,
      );
    }
    console.log(`round ${round}: ${line.join("; ")}`);
  }
  const smallCosts = costs.get(small)!;
  const largeCosts = costs.get(large)!;
  const ratios = largeCosts.map((cost, i) => (cost / smallCosts[i]!) * 100);
  console.log(
    `page of 100, server CPU per request, median of ${rounds} rounds (min-max): ` +
      `${small.label} ${median(smallCosts).toFixed(0)} µs (${spread(smallCosts, 0)}), ` +
      `${large.label} ${median(largeCosts).toFixed(0)} µs (${spread(largeCosts, 0)})`,
  );
  console.log(
    `page-of-100 cost at ${ACCOUNTS * PER_ACCOUNT} clusters vs ${MEASURED_ACCOUNTS * PER_ACCOUNT}: ` +
      `${((median(largeCosts) / median(smallCosts)) * 100).toFixed(0)}% (rounds ${spread(ratios, 0)}%; target within 120%)`,
  );
  console.log(`server RSS after the rounds: ${large.label} ${rssMiB(large.pid).toFixed(0)} MiB`);
} finally {
  for (const server of servers) server.kill();
}

/** One load of the pages for `seconds`: the server's CPU per request answered, and the rate. */
async function pageCost(server: BenchServer, requests: PreparedRequest[]) {
  const cpuBefore = cpuMicros(server.pid);
  const { perSecond, requests: answered } = wrkInstalled()
    ? await runWrk(server.endpoint, requests, { connections, threads: 2, seconds })
    : await runLoad(
        {
          endpoint: server.endpoint,
          concurrency: connections,
          requests: Number.MAX_SAFE_INTEGER,
          durationMs: seconds * 1000,
        },
        (i) => requests[i % requests.length]!,
      );
  return { perSecond, microsPerRequest: (cpuMicros(server.pid) - cpuBefore) / answered };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The lowest and highest of `values`, as "min-max". */
function spread(values: number[], digits: number): string {
  return `${Math.min(...values).toFixed(digits)}-${Math.max(...values).toFixed(digits)}`;
}

/** 100 clusters in each account [from, to), `connections` requests in flight, each signed just before it is sent. */
async function createClusters(server: BenchServer, from: number, to: number): Promise<void> {
  let next = from * PER_ACCOUNT;
  const end = to * PER_ACCOUNT;
  const worker = async () => {
    while (next < end) {
      const n = next++;
      const account = String(100000000001 + Math.floor(n / PER_ACCOUNT));
      const request: PreparedRequest = await presign(server.endpoint, credentials(account), {
        service: "rds",
        params: {
          Action: "CreateDBCluster",
          Version: "2014-10-31",
          DBClusterIdentifier: `bench-${String(n % PER_ACCOUNT).padStart(3, "0")}`,
          Engine: "neptune",
        },
      });
      const status = await send(server.agent, server.url, request);
      if (status !== 200) throw new Error(`CreateDBCluster in ${account} answered ${status}`);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
}
