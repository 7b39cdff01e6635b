import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { CreateKeyCommand, DescribeKeyCommand, KMSClient, ListKeysCommand } from "@aws-sdk/client-kms";
import { CreateDBClusterCommand, DescribeDBClustersCommand, NeptuneClient } from "@aws-sdk/client-neptune";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { Emulator } from "../../src/emulator.js";
import { startServer, type RunningServer } from "../../src/server/http.js";
import { encodeRecord } from "../../src/state/codec.js";
import { DELAY_PROFILES } from "../../src/state/delays.js";
import { REGION } from "../helpers/harness.js";
import { MAIN, serve } from "../helpers/serve-process.js";

const servers: RunningServer[] = [];
after(() => Promise.all(servers.map((server) => server.close())));

const DUMMY = { accessKeyId: "test", secretAccessKey: "test" };

/** A local AWS with relaxed auth on a socket, SDK clients with the dummy key, and raw HTTP to its own endpoints. */
async function server() {
  const emulator = new Emulator({ delays: DELAY_PROFILES.instant, relaxedAuth: true });
  const running = await startServer(emulator, { port: 0 });
  servers.push(running);
  const config = { region: REGION, endpoint: running.endpoint, credentials: DUMMY, maxAttempts: 1 };
  const http = async (method: string, path: string) => {
    const response = await fetch(`${running.endpoint}${path}`, { method });
    return { status: response.status, type: response.headers.get("content-type"), text: await response.text() };
  };
  return {
    running,
    http,
    kms: new KMSClient(config),
    neptune: new NeptuneClient(config),
    snapshot: () => encodeRecord([...running.emulator.store.rows()]),
  };
}

async function populate(s: Awaited<ReturnType<typeof server>>) {
  await s.kms.send(new CreateKeyCommand({}));
  await s.neptune.send(
    new CreateDBClusterCommand({ DBClusterIdentifier: "graph", Engine: "neptune", StorageEncrypted: false }),
  );
}

const countKeys = async (s: Awaited<ReturnType<typeof server>>) =>
  (await s.kms.send(new ListKeysCommand({}))).Keys!.length;
const countClusters = async (s: Awaited<ReturnType<typeof server>>) =>
  (await s.neptune.send(new DescribeDBClustersCommand({}))).DBClusters!.length;

describe("LocalStack's surfaces", () => {
  test("GET /_localstack/health in LocalStack's shape: every service running", async () => {
    const s = await server();
    const health = await s.http("GET", "/_localstack/health");
    assert.equal(health.status, 200);
    assert.equal(health.type, "application/json");
    const body = JSON.parse(health.text) as { services: Record<string, string>; edition: string; version: string };
    // Every service the emulator has (IAM's joins when its API does), each running; RDS beside Neptune.
    for (const service of ["sts", "kms", "neptune", "rds"]) assert.equal(body.services[service], "running");
    assert.deepEqual(Object.keys(body.services).sort(), [...Object.keys(s.running.emulator.services), "rds"].sort());
    assert.equal(body.edition, "trident");
    assert.equal(body.version, "0.1.0");
    assert.equal((await s.http("HEAD", "/_localstack/health")).status, 200);
  });

  test("GET /_localstack/init: every stage up to READY completed, no scripts", async () => {
    const s = await server();
    const init = await s.http("GET", "/_localstack/init");
    assert.deepEqual(JSON.parse(init.text), {
      completed: { BOOT: true, START: true, READY: true, SHUTDOWN: false },
      scripts: [],
    });
    assert.deepEqual(JSON.parse((await s.http("GET", "/_localstack/init/ready")).text), {
      completed: true,
      scripts: [],
    });
    assert.equal((await s.http("GET", "/_localstack/init/nonsense")).status, 404);
  });

  test("POST /_localstack/state/reset clears every service: 200, empty body", async () => {
    const s = await server();
    await populate(s);
    const reset = await s.http("POST", "/_localstack/state/reset");
    assert.equal(reset.status, 200);
    assert.equal(reset.text, "");
    assert.equal(await countKeys(s), 0);
    assert.equal(await countClusters(s), 0);
  });

  test("POST /_localstack/state/kms/reset clears KMS alone", async () => {
    const s = await server();
    await populate(s);
    assert.equal((await s.http("POST", "/_localstack/state/kms/reset")).status, 200);
    assert.equal(await countKeys(s), 0);
    assert.equal(await countClusters(s), 1);
  });

  test("an unknown service in a reset path is a 400 naming the services, and changes nothing", async () => {
    const s = await server();
    await populate(s);
    const before = s.snapshot();
    const reset = await s.http("POST", "/_localstack/state/s3/reset");
    assert.equal(reset.status, 400);
    assert.deepEqual(JSON.parse(reset.text), {
      error: "InvalidParameterValue",
      message: "service must be one of kms, neptune, sts, iam; got 's3'",
    });
    assert.equal(s.snapshot(), before);
    // GET is not a reset.
    const get = await s.http("GET", "/_localstack/state/reset");
    assert.equal(get.status, 405);
    assert.equal(s.snapshot(), before);
  });
});

