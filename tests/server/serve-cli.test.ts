import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import { Agent, request, type IncomingMessage } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateKeyCommand, DecryptCommand, EncryptCommand, KMSClient } from "@aws-sdk/client-kms";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { ADMIN, A, signRequest } from "../helpers/harness.js";
import { MAIN, serve } from "../helpers/serve-process.js";

const PASSPHRASE = "a passphrase for the tests";

/** Runs `trident state …` to its end. */
function stateCli(args: string[], env: NodeJS.ProcessEnv = { TRIDENT_STATE_PASSPHRASE: PASSPHRASE }) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [MAIN, "state", ...args], { env: { ...process.env, ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code) : 0, stdout, stderr }),
    );
  });
}

function kms(endpoint: string) {
  return new KMSClient({ region: "us-east-1", endpoint, credentials: ADMIN[A]!, maxAttempts: 1 });
}

describe("trident serve", () => {
  test("takes accounts and users from --config, logs each request, and stops cleanly on SIGTERM", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trident-"));
    const config = join(dir, "accounts.json");
    writeFileSync(
      config,
      JSON.stringify({
        accounts: {
          "333333333333": { users: [{ name: "ops", accessKeyId: "AKIA3333333333OPS001", secretAccessKey: "s3cret" }] },
        },
      }),
    );
    const server = serve(["--config", config]);
    const endpoint = await server.ready;
    const sts = new STSClient({
      region: "eu-west-1",
      endpoint,
      credentials: { accessKeyId: "AKIA3333333333OPS001", secretAccessKey: "s3cret" },
    });
    const id = await sts.send(new GetCallerIdentityCommand({}));
    assert.equal(id.Arn, "arn:aws:iam::333333333333:user/ops");
    server.child.kill("SIGTERM");
    assert.equal(await server.exited, 0);
    assert.match(server.output(), /GetCallerIdentity account=333333333333 status=200 /);
    assert.match(server.output(), /SIGTERM, shutting down/);
  });

  test("a config that is not valid stops it with a clear message and exit code 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trident-"));
    const config = join(dir, "bad.json");
    writeFileSync(config, JSON.stringify({ accounts: { "12345": {} } }));
    const server = serve(["--config", config]);
    assert.equal(await server.exited, 2);
    assert.match(server.errors(), /invalid config .*account id '12345' is not 12 digits/);
  });

  test("SIGTERM: idle connections close, new ones are refused, the request in flight gets its whole answer, exit 0", async () => {
    const server = serve(["--drain-timeout", "30"]);
    const endpoint = new URL(await server.ready);
    const port = Number(endpoint.port);
    // An idle keep-alive connection.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const idle = await new Promise<IncomingMessage>((resolve) =>
      request({ host: endpoint.hostname, port, path: "/_trident/health", agent }, resolve).end(),
    );
    idle.resume();
    const idleSocket = idle.socket;
    const idleClosed = new Promise<void>((resolve) => idleSocket.once("close", () => resolve()));
    await new Promise((resolve) => idle.once("end", resolve));
    // A signed request whose body is held back until the server is draining: it is in flight when SIGTERM comes.
    const signed = await signRequest(
      { service: "sts", credentials: ADMIN[A], params: { Action: "GetCallerIdentity", Version: "2011-06-15" } },
      endpoint.host,
    );
    const inFlight = request({
      host: endpoint.hostname,
      port,
      method: "POST",
      path: "/",
      headers: { ...signed.headers, expect: "100-continue" },
    });
    const answered = new Promise<{ status: number; headers: IncomingMessage["headers"]; body: string }>((resolve) =>
      inFlight.once("response", (response) => {
        let body = "";
        response.on("data", (chunk: Buffer) => (body += chunk.toString()));
        response.once("end", () => resolve({ status: response.statusCode!, headers: response.headers, body }));
      }),
    );
    await new Promise((resolve) => inFlight.once("continue", resolve)); // the server has the request
    server.child.kill("SIGTERM");
    await server.printed(/SIGTERM, shutting down: finishing requests in flight \(up to 30s\)/);
    await idleClosed;
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(port, endpoint.hostname);
      socket.once("connect", () => (socket.destroy(), resolve("connected")));
      socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
    });
    assert.equal(refused, "ECONNREFUSED", server.output() + server.errors());
    inFlight.end(signed.body as string);
    const response = await answered;
    assert.equal(response.status, 200);
    assert.equal(response.headers.connection, "close");
    assert.match(response.body, /<Account>111111111111<\/Account>[\s\S]*<\/GetCallerIdentityResponse>/);
    assert.equal(await server.exited, 0);
    agent.destroy();
  });

  test("a request still in flight when the drain timeout ends is cut, and the exit code says so", async () => {
    const server = serve(["--drain-timeout", "0.2"]);
    const endpoint = new URL(await server.ready);
    const stuck = request({
      host: endpoint.hostname,
      port: Number(endpoint.port),
      method: "POST",
      path: "/",
      headers: { expect: "100-continue", "content-length": "10" },
    });
    const cut = new Promise<string>((resolve) =>
      stuck.once("error", (error: NodeJS.ErrnoException) => resolve(error.code!)),
    );
    await new Promise((resolve) => stuck.once("continue", resolve));
    server.child.kill("SIGTERM");
    assert.equal(await server.exited, 1);
    assert.equal(await cut, "ECONNRESET");
    assert.match(server.output(), /trident: requests still in flight were cut after the drain timeout\n/);
  });

  test("the banner says where state lives and that memory state is lost when the server stops", async () => {
    const server = serve([]);
    await server.ready;
    await server.printed(/trident: state lives in memory and is lost when the server stops\n/);
    server.child.kill("SIGINT");
    assert.equal(await server.exited, 0);
  });

  test("trident state export, then serve --import and trident state import, bring a key back; a bad file changes nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trident-state-"));
    const file = join(dir, "rehearsal.json");
    const first = serve([]);
    const firstEndpoint = await first.ready;
    const key = (await kms(firstEndpoint).send(new CreateKeyCommand({}))).KeyMetadata!;
    const { CiphertextBlob } = await kms(firstEndpoint).send(
      new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from("kept") }),
    );
    const exported = await stateCli(["export", file, "--endpoint-url", firstEndpoint]);
    assert.equal(exported.code, 0, exported.stderr);
    assert.equal(exported.stdout, `trident: state of ${firstEndpoint} exported to ${file}\n`);
    assert.equal(statSync(file).mode & 0o777, 0o600, "only its owner may read the document");
    first.child.kill("SIGTERM");
    await first.exited;

    const decrypts = async (endpoint: string) =>
      Buffer.from((await kms(endpoint).send(new DecryptCommand({ CiphertextBlob }))).Plaintext!).toString();

    const started = serve(["--import", file], { TRIDENT_STATE_PASSPHRASE: PASSPHRASE });
    const startedEndpoint = await started.ready;
    await started.printed(new RegExp(`trident: state imported from ${file}`));
    assert.equal(await decrypts(startedEndpoint), "kept");

    const fresh = serve([]);
    const freshEndpoint = await fresh.ready;
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ format: "trident-state", version: 9, rows: [] }));
    const refused = await stateCli(["import", bad, "--endpoint-url", freshEndpoint]);
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      /^trident state: the server refused \(400\): the document has format version 9, written by a newer Trident/,
    );
    const imported = await stateCli(["import", file, "--endpoint-url", freshEndpoint]);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /imported into .* \(\d+ rows\)/);
    assert.equal(await decrypts(freshEndpoint), "kept");

    const wrong = serve(["--import", file], { TRIDENT_STATE_PASSPHRASE: "not it" });
    assert.equal(await wrong.exited, 2);
    assert.match(wrong.errors(), /^trident serve: --import .*: the passphrase does not open this document/);
    for (const server of [started, fresh]) server.child.kill("SIGTERM");
    await Promise.all([started.exited, fresh.exited]);
    const unreachable = await stateCli(["export", file, "--endpoint-url", freshEndpoint]);
    assert.equal(unreachable.code, 1);
    assert.equal(unreachable.stderr, `trident state: cannot reach trident serve at ${freshEndpoint}: ECONNREFUSED\n`);
  });
});
