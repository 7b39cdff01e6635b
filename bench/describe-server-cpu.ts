import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { Agent } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateDBClusterCommand, NeptuneClient } from "@aws-sdk/client-neptune";
import { ADMIN_CREDENTIALS } from "./lib/clusters.js";
import { fetchAnswer, startChildServer } from "./lib/load.js";
import { presign } from "./lib/sign.js";
import { runWrk, wrkInstalled } from "./lib/wrk.js";

/**
 * The server process's own CPU per request under load (s4's "truth": a hot in-process loop under-states it 2.5-4x):
 * a `trident serve` started here, 20 clusters, signed DescribeDBClusters (or GetCallerIdentity with `--caller`)
 * replayed by wrk; the server's utime and stime from /proc/PID/stat before and after each round, divided by the
 * requests wrk counted; then the same for the bare server sending Trident's same answer (bench/lib/bare-server.ts).
 * The best of `--rounds` is printed for each, with the throughput of that round.
 *
 * Usage: node dist/bench/describe-server-cpu.js [--seconds 5] [--rounds 3] [--connections 32] [--caller] [--no-bare]
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const argument = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? fallback : Number(process.argv[at + 1]);
};
const SECONDS = argument("seconds", 5);
const ROUNDS = argument("rounds", 3);
const CONNECTIONS = argument("connections", 32);
const CALLER = process.argv.includes("--caller");
const CLUSTERS = 20;

if (!wrkInstalled()) throw new Error("wrk is needed (apt-get install -y wrk)");

/** The process's user and system CPU time in µs (fields 14 and 15 of /proc/PID/stat, in clock ticks of 10 ms). */
function cpuOf(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { user: Number(fields[11]) * 10_000, system: Number(fields[12]) * 10_000 };
}

const server = await startChildServer("trident");
let bare: Awaited<ReturnType<typeof startChildServer>> | undefined;
try {
  const { endpoint } = server;
  const neptune = new NeptuneClient({ region: "us-east-1", endpoint, credentials: ADMIN_CREDENTIALS });
  for (let i = 0; i < CLUSTERS; i++) {
    const id = `compare-${String(i).padStart(2, "0")}`;
    await neptune.send(new CreateDBClusterCommand({ DBClusterIdentifier: id, Engine: "neptune" }));
  }
  neptune.destroy();
  const request = CALLER
    ? await presign(endpoint, ADMIN_CREDENTIALS, {
        service: "sts",
        params: { Action: "GetCallerIdentity", Version: "2011-06-15" },
      })
    : await presign(endpoint, ADMIN_CREDENTIALS, {
        service: "rds",
        params: { Action: "DescribeDBClusters", Version: "2014-10-31" },
      });
  const options = { connections: CONNECTIONS, threads: 2, seconds: 1 };
  const operation = CALLER ? "GetCallerIdentity" : `DescribeDBClusters (${CLUSTERS} clusters)`;
  console.log(`${operation}: ${await measure(server.child.pid!, endpoint)} (trident)`);
  if (!process.argv.includes("--no-bare")) {
    // The bare server sending Trident's same answer: the transport's own cost, the floor.
    const answer = await fetchAnswer(new Agent(), new URL(endpoint), request);
    const headers = Object.fromEntries(
      Object.entries(answer.headers).filter(
        (entry): entry is [string, string] =>
          typeof entry[1] === "string" && !/^(connection|keep-alive)$/.test(entry[0]),
      ),
    );
    const file = join(mkdtempSync(join(tmpdir(), "trident-cpu-")), "responses.json");
    const kind = request.body.split("&", 1)[0]!;
    writeFileSync(
      file,
      JSON.stringify({ [kind]: { status: answer.status, headers, body: answer.body.toString("base64") } }),
    );
    bare = await startChildServer("bare", [file]);
    console.log(`${operation}: ${await measure(bare.child.pid!, bare.endpoint)} (bare, ${answer.body.length} bytes)`);
  }

  /** The best round's CPU per request of process `pid` serving `at`, after a warm-up round. */
  async function measure(pid: number, at: string): Promise<string> {
    await runWrk(at, [request], options); // warm-up: compiled code, kept views
    let best: { perSecond: number; user: number; system: number } | undefined;
    for (let round = 0; round < ROUNDS; round++) {
      const before = cpuOf(pid);
      const result = await runWrk(at, [request], { ...options, seconds: SECONDS });
      const after = cpuOf(pid);
      if (result.errors > 0) throw new Error(`${result.errors} errors`);
      const figure = {
        perSecond: result.perSecond,
        user: (after.user - before.user) / result.requests,
        system: (after.system - before.system) / result.requests,
      };
      if (!best || figure.user + figure.system < best.user + best.system) best = figure;
    }
    return (
      `${(best!.user + best!.system).toFixed(1)} µs CPU per request in the server ` +
      `(user ${best!.user.toFixed(1)}, sys ${best!.system.toFixed(1)}), ${Math.round(best!.perSecond)} req/s`
    );
  }
} finally {
  server.child.kill();
  bare?.child.kill();
}
