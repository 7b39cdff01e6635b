import { randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { Agent } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateKeyCommand, EncryptCommand, KMSClient } from "@aws-sdk/client-kms";
import { CreateDBClusterCommand, NeptuneClient } from "@aws-sdk/client-neptune";
import { ADMIN_CREDENTIALS } from "./lib/clusters.js";
import { fetchAnswer, runLoad, startChildServer, type PreparedRequest } from "./lib/load.js";
import { presign } from "./lib/sign.js";
import { runWrk, wrkInstalled } from "./lib/wrk.js";
import { benchOptions } from "./lib/options.js";
import { pinnedPlacement, pinThisProcess } from "./lib/cpus.js";

/**
 * One signed workload against Trident, against any other endpoint given (a moto server, LocalStack), and against a
 * bare node:http server that sends Trident's recorded response bytes and does nothing else (the transport's limit),
 * each measured in turn in the same run, so that the ratios hold on a shared machine whose load varies:
 *   - DescribeDBClusters returning 20 clusters (Neptune, awsQuery);
 *   - GetCallerIdentity (STS, awsQuery, no domain work);
 *   - KMS Encrypt and Decrypt of 4 KiB, alternating (awsJson1_1, real AES-256-GCM).
 * Every request is signed with SigV4 (the demo admin of account 111111111111; other endpoints accept any key).
 * The load comes from wrk when it is installed (`apt-get install -y wrk`), else from bench/lib/load.ts, both with
 * `--connections` keep-alive connections.
 *
 * Usage: npm run bench:compare -- [--other NAME=URL]… [--seconds 5] [--warmup 1] [--rounds 1] [--connections 32]
 *        [--threads 2] [--load wrk|node] [--only describe|caller|kms] [--trident URL (a running `trident serve`,
 *        e.g. profiled)]
 *        [--calibrate 5,12 (bare servers that also spin N µs per request)] [--bare-together] [--pin]
 * With `--rounds N` the endpoints take turns N times and each one's best round makes the ratio.
 * Each server started here has its CPU per request printed (Linux: its utime + stime from /proc/PID/stat around
 * each measured run, divided by the requests answered; the lowest of the rounds): the figure that a shared machine's
 * load disturbs least. A `--trident URL` server is not this process's child: its CPU is not measured.
 * `--calibrate 5,12` adds a row per workload for the bare server spinning 5 µs, then 12 µs, per request: what a
 * fixed cost per request does to the ratio on the machine measured. `--bare-together` adds a row for the bare server
 * sending the answers made in one turn together at its end (src/server/turn-end.ts), as Trident does: how much of
 * the ratio is that way of writing rather than the work per request. `--pin` (Linux, two CPUs or more) runs every
 * server started here on CPU 0 and the load on the others (bench/lib/cpus.ts); an `--other` or `--trident` server
 * runs wherever it was started.
 * e.g. with moto: python3 -m moto.server -p 5000 & npm run bench:compare -- --other moto=http://127.0.0.1:5000
 */
const values = benchOptions({
  other: { type: "string", multiple: true, default: [] },
  seconds: { type: "string", default: "5" },
  warmup: { type: "string", default: "1" },
  rounds: { type: "string", default: "1" },
  connections: { type: "string", default: "32" },
  threads: { type: "string", default: "2" },
  load: { type: "string" },
  only: { type: "string", multiple: true },
  trident: { type: "string" },
  calibrate: { type: "string" },
  "bare-together": { type: "boolean", default: false },
  pin: { type: "boolean", default: false },
});
const placement = values.pin ? pinnedPlacement() : undefined;
if (placement) pinThisProcess(placement);
const seconds = Number(values.seconds);
const warmupSeconds = Number(values.warmup);
const rounds = Number(values.rounds);
const connections = Number(values.connections);
const useWrk = values.load ? values.load === "wrk" : wrkInstalled();
const CLUSTERS = 20;
const calibrations = (values.calibrate ?? "")
  .split(",")
  .filter((each) => each.trim() !== "")
  .map((each) => {
    const micros = Number(each);
    if (!(micros > 0)) throw new Error(`--calibrate takes µs per request, e.g. 5,12; got ${each}`);
    return micros;
  });

interface Target {
  name: string;
  endpoint: string;
}

interface Workload {
  name: string;
  /** The signed requests for one endpoint, replayed in turn. */
  prepare(endpoint: string): Promise<PreparedRequest[]>;
}

