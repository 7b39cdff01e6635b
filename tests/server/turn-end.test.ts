import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Agent, createServer, get } from "node:http";
import type { AddressInfo } from "node:net";
import { connect, type Socket } from "node:net";
import { DecryptCommand, EncryptCommand, KMSClient, CreateKeyCommand } from "@aws-sdk/client-kms";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { Emulator } from "../../src/emulator.js";
import { startServer, type RunningServer } from "../../src/server/http.js";
import { A, ADMIN, B, signRequest } from "../helpers/harness.js";
import { sendAnswer, workAtTurnEnd } from "../../src/server/turn-end.js";

/**
 * Answers made in one turn of the event loop leave together at its end (src/server/turn-end.ts). Each must still
 * reach its own socket whole, and a client that goes away before its answer leaves must not keep the others'.
 */
describe("answers sent together at the end of a turn", () => {
  let running: RunningServer;
  before(async () => {
    running = await startServer(new Emulator(), { port: 0 });
  });
  after(() => running.close());

  test("forty requests at once on forty sockets, two accounts and two services: each gets its own answer", async () => {
    // One socket per request in flight, so the requests arrive in the same turns and their answers leave together.
    const requestHandler = new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: 64 }) });
    const client = (account: string) => ({
      sts: new STSClient({
        region: "us-east-1",
        endpoint: running.endpoint,
        credentials: ADMIN[account]!,
        requestHandler,
      }),
      kms: new KMSClient({
        region: "us-east-1",
        endpoint: running.endpoint,
        credentials: ADMIN[account]!,
        requestHandler,
      }),
    });
    const [a, b] = [client(A), client(B)];
    const keyId = (await a.kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const plaintexts = Array.from({ length: 20 }, (_, i) => Buffer.from(`answer ${i} `.repeat(i + 1)));
    const [identities, ciphertexts] = await Promise.all([
      Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? b : a).sts.send(new GetCallerIdentityCommand({})))),
      Promise.all(plaintexts.map((Plaintext) => a.kms.send(new EncryptCommand({ KeyId: keyId, Plaintext })))),
    ]);
    identities.forEach((identity, i) => assert.equal(identity.Account, i % 2 ? B : A, `request ${i}`));
    const decrypted = await Promise.all(
      ciphertexts.map(({ CiphertextBlob }) => a.kms.send(new DecryptCommand({ CiphertextBlob }))),
    );
    decrypted.forEach((out, i) => assert.deepEqual(Buffer.from(out.Plaintext!), plaintexts[i], `request ${i}`));
    requestHandler.destroy();
  });

  test("clients that hang up before their answers leave cost the others nothing", async () => {
    const signed = await signRequest(
      { service: "sts", credentials: ADMIN[A], params: { Action: "GetCallerIdentity", Version: "2011-06-15" } },
      new URL(running.endpoint).host,
    );
    const head = Object.entries(signed.headers).map(([name, value]) => `${name}: ${value}`);
    const body = String(signed.body);
    const request = `POST / HTTP/1.1\r\n${head.join("\r\n")}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    const { port } = new URL(running.endpoint);
    const sockets = await Promise.all(
      Array.from(
        { length: 20 },
        () =>
          new Promise<Socket>((resolve, reject) => {
            const socket = connect(Number(port), "127.0.0.1", () => resolve(socket));
            socket.once("error", reject);
          }),
      ),
    );
    const answers = sockets.map((socket, i) => {
      if (i % 2) {
        // Gone at once: its answer, made in the same turn as the others', finds the socket destroyed.
        socket.on("error", () => {});
        socket.end(request);
        socket.destroy();
        return undefined;
      }
      return new Promise<string>((resolve) => {
        let text = "";
        socket.on("data", (chunk: Buffer) => {
          text += chunk.toString("utf8");
          if (text.includes("</GetCallerIdentityResponse>")) {
            socket.destroy();
            resolve(text);
          }
        });
        socket.write(request);
      });
    });
    for (const answer of answers.filter((each) => each !== undefined)) {
      const text = await answer;
      assert.match(text, /^HTTP\/1\.1 200 OK\r\n/);
      assert.match(text, /<Account>111111111111<\/Account>/);
    }
    // The server goes on answering.
    const sts = new STSClient({ region: "us-east-1", endpoint: running.endpoint, credentials: ADMIN[B]! });
    assert.equal((await sts.send(new GetCallerIdentityCommand({}))).Account, B);
  });
});

describe("requests worked on at the end of their turn", () => {
  test(
    "a request whose work throws has its connection cut; the others read in the same turn are answered",
    { timeout: 10_000 },
    async () => {
      const order: number[] = [];
      const server = createServer((req, res) => {
        const n = Number(req.url!.slice(1));
        req.resume();
        req.on("end", () =>
          workAtTurnEnd(res, () => {
            order.push(n);
            if (n === 3) throw new Error("a bug in one request's work");
            sendAnswer(res, 200, { "content-type": "text/plain" }, `answer ${n}`);
          }),
        );
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const { port } = server.address() as AddressInfo;
      // One socket each, written at once: the requests are read in the same turn or few, and worked at its end.
      const agent = new Agent({ keepAlive: false, maxSockets: 16 });
      const answers = await Promise.allSettled(
        Array.from({ length: 8 }, (_, n) =>
          fetchText(`http://127.0.0.1:${port}/${n}`, agent).then((text) => ({ n, text })),
        ),
      );
      answers.forEach((answer, n) => {
        if (n === 3) assert.equal(answer.status, "rejected", "the request whose work threw has no answer");
        else assert.deepEqual(answer.status === "fulfilled" && answer.value, { n, text: `answer ${n}` });
      });
      assert.deepEqual(
        [...order].sort((x, y) => x - y),
        [0, 1, 2, 3, 4, 5, 6, 7],
        "each request worked on once",
      );
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  );
});

/** A GET's answer body, as text; rejected when the connection is cut before an answer. */
function fetchText(url: string, agent: Agent): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { agent }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve(text));
      res.on("error", reject);
    }).on("error", reject);
  });
}
