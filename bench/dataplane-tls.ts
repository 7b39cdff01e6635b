import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateDBClusterCommand,
  CreateDBInstanceCommand,
  DescribeDBClustersCommand,
  NeptuneClient,
} from "@aws-sdk/client-neptune";
import { dataPlaneTls } from "../src/dataplane/tls-files.js";
import { formatResult, parseBenchArgs, runLoad, startChildServer } from "./lib/load.js";

/**
 * What `--data-plane-tls` costs: making the CA and a certificate at start (and finding them kept), then openCypher
 * `RETURN 1` on a cluster's endpoint over plain HTTP and over HTTPS, on keep-alive connections and with a new
 * connection (a TLS handshake) per request.
 * Usage: node dist/bench/dataplane-tls.js [--concurrency 16] [--seconds 5] [--requests N]
 * (it starts its own `trident serve` twice, with data-plane ports 30110-30119).
 */
const args = parseBenchArgs({ concurrency: "16", seconds: "5" });
const hosts = ["127.0.0.1", "127.0.0.2", "localhost"];
const home = mkdtempSync(join(tmpdir(), "trident-bench-tls-"));

let t0 = performance.now();
await dataPlaneTls(home, hosts, new Date());
console.log(`first start: CA and certificate made in ${(performance.now() - t0).toFixed(1)}ms`);
t0 = performance.now();
await dataPlaneTls(home, hosts, new Date());
console.log(`later starts: CA and certificate read and checked in ${(performance.now() - t0).toFixed(1)}ms`);

const query = {
  path: "/openCypher",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams({ query: "RETURN 1 AS one" }).toString(),
};

for (const tls of [false, true]) {
  const flags = ["--delays", "instant", "--data-plane-ports", "30110-30119", "--data-dir", home];
  const own = await startChildServer("trident", tls ? [...flags, "--data-plane-tls"] : flags);
  try {
    const neptune = new NeptuneClient({
      region: "us-east-1",
      endpoint: own.endpoint,
      credentials: { accessKeyId: "AKIA1111111111ADMIN1", secretAccessKey: "trident-demo-secret-111111111111-admin" },
    });
    const id = tls ? "bench-tls" : "bench-plain";
    await neptune.send(new CreateDBClusterCommand({ DBClusterIdentifier: id, Engine: "neptune" }));
    await neptune.send(
      new CreateDBInstanceCommand({
        DBClusterIdentifier: id,
        DBInstanceIdentifier: `${id}-0`,
        Engine: "neptune",
        DBInstanceClass: "db.r5.large",
      }),
    );
    const cluster = (await neptune.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters![0]!;
    const endpoint = `${tls ? "https" : "http"}://${cluster.Endpoint}:${cluster.Port}`;
    const ca = tls ? readFileSync(join(home, "tls", "ca.pem"), "utf8") : undefined;
    for (const keepAlive of [true, false]) {
      const options = { endpoint, ca, keepAlive, concurrency: args.concurrency, requests: args.requests };
      const result = await runLoad({ ...options, durationMs: args.durationMs }, () => query);
      const label = `openCypher RETURN 1 @ ${endpoint}, ${keepAlive ? "keep-alive" : "a connection per request"}`;
      console.log(formatResult(label, result, args.concurrency));
    }
  } finally {
    own.child.kill();
    await once(own.child, "exit"); // the next server opens the same data directory
  }
}
rmSync(home, { recursive: true, force: true });