const WORKLOADS: Workload[] = [
  {
    name: "describe",
    async prepare(endpoint) {
      const neptune = new NeptuneClient({ region: "us-east-1", endpoint, credentials: ADMIN_CREDENTIALS });
      for (let i = 0; i < CLUSTERS; i++) {
        const id = `compare-${String(i).padStart(2, "0")}`;
        await neptune
          .send(new CreateDBClusterCommand({ DBClusterIdentifier: id, Engine: "neptune" }))
          .catch((error: Error) => {
            if (error.name !== "DBClusterAlreadyExistsFault") throw error; // a second run on the same endpoint
          });
      }
      neptune.destroy();
      const params = { Action: "DescribeDBClusters", Version: "2014-10-31" };
      return [await presign(endpoint, ADMIN_CREDENTIALS, { service: "rds", params })];
    },
  },
  {
    name: "caller",
    async prepare(endpoint) {
      const params = { Action: "GetCallerIdentity", Version: "2011-06-15" };
      return [await presign(endpoint, ADMIN_CREDENTIALS, { service: "sts", params })];
    },
  },
  {
    name: "kms",
    async prepare(endpoint) {
      const kms = new KMSClient({ region: "us-east-1", endpoint, credentials: ADMIN_CREDENTIALS });
      const keyId = (await kms.send(new CreateKeyCommand({ Description: "compare" }))).KeyMetadata!.KeyId!;
      const plaintext = randomBytes(4096);
      const encrypted = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext }));
      kms.destroy();
      return [
        await presign(endpoint, ADMIN_CREDENTIALS, {
          service: "kms",
          target: "Encrypt",
          json: { KeyId: keyId, Plaintext: plaintext.toString("base64") },
        }),
        await presign(endpoint, ADMIN_CREDENTIALS, {
          service: "kms",
          target: "Decrypt",
          json: { CiphertextBlob: Buffer.from(encrypted.CiphertextBlob!).toString("base64") },
        }),
      ];
    },
  },
];

/** One answer as sent, its headers and bytes: what the bare server replays. */
async function record(endpoint: string, prepared: PreparedRequest) {
  const answer = await fetchAnswer(new Agent(), new URL(endpoint), prepared);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(answer.headers)) {
    if (typeof value === "string" && name !== "connection" && name !== "keep-alive") headers[name] = value;
  }
  return { status: answer.status, headers, body: answer.body.toString("base64") };
}

/** The kind of a request as the bare server tells them apart (bench/lib/bare-server.ts). */
const kindOf = (prepared: PreparedRequest) => prepared.headers["x-amz-target"] ?? prepared.body.split("&", 1)[0]!;

/**
 * The steady state: the same load for `--warmup` seconds first, not counted, so that each server is measured with
 * its code compiled (the bare server's little code warms at once; Trident's would pay its JIT in its figure).
 */
async function measure(endpoint: string, requests: PreparedRequest[], pid: number | undefined): Promise<Measured> {
  if (warmupSeconds > 0) await load(endpoint, requests, warmupSeconds);
  const before = pid === undefined ? undefined : cpuTicks(pid);
  const result = await load(endpoint, requests, seconds);
  if (before === undefined || result.requests === 0) return result;
  const after = cpuTicks(pid!);
  if (after === undefined) return result;
  const perRequest = (ticks: number) => (ticks * 1e6) / TICKS_PER_SECOND / result.requests;
  return {
    ...result,
    cpu: { user: perRequest(after.user - before.user), system: perRequest(after.system - before.system) },
  };
}

interface Measured {
  perSecond: number;
  requests: number;
  errors: number;
  /** The server's CPU µs per request answered, in user and kernel mode (Linux, a child of this process only). */
  cpu?: { user: number; system: number };
}

/** The kernel's clock ticks per second, the unit of /proc/PID/stat's times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** A process's CPU time so far (utime, stime: proc(5) fields 14 and 15), or undefined where there is no /proc. */
function cpuTicks(pid: number): { user: number; system: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Field 2, the command's name, is in parentheses and may hold spaces: the fields are counted after it.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { user: Number(fields[11]), system: Number(fields[12]) };
  } catch {
    return undefined;
  }
}

async function load(endpoint: string, requests: PreparedRequest[], forSeconds: number): Promise<Measured> {
  if (useWrk) return runWrk(endpoint, requests, { connections, threads: Number(values.threads), seconds: forSeconds });
  return runLoad(
    { endpoint, concurrency: connections, requests: Number.MAX_SAFE_INTEGER, durationMs: forSeconds * 1000 },
    (i) => requests[i % requests.length]!,
  );
}

const others: Target[] = values.other.map((spec) => {
  const eq = spec.indexOf("=");
  if (eq < 1) throw new Error(`--other takes NAME=URL, got ${spec}`);
  return { name: spec.slice(0, eq), endpoint: spec.slice(eq + 1) };
});
const workloads = WORKLOADS.filter((w) => !values.only || values.only.includes(w.name));

const trident = values.trident
  ? { endpoint: values.trident, child: undefined }
  : await startChildServer("trident", [], placement?.servers);
let bare: Awaited<ReturnType<typeof startChildServer>> | undefined;
/**
 * The bare server's variants, by their row's name: spinning N µs per request (--calibrate), or sending the answers
 * of a turn together at its end as Trident does (--bare-together).
 */
