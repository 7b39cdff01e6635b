import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  CreateDBClusterSnapshotCommand,
  CreateDBInstanceCommand,
  DeleteDBClusterCommand,
  DeleteDBInstanceCommand,
  DescribeDBClustersCommand,
  RestoreDBClusterFromSnapshotCommand,
  StopDBClusterCommand,
} from "@aws-sdk/client-neptune";
import {
  CancelOpenCypherQueryCommand,
  ExecuteFastResetCommand,
  ExecuteGremlinExplainQueryCommand,
  ExecuteOpenCypherQueryCommand,
  GetEngineStatusCommand,
  GetOpenCypherQueryStatusCommand,
  GetPropertygraphSummaryCommand,
  ListOpenCypherQueriesCommand,
} from "@aws-sdk/client-neptunedata";
import { FAST_RESET_TOKEN_TTL_MS } from "../../src/dataplane/fast-reset.js";
import { rejection } from "../helpers/harness.js";
import { clusterWithInstances, dataPlaneWorld, endpointsOf, form, http, neptuneError, type World } from "./fixture.js";

type Endpoint = { address: string; port: number };

const cypher = (endpoint: Endpoint, query: string) => http(endpoint, "POST", "/openCypher", form({ query }));

describe("a cluster's endpoints: writer, reader, instances", () => {
  let world: World;
  let ends: Awaited<ReturnType<typeof clusterWithInstances>>;

  after(() => world.running.close());
  before(async () => {
    world = await dataPlaneWorld();
    ends = await clusterWithInstances(world.neptune, "roles", 1);
    await cypher(ends.writer, "CREATE (:City {name: 'Oslo'})");
  });

  it("DescribeDBClusters names this machine: the host, the reader host, a port from the range", () => {
    assert.equal(ends.writer.address, "127.0.0.1");
    assert.equal(ends.reader.address, "127.0.0.2");
    assert.ok(ends.writer.port >= world.range.firstPort && ends.writer.port <= world.range.lastPort);
  });

  it("/status says writer on the cluster endpoint and the writer instance, reader on the reader side", async () => {
    const writer = await world.data(ends.writer.address, ends.writer.port).send(new GetEngineStatusCommand({}));
    assert.equal(writer.role, "writer");
    assert.equal(writer.status, "healthy");
    assert.equal(writer.settings?.clusterQueryTimeoutInMs, "120000");
    assert.match(writer.startTime!, /^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/);
    const raw = await http(ends.instances["roles-0"]!, "GET", "/status");
    assert.equal(raw.status, 200);
    assert.equal(raw.json!.role, "writer");
    assert.equal((raw.json!.opencypher as { version: string }).version, "Neptune-9.0.20190305-1.0");
    assert.equal((await http(ends.instances["roles-1"]!, "GET", "/status")).json!.role, "reader");
    assert.equal((await http(ends.reader, "GET", "/status")).json!.role, "reader");
  });

  for (const side of ["reader endpoint", "reader instance"] as const) {
    it(`the ${side} reads and refuses writes with ReadOnlyViolationException`, async () => {
      const endpoint = side === "reader endpoint" ? ends.reader : ends.instances["roles-1"]!;
      const read = await cypher(endpoint, "MATCH (c:City) RETURN c.name AS name");
      assert.equal(read.body, '{"results":[{"name":"Oslo"}]}');
      const write = neptuneError(await cypher(endpoint, "CREATE (:City {name: 'Bergen'})"));
      assert.equal(write.code, "ReadOnlyViolationException");
      assert.equal(write.status, 400);
      const thrown = await rejection(() =>
        world
          .data(endpoint.address, endpoint.port)
          .send(new ExecuteOpenCypherQueryCommand({ openCypherQuery: "CREATE (:City)" })),
      );
      assert.equal(thrown.name, "ReadOnlyViolationException");
    });
  }

  it("the writer instance's own endpoint answers writes", async () => {
    const res = await cypher(ends.instances["roles-0"]!, "CREATE (c:City {name: 'Bergen'}) RETURN c.name AS n");
    assert.equal(res.body, '{"results":[{"n":"Bergen"}]}');
    const count = await cypher(ends.writer, "MATCH (c:City) RETURN count(c) AS n");
    assert.equal(count.body, '{"results":[{"n":2}]}');
  });
});

