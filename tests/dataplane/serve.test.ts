import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
import { once } from "node:events";
import { DescribeDBClustersCommand, NeptuneClient } from "@aws-sdk/client-neptune";
import { awsCli } from "../helpers/aws-cli.js";
import { ADMIN, A, REGION } from "../helpers/harness.js";
import { serve } from "../helpers/serve-process.js";
import { clusterWithInstances, dataPlaneWorld, endpointsOf, http, portRange, type World } from "./fixture.js";

describe("aws neptunedata against a cluster's endpoint", () => {
  let world: World;
  let endpoint: string;

  after(() => world.running.close());
  before(async () => {
    world = await dataPlaneWorld();
    const { writer } = await clusterWithInstances(world.neptune, "cli");
    endpoint = `http://${writer.address}:${writer.port}`;
  });

  it("execute-open-cypher-query writes and reads, 64-bit integers included", async () => {
    const created = await awsCli(endpoint, ADMIN[A]!, [
      "neptunedata",
      "execute-open-cypher-query",
      "--open-cypher-query",
      "CREATE (n:Account {`~id`: 'acc-1', balance: 42}) RETURN n",
    ]);
    assert.equal(created.code, 0, created.stderr);
    assert.deepEqual(created.json, {
      results: [
        {
          n: {
            "~id": "acc-1",
            "~entityType": "node",
            "~labels": ["Account"],
            "~properties": { balance: 42 },
          },
        },
      ],
    });
    const read = await awsCli(endpoint, ADMIN[A]!, [
      "neptunedata",
      "execute-open-cypher-query",
      "--open-cypher-query",
      "MATCH (n:Account) WHERE n.balance > $min RETURN n.balance AS b",
      "--parameters",
      '{"min": 41}',
    ]);
    assert.deepEqual(read.json, { results: [{ b: 42 }] });
  });

  it("an error comes out with its Neptune code", async () => {
    const failed = await awsCli(endpoint, ADMIN[A]!, [
      "neptunedata",
      "execute-open-cypher-query",
      "--open-cypher-query",
      "MATCH (n RETURN n",
    ]);
    assert.notEqual(failed.code, 0);
    // botocore shows a rest-json error's `message`; Neptune's body carries `detailedMessage` (reference §2.3), so
    // the CLI prints the code alone, as it does against Neptune.
    assert.match(
      failed.stderr,
      /An error occurred \(MalformedQueryException\) when calling the ExecuteOpenCypherQuery operation/,
    );
  });

  it("get-engine-status", async () => {
    const status = await awsCli(endpoint, ADMIN[A]!, ["neptunedata", "get-engine-status"]);
    assert.equal(status.code, 0, status.stderr);
    assert.equal(status.json!.role, "writer");
    assert.equal(status.json!.status, "healthy");
  });
});

describe("trident serve's data plane", () => {
  it("keeps every cluster's port across a restart with --data-dir, and listens on it from the start", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trident-dataplane-"));
    const { firstPort, lastPort } = await portRange();
    const args = ["--data-dir", dir, "--delays", "instant", "--data-plane-ports", `${firstPort}-${lastPort}`];
    const first = serve(args);
    const neptune = new NeptuneClient({
      region: REGION,
      endpoint: await first.ready,
      credentials: ADMIN[A]!,
      maxAttempts: 1,
    });
    const before = await clusterWithInstances(neptune, "durable");
    assert.equal(before.writer.port, firstPort);
    await first.printed(/data planes listen on/);
    assert.match(first.output(), new RegExp(`data planes listen on 127\\.0\\.0\\.1 .*ports ${firstPort}-${lastPort}`));
    assert.equal((await http(before.writer, "GET", "/status")).status, 200);
    first.child.kill("SIGTERM");
    assert.equal(await first.exited, 0);
    await assert.rejects(http(before.writer, "GET", "/status"), { code: "ECONNREFUSED" });

    const second = serve(args);
    const again = new NeptuneClient({
      region: REGION,
      endpoint: await second.ready,
      credentials: ADMIN[A]!,
      maxAttempts: 1,
    });
    // No request has reached the control plane yet: the data plane listens from the start.
    const status = await http(before.writer, "GET", "/status");
    assert.equal(status.status, 200);
    assert.equal(status.json!.role, "writer");
    const after = await endpointsOf(again, "durable");
    assert.equal(after.writer.port, before.writer.port);
    assert.deepEqual(after.instances, before.instances);
    second.child.kill("SIGTERM");
    assert.equal(await second.exited, 0);
  });

  it("with --host 0.0.0.0, endpoints name 127.0.0.1 (a wildcard is no address to connect to)", async () => {
    const { firstPort, lastPort } = await portRange();
    const server = serve(["--host", "0.0.0.0", "--data-plane-ports", `${firstPort}-${lastPort}`]);
    await server.ready;
    await server.printed(/data planes listen on/);
    assert.match(server.output(), /data planes listen on 127\.0\.0\.1 \(reader endpoints on 127\.0\.0\.2\)/);
    server.child.kill("SIGTERM");
    assert.equal(await server.exited, 0);
  });

  it("a port another process holds: one log line; freed, it opens on its own, and requests never re-read the book", async () => {
    const lines: string[] = [];
    let opened!: () => void;
    const open = new Promise<void>((resolve) => (opened = resolve));
    const world = await dataPlaneWorld({
      log: (line) => {
        lines.push(line);
        if (line.endsWith(" is open now")) opened();
      },
    });
    try {
      const squatter = createServer().listen(world.range.firstPort, "127.0.0.1");
      await once(squatter, "listening");
      const ends = await clusterWithInstances(world.neptune, "squatted");
      assert.equal(ends.writer.port, world.range.firstPort);
      const key = `127.0.0.1:${world.range.firstPort}`;
      const complaints = lines.filter((line) => line.includes(`data-plane port ${key} `));
      assert.equal(complaints.length, 1, lines.join("\n"));
      assert.match(complaints[0]!, /cannot be opened: EADDRINUSE; it is tried again every second .*another process/);
      const { dataPlane } = world.running;
      assert.ok(!dataPlane.listening().includes(key));
      // While the port is blocked, a request that changes nothing costs no look at the port book.
      const reads = dataPlane.bookReads;
      for (let i = 0; i < 3; i++) await world.neptune.send(new DescribeDBClustersCommand({}));
      assert.equal(dataPlane.bookReads, reads);
      await new Promise((resolve) => squatter.close(resolve));
      await open; // no request in between: the retry is on a schedule
      assert.ok(dataPlane.listening().includes(key), dataPlane.listening().join(" "));
      assert.equal(dataPlane.bookReads, reads);
      assert.equal(lines.filter((line) => line.includes(`data-plane port ${key} `)).length, 2);
      assert.equal((await http(ends.writer, "GET", "/status")).status, 200);
    } finally {
      await world.running.close();
    }
  });

  for (const [value, why] of [
    ["9000-8000", "FIRST above LAST"],
    ["0-10", "port 0"],
    ["8182", "no range"],
  ] as const) {
    it(`--data-plane-ports ${value} (${why}) stops it with one line and exit code 2`, async () => {
      const server = serve(["--data-plane-ports", value]);
      assert.equal(await server.exited, 2);
      assert.match(
        server.errors(),
        new RegExp(
          `--data-plane-ports takes a range of ports FIRST-LAST, from 1 to 65535, FIRST not above LAST, not '${value}'`,
        ),
      );
    });
  }
});
