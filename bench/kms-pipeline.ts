import { randomBytes } from "node:crypto";
import { GCProfiler, getHeapStatistics } from "node:v8";
import { CreateKeyCommand, EncryptCommand, KMSClient } from "@aws-sdk/client-kms";
import { DEFAULT_CREDENTIALS, SOURCE_ACCOUNT } from "../src/config/defaults.js";
import { Emulator } from "../src/emulator.js";
import { InProcessHandler } from "../src/server/inprocess.js";
import { handleRequest, type RawRequest } from "../src/server/pipeline.js";
import { presign } from "./lib/sign.js";
import { benchOptions } from "./lib/options.js";

/**
 * KMS Encrypt + Decrypt of 4 KiB (alternating) handed straight to the request pipeline, with no socket and no
 * HTTP: what one request costs Trident itself (SigV4, the JSON protocol, key resolution, the key policy,
 * AES-256-GCM, the store's unit of work), apart from the transport that bench/compare.ts measures with it. Run it
 * under `node --cpu-prof` to see where that cost goes. It also prints the bytes of V8 heap each request allocates (its
 * garbage, from the heap's use before each collection; Buffers' external memory is not in it): a figure that the
 * other processes on a shared machine do not move.
 * Usage: node dist/bench/kms-pipeline.js [--requests 40000] [--context] (--context: a 3-pair encryption context)
 */
const values = benchOptions({
  requests: { type: "string", default: "40000" },
  context: { type: "boolean", default: false },
});
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const requests = Number(values.requests);
const endpoint = "http://trident.local";
const credentials = DEFAULT_CREDENTIALS[SOURCE_ACCOUNT];
const emulator = new Emulator();
const kms = new KMSClient({
  region: "us-east-1",
  endpoint,
  credentials,
  requestHandler: new InProcessHandler(emulator),
});
const keyId = (await kms.send(new CreateKeyCommand({ Description: "bench" }))).KeyMetadata!.KeyId!;
const plaintext = randomBytes(4096);
const EncryptionContext = values.context ? { purpose: "bench", tenant: "t-0042", table: "orders" } : undefined;
const encrypted = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionContext }));
const asRaw = async (target: string, json: unknown): Promise<RawRequest> => {
  const prepared = await presign(endpoint, credentials, { service: "kms", target, json });
  const headers = Object.fromEntries(Object.entries(prepared.headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { method: "POST", url: "/", headers, body: Buffer.from(prepared.body) };
};
const calls = [
  await asRaw("Encrypt", { KeyId: keyId, Plaintext: plaintext.toString("base64"), EncryptionContext }),
  await asRaw("Decrypt", {
    CiphertextBlob: Buffer.from(encrypted.CiphertextBlob!).toString("base64"),
    EncryptionContext,
  }),
];

/**
 * Wall time, the CPU time this process used (less sensitive to other processes on a shared machine), and the V8
 * heap allocated: what each collection found in use, less what the one before left, and what the run left.
 */
const run = async (count: number) => {
  const gc = new GCProfiler();
  gc.start();
  const startHeap = getHeapStatistics().used_heap_size;
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < count; i++) {
    const { response } = await handleRequest(emulator, calls[i % 2]!);
    if (response.status !== 200) throw new Error(`status ${response.status}: ${response.body.toString()}`);
  }
  const used = process.cpuUsage(cpu);
  const ms = performance.now() - started;
  const endHeap = getHeapStatistics().used_heap_size;
  let allocated = 0;
  let last = startHeap;
  for (const { beforeGC, afterGC } of gc.stop()?.statistics ?? []) {
    allocated += beforeGC.heapStatistics.usedHeapSize - last;
    last = afterGC.heapStatistics.usedHeapSize;
  }
  allocated += endHeap - last;
  return { ms, cpuMs: (used.user + used.system) / 1000, allocated };
};
await run(Math.min(2000, requests)); // warm up
const { ms, cpuMs, allocated } = await run(requests);
console.log(
  `KMS Encrypt+Decrypt 4 KiB in process${values.context ? " (3-pair context)" : ""}: ${requests} requests in ` +
    `${(ms / 1000).toFixed(2)}s = ${Math.round((requests / ms) * 1000)} ops/s; ` +
    `CPU ${((cpuMs * 1000) / requests).toFixed(1)} µs/op = ${Math.round((requests / cpuMs) * 1000)} ops per CPU-second; ` +
    `V8 heap allocated ${(allocated / requests / 1024).toFixed(1)} KiB/op`,
);
kms.destroy();