describe("moto's surface", () => {
  test('POST /moto-api/reset clears all state and answers {"status":"ok"}; GET resets nothing', async () => {
    const s = await server();
    await populate(s);
    const before = s.snapshot();
    assert.equal((await s.http("GET", "/moto-api/reset")).status, 405);
    assert.equal(s.snapshot(), before);
    const reset = await s.http("POST", "/moto-api/reset");
    assert.equal(reset.status, 200);
    assert.deepEqual(JSON.parse(reset.text), { status: "ok" });
    assert.equal(await countKeys(s), 0);
    assert.equal(await countClusters(s), 0);
  });
});

describe("trident serve as LocalStack users start it", () => {
  test("prints Ready. once it serves, on --port 4566, with the account model of --default-account", async () => {
    const server = serve(["--port", "4566", "--relaxed-auth", "--default-account", "123456789012"]);
    const endpoint = await server.ready;
    assert.equal(endpoint, "http://127.0.0.1:4566");
    await server.printed(/^Ready\.$/m);
    const id = await new STSClient({ region: REGION, endpoint, credentials: DUMMY }).send(
      new GetCallerIdentityCommand({}),
    );
    assert.equal(id.Account, "123456789012");
    const key = await new KMSClient({ region: REGION, endpoint, credentials: DUMMY }).send(new CreateKeyCommand({}));
    const described = await new KMSClient({ region: REGION, endpoint, credentials: DUMMY }).send(
      new DescribeKeyCommand({ KeyId: key.KeyMetadata!.KeyId }),
    );
    assert.equal(described.KeyMetadata!.AWSAccountId, "123456789012");
    server.child.kill("SIGTERM");
    assert.equal(await server.exited, 0);
  });

  test("--default-account takes 12 digits only: exit 2 naming the flag", async () => {
    const server = serve(["--relaxed-auth", "--default-account", "12345"]);
    assert.equal(await server.exited, 2);
    assert.match(server.errors(), /--default-account takes a 12-digit AWS account id, not '12345'/);
  });
});

describe("trident env", () => {
  const env = (...args: string[]) => execFileSync(process.execPath, [MAIN, "env", ...args], { encoding: "utf8" });

  test("exports the endpoint for every service, the region and the demo credentials", () => {
    assert.equal(
      env(),
      [
        "export AWS_ENDPOINT_URL=http://127.0.0.1:4599",
        "export AWS_ENDPOINT_URL_KMS=http://127.0.0.1:4599",
        "export AWS_ENDPOINT_URL_STS=http://127.0.0.1:4599",
        "export AWS_ENDPOINT_URL_IAM=http://127.0.0.1:4599",
        "export AWS_ENDPOINT_URL_NEPTUNE=http://127.0.0.1:4599",
        "export AWS_ENDPOINT_URL_RDS=http://127.0.0.1:4599",
        "export AWS_REGION=us-east-1",
        "export AWS_DEFAULT_REGION=us-east-1",
        "export AWS_ACCESS_KEY_ID=AKIA1111111111ADMIN1",
        "export AWS_SECRET_ACCESS_KEY=trident-demo-secret-111111111111-admin",
        "",
      ].join("\n"),
    );
  });

  test("honours --host and --port; --relaxed-auth gives test/test; --format dotenv has no export", () => {
    const out = env(
      "--host",
      "0.0.0.0",
      "--port",
      "4566",
      "--relaxed-auth",
      "--format",
      "dotenv",
      "--region",
      "eu-west-1",
    );
    assert.match(out, /^AWS_ENDPOINT_URL=http:\/\/127\.0\.0\.1:4566$/m);
    assert.match(out, /^AWS_ENDPOINT_URL_NEPTUNE=http:\/\/127\.0\.0\.1:4566$/m);
    assert.match(out, /^AWS_REGION=eu-west-1$/m);
    assert.match(out, /^AWS_ACCESS_KEY_ID=test$/m);
    assert.match(out, /^AWS_SECRET_ACCESS_KEY=test$/m);
    assert.doesNotMatch(out, /export|NEPTUNEDATA/);
  });

  test("a region outside partition aws is refused: exit 2 naming the flag", () => {
    const result = spawnSync(process.execPath, [MAIN, "env", "--region", "mars-north-1"], { encoding: "utf8" });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--region takes a region of partition aws, not 'mars-north-1'/);
    assert.equal(result.stdout, "");
  });

  test("the exports work: the AWS CLI reaches a server started with the same flags", async () => {
    const server = serve(["--relaxed-auth", "--default-account", "123456789012"]);
    const port = new URL(await server.ready).port;
    const variables = Object.fromEntries(
      env("--port", port, "--relaxed-auth", "--format", "dotenv")
        .trim()
        .split("\n")
        .map((line) => line.split("=", 2) as [string, string]),
    );
    const identity = execFileSync("aws", ["sts", "get-caller-identity", "--output", "json"], {
      encoding: "utf8",
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...variables },
    });
    assert.equal((JSON.parse(identity) as { Account: string }).Account, "123456789012");
    server.child.kill("SIGTERM");
    await server.exited;
  });
});
