import { DEFAULT_CREDENTIALS, SOURCE_ACCOUNT } from "../src/config/defaults.js";
import { formatResult, parseBenchArgs, runLoad, startChildServer } from "./lib/load.js";
import { presign } from "./lib/sign.js";

/**
 * Signed STS GetCallerIdentity at a given concurrency: the cost of the whole pipeline (routing, SigV4
 * verification, serialization) with no domain work. `--bare` also measures a bare node:http server for the
 * physical-limit ratio. Usage: node dist/bench/sts.js [--endpoint URL] [--concurrency 32] [--seconds 10] [--bare]
 */
const args = parseBenchArgs();
const own = args.endpoint ? undefined : await startChildServer("trident");
const endpoint = args.endpoint ?? own!.endpoint;
try {
  const prepared = await presign(endpoint, DEFAULT_CREDENTIALS[SOURCE_ACCOUNT], {
    service: "sts",
    params: { Action: "GetCallerIdentity", Version: "2011-06-15" },
  });
  const result = await runLoad(
    { endpoint, concurrency: args.concurrency, requests: args.requests, durationMs: args.durationMs },
    () => prepared,
  );
  console.log(formatResult(`trident GetCallerIdentity (signed) @ ${endpoint}`, result, args.concurrency));
  if (args.bare) {
    const bare = await startChildServer("bare");
    try {
      const baseline = await runLoad(
        {
          endpoint: bare.endpoint,
          concurrency: args.concurrency,
          requests: args.requests,
          durationMs: args.durationMs,
        },
        () => prepared,
      );
      console.log(formatResult("bare node:http baseline", baseline, args.concurrency));
      console.log(`ratio trident/bare: ${((result.perSecond / baseline.perSecond) * 100).toFixed(1)}%`);
    } finally {
      bare.child.kill();
    }
  }
} finally {
  own?.child.kill();
}
