import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";
import { GetPropertygraphSummaryCommand, NeptunedataClient, StartLoaderJobCommand } from "@aws-sdk/client-neptunedata";
import { ModifyDBClusterCommand, NeptuneClient } from "@aws-sdk/client-neptune";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import gremlin from "gremlin";
import { Sha256 } from "../src/auth/sha256.js";
import { seededRandom } from "../src/util/random.js";
import { ADMIN_CREDENTIALS, servingBenchCluster } from "./lib/clusters.js";
import { generatedGraph, type Scalar } from "./lib/graph-data.js";
import { percentile, startChildServer } from "./lib/load.js";
import { benchOptions } from "./lib/options.js";

/**
 * Gremlin over WebSocket with the official client (its default serializer, GraphBinary) on the openCypher bench's
 * graph (bench/lib/graph-data.ts: by default 200,000 nodes under 4 labels and 1,000,000 relationships of 5 types,
 * properties of every type), bulk-loaded as Gremlin CSV by one StartLoaderJob into a `trident serve` of its own
 * (data-plane ports 30200-30209). Then, from random persons, `--connections` connections each running traversals
 * one after the other: 1-hop `g.V(id).out('KNOWS').count()` and 2-hop `g.V(id).out('KNOWS').out('KNOWS').count()`.
 * Each as bytecode (`DriverRemoteConnection`), as a string script over the same WebSocket (`Client.submit`, op
 * eval) and as a script over HTTP (`POST /gremlin`). Prints traversals/s, p50 and p99 (after `--warmup` unmeasured
 * traversals of each). Figures only. With `--iam`, then again with IAM database authentication turned on:
 * connections SigV4-signed at the handshake, each traversal authorized by the admin's policies.
 * Usage: node dist/bench/gremlin.js [--nodes 200000] [--rels 1000000] [--traversals 20000] [--connections 4]
 *          [--warmup 2000] [--iam]
 */
const values = benchOptions({
  nodes: { type: "string", default: "200000" },
  rels: { type: "string", default: "1000000" },
  traversals: { type: "string", default: "20000" },
  connections: { type: "string", default: "4" },
  warmup: { type: "string", default: "2000" },
  iam: { type: "boolean", default: false },
});
const NODES = Number(values.nodes);
const RELS = Number(values.rels);
const TRAVERSALS = Number(values.traversals);
const CONNECTIONS = Number(values.connections);
const WARMUP = Number(values.warmup);

/** The generated graph as Gremlin CSV (reference §5.3): one vertex file, one edge file (a blank field: no value). */
async function writeCsv(dir: string): Promise<void> {
  const data = generatedGraph(NODES, RELS);
  const field = (v: Scalar | undefined): string => {
    if (v === undefined) return "";
    if (v instanceof Date) return v.toISOString().slice(0, 19) + "Z";
    if (Array.isArray(v)) return v.join(";");
    return String(v);
  };
  const write = async (file: string, header: string, lines: Iterable<string>) => {
    const out = createWriteStream(join(dir, file));
    out.write(header + "\n");
    for (const line of lines) if (!out.write(line + "\n")) await once(out, "drain");
    out.end();
    await once(out, "finish");
  };
  const vertexKeys = ["uid", "name", "rank", "score", "active", "created", "tags"];
  await write(
    "vertices.csv",
    "~id,~label,uid:Long,name:String,rank:Int,score:Double,active:Bool,created:Date,tags:String[]",
    (function* () {
      for (let i = 0; i < NODES; i++) {
        const { id, label, properties } = data.node(i);
        yield [id, label, ...vertexKeys.map((k) => field(properties[k]))].join(",");
      }
    })(),
  );
  await write(
    "edges.csv",
    "~id,~from,~to,~label,since:Int,weight:Double,at:Date",
    (function* () {
      let n = 0;
      for (const batch of data.relationshipBatches(10_000))
        for (const rel of batch) {
          const p = rel.properties;
          yield [
            `r${n++}`,
            `n${rel.start}`,
            `n${rel.end}`,
            rel.type,
            field(p.since),
            field(p.weight),
            field(p.at),
          ].join(",");
        }
    })(),
  );
}

