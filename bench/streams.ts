import { Agent, get as httpGet } from "node:http";
import { gunzipSync } from "node:zlib";
import {
  CreateDBClusterParameterGroupCommand,
  ModifyDBClusterParameterGroupCommand,
  NeptuneClient,
} from "@aws-sdk/client-neptune";
import { ADMIN_CREDENTIALS, servingBenchCluster } from "./lib/clusters.js";
import { startChildServer } from "./lib/load.js";

/**
 * Neptune Streams read throughput (records/s) on a cluster's endpoint: a reader pages through the whole stream
 * from TRIM_HORIZON, then AFTER_SEQUENCE_NUMBER the last event of each page, as a replayer does, at several page
 * sizes, plain and gzip. The stream holds `--small` transactions of 10 nodes with 3 properties each (40 records),
 * then one bulk transaction of `--big` nodes (4 records each).
 * Usage: node dist/bench/streams.js [--small 2000] [--big 50000]
 * (it starts its own `trident serve`, with data-plane ports 30120-30129).
 */
const flag = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const SMALL = flag("small", 2000);
const BIG = flag("big", 50_000);

const agent = new Agent({ keepAlive: true });

/** A GET whose body is left as it came (compressed or not): the reader's cost of inflating is measured too. */
function get(url: string, gzip: boolean): Promise<{ status: number; gzip: boolean; body: Buffer }> {
  return new Promise((resolve, reject) => {
    httpGet(url, { agent, headers: gzip ? { "accept-encoding": "gzip" } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          gzip: res.headers["content-encoding"] === "gzip",
          body: Buffer.concat(chunks),
        }),
      );
    }).on("error", reject);
  });
}

const own = await startChildServer("trident", ["--delays", "instant", "--data-plane-ports", "30120-30129"]);
try {
  const neptune = new NeptuneClient({ region: "us-east-1", endpoint: own.endpoint, credentials: ADMIN_CREDENTIALS });
  await neptune.send(
    new CreateDBClusterParameterGroupCommand({
      DBClusterParameterGroupName: "streams",
      DBParameterGroupFamily: "neptune1.4",
      Description: "bench",
    }),
  );
  await neptune.send(
    new ModifyDBClusterParameterGroupCommand({
      DBClusterParameterGroupName: "streams",
      Parameters: [{ ParameterName: "neptune_streams", ParameterValue: "1", ApplyMethod: "pending-reboot" }],
    }),
  );
  const cluster = await servingBenchCluster(own.endpoint, { DBClusterParameterGroupName: "streams" });
  const endpoint = `http://${cluster.Endpoint}:${cluster.Port}`;
  const cypher = async (query: string, parameters: object) => {
    const response = await fetch(`${endpoint}/openCypher`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ query, parameters: JSON.stringify(parameters) }).toString(),
    });
    if (response.status !== 200) throw new Error(`write failed: ${response.status} ${await response.text()}`);
  };
  let t0 = performance.now();
  for (let i = 0; i < SMALL; i++)
    await cypher("UNWIND range(1, 10) AS k CREATE (:Small {tx: $tx, k: k, name: 'n' + toString(k)})", { tx: i });
  console.log(`wrote ${SMALL} transactions of 40 records in ${((performance.now() - t0) / 1000).toFixed(2)}s`);
  t0 = performance.now();
  await cypher("UNWIND range(1, $n) AS k CREATE (:Big {k: k, name: 'b' + toString(k), w: k / 3.0})", { n: BIG });
  console.log(`wrote one transaction of ${BIG * 4} records in ${((performance.now() - t0) / 1000).toFixed(2)}s`);
  const total = SMALL * 40 + BIG * 4;

  for (const limit of [1000, 10_000, 100_000])
    for (const gzip of [false, true]) {
      const started = performance.now();
      let records = 0;
      let requests = 0;
      let bytes = 0;
      let query = `iteratorType=TRIM_HORIZON&limit=${limit}`;
      for (;;) {
        const response = await get(`${endpoint}/propertygraph/stream?${query}`, gzip);
        requests++;
        if (response.status === 404) break;
        if (response.status !== 200) throw new Error(`read failed: ${response.status} ${response.body.toString()}`);
        bytes += response.body.length;
        const text = response.gzip ? gunzipSync(response.body).toString() : response.body.toString();
        const page = JSON.parse(text) as { totalRecords: number; lastEventId: { commitNum: number; opNum: number } };
        records += page.totalRecords;
        const { commitNum, opNum } = page.lastEventId;
        query = `iteratorType=AFTER_SEQUENCE_NUMBER&commitNum=${commitNum}&opNum=${opNum}&limit=${limit}`;
      }
      if (records !== total) throw new Error(`read ${records} records, expected ${total}`);
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `read ${records} records with limit ${limit}${gzip ? ", gzip" : ""}: ${requests} requests, ` +
          `${(bytes / 1048576).toFixed(1)} MiB on the wire, ${seconds.toFixed(2)}s, ${Math.round(records / seconds)} records/s`,
      );
    }
} finally {
  agent.destroy();
  own.child.kill();
}