describe("neptunedata operations", () => {
  let world: World;
  let writer: Endpoint;
  let readerInstance: Endpoint;

  after(() => world.running.close());
  before(async () => {
    world = await dataPlaneWorld();
    const ends = await clusterWithInstances(world.neptune, "ops", 1);
    writer = ends.writer;
    readerInstance = ends.instances["ops-1"]!;
  });

  const data = () => world.data(writer.address, writer.port);

  it("GetPropertygraphSummary counts the live graph, basic and detailed (and under /pg/)", async () => {
    await cypher(
      writer,
      "CREATE (a:Person {name: 'a', age: 1})-[:KNOWS {since: 2}]->(b:Person {name: 'b'}), " +
        "(a)-[:LIVES_IN]->(c:City:Place {name: 'c', tags: ['x', 'y']})",
    );
    const basic = await data().send(new GetPropertygraphSummaryCommand({}));
    assert.equal(basic.statusCode, 200);
    assert.equal(basic.payload?.version, "v1");
    assert.equal(basic.payload?.lastStatisticsComputationTime?.getTime(), world.clock.now().getTime());
    assert.deepEqual(basic.payload?.graphSummary, {
      numNodes: 3,
      numEdges: 2,
      numNodeLabels: 3,
      numEdgeLabels: 2,
      nodeLabels: ["City", "Person", "Place"],
      edgeLabels: ["KNOWS", "LIVES_IN"],
      numNodeProperties: 3,
      numEdgeProperties: 1,
      nodeProperties: [{ age: 1 }, { name: 3 }, { tags: 1 }],
      edgeProperties: [{ since: 1 }],
      totalNodePropertyValues: 6,
      totalEdgePropertyValues: 1,
    });
    const detailed = await http(writer, "GET", "/pg/statistics/summary?mode=detailed");
    assert.equal(detailed.status, 200);
    const summary = (detailed.json!.payload as { graphSummary: Record<string, unknown> }).graphSummary;
    assert.deepEqual(summary.nodeStructures, [
      { count: 1, nodeProperties: ["age", "name"], distinctOutgoingEdgeLabels: ["KNOWS", "LIVES_IN"] },
      { count: 1, nodeProperties: ["name"], distinctOutgoingEdgeLabels: [] },
      { count: 1, nodeProperties: ["name", "tags"], distinctOutgoingEdgeLabels: [] },
    ]);
    assert.deepEqual(summary.edgeStructures, [
      { count: 1, edgeProperties: [] },
      { count: 1, edgeProperties: ["since"] },
    ]);
    const badMode = neptuneError(await http(writer, "GET", "/propertygraph/statistics/summary?mode=full"));
    assert.equal(badMode.code, "InvalidParameterException");
  });

  it("ExecuteFastReset: a token, then the reset with it empties the graph; the token is used up", async () => {
    const initiated = await data().send(new ExecuteFastResetCommand({ action: "initiateDatabaseReset" }));
    assert.equal(initiated.status, "200 OK");
    const token = initiated.payload!.token!;
    assert.match(token, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const wrong = await rejection(() =>
      data().send(new ExecuteFastResetCommand({ action: "performDatabaseReset", token: "not-the-token" })),
    );
    assert.equal(wrong.name, "InvalidParameterException");
    assert.equal(wrong.$metadata?.httpStatusCode, 400);
    assert.notEqual((await cypher(writer, "MATCH (n) RETURN count(n) AS n")).body, '{"results":[{"n":0}]}');
    const absent = neptuneError(
      await http(writer, "POST", "/system", {
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ action: "performDatabaseReset" }),
      }),
    );
    assert.equal(absent.code, "MissingParameterException");
    const done = await http(writer, "POST", "/system", {
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ action: "performDatabaseReset", token }),
    });
    assert.equal(done.body, '{"status":"200 OK"}');
    assert.equal((await cypher(writer, "MATCH (n) RETURN count(n) AS n")).body, '{"results":[{"n":0}]}');
    const again = await rejection(() =>
      data().send(new ExecuteFastResetCommand({ action: "performDatabaseReset", token })),
    );
    assert.equal(again.name, "InvalidParameterException");
  });

  it("a fast-reset token expires after an hour of the clock; a reader refuses a reset", async () => {
    const { payload } = await data().send(new ExecuteFastResetCommand({ action: "initiateDatabaseReset" }));
    world.clock.advance(FAST_RESET_TOKEN_TTL_MS);
    const expired = await rejection(() =>
      data().send(new ExecuteFastResetCommand({ action: "performDatabaseReset", token: payload!.token! })),
    );
    assert.equal(expired.name, "InvalidParameterException");
    const onReader = neptuneError(
      await http(readerInstance, "POST", "/system", {
        headers: { "content-type": "application/json" },
        body: '{"action":"initiateDatabaseReset"}',
      }),
    );
    assert.equal(onReader.code, "ReadOnlyViolationException");
    const badAction = neptuneError(
      await http(writer, "POST", "/system", {
        headers: { "content-type": "application/json" },
        body: '{"action":"wipe"}',
      }),
    );
    assert.equal(badAction.code, "InvalidParameterException");
    assert.match(badAction.detailedMessage, /Value 'wipe' at 'action' failed to satisfy constraint/);
  });

  it("openCypher query status: none is running; status and cancel of an id are InvalidParameterException", async () => {
    const list = await data().send(new ListOpenCypherQueriesCommand({ includeWaiting: true }));
    assert.equal(list.acceptedQueryCount, 0);
    assert.equal(list.runningQueryCount, 0);
    assert.deepEqual(list.queries, []);
    const raw = await http(writer, "GET", "/opencypher/status");
    assert.equal(raw.body, '{"acceptedQueryCount":0,"runningQueryCount":0,"queries":[]}');
    const status = neptuneError(await http(writer, "GET", "/opencypher/status/q-1"));
    assert.deepEqual(status, {
      code: "InvalidParameterException",
      status: 400,
      detailedMessage: "No openCypher query with id 'q-1' is running.",
    });
    const cancel = await rejection(() =>
      data().send(new CancelOpenCypherQueryCommand({ queryId: "q-2", silent: true })),
    );
    assert.equal(cancel.name, "InvalidParameterException");
    const get = await rejection(() => data().send(new GetOpenCypherQueryStatusCommand({ queryId: "q-3" })));
    assert.equal(get.name, "InvalidParameterException");
  });

  it("an operation Trident does not serve is UnsupportedOperationException naming it", async () => {
    const thrown = await rejection(() => data().send(new ExecuteGremlinExplainQueryCommand({ gremlinQuery: "g.V()" })));
    assert.equal(thrown.name, "UnsupportedOperationException");
    assert.equal(thrown.$metadata?.httpStatusCode, 400);
    const raw = neptuneError(await http(writer, "GET", "/ml/endpoints"));
    assert.equal(raw.code, "UnsupportedOperationException");
    assert.match(raw.detailedMessage, /^ListMLEndpoints is not supported/);
    // Whatever its input: an unsupported operation is not validated first.
    const unread = neptuneError(await http(writer, "GET", "/ml/endpoints?maxItems=two"));
    assert.equal(unread.code, "UnsupportedOperationException");
    assert.match(unread.detailedMessage, /^ListMLEndpoints is not supported/);
    const wrongMethod = neptuneError(await http(writer, "PUT", "/status"));
    assert.deepEqual([wrongMethod.code, wrongMethod.status], ["MethodNotAllowedException", 405]);
  });
});

