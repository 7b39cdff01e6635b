import { readFileSync } from "node:fs";
import { Agent } from "node:http";
import { parseArgs } from "node:util";
import { describePages } from "./lib/clusters.js";
import { runLoad, send, startChildServer, type PreparedRequest } from "./lib/load.js";
import { presign } from "./lib/sign.js";
import { runWrk, wrkInstalled } from "./lib/wrk.js";

/**
 * The scale targets of a fresh `trident serve --relaxed-auth` (issue 15), in one run:
 *   - start to first answered request: from spawning the process (startChildServer spawns at once) to the first
 *     GetCallerIdentity answered;
 *   - idle RSS of the fresh server, after that answer;
 *   - the first request of each other service (its code loads then) against its next one, and the RSS after;
 *   - a page of 100 of DescribeDBClusters with 1,000 clusters (10 accounts × 100), then the same pages once the
 *     server holds 100,000 clusters in 1,000 accounts (100 each): the rate must stay within 20%;
 *   - the server's RSS at 100,000 clusters (target below 1 GiB).
 * Accounts are named by 12-digit access key ids (relaxed auth). The load is wrk when installed, else Node's.
 * The server runs with --no-data-plane by default (the control plane only: clusters take no port, so 100,000 fit);
 * `--data-plane-ports FIRST-LAST` runs it with its data plane instead, each cluster holding a port of that range and
 * two listening sockets from its creation (so a host's 65,535 ports and a process's open-file limit bound it: use a
 * range below the ephemeral one, e.g. 21000-28999 with --accounts 80).
 * Usage: npm run bench:scale -- [--accounts 1000] [--data-plane-ports FIRST-LAST] [--seconds 5] [--connections 32]
 */
const { values } = parseArgs({
  options: {
    accounts: { type: "string", default: "1000" },
    "data-plane-ports": { type: "string" },
    seconds: { type: "string", default: "5" },
    connections: { type: "string", default: "32" },
  },
});
const ACCOUNTS = Number(values.accounts);
const PER_ACCOUNT = 100;
const MEASURED_ACCOUNTS = 10; // describePages's accounts: 100000000001…
const seconds = Number(values.seconds);
const connections = Number(values.connections);

const rssMiB = (pid: number) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN) / 1024;

const started = performance.now();
const dataPlane = values["data-plane-ports"];
const server = await startChildServer("trident", [
  "--relaxed-auth",
  ...(dataPlane === undefined ? ["--no-data-plane"] : ["--data-plane-ports", dataPlane]),
]);
console.log(dataPlane === undefined ? "data plane off (--no-data-plane)" : `data plane on ports ${dataPlane}`);
const { endpoint, child } = server;
try {
  const url = new URL(endpoint);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const caller = await presign(
    endpoint,
    { accessKeyId: "100000000001", secretAccessKey: "bench" },
    { service: "sts", params: { Action: "GetCallerIdentity", Version: "2011-06-15" } },
  );
  const status = await send(agent, url, caller);
  const firstAnswerMs = performance.now() - started;
  console.log(`start to first answered request: ${firstAnswerMs.toFixed(0)} ms (status ${status}; target < 150 ms)`);
  console.log(`idle RSS of the fresh server: ${rssMiB(child.pid!).toFixed(1)} MiB (target < 60 MB)`);

  // Each service's code loads on its first request (src/services/registry.ts): what that first request costs.
  const credentials = { accessKeyId: "100000000001", secretAccessKey: "bench" };
  const firstRequests: [string, Parameters<typeof presign>[2]][] = [
    ["KMS ListKeys", { service: "kms", target: "ListKeys", json: {} }],
    ["Neptune DescribeDBClusters", { service: "rds", params: { Action: "DescribeDBClusters", Version: "2014-10-31" } }],
    ["IAM ListRoles", { service: "iam", params: { Action: "ListRoles", Version: "2010-05-08" } }],
  ];
  for (const [label, call] of firstRequests) {
    const timed = async () => {
      const request = await presign(endpoint, credentials, call);
      const at = performance.now();
      const answered = await send(agent, url, request);
      return { ms: performance.now() - at, answered };
    };
    const first = await timed();
    const second = await timed();
    console.log(
      `first ${label}: ${first.ms.toFixed(0)} ms (status ${first.answered}), the next ${second.ms.toFixed(1)} ms`,
    );
  }
  console.log(`RSS once every service has answered: ${rssMiB(child.pid!).toFixed(1)} MiB`);

  const pages = await describePages(endpoint, PER_ACCOUNT);
  const measure = async (label: string) => {
    // Once untimed, so every measured scope has caught up (first backups taken) before the rate is read.
    for (const page of pages) await send(agent, url, page);
    const perSecond = wrkInstalled()
      ? (await runWrk(endpoint, pages, { connections, threads: 2, seconds })).perSecond
      : (
          await runLoad(
            { endpoint, concurrency: connections, requests: Number.MAX_SAFE_INTEGER, durationMs: seconds * 1000 },
            (i) => pages[i % pages.length]!,
          )
        ).perSecond;
    console.log(
      `${label}: page of 100 at ${Math.round(perSecond)} req/s; server RSS ${rssMiB(child.pid!).toFixed(0)} MiB`,
    );
    return perSecond;
  };

  await createClusters(agent, url, endpoint, 0, MEASURED_ACCOUNTS);
  const small = await measure(`${MEASURED_ACCOUNTS * PER_ACCOUNT} clusters in ${MEASURED_ACCOUNTS} accounts`);
  const seeding = performance.now();
  await createClusters(agent, url, endpoint, MEASURED_ACCOUNTS, ACCOUNTS);
  console.log(
    `created ${(ACCOUNTS - MEASURED_ACCOUNTS) * PER_ACCOUNT} more clusters in ${((performance.now() - seeding) / 1000).toFixed(0)} s`,
  );
  const large = await measure(`${ACCOUNTS * PER_ACCOUNT} clusters in ${ACCOUNTS} accounts`);
  console.log(
    `page-of-100 cost at ${ACCOUNTS * PER_ACCOUNT} clusters vs ${MEASURED_ACCOUNTS * PER_ACCOUNT}: ${((small / large) * 100).toFixed(0)}% (target within 120%)`,
  );
} finally {
  child.kill();
}

/** 100 clusters in each account [from, to), `connections` requests in flight, each signed just before it is sent. */
async function createClusters(agent: Agent, url: URL, endpoint: string, from: number, to: number): Promise<void> {
  let next = from * PER_ACCOUNT;
  const end = to * PER_ACCOUNT;
  const worker = async () => {
    while (next < end) {
      const n = next++;
      const account = String(100000000001 + Math.floor(n / PER_ACCOUNT));
      const request: PreparedRequest = await presign(
        endpoint,
        { accessKeyId: account, secretAccessKey: "bench" },
        {
          service: "rds",
          params: {
            Action: "CreateDBCluster",
            Version: "2014-10-31",
            DBClusterIdentifier: `bench-${String(n % PER_ACCOUNT).padStart(3, "0")}`,
            Engine: "neptune",
          },
        },
      );
      const status = await send(agent, url, request);
      if (status !== 200) throw new Error(`CreateDBCluster in ${account} answered ${status}`);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
}
