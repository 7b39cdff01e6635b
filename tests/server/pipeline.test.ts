import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import {
  CreateDBClusterParameterGroupCommand,
  ListTagsForResourceCommand,
  NeptuneClient,
} from "@aws-sdk/client-neptune";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Emulator } from "../../src/emulator.js";
import { openDurableStore } from "../../src/state/durable-store.js";
import { startServer, type RunningServer } from "../../src/server/http.js";
import { handleRequest, reply } from "../../src/server/pipeline.js";
import { ADMIN, A, errorOf, inProcess, signRequest } from "../helpers/harness.js";

describe("the pipeline", () => {
  test("an unknown Query action is InvalidAction (400)", async () => {
    const { raw } = inProcess();
    const result = await raw({ service: "rds", params: { Action: "CreateBucket", Version: "2014-10-31" } });
    assert.equal(result.status, 400);
    assert.equal(result.code, "InvalidAction");
    assert.equal(result.message, "The action CreateBucket is not valid for this web service.");
  });

  test("an unknown JSON target is UnknownOperationException", async () => {
    const { raw } = inProcess();
    const result = await raw({ service: "kms", target: "MakeCoffee", json: {} });
    assert.equal(result.status, 400);
    assert.equal(result.code, "UnknownOperationException");
  });

  test("an operation of the model without a handler answers NotImplemented naming it", async () => {
    const { raw } = inProcess();
    const result = await raw({
      // Every Neptune operation is served now: IAM's delegation requests are still unserved.
      service: "iam",
      params: { Action: "AcceptDelegationRequest", Version: "2010-05-08", DelegationRequestId: "d-0123456789abcdef" },
    });
    assert.equal(result.status, 501);
    assert.equal(result.code, "NotImplemented");
    assert.equal(result.message, "Trident does not implement IAM operation AcceptDelegationRequest yet.");
    assert.match(result.body, /<Type>Receiver<\/Type>/);
  });

  test("a missing required Neptune parameter is MissingParameter, before any handler runs", async () => {
    const { raw } = inProcess();
    const result = await raw({
      service: "rds",
      params: { Action: "CreateEventSubscription", Version: "2014-10-31", SubscriptionName: "s" },
    });
    assert.equal(result.status, 400);
    assert.equal(result.code, "MissingParameter");
    assert.equal(result.message, "The request must contain the parameter SnsTopicArn");
  });

  test("KMS input constraints are ValidationException with Coral's wording", async () => {
    const { raw } = inProcess();
    const result = await raw({ service: "kms", target: "Encrypt", json: { KeyId: "", Plaintext: "" } });
    assert.equal(result.status, 400);
    assert.equal(result.code, "ValidationException");
    assert.equal(
      result.message,
      "2 validation errors detected: Value '' at 'keyId' failed to satisfy constraint: Member must have length greater than or equal to 1; Value at 'plaintext' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });

  test("no credentials: MissingAuthenticationToken (403) for Query, MissingAuthenticationTokenException (400) for JSON", async () => {
    const { raw } = inProcess();
    const query = await raw({
      service: "sts",
      params: { Action: "GetCallerIdentity", Version: "2011-06-15" },
      credentials: undefined,
    });
    assert.equal(query.status, 403);
    assert.equal(query.code, "MissingAuthenticationToken");
    assert.equal(query.message, "Request is missing Authentication Token");
    const json = await raw({ service: "kms", target: "ListKeys", json: {}, credentials: undefined });
    assert.equal(json.status, 400);
    assert.equal(json.code, "MissingAuthenticationTokenException");
  });

  test("a signature 16 minutes old is refused with AWS's 'Signature expired' wording, per protocol", async () => {
    const { raw } = inProcess();
    const old = new Date(Date.now() - 16 * 60_000);
    const query = await raw({
      service: "sts",
      params: { Action: "GetCallerIdentity", Version: "2011-06-15" },
      signingDate: old,
    });
    assert.equal(query.status, 403);
    assert.equal(query.code, "SignatureDoesNotMatch");
    assert.match(
      query.message!,
      /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/,
    );
    const json = await raw({ service: "kms", target: "ListKeys", json: {}, signingDate: old });
    assert.equal(json.status, 400);
    assert.equal(json.code, "InvalidSignatureException");
  });

  test("a body changed after signing is SignatureDoesNotMatch", async () => {
    const { emulator } = inProcess();
    const { handleRequest } = await import("../../src/server/pipeline.js");
    const signed = await signRequest({
      service: "sts",
      credentials: ADMIN[A],
      params: { Action: "GetCallerIdentity", Version: "2011-06-15" },
    });
    const { response } = await handleRequest(emulator, {
      method: "POST",
      url: "/",
      headers: signed.headers,
      body: Buffer.from("Action=GetCallerIdentity&Version=2011-06-16"),
    });
    assert.equal(response.status, 403);
    assert.equal(errorOf(response.body.toString()).code, "SignatureDoesNotMatch");
  });

  test("a credential scoped to another service is refused", async () => {
    const { raw } = inProcess();
    const result = await raw({
      service: "sts",
      target: "ListKeys",
      json: {},
      headers: { "x-amz-target": "TrentService.ListKeys", "content-type": "application/x-amz-json-1.1" },
    });
    assert.equal(result.status, 400);
    assert.equal(result.code, "InvalidSignatureException");
    assert.equal(result.message, "Credential should be scoped to correct service: 'kms'. ");
  });
});

describe("the HTTP server", () => {
  let running: RunningServer;
  const logLines: string[] = [];
  before(async () => {
    running = await startServer(new Emulator(), { port: 0, maxBodyBytes: 4096, log: (line) => logLines.push(line) });
  });
  after(() => running.close());

  test("answers the SDK over a socket, with x-amzn-RequestId, and logs one line per request", async () => {
    const sts = new STSClient({ region: "us-east-1", endpoint: running.endpoint, credentials: ADMIN[A]! });
    const out = await sts.send(new GetCallerIdentityCommand({}));
    assert.equal(out.Account, A);
    assert.match(out.$metadata.requestId!, /^[0-9a-f-]{36}$/);
    assert.match(logLines.at(-1)!, /^GetCallerIdentity account=111111111111 status=200 \d+\.\dms$/);
  });

  test("GET /_trident/health says it is up, which boot this is, since when, and where state lives", async () => {
    const response = await fetch(`${running.endpoint}/_trident/health`);
    assert.equal(response.status, 200);
    const health = (await response.json()) as { bootId: string };
    assert.deepEqual(health, {
      status: "ok",
      bootId: running.emulator.bootId,
      startedAt: running.emulator.startedAt.toISOString(),
      state: { store: "memory" },
    });
    assert.match(health.bootId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.notEqual(new Emulator().bootId, health.bootId, "a new start has a new boot id");
    const dir = mkdtempSync(join(tmpdir(), "trident-health-"));
    const onDisk = new Emulator({ store: openDurableStore(dir) });
    try {
      const { response: disk } = await handleRequest(onDisk, {
        method: "GET",
        url: "/_trident/health",
        headers: {},
        body: Buffer.alloc(0),
      });
      assert.deepEqual(JSON.parse(disk.body.toString()).state, { store: "data-dir", dataDir: dir });
    } finally {
      onDisk.store.close();
    }
  });

  test("an oversized body is refused with 413 and nothing is processed", async () => {
    const response = await fetch(running.endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "Action=GetCallerIdentity&x=" + "a".repeat(5000),
    });
    assert.equal(response.status, 413);
    const body = await response.text();
    assert.match(
      body,
      /^<ErrorResponse xmlns="http:\/\/rds.amazonaws.com\/doc\/2014-10-31\/"><Error><Type>Sender<\/Type><Code>RequestEntityTooLarge<\/Code><Message>Request body exceeds 4096 bytes.<\/Message><\/Error><RequestId>/,
    );
    assert.equal(body.match(/<RequestId>([^<]+)</)![1], response.headers.get("x-amzn-requestid"));
    const json = await fetch(running.endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "TrentService.Encrypt" },
      body: JSON.stringify({ KeyId: "k", Plaintext: "a".repeat(5000) }),
    });
    assert.equal(json.status, 413);
    assert.deepEqual(await json.json(), {
      __type: "RequestEntityTooLarge",
      message: "Request body exceeds 4096 bytes.",
    });
  });

  test("presigned GetCallerIdentity URL works over the socket", async () => {
    const { SignatureV4 } = await import("@smithy/signature-v4");
    const { HttpRequest } = await import("@smithy/protocol-http");
    const { Sha256 } = await import("../helpers/harness.js");
    const url = new URL(running.endpoint);
    const signer = new SignatureV4({ service: "sts", region: "us-east-1", credentials: ADMIN[A]!, sha256: Sha256 });
    const presigned = await signer.presign(
      new HttpRequest({
        method: "GET",
        protocol: "http:",
        hostname: url.hostname,
        port: Number(url.port),
        path: "/",
        query: { Action: "GetCallerIdentity", Version: "2011-06-15" },
        headers: { host: url.host },
      }),
      { expiresIn: 60 },
    );
    const query = new URLSearchParams(presigned.query as Record<string, string>).toString();
    const response = await fetch(`${running.endpoint}/?${query}`);
    const body = await response.text();
    assert.equal(response.status, 200, body);
    assert.match(body, /<Arn>arn:aws:iam::111111111111:user\/admin<\/Arn>/);
  });
});

describe("the response path", () => {
  test("a short text answer stays text, and Content-Length counts its UTF-8 bytes", () => {
    const response = reply(200, "r1", "text/xml", "<Name>Gruß, 東京</Name>");
    assert.equal(response.body, "<Name>Gruß, 東京</Name>");
    assert.equal(response.headers["content-length"], "26"); // ß is 2 bytes, each CJK character 3
  });

  test("a long text answer is encoded once into bytes", () => {
    const text = `<Name>${"東京".repeat(2500)}</Name>`;
    const response = reply(200, "r1", "text/xml", text);
    assert.ok(Buffer.isBuffer(response.body));
    assert.equal(response.body.toString("utf8"), text);
    assert.equal(response.headers["content-length"], String(Buffer.byteLength(text)));
  });

  test("a short answer holding non-ASCII text reaches the SDK whole over a socket", async () => {
    const running = await startServer(new Emulator(), { port: 0 });
    try {
      const neptune = new NeptuneClient({ region: "us-east-1", endpoint: running.endpoint, credentials: ADMIN[A]! });
      const created = await neptune.send(
        new CreateDBClusterParameterGroupCommand({
          DBClusterParameterGroupName: "tagged",
          DBParameterGroupFamily: "neptune1.4",
          Description: "tags in many scripts",
          Tags: [{ Key: "city", Value: "Gruß 東京 Zürich" }],
        }),
      );
      const listed = await neptune.send(
        new ListTagsForResourceCommand({ ResourceName: created.DBClusterParameterGroup!.DBClusterParameterGroupArn }),
      );
      assert.deepEqual(listed.TagList, [{ Key: "city", Value: "Gruß 東京 Zürich" }]);
    } finally {
      await running.close();
    }
  });

  test("every answer has its own version 4 UUID as request id, in its header and its body", async () => {
    const signed = await signRequest({
      service: "sts",
      credentials: ADMIN[A],
      params: { Action: "GetCallerIdentity", Version: "2011-06-15" },
    });
    const request = { method: "POST", url: "/", headers: signed.headers, body: Buffer.from(signed.body as string) };
    const emulator = new Emulator();
    await handleRequest(emulator, request);
    // More than the 4,096 ids one draw of random bytes makes (util/random.ts): the second draw's ids are new too.
    const ids = new Set<string>();
    for (let i = 0; i < 9000; i++) {
      const { response } = await handleRequest(emulator, request);
      const id = response.headers["x-amzn-requestid"]!;
      assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.ok(String(response.body).includes(`<RequestId>${id}</RequestId>`));
      ids.add(id);
    }
    assert.equal(ids.size, 9000);
  });

  test("a request answered at once comes back without a promise; one that writes to a data directory waits", async () => {
    // Signed first: only handleRequest's own answer is looked at, never awaited before it is.
    const signed = async (params: Record<string, string>) => {
      const service = params.Action === "GetCallerIdentity" ? "sts" : "rds";
      const request = await signRequest({ service, credentials: ADMIN[A], params });
      const body = Buffer.from(request.body as string);
      return { method: "POST", url: "/", headers: request.headers, body };
    };
    const caller = await signed({ Action: "GetCallerIdentity", Version: "2011-06-15" });
    const emulator = new Emulator();
    assert.ok(handleRequest(emulator, caller) instanceof Promise, "a service's code is loaded on its first request");
    await handleRequest(emulator, caller);
    const inMemory = handleRequest(emulator, caller);
    assert.ok(!(inMemory instanceof Promise));
    assert.equal(inMemory.response.status, 200);

    const dir = mkdtempSync(join(tmpdir(), "trident-now-"));
    const onDisk = new Emulator({ store: openDurableStore(dir) });
    try {
      const describe = await signed({ Action: "DescribeDBClusterParameterGroups", Version: "2014-10-31" });
      await handleRequest(onDisk, caller);
      await handleRequest(onDisk, describe); // both services' code loaded
      assert.ok(!(handleRequest(onDisk, caller) instanceof Promise), "a read writes nothing: no wait");
      assert.ok(!(handleRequest(onDisk, describe) instanceof Promise));
      const create = await signed({
        Action: "CreateDBClusterParameterGroup",
        Version: "2014-10-31",
        DBClusterParameterGroupName: "kept",
        DBParameterGroupFamily: "neptune1.4",
        Description: "written before its answer",
      });
      const created = handleRequest(onDisk, create);
      assert.ok(created instanceof Promise);
      assert.equal((await created).response.status, 200);
    } finally {
      onDisk.store.close();
    }
  });
});