describe("when a cluster does not serve", () => {
  let world: World;

  after(() => world.running.close());
  before(async () => {
    world = await dataPlaneWorld();
  });

  it("a restored cluster refuses until it has an instance (R11), then answers", async () => {
    const source = await clusterWithInstances(world.neptune, "source");
    await cypher(source.writer, "CREATE (:Kept {n: 1})");
    await world.neptune.send(
      new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: "source", DBClusterSnapshotIdentifier: "snap" }),
    );
    await world.neptune.send(
      new RestoreDBClusterFromSnapshotCommand({
        DBClusterIdentifier: "restored",
        SnapshotIdentifier: "snap",
        Engine: "neptune",
      }),
    );
    const restored = await endpointsOf(world.neptune, "restored");
    const refused = neptuneError(await cypher(restored.writer, "MATCH (n) RETURN count(n) AS n"));
    assert.equal(refused.code, "PreconditionsFailedException");
    assert.equal(refused.status, 400);
    assert.match(refused.detailedMessage, /has no available DB instance.*R11/);
    await world.neptune.send(
      new CreateDBInstanceCommand({
        DBClusterIdentifier: "restored",
        DBInstanceIdentifier: "restored-0",
        Engine: "neptune",
        DBInstanceClass: "db.r5.large",
      }),
    );
    const answered = await cypher(restored.writer, "RETURN 1 AS one");
    assert.equal(answered.body, '{"results":[{"one":1}]}');
  });

  it("a stopped cluster refuses with PreconditionsFailedException", async () => {
    const ends = await clusterWithInstances(world.neptune, "sleepy");
    await world.neptune.send(new StopDBClusterCommand({ DBClusterIdentifier: "sleepy" }));
    world.clock.advance(60_000);
    const refused = neptuneError(await http(ends.writer, "GET", "/status"));
    assert.equal(refused.code, "PreconditionsFailedException");
    assert.match(refused.detailedMessage, /sleepy/);
  });

  it("a deleted cluster's ports are closed", async () => {
    const ends = await clusterWithInstances(world.neptune, "gone");
    const instancePort = ends.instances["gone-0"]!.port;
    assert.ok(world.running.dataPlane.listening().includes(`127.0.0.1:${ends.writer.port}`));
    await world.neptune.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: "gone-0", SkipFinalSnapshot: true }));
    await world.neptune.send(new DeleteDBClusterCommand({ DBClusterIdentifier: "gone", SkipFinalSnapshot: true }));
    world.clock.advance(60_000);
    await world.neptune.send(new DescribeDBClustersCommand({}));
    const listening = world.running.dataPlane.listening();
    for (const key of [`127.0.0.1:${ends.writer.port}`, `127.0.0.2:${ends.writer.port}`, `127.0.0.1:${instancePort}`])
      assert.ok(!listening.includes(key), `${key} still listens`);
    await assert.rejects(http(ends.writer, "GET", "/status"), { code: "ECONNREFUSED" });
  });
});
