import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";
import { parseArgs } from "node:util";
import { GetPropertygraphSummaryCommand, NeptunedataClient, StartLoaderJobCommand } from "@aws-sdk/client-neptunedata";
import gremlin from "gremlin";
import { seededRandom } from "../tests/helpers/random.js";
import { ADMIN_CREDENTIALS, servingBenchCluster } from "./lib/clusters.js";
import { generatedGraph, type Scalar } from "./lib/graph-data.js";
import { percentile, startChildServer } from "./lib/load.js";

/**
 * Gremlin over WebSocket with the official client (its default serializer, GraphBinary) on the openCypher bench's
 * graph (bench/lib/graph-data.ts: by default 200,000 nodes under 4 labels and 1,000,000 relationships of 5 types,
 * properties of every type), bulk-loaded as Gremlin CSV by one StartLoaderJob into a `trident serve` of its own
 * (data-plane ports 30200-30209). Then, from random persons, `--connections` connections each running traversals
 * one after the other: 1-hop `g.V(id).out('KNOWS').count()` and 2-hop `g.V(id).out('KNOWS').out('KNOWS').count()`.
 * Prints traversals/s, p50 and p99 (after `--warmup` unmeasured traversals of each). Figures only.
 * Usage: node dist/bench/gremlin.js [--nodes 200000] [--rels 1000000] [--traversals 20000] [--connections 4]
 *          [--warmup 2000]
 */
const { values } = parseArgs({
  options: {
    nodes: { type: "string", default: "200000" },
    rels: { type: "string", default: "1000000" },
    traversals: { type: "string", default: "20000" },
    connections: { type: "string", default: "4" },
    warmup: { type: "string", default: "2000" },
  },
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
const connections: InstanceType<typeof gremlin.driver.DriverRemoteConnection>[] = [];
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
  const sources = Array.from({ length: CONNECTIONS }, () => {
    const connection = new gremlin.driver.DriverRemoteConnection(`ws://${cluster.Endpoint}:${cluster.Port}/gremlin`);
    connections.push(connection);
    return traversal().withRemote(connection);
  });
  type Source = (typeof sources)[number];
  const persons = generatedGraph(NODES, 0).nodeRange("Person");
  const random = seededRandom(7);
  const somePerson = () => `n${persons.from + random.int(persons.to - persons.from)}`;
  const measure = async (label: string, run: (g: Source, id: string) => Promise<unknown>) => {
    for (let i = 0; i < WARMUP; i++) await run(sources[i % CONNECTIONS]!, somePerson()); // JIT, not measured
    const latencies: number[] = [];
    let next = 0;
    let found = 0;
    const start = performance.now();
    await Promise.all(
      sources.map(async (g) => {
        while (next++ < TRAVERSALS) {
          const t = performance.now();
          const result = await run(g, somePerson());
          latencies.push(performance.now() - t);
          if (result) found++;
        }
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    latencies.sort((a, b) => a - b);
    console.log(
      `${label}: ${TRAVERSALS} traversals in ${seconds.toFixed(2)} s over ${CONNECTIONS} connections = ` +
        `${Math.round(TRAVERSALS / seconds)} traversals/s; p50 ${percentile(latencies, 50).toFixed(2)} ms, ` +
        `p99 ${percentile(latencies, 99).toFixed(2)} ms (${found} with a non-zero count)`,
    );
  };
  const count = async (t: { next(): Promise<{ value: unknown }> }) => Number((await t.next()).value);
  await measure("1-hop g.V(id).out('KNOWS').count()", (g, id) => count(g.V(id).out("KNOWS").count()));
  await measure("2-hop g.V(id).out('KNOWS').out('KNOWS').count()", (g, id) =>
    count(g.V(id).out("KNOWS").out("KNOWS").count()),
  );
} finally {
  for (const connection of connections) await connection.close();
  own.child.kill();
  rmSync(dir, { recursive: true, force: true });
}
