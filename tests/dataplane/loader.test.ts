import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, it } from "node:test";
import {
  CancelLoaderJobCommand,
  ExecuteOpenCypherQueryCommand,
  GetLoaderJobStatusCommand,
  GetPropertygraphSummaryCommand,
  ListLoaderJobsCommand,
  StartLoaderJobCommand,
  type NeptunedataClient,
  type StartLoaderJobCommandInput,
} from "@aws-sdk/client-neptunedata";
import { REGION, rejection } from "../helpers/harness.js";
import { clusterWithInstances, dataPlaneWorld, http, neptuneError, type World } from "./fixture.js";

type Endpoint = { address: string; port: number };

/** The loader's status document, as GetLoaderJobStatus returns it. */
interface StatusPayload {
  feedCount: Record<string, number>[];
  overallStatus: Record<string, unknown>;
  failedFeeds?: Record<string, unknown>[];
  errors?: {
    startIndex: number;
    endIndex: number;
    loadId: string;
    errorLogs: { errorCode: string; errorMessage: string; fileName: string; recordNum: number }[];
  };
}

const ROLE = "arn:aws:iam::111111111111:role/NeptuneLoadFromS3";

describe("the bulk loader on a cluster's endpoint", () => {
  let world: World;
  let writer: Endpoint;
  let reader: Endpoint;
  let cluster: { DbClusterResourceId?: string };
  let client: NeptunedataClient;
  let dir: string;

  /** A directory of CSV files under the test's temporary directory. */
  const files = (name: string, contents: Record<string, string>) => {
    const at = join(dir, name);
    mkdirSync(at, { recursive: true });
    for (const [file, text] of Object.entries(contents)) writeFileSync(join(at, file), text);
    return at;
  };
  const load = async (input: Partial<StartLoaderJobCommandInput> & { source: string }) => {
    const out = await client.send(
      new StartLoaderJobCommand({ format: "csv", s3BucketRegion: REGION, iamRoleArn: ROLE, ...input }),
    );
    assert.equal(out.status, "200 OK");
    return out.payload!["loadId"]!;
  };
  const status = async (loadId: string, flags: { details?: boolean; errors?: boolean; page?: number } = {}) => {
    const out = await client.send(new GetLoaderJobStatusCommand({ loadId, ...flags }));
    assert.equal(out.status, "200 OK");
    return out.payload as unknown as StatusPayload;
  };
  const rows = async (query: string) =>
    (await client.send(new ExecuteOpenCypherQueryCommand({ openCypherQuery: query }))).results as Record<
      string,
      unknown
    >[];
  const count = async () => (await rows("MATCH (n) RETURN count(n) AS n"))[0]!["n"];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "trident-loader-"));
    world = await dataPlaneWorld();
    ({ writer, reader, cluster } = await clusterWithInstances(world.neptune, "loaded", 1));
    client = world.data(writer.address, writer.port);
  });

  after(async () => {
    await world.running.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("loads 100,000 generated edges and their vertices; the status and the summary match", async () => {
    const vertices = 10_000;
    const edges = 100_000;
    const v = ["~id,~label,name:String,rank:Int"];
    for (let i = 0; i < vertices; i++) v.push(`b${i},${i % 2 ? "Person" : "Place"},n${i},${i}`);
    const e = ["~id,~from,~to,~label,weight:Double"];
    for (let i = 0; i < edges; i++) e.push(`be${i},b${i % vertices},b${(i * 7 + 1) % vertices},LINKS,${i / 10}`);
    // The edge file sorts first: the loader still reads the vertices first.
    const source = files("big", { "a-edges.csv": e.join("\n") + "\n", "b-vertices.csv": v.join("\r\n") });
    const loadId = await load({ source });
    const s = await status(loadId, { details: true });
    assert.equal(s.overallStatus["status"], "LOAD_COMPLETED");
    assert.equal(s.overallStatus["totalRecords"], vertices + edges);
    assert.equal(s.overallStatus["insertErrors"], 0);
    assert.equal(s.overallStatus["parsingErrors"], 0);
    assert.equal(s.overallStatus["fullUri"], source);
    assert.equal(s.overallStatus["runNumber"], 1);
    assert.equal(s.overallStatus["startTime"], Math.floor(world.clock.now().getTime() / 1000));
    assert.deepEqual(s.feedCount, [{ LOAD_COMPLETED: 2 }]);
    assert.deepEqual(s.failedFeeds, []);
    const summary = await client.send(new GetPropertygraphSummaryCommand({ mode: "basic" }));
    const graph = summary.payload!.graphSummary!;
    assert.equal(graph.numNodes, vertices);
    assert.equal(graph.numEdges, edges);
    assert.deepEqual([...graph.nodeLabels!].sort(), ["Person", "Place"]);
    assert.deepEqual(graph.edgeLabels, ["LINKS"]);
    const [edge] = await rows("MATCH (a)-[r]->(b) WHERE id(r) = 'be12' RETURN id(a) AS a, id(b) AS b, r.weight AS w");
    assert.deepEqual(edge, { a: "b12", b: "b85", w: 1.2 });
  });

  it("Gremlin CSV: every type, arrays, cardinality, several labels, a duplicate id merged", async () => {
    const source = files("gremlin-types", {
      "v.csv":
        "~id,~label,flag:Bool,yes:Boolean,b:Byte,s:Short,i:Int,l:Long,f:Float,d:Double,str:String,day:Date," +
        "at:Datetime,tags:String[],nums:Int[],one:String(single),plain,nan:Double\n" +
        'g1,Person;Admin,true,TRUE,-128,32767,-5,9223372036854775807,1.5,-2.5e3,"a, b",2024-02-29,' +
        '2024-02-29T10:11:12Z,"x;y\\;z",1;2;2,solo,untyped,NaN\n' +
        "g2,,false,no,0,0,0,0,0,0,,,2024-01-01T01:02,,,,,Infinity\n" +
        "g2,Extra,,,,,,,,,more,,,,,,,\n",
      "e.csv": "~id,~from,~to,~label,since:Int\nge1,g1,g2,KNOWS,2001\nge2,g2,g1,,\n",
    });
    const s = await status(await load({ source }));
    assert.equal(s.overallStatus["status"], "LOAD_COMPLETED");
    assert.equal(s.overallStatus["totalRecords"], 5);
    assert.equal(s.overallStatus["totalDuplicates"], 1);
    const [g1] = await rows(
      "MATCH (n) WHERE id(n) = 'g1' RETURN labels(n) AS labels, n.flag AS flag, n.yes AS yes, n.b AS b, n.s AS s, " +
        "n.i AS i, n.f AS f, n.d AS d, n.str AS str, n.day AS day, n.at AS at, n.tags AS tags, " +
        "n.nums AS nums, n.one AS one, n.plain AS plain, toString(n.nan) AS nan",
    );
    assert.deepEqual(g1, {
      labels: ["Person", "Admin"],
      flag: true,
      yes: true,
      b: -128,
      s: 32767,
      i: -5,
      f: 1.5,
      d: -2500,
      str: "a, b",
      day: "2024-02-29T00:00:00.000Z",
      at: "2024-02-29T10:11:12.000Z",
      tags: ["x", "y;z"],
      nums: [1, 2],
      one: "solo",
      plain: "untyped",
      nan: "NaN",
    });
    const raw = await http(writer, "POST", "/opencypher", {
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "MATCH (n) WHERE id(n) = 'g1' RETURN n.l AS l" }),
    });
    assert.equal(raw.body, '{"results":[{"l":9223372036854775807}]}');
    const [g2] = await rows(
      "MATCH (n) WHERE id(n) = 'g2' RETURN labels(n) AS labels, n.flag AS flag, n.yes AS yes, n.str AS str, n.at AS at, n.d AS d",
    );
    // A blank field is no value; the duplicate row added its label and its set-valued string.
    assert.deepEqual(g2, {
      labels: ["vertex", "Extra"],
      flag: false,
      yes: false,
      str: "more",
      at: "2024-01-01T01:02:00.000Z",
      d: 0,
    });
    // The load was logged with the cluster's graph: the graph read back from the store holds it.
    world.emulator.dataPlane.graphs.evict(cluster.DbClusterResourceId!);
    const edges = await rows(
      "MATCH (a)-[r]->(b) WHERE id(r) IN ['ge1', 'ge2'] RETURN id(r) AS id, type(r) AS t, r.since AS since ORDER BY id",
    );
    assert.deepEqual(edges, [
      { id: "ge1", t: "KNOWS", since: 2001 },
      { id: "ge2", t: "edge", since: null },
    ]);
  });

  it("allowEmptyStrings keeps a quoted empty field; a single-cardinality conflict needs updateSingleCardinalityProperties", async () => {
    const empty = files("empty-strings", { "v.csv": '~id,note,other\nes1,"",\n' });
    await load({ source: empty, parserConfiguration: { allowEmptyStrings: "true" } });
    assert.deepEqual(await rows("MATCH (n) WHERE id(n) = 'es1' RETURN n.note AS note, n.other AS other"), [
      { note: "", other: null },
    ]);
    const single = files("single", { "v.csv": "~id,city:String(single)\nsc1,Oslo\nsc1,Bergen\n" });
    const conflict = await status(await load({ source: single, failOnError: false }), { errors: true });
    assert.equal(conflict.overallStatus["insertErrors"], 1);
    assert.deepEqual(
      conflict.errors!.errorLogs.map((l) => [l.errorCode, l.recordNum]),
      [["INSERT_ERROR", 3]],
    );
    assert.deepEqual(await rows("MATCH (n) WHERE id(n) = 'sc1' RETURN n.city AS city"), [{ city: "Oslo" }]);
    const replaced = await status(await load({ source: single, mode: "NEW", updateSingleCardinalityProperties: true }));
    assert.equal(replaced.overallStatus["status"], "LOAD_COMPLETED");
    assert.equal(replaced.overallStatus["totalDuplicates"], 2);
    assert.deepEqual(await rows("MATCH (n) WHERE id(n) = 'sc1' RETURN n.city AS city"), [{ city: "Bergen" }]);
  });

  it("openCypher CSV: every type, name:ID, :LABEL, :TYPE, generated relationship ids", async () => {
    const source = files("opencypher-types", {
      "nodes.csv":
        "code:ID,:LABEL,ok:Bool,b:Byte,s:Short,i:Int,l:Long,f:Float,d:Double,name:String,born:DateTime,when:Date,alias:String[]\n" +
        "oc1,City;Port,true,1,2,3,4,0.5,0.25,Lisbon,1990-05-06T07:08:09Z,2000-01-02,Lisboa;Olisipo\n" +
        "oc2,City,false,,,,,,,Porto,,,\n",
      "rels.csv": ":START_ID,:END_ID,:TYPE,km:Int\noc1,oc2,ROAD,313\n",
    });
    const s = await status(await load({ source, format: "opencypher", userProvidedEdgeIds: false }));
    assert.equal(s.overallStatus["status"], "LOAD_COMPLETED");
    assert.equal(s.overallStatus["totalRecords"], 3);
    const [oc1] = await rows(
      "MATCH (n:Port) RETURN id(n) AS id, labels(n) AS labels, n.code AS code, n.ok AS ok, n.b AS b, n.s AS s, " +
        "n.i AS i, n.l AS l, n.f AS f, n.d AS d, n.name AS name, n.born AS born, n.when AS when, n.alias AS alias",
    );
    assert.deepEqual(oc1, {
      id: "oc1",
      labels: ["City", "Port"],
      code: "oc1",
      ok: true,
      b: 1,
      s: 2,
      i: 3,
      l: 4,
      f: 0.5,
      d: 0.25,
      name: "Lisbon",
      born: "1990-05-06T07:08:09.000Z",
      when: "2000-01-02T00:00:00.000Z",
      alias: ["Lisboa", "Olisipo"],
    });
    const [road] = await rows("MATCH (:Port)-[r:ROAD]->(b) RETURN r.km AS km, b.name AS to, id(r) AS id");
    assert.equal(road!["km"], 313);
    assert.equal(road!["to"], "Porto");
    assert.match(String(road!["id"]), /^[0-9a-f-]{36}$/);
  });

  it("failOnError FALSE (raw API strings): bad lines are reported by line number and the rest is loaded", async () => {
    const before = await count();
    const source = files("bad-lines", {
      "v.csv": [
        "~id,~label,age:Int",
        "bl1,Person,30",
        "bl5,Person,50",
        "bl2,Person,thirty", // line 4: not an Int
        ",Person,5", // line 5: no id
        "bl3,Person,40,extra", // line 6: one field too many
        'bl4,Person,"4', // line 7: an unclosed quote
      ].join("\n"),
      "w.csv": "~id,~from,~to,~label\nble1,bl1,bl5,KNOWS\nble2,bl1,nowhere,KNOWS\n",
    });
    const res = await http(writer, "POST", "/loader", {
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        source: pathToFileURL(source).href,
        format: "csv",
        region: REGION,
        iamRoleArn: ROLE,
        failOnError: "FALSE",
      }),
    });
    assert.equal(res.status, 200);
    assert.equal((res.json as { status: string }).status, "200 OK");
    const loadId = (res.json as { payload: { loadId: string } }).payload.loadId;
    const s = await status(loadId, { details: true, errors: true });
    assert.equal(s.overallStatus["status"], "LOAD_FAILED");
    assert.equal(s.overallStatus["parsingErrors"], 4);
    assert.equal(s.overallStatus["insertErrors"], 1);
    assert.deepEqual(s.feedCount, [{ LOAD_FAILED: 2 }]);
    assert.deepEqual(
      s.failedFeeds!.map((f) => [f["fullUri"], f["status"], f["parsingErrors"], f["insertErrors"]]),
      [
        [join(source, "v.csv"), "LOAD_FAILED", 4, 0],
        [join(source, "w.csv"), "LOAD_FAILED", 0, 1],
      ],
    );
    const logs = s.errors!.errorLogs;
    assert.deepEqual(
      logs.map((l) => [l.fileName.slice(source.length + 1), l.recordNum, l.errorCode]),
      [
        ["v.csv", 4, "PARSING_ERROR"],
        ["v.csv", 5, "PARSING_ERROR"],
        ["v.csv", 6, "PARSING_ERROR"],
        ["v.csv", 7, "PARSING_ERROR"],
        ["w.csv", 3, "FROM_OR_TO_VERTEX_ARE_MISSING"],
      ],
    );
    assert.match(logs[0]!.errorMessage, /'thirty' is not a valid int for property 'age'/);
    assert.deepEqual([s.errors!.startIndex, s.errors!.endIndex, s.errors!.loadId], [1, 5, loadId]);
    // The good records are in: two vertices and one edge.
    assert.equal(await count(), (before as number) + 2);
    assert.deepEqual(await rows("MATCH (a)-[r]->(b) WHERE id(r) = 'ble1' RETURN id(b) AS b"), [{ b: "bl5" }]);
    // Pages of errors, and the raw status form `GET /loader?loadId=`.
    const page = await http(writer, "GET", `/loader?loadId=${loadId}&errors=TRUE&page=2&errorsPerPage=2`);
    const errors = (page.json as { payload: StatusPayload }).payload.errors!;
    assert.deepEqual([errors.startIndex, errors.endIndex, errors.errorLogs.map((l) => l.recordNum)], [3, 4, [6, 7]]);
    // Without the flags, the status has neither failedFeeds nor errors.
    const plain = await status(loadId);
    assert.deepEqual([plain.failedFeeds, plain.errors], [undefined, undefined]);
  });

  it("failOnError (the default) stops at the first bad record and changes nothing", async () => {
    const before = await count();
    const source = files("fail-fast", {
      "v.csv": "~id,age:Int\nff1,1\nff2,2\nff3,x\nff4,4\n",
      "w.csv": "~id,~from,~to\nffe,ff1,ff2\n",
    });
    const s = await status(await load({ source }), { details: true, errors: true });
    assert.equal(s.overallStatus["status"], "LOAD_FAILED");
    assert.equal(s.overallStatus["parsingErrors"], 1);
    assert.equal(s.overallStatus["totalRecords"], 3);
    assert.deepEqual(
      s.failedFeeds!.map((f) => f["status"]),
      ["LOAD_FAILED", "LOAD_CANCELLED_DUE_TO_ERRORS"],
    );
    assert.deepEqual(
      s.errors!.errorLogs.map((l) => l.recordNum),
      [4],
    );
    assert.equal(await count(), before);
    assert.deepEqual(await rows("MATCH (n) WHERE id(n) IN ['ff1', 'ff2'] RETURN n"), []);
  });

  it("mode: RESUME without an earlier load of the source is refused; AUTO reloads what failed, same loadId", async () => {
    const source = files("resume", { "v.csv": "~id,age:Int\nrs1,1\nrs2,oops\n" });
    const refused = await rejection(() => load({ source, mode: "RESUME" }));
    assert.equal(refused.name, "BadRequestException");
    assert.equal(refused.$metadata?.httpStatusCode, 400);
    const first = await load({ source });
    assert.equal((await status(first)).overallStatus["status"], "LOAD_FAILED");
    writeFileSync(join(source, "v.csv"), "~id,age:Int\nrs1,1\nrs2,2\n");
    const again = await load({ source, mode: "AUTO" });
    assert.equal(again, first);
    const s = await status(again);
    assert.equal(s.overallStatus["status"], "LOAD_COMPLETED");
    assert.equal(s.overallStatus["runNumber"], 2);
    assert.deepEqual(await rows("MATCH (n) WHERE id(n) STARTS WITH 'rs' RETURN n.age AS age ORDER BY age"), [
      { age: 1 },
      { age: 2 },
    ]);
    const fresh = await load({ source, mode: "NEW" });
    assert.notEqual(fresh, first);
  });

  it("an s3:// source is refused with S3Exception naming it, and nothing is recorded", async () => {
    const before = (await client.send(new ListLoaderJobsCommand({}))).payload!.loadIds!;
    const thrown = await rejection(() => load({ source: "s3://my-bucket/graph/" }));
    assert.equal(thrown.name, "S3Exception");
    assert.equal(thrown.$metadata?.httpStatusCode, 400);
    assert.match(
      (thrown as unknown as { detailedMessage: string }).detailedMessage,
      /Trident has no S3: it cannot read the source 's3:\/\/my-bucket\/graph\/'/,
    );
    const raw = neptuneError(
      await http(writer, "POST", "/loader", {
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          source: "https://s3.amazonaws.com/b/k",
          format: "csv",
          region: REGION,
          iamRoleArn: ROLE,
        }),
      }),
    );
    assert.deepEqual([raw.code, raw.status], ["S3Exception", 400]);
    const missing = await rejection(() => load({ source: join(dir, "does-not-exist") }));
    assert.equal(missing.name, "BadRequestException");
    const source = files("refused", { "v.csv": "~id\nrf1\n" });
    const rdf = await rejection(() => load({ source, format: "ntriples" }));
    assert.deepEqual([rdf.name, rdf.$metadata?.httpStatusCode], ["UnsupportedOperationException", 400]);
    const region = await rejection(() => load({ source, s3BucketRegion: "eu-west-1" }));
    assert.deepEqual([region.name, region.$metadata?.httpStatusCode], ["BadRequestException", 400]);
    const flag = neptuneError(
      await http(writer, "POST", "/loader", {
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ source, format: "csv", region: REGION, iamRoleArn: ROLE, failOnError: "maybe" }),
      }),
    );
    assert.deepEqual([flag.code, flag.status], ["BadRequestException", 400]);
    assert.deepEqual(await rows("MATCH (n) WHERE id(n) = 'rf1' RETURN n"), []);
    assert.deepEqual((await client.send(new ListLoaderJobsCommand({}))).payload!.loadIds, before);
  });

  it("a replica refuses a load (ReadOnlyViolationException) but shows the cluster's jobs", async () => {
    const replica = world.data(reader.address, reader.port);
    const source = files("replica", { "v.csv": "~id\nrp1\n" });
    const thrown = await rejection(() =>
      replica.send(new StartLoaderJobCommand({ source, format: "csv", s3BucketRegion: REGION, iamRoleArn: ROLE })),
    );
    assert.equal(thrown.name, "ReadOnlyViolationException");
    const ids = (await replica.send(new ListLoaderJobsCommand({}))).payload!.loadIds!;
    assert.deepEqual(ids, (await client.send(new ListLoaderJobsCommand({}))).payload!.loadIds);
  });

  it("a job whose dependencies did not complete fails without loading", async () => {
    const source = files("dependent", { "v.csv": "~id\ndp1\n" });
    const loadId = await load({ source, dependencies: ["never-ran"] });
    const s = await status(loadId);
    assert.equal(s.overallStatus["status"], "LOAD_FAILED_BECAUSE_DEPENDENCY_NOT_SATISFIED");
    assert.deepEqual(await rows("MATCH (n) WHERE id(n) = 'dp1' RETURN n"), []);
  });

  it("ListLoaderJobs lists the newest first, up to limit; CancelLoaderJob of a finished job answers 200 OK", async () => {
    const source = files("list", { "v.csv": "~id\nls1\n" });
    const newest = await load({ source, mode: "NEW" });
    const all = (await client.send(new ListLoaderJobsCommand({}))).payload!.loadIds!;
    assert.equal(all[0], newest);
    assert.ok(all.length >= 6);
    const two = await http(writer, "GET", "/loader?limit=2");
    assert.deepEqual(two.json, { status: "200 OK", payload: { loadIds: all.slice(0, 2) } });
    const cancel = await client.send(new CancelLoaderJobCommand({ loadId: newest }));
    assert.equal(cancel.status, "200 OK");
    assert.equal((await status(newest)).overallStatus["status"], "LOAD_COMPLETED");
  });

  it("status and cancel of an unknown load id: BulkLoadIdNotFoundException (404)", async () => {
    for (const send of [
      () => client.send(new GetLoaderJobStatusCommand({ loadId: "no-such-load" })),
      () => client.send(new CancelLoaderJobCommand({ loadId: "no-such-load" })),
    ]) {
      const thrown = await rejection(send);
      assert.equal(thrown.name, "BulkLoadIdNotFoundException");
      assert.equal(thrown.$metadata?.httpStatusCode, 404);
    }
    for (const [method, path] of [
      ["GET", "/loader/no-such-load"],
      ["GET", "/loader?loadId=no-such-load"],
      ["DELETE", "/loader?loadId=no-such-load"],
    ] as const) {
      const raw = neptuneError(await http(writer, method, path));
      assert.deepEqual(
        [raw.code, raw.status, raw.detailedMessage],
        ["BulkLoadIdNotFoundException", 404, "The load id 'no-such-load' was not found."],
      );
    }
  });
});
