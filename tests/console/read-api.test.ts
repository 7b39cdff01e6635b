import assert from "node:assert/strict";
import { get } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { CreateGrantCommand, CreateKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import {
  CreateDBClusterCommand,
  CreateDBClusterSnapshotCommand,
  ModifyDBClusterSnapshotAttributeCommand,
  NeptuneClient,
} from "@aws-sdk/client-neptune";
import {
  ExecuteOpenCypherQueryCommand,
  GetPropertygraphSummaryCommand,
  NeptunedataClient,
} from "@aws-sdk/client-neptunedata";
import { GetSessionTokenCommand, STSClient } from "@aws-sdk/client-sts";
import { DEFAULT_CREDENTIALS } from "../../src/config/defaults.js";
import type { ConsoleOptions } from "../../src/console/service.js";
import { Emulator } from "../../src/emulator.js";
import { Journal } from "../../src/migrate/journal.js";
import { startServer, type RunningServer } from "../../src/server/http.js";
import { encodeRecord } from "../../src/state/codec.js";
import { DELAY_PROFILES } from "../../src/state/delays.js";
import { A, ADMIN, B, REGION } from "../helpers/harness.js";
import { addInstance, endpointsOf, portRange } from "../dataplane/fixture.js";
import { ownerStatement, policyOf, targetStatements } from "../helpers/seed.js";

/**
 * The console's read API on a socket: there only while the console is on, GET only, and never a secret in what it
 * answers (key material, wrapped data keys, secret access keys, session tokens).
 */

const CONSOLE = "/_trident/console";
const servers: RunningServer[] = [];
const dirs: string[] = [];
after(async () => {
  await Promise.all(servers.map((server) => server.close()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function server(console?: ConsoleOptions, dataPlane?: { firstPort: number; lastPort: number }) {
  const emulator = new Emulator({
    delays: DELAY_PROFILES.instant,
    ...(console ? { console } : {}),
    ...(dataPlane ? { dataPlane } : {}),
  });
  const running = await startServer(emulator, { port: 0 });
  servers.push(running);
  const config = { region: REGION, endpoint: running.endpoint, credentials: ADMIN[A]!, maxAttempts: 1 };
  const clients = { kms: new KMSClient(config), neptune: new NeptuneClient(config), sts: new STSClient(config) };
  const call = async (method: string, path: string) => {
    const response = await fetch(`${running.endpoint}${path}`, { method });
    return { status: response.status, headers: response.headers, body: await response.text() };
  };
  const rows = () => encodeRecord([...running.emulator.store.rows()]);
  return { running, clients, call, rows };
}

/** The seed's situation in A: a CMK whose policy lets B in, a grant to B, an encrypted cluster, a snapshot shared with B. */
async function populate(clients: Awaited<ReturnType<typeof server>>["clients"]) {
  const key = (
    await clients.kms.send(new CreateKeyCommand({ Policy: policyOf(ownerStatement(), ...targetStatements()) }))
  ).KeyMetadata!;
  await clients.kms.send(
    new CreateGrantCommand({ KeyId: key.Arn, GranteePrincipal: `arn:aws:iam::${B}:root`, Operations: ["Decrypt"] }),
  );
  await clients.neptune.send(
    new CreateDBClusterCommand({
      DBClusterIdentifier: "orders-graph",
      Engine: "neptune",
      StorageEncrypted: true,
      KmsKeyId: key.Arn,
    }),
  );
  await clients.neptune.send(
    new CreateDBClusterSnapshotCommand({
      DBClusterIdentifier: "orders-graph",
      DBClusterSnapshotIdentifier: "before-move",
    }),
  );
  await clients.neptune.send(
    new ModifyDBClusterSnapshotAttributeCommand({
      DBClusterSnapshotIdentifier: "before-move",
      AttributeName: "restore",
      ValuesToAdd: [B],
    }),
  );
  const session = (await clients.sts.send(new GetSessionTokenCommand({ DurationSeconds: 3600 }))).Credentials!;
  return { key, session };
}

/** Every secret the emulator holds, in each form a careless document could carry it (base64, hex, text). */
function secretsOf(emulator: Emulator, session: { SecretAccessKey?: string; SessionToken?: string }): string[] {
  const secrets: string[] = [session.SecretAccessKey!, session.SessionToken!];
  for (const credentials of Object.values(DEFAULT_CREDENTIALS)) secrets.push(credentials.secretAccessKey);
  for (const row of emulator.store.rows()) {
    const value = row.value as { Material?: Buffer; wrappedDataKey?: Buffer; SecretAccessKey?: string };
    for (const blob of [value.Material, value.wrappedDataKey])
      if (Buffer.isBuffer(blob)) secrets.push(blob.toString("base64"), blob.toString("hex"));
    if (typeof value.SecretAccessKey === "string") secrets.push(value.SecretAccessKey);
  }
  return secrets.filter((secret) => secret.length >= 16);
}

describe("the console's read API", () => {
  test("off (--no-console): every console path answers 404 as an unknown path, the page included", async () => {
    const { call } = await server();
    for (const path of ["", "/", "/app.js", "/api/state", "/api/migrations", "/api/events", "/api/migrations/0.x"]) {
      const answer = await call("GET", `${CONSOLE}${path}`);
      assert.equal(answer.status, 404, path);
      assert.deepEqual(JSON.parse(answer.body), {
        error: "NotFound",
        message: `Trident has no endpoint ${CONSOLE}${path}`,
      });
    }
  });

  test("on: GET only; any other method is 405 naming GET, and changes nothing", async () => {
    const { clients, call, rows } = await server({ journalDirs: [] });
    await populate(clients);
    const before = rows();
    for (const path of ["", "/api/state", "/api/migrations", "/api/events"])
      for (const method of ["POST", "PUT", "DELETE", "PATCH"]) {
        const answer = await call(method, `${CONSOLE}${path}`);
        assert.equal(answer.status, 405, `${method} ${path}`);
        assert.equal(answer.headers.get("allow"), "GET");
        assert.equal(JSON.parse(answer.body).error, "MethodNotAllowed");
      }
    assert.equal((await call("GET", `${CONSOLE}/api/state`)).status, 200);
    assert.equal(rows(), before, "neither the refusals nor a read changed the state");
  });

  test("unknown console paths and malformed ids are 404, never a failure", async () => {
    const { call } = await server({ journalDirs: [] });
    for (const path of [
      "/api/nope",
      "/api/migrations/%E0%A4%A",
      "/api/migrations/0.none",
      "/secrets.json",
      "/app.js.map",
    ])
      assert.equal((await call("GET", `${CONSOLE}${path}`)).status, 404, path);
  });

  test("the state: the seed's situation, read through the domain's views; no secret in any answer", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trident-console-"));
    dirs.push(dir);
    const { running, clients, call } = await server({ journalDirs: [dir] });
    const { key, session } = await populate(clients);
    const journal = Journal.open(join(dir, "m.json"), {
      migrationId: "m",
      region: REGION,
      source: { account: A, cluster: "orders-graph" },
      target: { account: B, cluster: "orders-graph" },
    });
    journal.record("apply", "started");
    journal.complete("snapshot", "created before-move");

    const state = await call("GET", `${CONSOLE}/api/state`);
    assert.equal(state.status, 200);
    assert.match(state.headers.get("content-type") ?? "", /application\/json/);
    const document = JSON.parse(state.body) as {
      accounts: {
        accountId: string;
        clusters: { id: string; status: string; kmsKeyId: string }[];
        snapshots: { id: string; sharedWith: string[]; percentProgress: number }[];
        keys: {
          arn: string;
          policy: { principals: { value: string; external: boolean }[] }[];
          grants: { grantee: string }[];
        }[];
      }[];
      relationships: { edges: { kind: string; from: string; to: string }[] };
    };
    const a = document.accounts.find((account) => account.accountId === A)!;
    assert.deepEqual(
      a.clusters.map((c) => [c.id, c.status, c.kmsKeyId]),
      [["orders-graph", "available", key.Arn]],
    );
    // The cluster's first automated backup is there too (its own test covers it).
    assert.deepEqual(
      a.snapshots.filter((s) => !s.id.startsWith("rds:")).map((s) => [s.id, s.sharedWith, s.percentProgress]),
      [["before-move", [B], 100]],
    );
    const cmk = a.keys.find((k) => k.arn === key.Arn)!;
    assert.ok(cmk.policy.some((s) => s.principals.some((p) => p.value === `arn:aws:iam::${B}:root` && p.external)));
    // Neptune's own grant for the cluster, and the one to B.
    assert.deepEqual(cmk.grants.map((g) => g.grantee).sort(), [
      `arn:aws:iam::${B}:root`,
      "rds.us-east-1.amazonaws.com",
    ]);
    assert.deepEqual(document.relationships.edges.map((e) => e.kind).sort(), ["key-grant", "key-policy", "share"]);

    const bodies = [
      state.body,
      (await call("GET", `${CONSOLE}/api/migrations`)).body,
      (await call("GET", `${CONSOLE}/api/migrations/0.m`)).body,
    ];
    assert.match(bodies[2]!, /"id":"snapshot","title":"snapshot","state":"done"/);
    const secrets = secretsOf(running.emulator, session);
    assert.ok(secrets.length >= 6, `the scan has secrets to look for (${secrets.length})`);
    for (const body of bodies)
      for (const secret of secrets)
        assert.equal(body.includes(secret), false, `a secret leaked: ${secret.slice(0, 8)}…`);
  });

  test("a cluster's graph summary: counts and names as GetPropertygraphSummary has them, never a value", async () => {
    const { clients, call, rows } = await server({ journalDirs: [] }, await portRange());
    await populate(clients);
    type Cluster = { id: string; graph: Record<string, unknown> | null; graphUnavailable?: string };
    const cluster = async () => {
      const body = (await call("GET", `${CONSOLE}/api/state`)).body;
      const accounts = JSON.parse(body).accounts as { accountId: string; clusters: Cluster[] }[];
      return { body, cluster: accounts.find((a) => a.accountId === A)!.clusters[0]! };
    };
    const bare = (await cluster()).cluster;
    assert.deepEqual(
      [bare.graph, bare.graphUnavailable],
      [null, "DB cluster 'orders-graph' has no available DB instance."],
    );

    await addInstance(clients.neptune, "orders-graph", "orders-graph-1");
    const { writer } = await endpointsOf(clients.neptune, "orders-graph");
    const data = new NeptunedataClient({
      region: REGION,
      endpoint: `http://${writer.address}:${writer.port}`,
      credentials: ADMIN[A]!,
      maxAttempts: 1,
    });
    await data.send(
      new ExecuteOpenCypherQueryCommand({
        openCypherQuery:
          "CREATE (:Customer {name: 'secret-customer-name'})-[:PLACED {channel: 'web'}]->(:Order {total: 98765.25})," +
          " (:Customer {name: 'x'}), (:Product:Item {sku: 'p-1'})",
      }),
    );
    const before = rows();
    const { body, cluster: shown } = await cluster();
    assert.equal(rows(), before, "reading the graph wrote nothing");
    const summary = (await data.send(new GetPropertygraphSummaryCommand({}))).payload!.graphSummary!;
    // The numbers and names are the data plane's own summary's; the counts per name are the graph's.
    assert.deepEqual(shown.graph, {
      nodes: summary.numNodes,
      relationships: summary.numEdges,
      nodeLabels: [
        { name: "Customer", count: 2 },
        { name: "Item", count: 1 },
        { name: "Order", count: 1 },
        { name: "Product", count: 1 },
      ],
      relationshipTypes: [{ name: "PLACED", count: 1 }],
      nodePropertyKeys: ["name", "sku", "total"],
      relationshipPropertyKeys: ["channel"],
    });
    assert.deepEqual([summary.numNodes, summary.numEdges], [4, 1]);
    const names = (list: { name: string }[]) => list.map((entry) => entry.name);
    assert.deepEqual(names(shown.graph!["nodeLabels"] as { name: string }[]), summary.nodeLabels);
    assert.deepEqual(names(shown.graph!["relationshipTypes"] as { name: string }[]), summary.edgeLabels);
    for (const value of ["secret-customer-name", "p-1", "web", "98765"])
      assert.equal(body.includes(value), false, `a property value reached the page: ${value}`);
  });

  test("server-sent events: a hello at once, then each committed change by kind, without a row in it", async () => {
    const { running, clients } = await server({ journalDirs: [] });
    const frames = eventStream(`${running.endpoint}${CONSOLE}/api/events`);
    try {
      assert.deepEqual(await frames.next(), { event: "hello", data: { sequence: 0 } });
      await clients.kms.send(new CreateKeyCommand({}));
      assert.deepEqual(await frames.next(), { event: "change", data: { sequence: 1, topics: ["kms"] } });
      await clients.neptune.send(
        new CreateDBClusterCommand({ DBClusterIdentifier: "g", Engine: "neptune", StorageEncrypted: false }),
      );
      const change = await frames.next();
      assert.equal(change.event, "change");
      assert.deepEqual(change.data, { sequence: 2, topics: ["neptune"] });
      assert.equal(running.emulator.console!.feed.listeners, 1);
    } finally {
      frames.close();
    }
  });
});

/** A GET of an event stream, read frame by frame. */
function eventStream(url: string) {
  const waiting: ((frame: { event: string; data: unknown }) => void)[] = [];
  const ready: { event: string; data: unknown }[] = [];
  let buffer = "";
  const request = get(url, (response) => {
    assert.equal(response.statusCode, 200);
    assert.match(response.headers["content-type"] ?? "", /^text\/event-stream/);
    response.setEncoding("utf8");
    response.on("data", (chunk: string) => {
      buffer += chunk;
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const lines = buffer.slice(0, end).split("\n");
        buffer = buffer.slice(end + 2);
        const event = lines.find((line) => line.startsWith("event: "))?.slice(7);
        const data = lines.find((line) => line.startsWith("data: "))?.slice(6);
        if (!event || data === undefined) continue;
        const frame = { event, data: JSON.parse(data) as unknown };
        const next = waiting.shift();
        if (next) next(frame);
        else ready.push(frame);
      }
    });
  });
  return {
    next: () =>
      new Promise<{ event: string; data: unknown }>((resolve) => {
        const frame = ready.shift();
        if (frame) resolve(frame);
        else waiting.push(resolve);
      }),
    close: () => request.destroy(),
  };
}
