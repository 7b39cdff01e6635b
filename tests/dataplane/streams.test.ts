import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { request } from "node:http";
import { after, before, describe, it } from "node:test";
import {
  ModifyDBClusterCommand,
  RebootDBInstanceCommand,
  StartDBClusterCommand,
  StopDBClusterCommand,
} from "@aws-sdk/client-neptune";
import {
  ExecuteOpenCypherQueryCommand,
  GetEngineStatusCommand,
  GetPropertygraphStreamCommand,
  type GetPropertygraphStreamCommandInput,
  type NeptunedataClient,
} from "@aws-sdk/client-neptunedata";
import { rejection } from "../helpers/harness.js";
import { clusterWithInstances, dataPlaneWorld, http, neptuneError, type World } from "./fixture.js";
import {
  allRecords,
  DAY,
  line,
  streamPage,
  streamsGroup,
  type Endpoint,
  type StreamPageWire as Page,
} from "./streams-fixture.js";

describe("Neptune Streams on a cluster's endpoint", () => {
  let world: World;
  let writer: Endpoint;
  let client: NeptunedataClient;
  const cypher = (query: string) => client.send(new ExecuteOpenCypherQueryCommand({ openCypherQuery: query }));
  const raw = async (query: string, headers: Record<string, string> = {}) =>
    http(writer, "GET", `/propertygraph/stream?${query}`, { headers });
  const page = (input: GetPropertygraphStreamCommandInput) =>
    streamPage(writer, input as Record<string, string | number>);
  const all = () => allRecords(writer);

  before(async () => {
    world = await dataPlaneWorld();
    await streamsGroup(world, "with-streams");
    ({ writer } = await clusterWithInstances(world.neptune, "streamed", 0, {
      DBClusterParameterGroupName: "with-streams",
    }));
    client = world.data(writer.address, writer.port);
  });

  after(async () => {
    await world.running.close();
  });

  it("answers UnsupportedOperationException (400) on a cluster whose parameter group leaves streams off", async () => {
    const plain = await clusterWithInstances(world.neptune, "plain");
    const response = await http(plain.writer, "GET", "/propertygraph/stream?iteratorType=TRIM_HORIZON");
    const error = neptuneError(response);
    assert.equal(error.status, 400);
    assert.equal(error.code, "UnsupportedOperationException");
    assert.match(error.detailedMessage, /neptune_streams/);
    const sdk = await rejection(() =>
      world.data(plain.writer.address, plain.writer.port).send(new GetPropertygraphStreamCommand({})),
    );
    assert.equal(sdk.name, "UnsupportedOperationException");
    assert.equal(sdk.$metadata?.httpStatusCode, 400);
    const status = await world.data(plain.writer.address, plain.writer.port).send(new GetEngineStatusCommand({}));
    assert.equal(status.features?.["Streams"], "disabled");
    assert.equal((await client.send(new GetEngineStatusCommand({}))).features?.["Streams"], "enabled");
  });

  it("answers StreamRecordsNotFoundException (404) while the stream holds nothing", async () => {
    const error = neptuneError(await raw("iteratorType=TRIM_HORIZON"));
    assert.equal(error.status, 404);
    assert.equal(error.code, "StreamRecordsNotFoundException");
  });

  it("logs an openCypher CREATE as one transaction: a vl per label, then a vp per property", async () => {
    const at = world.clock.now().getTime();
    await cypher("CREATE (:Person:Admin {`~id`: 'p1', name: 'Ann', age: 42, score: 1.5})");
    const records = await all();
    assert.deepEqual(records.map(line), [
      "ADD vl p1 label=Person:String",
      "ADD vl p1 label=Admin:String",
      "ADD vp p1 name=Ann:String",
      "ADD vp p1 age=42:Long",
      "ADD vp p1 score=1.5:Double",
    ]);
    assert.deepEqual(
      records.map((r) => [r.eventId.commitNum, r.eventId.opNum, r.isLastOp]),
      [
        [1, 1, undefined],
        [1, 2, undefined],
        [1, 3, undefined],
        [1, 4, undefined],
        [1, 5, true],
      ],
    );
    assert.ok(records.every((r) => r.commitTimestamp === at));
    assert.equal(records.filter((r) => "isLastOp" in r).length, 1);
  });

  it("logs a relationship as an e record with its ends, then its ep records", async () => {
    await cypher("CREATE (:Person {`~id`: 'p2', name: 'Bob'})");
    await cypher("MATCH (a {`~id`: 'p1'}), (b {`~id`: 'p2'}) CREATE (a)-[:KNOWS {`~id`: 'k1', since: 2020}]->(b)");
    const records = (await page({ iteratorType: "AT_SEQUENCE_NUMBER", commitNum: 3 })).records;
    assert.deepEqual(records.map(line), ["ADD e k1 label=KNOWS:String p1->p2", "ADD ep k1 since=2020:Long"]);
  });

  it("logs a changed value as REMOVE of the old one then ADD of the new one; the same value logs nothing", async () => {
    await cypher("MATCH (n {`~id`: 'p2'}) SET n.name = 'Robert', n.name = 'Robert'");
    await cypher("MATCH (n {`~id`: 'p2'}) SET n.name = 'Robert'");
    const after = await page({ iteratorType: "AFTER_SEQUENCE_NUMBER", commitNum: 3, opNum: 2 });
    assert.deepEqual(after.records.map(line), ["REMOVE vp p2 name=Bob:String", "ADD vp p2 name=Robert:String"]);
    assert.deepEqual(after.lastEventId, { commitNum: 4, opNum: 2 });
  });

  it("logs DETACH DELETE as the removal of the relationship, then of the node's properties and labels", async () => {
    await cypher("MATCH (n {`~id`: 'p1'}) DETACH DELETE n");
    const latest = (await all()).filter((r) => r.eventId.commitNum === 5);
    assert.deepEqual(latest.map(line), [
      "REMOVE ep k1 since=2020:Long",
      "REMOVE e k1 label=KNOWS:String p1->p2",
      "REMOVE vp p1 name=Ann:String",
      "REMOVE vp p1 age=42:Long",
      "REMOVE vp p1 score=1.5:Double",
      "REMOVE vl p1 label=Person:String",
      "REMOVE vl p1 label=Admin:String",
    ]);
  });

  it("never logs a query that failed and was rolled back", async () => {
    const before = await all();
    await rejection(() => cypher("CREATE (:X {`~id`: 'x1'}) WITH 1 AS one MATCH (n) RETURN 1 / 0"));
    assert.deepEqual(await all(), before);
  });

  it("serves each iterator type, the limit, and lastEventId/lastTrxTimestamp/totalRecords", async () => {
    const latest = await page({ iteratorType: "LATEST", limit: 50 });
    assert.equal(latest.records.length, 1);
    assert.deepEqual(latest.records[0]!.eventId, { commitNum: 5, opNum: 7 });
    assert.equal(latest.records[0]!.isLastOp, true);
    assert.equal(latest.format, "PG_JSON");
    const limited = await page({ iteratorType: "TRIM_HORIZON", limit: 3 });
    assert.equal(limited.totalRecords, 3);
    assert.deepEqual(limited.lastEventId, { commitNum: 1, opNum: 3 });
    assert.equal(limited.lastTrxTimestamp, limited.records[2]!.commitTimestamp);
    // The default limit is 10; AT_SEQUENCE_NUMBER is the default iterator, opNum 1 the default op.
    assert.equal((await page({ commitNum: 1 })).records.length, 10);
    // AFTER the last op of a transaction: the next transaction's first.
    const next = await page({ iteratorType: "AFTER_SEQUENCE_NUMBER", commitNum: 1, opNum: 5, limit: 1 });
    assert.deepEqual(next.records[0]!.eventId, { commitNum: 2, opNum: 1 });
  });

  it("answers a start past the newest event with 404 naming the last valid event", async () => {
    const caughtUp = neptuneError(await raw("iteratorType=AFTER_SEQUENCE_NUMBER&commitNum=5&opNum=7"));
    assert.equal(caughtUp.status, 404);
    assert.equal(caughtUp.code, "StreamRecordsNotFoundException");
    assert.equal(
      caughtUp.detailedMessage,
      "Requested startEventId is from the future. Last valid eventId is [commitNum = 5, opNum = 7]",
    );
    const sdk = await rejection(() =>
      client.send(new GetPropertygraphStreamCommand({ iteratorType: "AT_SEQUENCE_NUMBER", commitNum: 99 })),
    );
    assert.equal(sdk.name, "StreamRecordsNotFoundException");
    assert.equal(sdk.$metadata?.httpStatusCode, 404);
  });

  it("refuses bad parameters with InvalidParameterException (400) and changes nothing", async () => {
    for (const query of [
      "iteratorType=AT_SEQUENCE_NUMBER",
      "iteratorType=AFTER_SEQUENCE_NUMBER&commitNum=0",
      "iteratorType=SOMEWHERE",
      "iteratorType=TRIM_HORIZON&limit=0",
      "iteratorType=TRIM_HORIZON&limit=100001",
    ]) {
      const error = neptuneError(await raw(query));
      assert.equal(error.status, 400, query);
      assert.ok(["InvalidParameterException", "MissingParameterException"].includes(error.code), query);
    }
    assert.equal((await all()).length, 18);
  });

  it("serves /pg/stream and the SDK's GetPropertygraphStream alike", async () => {
    const alias = await http(writer, "GET", "/pg/stream?iteratorType=TRIM_HORIZON&limit=2");
    assert.equal(alias.status, 200);
    const sdk = await client.send(new GetPropertygraphStreamCommand({ iteratorType: "TRIM_HORIZON", limit: 2 }));
    assert.equal(sdk.format, "PG_JSON");
    assert.equal(sdk.totalRecords, 2);
    assert.deepEqual(sdk.lastEventId, { commitNum: 1, opNum: 2 });
    assert.equal(sdk.records![1]!.data!.type, "vl");
    assert.deepEqual(sdk.records![1]!.data!.value, { value: "Admin", dataType: "String" });
    assert.deepEqual(JSON.parse(alias.body).records, JSON.parse(JSON.stringify(sdk.records)).map(renamed));
  });

  it("compresses the answer with gzip when Accept-Encoding names it", async () => {
    const zipped = await new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
      const req = request(
        {
          host: writer.address,
          port: writer.port,
          path: "/propertygraph/stream?iteratorType=TRIM_HORIZON&limit=4",
          headers: { "accept-encoding": "gzip, deflate, br" },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        },
      );
      req.on("error", reject);
      req.end();
    });
    assert.equal(zipped.headers["content-encoding"], "gzip");
    assert.equal(Number(zipped.headers["content-length"]), zipped.body.length);
    const plain = await raw("iteratorType=TRIM_HORIZON&limit=4");
    assert.equal(plain.headers["content-encoding"], undefined);
    assert.deepEqual(JSON.parse(gunzipSync(zipped.body).toString("utf8")), plain.json);
  });

  it("trims records older than neptune_streams_expiry_days: ExpiredStreamException, then TRIM_HORIZON moves on", async () => {
    world.clock.advance(8 * DAY);
    await cypher("CREATE (:Late {`~id`: 'late'})");
    const expired = neptuneError(await raw("iteratorType=AT_SEQUENCE_NUMBER&commitNum=1"));
    assert.equal(expired.status, 400);
    assert.equal(expired.code, "ExpiredStreamException");
    const horizon = await page({ iteratorType: "TRIM_HORIZON" });
    assert.deepEqual(
      horizon.records.map((r) => [r.eventId.commitNum, line(r)]),
      [[6, "ADD vl late label=Late:String"]],
    );
  });

  it("pages through a transaction of thousands of records, AFTER_SEQUENCE_NUMBER the last event of each page", async () => {
    const { writer: bulk } = await clusterWithInstances(world.neptune, "bulk", 0, {
      DBClusterParameterGroupName: "with-streams",
    });
    await world
      .data(bulk.address, bulk.port)
      .send(new ExecuteOpenCypherQueryCommand({ openCypherQuery: "UNWIND range(1, 1300) AS k CREATE (:C {k: k})" }));
    const seen: Page["records"] = [];
    let next: Record<string, string | number> = { iteratorType: "TRIM_HORIZON", limit: 999 };
    for (;;) {
      const response = await http(
        bulk,
        "GET",
        `/pg/stream?${new URLSearchParams(Object.entries(next).map(([k, v]) => [k, String(v)]))}`,
      );
      if (response.status === 404) break;
      const got = response.json as unknown as Page;
      seen.push(...got.records);
      next = { iteratorType: "AFTER_SEQUENCE_NUMBER", ...got.lastEventId, limit: 999 };
    }
    assert.equal(seen.length, 2600);
    assert.deepEqual(
      seen.map((r) => r.eventId.opNum),
      Array.from({ length: 2600 }, (_, i) => i + 1),
    );
    assert.deepEqual(
      seen.filter((r) => r.isLastOp).map((r) => r.eventId),
      [{ commitNum: 1, opNum: 2600 }],
    );
    const middle = await streamPage(bulk, { iteratorType: "AT_SEQUENCE_NUMBER", commitNum: 1, opNum: 2001, limit: 2 });
    assert.deepEqual(middle.records.map(line), [
      "ADD vl " + middle.records[0]!.data.id + " label=C:String",
      line(seen[2001]!),
    ]);
  });

  it("takes neptune_streams on an instance's reboot, not before", async () => {
    await streamsGroup(world, "later", { neptune_streams_expiry_days: "1" });
    const { writer: endpoint } = await clusterWithInstances(world.neptune, "rebooted", 0);
    await world.neptune.send(
      new ModifyDBClusterCommand({ DBClusterIdentifier: "rebooted", DBClusterParameterGroupName: "later" }),
    );
    const data = world.data(endpoint.address, endpoint.port);
    await data.send(new ExecuteOpenCypherQueryCommand({ openCypherQuery: "CREATE (:Before)" }));
    const before = neptuneError(await http(endpoint, "GET", "/propertygraph/stream?iteratorType=TRIM_HORIZON"));
    assert.equal(before.code, "UnsupportedOperationException");
    await world.neptune.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: "rebooted-0" }));
    world.clock.advance(1);
    // Nothing written before the reboot is in the stream: it starts with the first write after.
    assert.equal(neptuneError(await http(endpoint, "GET", "/pg/stream?iteratorType=TRIM_HORIZON")).status, 404);
    await data.send(new ExecuteOpenCypherQueryCommand({ openCypherQuery: "CREATE (:After {`~id`: 'after'})" }));
    const first = await http(endpoint, "GET", "/pg/stream?iteratorType=TRIM_HORIZON");
    assert.deepEqual((first.json as unknown as Page).records.map(line), ["ADD vl after label=After:String"]);
    // Its expiry is the group's 1 day.
    world.clock.advance(DAY + 1);
    assert.equal(
      neptuneError(await http(endpoint, "GET", "/pg/stream?iteratorType=AT_SEQUENCE_NUMBER&commitNum=1")).code,
      "ExpiredStreamException",
    );
  });

  it("takes neptune_streams when a stopped cluster starts again (its instances start)", async () => {
    const { writer: endpoint } = await clusterWithInstances(world.neptune, "restarted", 0);
    await world.neptune.send(
      new ModifyDBClusterCommand({ DBClusterIdentifier: "restarted", DBClusterParameterGroupName: "with-streams" }),
    );
    await world.neptune.send(new StopDBClusterCommand({ DBClusterIdentifier: "restarted" }));
    world.clock.advance(1);
    await world.neptune.send(new StartDBClusterCommand({ DBClusterIdentifier: "restarted" }));
    world.clock.advance(1);
    const empty = neptuneError(await http(endpoint, "GET", "/pg/stream?iteratorType=TRIM_HORIZON"));
    assert.equal(empty.code, "StreamRecordsNotFoundException");
  });
});

/** The SDK names commitTimestamp commitTimestampInMillis; the wire's name back. */
function renamed(record: Record<string, unknown>) {
  const { commitTimestampInMillis, ...rest } = record;
  return {
    eventId: rest["eventId"],
    commitTimestamp: commitTimestampInMillis,
    data: rest["data"],
    op: rest["op"],
    ...(rest["isLastOp"] ? { isLastOp: true } : {}),
  };
}
