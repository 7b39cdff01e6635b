import { CreateKeyCommand, KMSClient, ListKeysCommand } from "@aws-sdk/client-kms";
import { DEFAULT_CREDENTIALS, SOURCE_ACCOUNT } from "../src/config/defaults.js";
import { parseBenchArgs, percentile, startChildServer } from "./lib/load.js";

/**
 * What a CreateKey RSA_4096 costs the other callers: while it is in flight, ListKeys is called back to back, and
 * their latencies are printed with the CreateKey's own time (RSA keys are made off the event loop, before the
 * store's turn: domain/kms/key-generation.ts). Usage: node dist/bench/keygen.js [--endpoint URL] [--requests 3]
 */
const args = parseBenchArgs();
const own = args.endpoint ? undefined : await startChildServer("trident");
const endpoint = args.endpoint ?? own!.endpoint;
try {
  const kms = new KMSClient({ region: "us-east-1", endpoint, credentials: DEFAULT_CREDENTIALS[SOURCE_ACCOUNT] });
  await kms.send(new ListKeysCommand({}));
  for (let round = 0; round < Math.min(args.requests, 10); round++) {
    const started = performance.now();
    let done = false;
    const create = kms
      .send(new CreateKeyCommand({ KeySpec: "RSA_4096", KeyUsage: "SIGN_VERIFY" }))
      .finally(() => (done = true));
    const latencies: number[] = [];
    while (!done) {
      const sent = performance.now();
      await kms.send(new ListKeysCommand({}));
      latencies.push(performance.now() - sent);
    }
    await create;
    latencies.sort((x, y) => x - y);
    console.log(
      `CreateKey RSA_4096 took ${(performance.now() - started).toFixed(0)} ms; meanwhile ${latencies.length} ListKeys: ` +
        `p50 ${percentile(latencies, 50).toFixed(2)} ms, max ${(latencies.at(-1) ?? 0).toFixed(2)} ms`,
    );
  }
} finally {
  own?.child.kill();
}
