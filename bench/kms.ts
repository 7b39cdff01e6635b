import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { CreateKeyCommand, EncryptCommand, KMSClient } from "@aws-sdk/client-kms";
import { ADMIN_CREDENTIALS } from "./lib/clusters.js";
import { runLoad, startChildServer, type PreparedRequest } from "./lib/load.js";
import { presign } from "./lib/sign.js";
import { runWrk, wrkInstalled } from "./lib/wrk.js";
import { benchOptions } from "./lib/options.js";

/**
 * KMS Encrypt + Decrypt of 4 KiB through the API (alternating; the requests of `bench/compare.ts --only kms`), and
 * what the server process spent on each: its CPU time (utime + stime from /proc/PID/stat, Linux) over the measured
 * run divided by the requests answered. On a shared machine that figure moves much less than throughput does.
 * The load is wrk's when it is installed, else bench/lib/load.ts's.
 * Usage: node dist/bench/kms.js [--endpoint URL (no CPU figure)] [--connections 32] [--seconds 5] [--warmup 1]
 *        [--rounds 3] [--context (a 3-pair encryption context)]
 */
const values = benchOptions({
  endpoint: { type: "string" },
  connections: { type: "string", default: "32" },
  seconds: { type: "string", default: "5" },
  warmup: { type: "string", default: "1" },
  rounds: { type: "string", default: "3" },
  context: { type: "boolean", default: false },
});
const connections = Number(values.connections);
const useWrk = wrkInstalled();
const own = values.endpoint ? undefined : await startChildServer("trident");
const endpoint = values.endpoint ?? own!.endpoint;
const credentials = ADMIN_CREDENTIALS;

/** The process's user and system CPU time in µs (fields 14 and 15 of /proc/PID/stat, in clock ticks of 10 ms). */
function cpuOf(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { user: Number(fields[11]) * 10_000, system: Number(fields[12]) * 10_000 };
}

async function load(requests: PreparedRequest[], seconds: number): Promise<{ perSecond: number; requests: number }> {
  if (useWrk) return runWrk(endpoint, requests, { connections, threads: 2, seconds });
  return runLoad(
    { endpoint, concurrency: connections, requests: Number.MAX_SAFE_INTEGER, durationMs: seconds * 1000 },
    (i) => requests[i % requests.length]!,
  );
}

try {
  const kms = new KMSClient({ region: "us-east-1", endpoint, credentials });
  const keyId = (await kms.send(new CreateKeyCommand({ Description: "bench" }))).KeyMetadata!.KeyId!;
  const plaintext = randomBytes(4096);
  const EncryptionContext = values.context ? { purpose: "bench", tenant: "t-0042", table: "orders" } : undefined;
  const encrypted = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionContext }));
  kms.destroy();
  const requests = [
    await presign(endpoint, credentials, {
      service: "kms",
      target: "Encrypt",
      json: { KeyId: keyId, Plaintext: plaintext.toString("base64"), EncryptionContext },
    }),
    await presign(endpoint, credentials, {
      service: "kms",
      target: "Decrypt",
      json: { CiphertextBlob: Buffer.from(encrypted.CiphertextBlob!).toString("base64"), EncryptionContext },
    }),
  ];
  await load(requests, Number(values.warmup));
  console.log(
    `KMS Encrypt+Decrypt 4 KiB${values.context ? " (3-pair context)" : ""} @ ${endpoint}, ` +
      `${useWrk ? "wrk" : "node load"}, ${connections} connections:`,
  );
  for (let round = 0; round < Number(values.rounds); round++) {
    const before = own && cpuOf(own.child.pid!);
    const result = await load(requests, Number(values.seconds));
    const after = own && cpuOf(own.child.pid!);
    const perRequest = (us: number) => (us / result.requests).toFixed(1);
    const cpu =
      before && after
        ? `; server CPU ${perRequest(after.user + after.system - before.user - before.system)} µs/request ` +
          `(user ${perRequest(after.user - before.user)}, sys ${perRequest(after.system - before.system)})`
        : "";
    console.log(`  ${Math.round(result.perSecond)} req/s${cpu}`);
  }
} finally {
  own?.child.kill();
}