const dir = mkdtempSync(join(tmpdir(), "trident-gremlin-bench-"));
const own = await startChildServer("trident", ["--delays", "instant", "--data-plane-ports", "30200-30209"]);
const connections: { close(): Promise<void> }[] = [];
try {
  const cluster = await servingBenchCluster(own.endpoint);
  const data = new NeptunedataClient({
    region: "us-east-1",
    endpoint: `http://${cluster.Endpoint}:${cluster.Port}`,
    credentials: ADMIN_CREDENTIALS,
  });
  const t0 = performance.now();
  await writeCsv(dir);
  const t1 = performance.now();
  await data.send(
    new StartLoaderJobCommand({
      source: dir,
      format: "csv",
      s3BucketRegion: "us-east-1",
      iamRoleArn: "arn:aws:iam::111111111111:role/NeptuneLoadFromS3",
    }),
  );
  const summary = (await data.send(new GetPropertygraphSummaryCommand({}))).payload!.graphSummary!;
  if (summary.numNodes !== NODES || summary.numEdges !== RELS)
    throw new Error(`the load did not complete: ${summary.numNodes} nodes, ${summary.numEdges} edges`);
  console.log(
    `graph: ${NODES} vertices, ${RELS} edges; CSV written in ${((t1 - t0) / 1000).toFixed(2)} s, bulk-loaded in ` +
      `${((performance.now() - t1) / 1000).toFixed(2)} s`,
  );

  const { traversal } = gremlin.process.AnonymousTraversalSource;
  const url = `ws://${cluster.Endpoint}:${cluster.Port}/gremlin`;
  /** The handshake headers gremlin-aws-sigv4 sends: GET /gremlin signed for neptune-db. */
  const signedHeaders = async () => {
    const request = new HttpRequest({
      method: "GET",
      protocol: "http:",
      hostname: cluster.Endpoint!,
      port: cluster.Port!,
      path: "/gremlin",
      headers: { host: `${cluster.Endpoint}:${cluster.Port}` },
    });
    const signer = new SignatureV4({
      service: "neptune-db",
      region: "us-east-1",
      credentials: ADMIN_CREDENTIALS,
      sha256: Sha256,
    });
    return (await signer.sign(request)).headers;
  };
  /** `CONNECTIONS` connections, each a bytecode source and a script client (signed at the handshake if asked). */
  const open = async (signed: boolean) =>
    Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        const options = signed ? { headers: await signedHeaders() } : {};
        const connection = new gremlin.driver.DriverRemoteConnection(url, options);
        const client = new gremlin.driver.Client(url, { traversalSource: "g", ...options });
        connections.push(connection, client);
        return { g: traversal().withRemote(connection), client };
      }),
    );
  type Connection = Awaited<ReturnType<typeof open>>[number];
  const http = async (script: string) => {
    const response = await fetch(`http://${cluster.Endpoint}:${cluster.Port}/gremlin`, {
      method: "POST",
      body: JSON.stringify({ gremlin: script }),
    });
    if (response.status !== 200) throw new Error(`${script}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  const persons = generatedGraph(NODES, 0).nodeRange("Person");
  const random = seededRandom(7);
  const somePerson = () => `n${persons.from + random.int(persons.to - persons.from)}`;
  const measure = async (label: string, pool: Connection[], run: (c: Connection, id: string) => Promise<unknown>) => {
    for (let i = 0; i < WARMUP; i++) await run(pool[i % pool.length]!, somePerson()); // JIT, not measured
    const latencies: number[] = [];
    let next = 0;
    const start = performance.now();
    await Promise.all(
      pool.map(async (connection) => {
        while (next++ < TRAVERSALS) {
          const t = performance.now();
          await run(connection, somePerson());
          latencies.push(performance.now() - t);
        }
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    latencies.sort((a, b) => a - b);
    console.log(
      `${label}: ${TRAVERSALS} traversals in ${seconds.toFixed(2)} s over ${pool.length} connections = ` +
        `${Math.round(TRAVERSALS / seconds)} traversals/s; p50 ${percentile(latencies, 50).toFixed(2)} ms, ` +
        `p99 ${percentile(latencies, 99).toFixed(2)} ms`,
    );
  };
  const ONE_HOP = "out('KNOWS').count()";
  const TWO_HOP = "out('KNOWS').out('KNOWS').count()";
  const hops = async (pool: Connection[], suffix: string) => {
    await measure(`1-hop g.V(id).${ONE_HOP}${suffix}`, pool, ({ g }, id) => g.V(id).out("KNOWS").count().next());
    await measure(`2-hop g.V(id).${TWO_HOP}${suffix}`, pool, ({ g }, id) =>
      g.V(id).out("KNOWS").out("KNOWS").count().next(),
    );
    await measure(`1-hop script (op eval)${suffix}`, pool, ({ client }, id) =>
      client.submit(`g.V('${id}').${ONE_HOP}`),
    );
    await measure(`2-hop script (op eval)${suffix}`, pool, ({ client }, id) =>
      client.submit(`g.V('${id}').${TWO_HOP}`),
    );
  };
  const plain = await open(false);
  await hops(plain, "");
  await measure("1-hop script over HTTP", plain, (_, id) => http(`g.V('${id}').${ONE_HOP}`));
  await measure("2-hop script over HTTP", plain, (_, id) => http(`g.V('${id}').${TWO_HOP}`));
  if (values.iam) {
    const neptune = new NeptuneClient({ region: "us-east-1", endpoint: own.endpoint, credentials: ADMIN_CREDENTIALS });
    await neptune.send(
      new ModifyDBClusterCommand({
        DBClusterIdentifier: "bench",
        EnableIAMDatabaseAuthentication: true,
        ApplyImmediately: true,
      }),
    );
    await hops(await open(true), ", IAM auth");
  }
} finally {
  for (const connection of connections) await connection.close();
  own.child.kill();
  rmSync(dir, { recursive: true, force: true });
}
