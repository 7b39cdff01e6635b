import { randomBytes } from "node:crypto";
import { CreateKeyCommand, KMSClient, SignCommand, type KeySpec } from "@aws-sdk/client-kms";
import { DEFAULT_CREDENTIALS, SOURCE_ACCOUNT } from "../src/config/defaults.js";
import { formatResult, parseBenchArgs, runLoad, startChildServer } from "./lib/load.js";
import { presign } from "./lib/sign.js";

/**
 * KMS Sign and Verify (alternating) of a 4 KiB RAW message with each ML-DSA key spec, at a given concurrency: the
 * cost of deriving the key pair from its seed on each call (domain/kms/ml-dsa.ts) and of @noble/post-quantum's
 * lattice work, next to the JSON protocol and key-policy evaluation.
 * Usage: node dist/bench/ml-dsa.js [--endpoint URL] [--concurrency 32] [--seconds 10]
 */
const args = parseBenchArgs();
const own = args.endpoint ? undefined : await startChildServer("trident");
const endpoint = args.endpoint ?? own!.endpoint;
const credentials = DEFAULT_CREDENTIALS[SOURCE_ACCOUNT];
try {
  const kms = new KMSClient({ region: "us-east-1", endpoint, credentials });
  const message = randomBytes(4096);
  for (const spec of ["ML_DSA_44", "ML_DSA_65", "ML_DSA_87"] satisfies KeySpec[]) {
    const key = await kms.send(new CreateKeyCommand({ KeySpec: spec, KeyUsage: "SIGN_VERIFY" }));
    const keyId = key.KeyMetadata!.KeyId!;
    const common = { KeyId: keyId, Message: message.toString("base64"), SigningAlgorithm: "ML_DSA_SHAKE_256" };
    const signed = await kms.send(
      new SignCommand({ KeyId: keyId, Message: message, SigningAlgorithm: "ML_DSA_SHAKE_256" }),
    );
    const sign = await presign(endpoint, credentials, { service: "kms", target: "Sign", json: common });
    const verify = await presign(endpoint, credentials, {
      service: "kms",
      target: "Verify",
      json: { ...common, Signature: Buffer.from(signed.Signature!).toString("base64") },
    });
    const result = await runLoad(
      { endpoint, concurrency: args.concurrency, requests: args.requests, durationMs: args.durationMs },
      (i) => (i % 2 === 0 ? sign : verify),
    );
    console.log(formatResult(`trident KMS ${spec} Sign+Verify 4 KiB @ ${endpoint}`, result, args.concurrency));
  }
} finally {
  own?.child.kill();
}