const calibrated = new Map<string, Awaited<ReturnType<typeof startChildServer>>>();
try {
  const targets: Target[] = [{ name: "trident", endpoint: trident.endpoint }, ...others];
  // Every endpoint's requests are prepared (and its state seeded) before anything is measured.
  const prepared = new Map<string, Map<string, PreparedRequest[] | Error>>();
  for (const workload of workloads) {
    const byTarget = new Map<string, PreparedRequest[] | Error>();
    for (const target of targets) {
      byTarget.set(target.name, await workload.prepare(target.endpoint).catch((error: Error) => error));
    }
    prepared.set(workload.name, byTarget);
  }
  const recorded: Record<string, unknown> = {};
  for (const [name, byTarget] of prepared) {
    const own = byTarget.get("trident");
    if (own instanceof Error) throw new Error(`trident could not prepare ${name}: ${own.message}`);
    for (const each of own!) recorded[kindOf(each)] = await record(trident.endpoint, each);
  }
  const file = join(mkdtempSync(join(tmpdir(), "trident-compare-")), "responses.json");
  writeFileSync(file, JSON.stringify(recorded));
  bare = await startChildServer("bare", [file], placement?.servers);
  for (const micros of calibrations)
    calibrated.set(`bare+${micros}µs`, await startChildServer("bare", [file, String(micros)], placement?.servers));
  if (values["bare-together"])
    calibrated.set("bare-together", await startChildServer("bare", [file, "0", "together"], placement?.servers));

  console.log(
    `load: ${useWrk ? `wrk, ${values.threads} threads` : "node (bench/lib/load.ts)"}, ${connections} connections, ${seconds}s per endpoint after ${warmupSeconds}s of warm-up${placement ? `; servers on CPU ${placement.servers}, load on CPU ${placement.load}` : ""}`,
  );
  for (const [name, byTarget] of prepared) {
    /** Each endpoint's best round: on a shared machine a round can only lose to others' load, never gain. */
    const figures = new Map<string, number>();
    /** Each server's lowest CPU per request over the rounds (with the same reasoning as the best throughput). */
    const cpuFigures = new Map<string, number>();
    const run = async (
      target: string,
      endpoint: string,
      requests: PreparedRequest[] | Error | undefined,
      pid?: number,
    ) => {
      if (requests instanceof Error || requests === undefined) {
        console.log(`  ${name.padEnd(9)} ${target.padEnd(10)} not measured: ${requests?.message ?? "no requests"}`);
        return;
      }
      const result = await measure(endpoint, requests, pid);
      figures.set(target, Math.max(figures.get(target) ?? 0, result.perSecond));
      let cpu = "";
      if (result.cpu) {
        const total = result.cpu.user + result.cpu.system;
        cpuFigures.set(target, Math.min(cpuFigures.get(target) ?? Infinity, total));
        cpu = `, CPU ${total.toFixed(1)} µs/req (user ${result.cpu.user.toFixed(1)}, sys ${result.cpu.system.toFixed(1)})`;
      }
      console.log(
        `  ${name.padEnd(9)} ${target.padEnd(10)} ${Math.round(result.perSecond).toString().padStart(7)} req/s` +
          cpu +
          (result.errors ? `  (${result.errors} errors)` : ""),
      );
    };
    // Rounds alternate the endpoints, so that a burst of load elsewhere does not fall on one of them only.
    for (let round = 0; round < rounds; round++) {
      await run("trident", trident.endpoint, byTarget.get("trident"), trident.child?.pid);
      await run("bare", bare.endpoint, byTarget.get("trident"), bare.child.pid);
      for (const [row, server] of calibrated)
        await run(row, server.endpoint, byTarget.get("trident"), server.child.pid);
      for (const other of others) await run(other.name, other.endpoint, byTarget.get(other.name));
    }
    if (rounds > 1)
      for (const [target, best] of figures) {
        const cpu = cpuFigures.get(target);
        console.log(
          `  ${name.padEnd(9)} ${target.padEnd(10)} ${Math.round(best).toString().padStart(7)} req/s, best of ${rounds}` +
            (cpu === undefined ? "" : `; CPU ${cpu.toFixed(1)} µs/req, lowest of ${rounds}`),
        );
      }
    const own = figures.get("trident")!;
    const ratios = [`trident/bare ${((own / figures.get("bare")!) * 100).toFixed(1)}%`];
    for (const row of calibrated.keys())
      ratios.push(`${row}/bare ${((figures.get(row)! / figures.get("bare")!) * 100).toFixed(1)}%`);
    if (calibrated.has("bare-together"))
      ratios.push(`trident/bare-together ${((own / figures.get("bare-together")!) * 100).toFixed(1)}%`);
    for (const other of others) {
      const theirs = figures.get(other.name);
      if (theirs) ratios.push(`trident/${other.name} ${(own / theirs).toFixed(1)}×`);
    }
    console.log(`  ${name.padEnd(9)} ${ratios.join(", ")}`);
  }
} finally {
  bare?.child.kill();
  for (const server of calibrated.values()) server.child.kill();
  trident.child?.kill();
}
