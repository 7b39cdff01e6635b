import { randomBytes } from "node:crypto";
import { CreateKeyCommand, EncryptCommand, KMSClient } from "@aws-sdk/client-kms";
import { DEFAULT_CREDENTIALS, SOURCE_ACCOUNT } from "../src/config/defaults.js";
import { formatResult, parseBenchArgs, runLoad, startChildServer } from "./lib/load.js";
import { presign } from "./lib/sign.js";

/**
 * KMS Encrypt + Decrypt of 4 KiB through the API (alternating), at a given concurrency: the cost of real
 * AES-256-GCM, key-policy evaluation and the JSON protocol per call.
 * Usage: node dist/bench/kms.js [--endpoint URL] [--concurrency 32] [--seconds 10]
 */
const args = parseBenchArgs();
const own = args.endpoint ? undefined : await startChildServer("trident");
const endpoint = args.endpoint ?? own!.endpoint;
const credentials = DEFAULT_CREDENTIALS[SOURCE_ACCOUNT];
try {
  const kms = new KMSClient({ region: "us-east-1", endpoint, credentials });
  const key = await kms.send(new CreateKeyCommand({ Description: "bench" }));
  const keyId = key.KeyMetadata!.KeyId!;
  const plaintext = randomBytes(4096);
  const encrypted = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext }));
  const encrypt = await presign(endpoint, credentials, {
    service: "kms",
    target: "Encrypt",
    json: { KeyId: keyId, Plaintext: plaintext.toString("base64") },
  });
  const decrypt = await presign(endpoint, credentials, {
    service: "kms",
    target: "Decrypt",
    json: { CiphertextBlob: Buffer.from(encrypted.CiphertextBlob!).toString("base64") },
  });
  const result = await runLoad(
    { endpoint, concurrency: args.concurrency, requests: args.requests, durationMs: args.durationMs },
    (i) => (i % 2 === 0 ? encrypt : decrypt),
  );
  console.log(formatResult(`trident KMS Encrypt+Decrypt 4 KiB @ ${endpoint}`, result, args.concurrency));
} finally {
  own?.child.kill();
}
