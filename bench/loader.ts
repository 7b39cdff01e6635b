import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  GetLoaderJobStatusCommand,
  GetPropertygraphSummaryCommand,
  NeptunedataClient,
  StartLoaderJobCommand,
} from "@aws-sdk/client-neptunedata";
import { ADMIN_CREDENTIALS, benchClusterEndpoint } from "./lib/clusters.js";
import { startChildServer } from "./lib/load.js";
import { benchOptions } from "./lib/options.js";

/**
 * The bulk loader's throughput: a generated Gremlin CSV set (`--vertices`, default 100,000; `--edges`, default
 * 1,000,000, with a string, an integer and a double property each) loaded by one StartLoaderJob on a cluster's
 * endpoint of a `trident serve` of its own (data-plane ports 30120-30129; `--data-dir` for a durable store).
 * Prints the load's time (the request: the load runs within it), edges/s and records/s, and checks the summary.
 * Usage: node dist/bench/loader.js [--vertices N] [--edges N] [--data-dir DIR]
 */
const values = benchOptions({
  vertices: { type: "string" },
  edges: { type: "string" },
  "data-dir": { type: "string" },
});
const VERTICES = Number(values.vertices ?? 100_000);
const EDGES = Number(values.edges ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), "trident-loader-bench-"));
const v = ["~id,~label,name:String,rank:Int"];
for (let i = 0; i < VERTICES; i++) v.push(`v${i},${i % 3 ? "Person" : "Place"},name-${i},${i}`);
writeFileSync(join(dir, "vertices.csv"), v.join("\n") + "\n");
const e = ["~id,~from,~to,~label,since:Int,weight:Double"];
for (let i = 0; i < EDGES; i++)
  e.push(`e${i},v${i % VERTICES},v${(i * 7919 + 1) % VERTICES},LINKS,${1990 + (i % 30)},${i / 7}`);
writeFileSync(join(dir, "edges.csv"), e.join("\n") + "\n");
const dataDir = values["data-dir"] ? ["--data-dir", values["data-dir"]] : [];
const own = await startChildServer("trident", ["--delays", "instant", "--data-plane-ports", "30120-30129", ...dataDir]);
try {
  const data = new NeptunedataClient({
    region: "us-east-1",
    endpoint: await benchClusterEndpoint(own.endpoint),
    credentials: ADMIN_CREDENTIALS,
  });
  const t0 = performance.now();
  const started = await data.send(
    new StartLoaderJobCommand({
      source: dir,
      format: "csv",
      s3BucketRegion: "us-east-1",
      iamRoleArn: "arn:aws:iam::111111111111:role/NeptuneLoadFromS3",
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const status = await data.send(new GetLoaderJobStatusCommand({ loadId: started.payload!["loadId"]! }));
  const overall = (status.payload as { overallStatus: Record<string, unknown> }).overallStatus;
  const summary = (await data.send(new GetPropertygraphSummaryCommand({}))).payload!.graphSummary!;
  if (overall["status"] !== "LOAD_COMPLETED" || summary.numEdges !== EDGES || summary.numNodes !== VERTICES)
    throw new Error(`the load did not complete as expected: ${JSON.stringify({ overall, summary })}`);
  console.log(
    `bulk load of ${VERTICES.toLocaleString("en")} vertices + ${EDGES.toLocaleString("en")} edges ` +
      `(Gremlin CSV, one StartLoaderJob${dataDir.length ? ", durable store" : ", memory store"}): ` +
      `${seconds.toFixed(2)} s, ${Math.round(EDGES / seconds).toLocaleString("en")} edges/s, ` +
      `${Math.round((VERTICES + EDGES) / seconds).toLocaleString("en")} records/s`,
  );
} finally {
  own.child.kill();
  rmSync(dir, { recursive: true, force: true });
}
