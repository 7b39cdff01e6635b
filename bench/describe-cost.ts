import { CreateDBClusterCommand, NeptuneClient } from "@aws-sdk/client-neptune";
import { Emulator } from "../src/emulator.js";
import { handleRequest, type RawRequest } from "../src/server/pipeline.js";
import { InProcessHandler } from "../src/server/inprocess.js";
import { DELAY_PROFILES } from "../src/state/delays.js";
import { ADMIN_CREDENTIALS } from "./lib/clusters.js";
import { presign } from "./lib/sign.js";

/**
 * The CPU time of one signed request through the whole pipeline, in-process (no socket, no HTTP parsing): signed
 * DescribeDBClusters returning 20 clusters, against signed GetCallerIdentity (the pipeline's fixed cost: SigV4,
 * routing, parsing, the unit of work, serializing). The difference is what DescribeDBClusters itself costs: the
 * lifecycle catch-up, the listing, the cluster views, rds:DescribeDBClusters's policy evaluation and writing 20
 * clusters. CPU time (process.cpuUsage), so that a shared machine's load weighs less than in throughput figures;
 * the best of a few rounds is printed.
 *
 * Usage: node dist/bench/describe-cost.js [--requests 5000] [--rounds 5]
 */
// The SDK's notice about future Node versions would interleave with the figures; benches print figures only.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const argument = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? fallback : Number(process.argv[at + 1]);
};
const REQUESTS = argument("requests", 5000);
const ROUNDS = argument("rounds", 5);
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

/** The best CPU microseconds per request over the rounds, and the answer's size. */
async function cost(request: RawRequest): Promise<{ micros: number; bytes: number }> {
  let best = Infinity;
  let bytes = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const started = process.cpuUsage();
    for (let i = 0; i < REQUESTS; i++) {
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
