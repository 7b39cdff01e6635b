import { createHash } from "node:crypto";
import { CreateKeyCommand, DisableKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import {
  CreateDBClusterCommand,
  CreateDBInstanceCommand,
  ModifyDBClusterCommand,
  NeptuneClient,
  StopDBClusterCommand,
} from "@aws-sdk/client-neptune";
import { Emulator } from "../src/emulator.js";
import { InProcessHandler } from "../src/server/inprocess.js";
import { handleRequest } from "../src/server/pipeline.js";
import { ManualClock } from "../src/state/clock.js";
import { DELAY_PROFILES } from "../src/state/delays.js";
import { seedIds } from "../src/util/random.js";
import { ADMIN_CREDENTIALS } from "./lib/clusters.js";
import { presign } from "./lib/sign.js";

/**
 * A check that DescribeDBClusters' bytes stay the same across a change of the serializer or the cluster views: a
 * fixed scenario (seeded ids, a manual clock, demo delays) of six clusters going through creating, available,
 * stopped, a disabled key, an instance, a modification and days passing, each answer taken twice (a view written
 * anew, then from what was kept), hashed. Run it in two builds (before and after) and compare the hashes.
 *
 * Usage: node dist/bench/describe-bytes.js
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

seedIds(7);
const clock = new ManualClock("2026-11-29T10:00:00.000Z");
const emulator = new Emulator({ clock, delays: DELAY_PROFILES.demo });
const ENDPOINT = "http://trident.local";
const options = {
  region: "us-east-1",
  endpoint: ENDPOINT,
  credentials: ADMIN_CREDENTIALS,
  requestHandler: new InProcessHandler(emulator),
};
const neptune = new NeptuneClient(options);
const kms = new KMSClient(options);

/** One signed DescribeDBClusters answer, without its request id. */
async function describe(): Promise<string> {
  const params = { Action: "DescribeDBClusters", Version: "2014-10-31" };
  const signed = await presign(ENDPOINT, ADMIN_CREDENTIALS, { service: "rds", params });
  const headers = Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const request = { method: "POST", url: "/", headers, body: Buffer.from(signed.body) };
  const { response } = await handleRequest(emulator, request);
  return response.body.toString("utf8").replace(/<RequestId>[^<]*<\/RequestId>/, "");
}

const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
for (let i = 0; i < 6; i++) {
  await neptune.send(
    new CreateDBClusterCommand({
      DBClusterIdentifier: `c-${i}`,
      Engine: "neptune",
      ...(i === 2 ? { StorageEncrypted: true, KmsKeyId: key.Arn } : {}),
      ...(i === 3 ? { BackupRetentionPeriod: 3, DeletionProtection: true } : {}),
    }),
  );
}
const answers = [await describe()];
clock.advance(600_000);
await neptune.send(
  new CreateDBInstanceCommand({
    DBInstanceIdentifier: "c-1-a",
    DBClusterIdentifier: "c-1",
    Engine: "neptune",
    DBInstanceClass: "db.r5.large",
  }),
);
for (const step of [0, 1000, 60_000, 3_600_000, 0, 2 * 86_400_000, 5]) {
  clock.advance(step);
  answers.push(await describe(), await describe());
  if (step === 1000) {
    await neptune.send(
      new ModifyDBClusterCommand({ DBClusterIdentifier: "c-5", DeletionProtection: true, ApplyImmediately: true }),
    );
  }
  if (step === 60_000) await neptune.send(new StopDBClusterCommand({ DBClusterIdentifier: "c-4" }));
  if (step === 3_600_000) await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
}
const statuses = new Set(
  answers.flatMap((answer) => [...answer.matchAll(/<Status>([a-z-]+)<\/Status>/g)].map((m) => m[1])),
);
console.log(
  `${answers.length} DescribeDBClusters answers (${[...statuses].sort().join(", ")}): sha256 ` +
    createHash("sha256").update(answers.join("\n")).digest("hex"),
);
