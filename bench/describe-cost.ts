import { CreateDBClusterCommand, NeptuneClient } from "@aws-sdk/client-neptune";
import { Emulator } from "../src/emulator.js";
import { handleRequest, type RawRequest } from "../src/server/pipeline.js";
import { InProcessHandler } from "../src/server/inprocess.js";
import { DELAY_PROFILES } from "../src/state/delays.js";
import { ADMIN_CREDENTIALS } from "./lib/clusters.js";
import { presign } from "./lib/sign.js";
import { benchOptions } from "./lib/options.js";

/**
 * The CPU time of one signed request through the whole pipeline, in-process (no socket, no HTTP parsing): signed
 * DescribeDBClusters returning 20 clusters, against signed GetCallerIdentity (the pipeline's fixed cost: SigV4,
 * routing, parsing, the unit of work, serializing). The difference is what DescribeDBClusters itself costs: the
 * lifecycle catch-up, the listing, the cluster views, rds:DescribeDBClusters's policy evaluation and writing 20
 * clusters. CPU time (process.cpuUsage), so that a shared machine's load weighs less than in throughput figures;
 * the best of a few rounds is printed.
 *
 * `--evict BYTES` (e.g. 2097152) also measures each request with that many bytes written between requests, the
 * time of writing them measured alone and taken off: the CPU caches gone cold, as a server's are between two
 * requests (the kernel's network stack, node:http and the load generator run there). A loop that runs one request
 * after another keeps the pipeline's code and data in the caches, and costs less than the same work in a server.
 *
 * Usage: node dist/bench/describe-cost.js [--requests 5000] [--rounds 5] [--evict BYTES]
 */
// The SDK's notice about future Node versions would interleave with the figures; benches print figures only.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const values = benchOptions({
  requests: { type: "string", default: "5000" },
  rounds: { type: "string", default: "5" },
  evict: { type: "string", default: "0" },
});
const REQUESTS = Number(values.requests);
const ROUNDS = Number(values.rounds);
const EVICT_BYTES = Number(values.evict);
const CLUSTERS = 20;
const ENDPOINT = "http://trident.local";

const emulator = new Emulator({ delays: DELAY_PROFILES.instant });
const neptune = new NeptuneClient({
  region: "us-east-1",
  endpoint: ENDPOINT,
  credentials: ADMIN_CREDENTIALS,
  requestHandler: new InProcessHandler(emulator),
});
for (let i = 0; i < CLUSTERS; i++) {
  const id = `compare-${String(i).padStart(2, "0")}`;
  await neptune.send(new CreateDBClusterCommand({ DBClusterIdentifier: id, Engine: "neptune" }));
}

async function raw(service: "rds" | "sts", params: Record<string, string>): Promise<RawRequest> {
  const signed = await presign(ENDPOINT, ADMIN_CREDENTIALS, { service, params });
  const headers = Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { method: "POST", url: "/", headers, body: Buffer.from(signed.body) };
}

/** Written between requests when evicting: larger than the caches it is meant to empty. */
const evictions = Buffer.alloc(EVICT_BYTES);

/**
 * The best CPU microseconds per request over the rounds, and the answer's size; with `evict`, `evictions` is
 * written before each request (and the time that takes is included).
 */
async function cost(request: RawRequest | undefined, evict = false): Promise<{ micros: number; bytes: number }> {
  let best = Infinity;
  let bytes = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const started = process.cpuUsage();
    for (let i = 0; i < REQUESTS; i++) {
      if (evict) evictions.fill(i & 0xff);
      if (request === undefined) continue;
      const { response } = await handleRequest(emulator, request);
      if (response.status !== 200) throw new Error(`status ${response.status}: ${response.body.toString()}`);
      bytes = response.body.length;
    }
    const used = process.cpuUsage(started);
    best = Math.min(best, (used.user + used.system) / REQUESTS);
  }
  return { micros: best, bytes };
}

const describe = await raw("rds", { Action: "DescribeDBClusters", Version: "2014-10-31" });
const caller = await raw("sts", { Action: "GetCallerIdentity", Version: "2011-06-15" });
await cost(describe); // warm-up: settled views, templates, compiled code
const d = await cost(describe);
const c = await cost(caller);
console.log(`DescribeDBClusters (${CLUSTERS} clusters, ${d.bytes} bytes): ${d.micros.toFixed(1)} µs CPU per request`);
console.log(`GetCallerIdentity (the pipeline's fixed cost):   ${c.micros.toFixed(1)} µs CPU per request`);
console.log(`DescribeDBClusters' own work:                    ${(d.micros - c.micros).toFixed(1)} µs CPU per request`);
if (EVICT_BYTES > 0) {
  const writing = (await cost(undefined, true)).micros;
  const coldDescribe = (await cost(describe, true)).micros - writing;
  const coldCaller = (await cost(caller, true)).micros - writing;
  const kib = Math.round(EVICT_BYTES / 1024);
  console.log(`With ${kib} KiB written between requests (${writing.toFixed(1)} µs, taken off), caches cold:`);
  console.log(
    `  DescribeDBClusters: ${coldDescribe.toFixed(1)} µs CPU per request, ${(coldDescribe / d.micros).toFixed(2)}× the warm figure`,
  );
  console.log(
    `  GetCallerIdentity:  ${coldCaller.toFixed(1)} µs CPU per request, ${(coldCaller / c.micros).toFixed(2)}× the warm figure`,
  );
}
