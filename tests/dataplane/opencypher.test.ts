import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { request } from "node:http";
import { ExecuteOpenCypherQueryCommand, type NeptunedataClient } from "@aws-sdk/client-neptunedata";
import { rejection } from "../helpers/harness.js";
import { clusterWithInstances, dataPlaneWorld, form, http, neptuneError, type World } from "./fixture.js";

describe("openCypher over HTTP on a cluster's endpoint", () => {
  let world: World;
  let writer: { address: string; port: number };
  let client: NeptunedataClient;

  after(() => world.running.close());

  before(async () => {
    world = await dataPlaneWorld();
    ({ writer } = await clusterWithInstances(world.neptune, "graph"));
    client = world.data(writer.address, writer.port);
    await client.send(
      new ExecuteOpenCypherQueryCommand({
        openCypherQuery:
          "CREATE (a:Person {`~id`: 'p1', name: 'Ada', big: 9223372036854775807, " +
          "born: datetime('1815-12-10T00:00:00Z')})-[:KNOWS {`~id`: 'k1', since: 1833}]->(b:Person {`~id`: 'p2', name: 'Charles'})",
      }),
    );
  });

  it("answers the SDK's ExecuteOpenCypherQuery with Neptune's results", async () => {
    const out = await client.send(
      new ExecuteOpenCypherQueryCommand({
        openCypherQuery: "MATCH (n:Person {name: $name}) RETURN n.name AS name, id(n) AS id",
        parameters: JSON.stringify({ name: "Ada" }),
      }),
    );
    assert.deepEqual(out.results, [{ name: "Ada", id: "p1" }]);
    assert.equal(out.$metadata.httpStatusCode, 200);
  });

  const expected = '{"results":[{"name":"Ada"}]}';
  const query = "MATCH (n:Person) WHERE n.name = $name RETURN n.name AS name";
  const parameters = JSON.stringify({ name: "Ada" });
  const qs = new URLSearchParams({ query, parameters }).toString();

  for (const path of ["/openCypher", "/opencypher"]) {
    it(`${path}: GET with the query string`, async () => {
      const res = await http(writer, "GET", `${path}?${qs}`);
      assert.equal(res.status, 200);
      assert.equal(res.body, expected);
      assert.match(String(res.headers["content-type"]), /^application\/json/);
      assert.ok(res.headers["x-amzn-requestid"]);
    });

    it(`${path}: POST with a form body`, async () => {
      const res = await http(writer, "POST", path, form({ query, parameters }));
      assert.equal(res.status, 200);
      assert.equal(res.body, expected);
    });
  }

  it("POST with the query string only (no body)", async () => {
    const res = await http(writer, "POST", `/openCypher?${qs}`);
    assert.equal(res.body, expected);
  });

  it("POST application/opencypher: the raw query as the body, parameters in the query string", async () => {
    const res = await http(writer, "POST", `/openCypher?${new URLSearchParams({ parameters })}`, {
      headers: { "content-type": "application/opencypher" },
      body: query,
    });
    assert.equal(res.status, 200);
    assert.equal(res.body, expected);
  });

  it("POST application/json, the SDK's body: parameters as a JSON string", async () => {
    const res = await http(writer, "POST", "/opencypher", {
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query, parameters }),
    });
    assert.equal(res.body, expected);
  });

  it("writes 64-bit integers exactly, datetimes as ISO strings, paths as arrays", async () => {
    const big = await http(
      writer,
      "GET",
      `/openCypher?${new URLSearchParams({ query: "MATCH (n {name:'Ada'}) RETURN n.big AS big, n.big - 1 AS less" })}`,
    );
    assert.equal(big.body, '{"results":[{"big":9223372036854775807,"less":9223372036854775806}]}');
    const born = await http(
      writer,
      "GET",
      `/openCypher?${new URLSearchParams({ query: "MATCH (n {name:'Ada'}) RETURN n.born AS born" })}`,
    );
    assert.match((born.json!.results as { born: string }[])[0]!.born, /^1815-12-10T00:00:00(\.000)?Z$/);
    const path = await http(
      writer,
      "GET",
      `/openCypher?${new URLSearchParams({ query: "MATCH p = (:Person)-[:KNOWS]->(:Person) RETURN p" })}`,
    );
    const [row] = path.json!.results as { p: Record<string, unknown>[] }[];
    assert.equal(row!.p.length, 3);
    assert.deepEqual(
      row!.p.map((e) => [e["~entityType"], e["~id"]]),
      [
        ["node", "p1"],
        ["relationship", "k1"],
        ["node", "p2"],
      ],
    );
    assert.equal(row!.p[1]!["~start"], "p1");
    assert.equal(row!.p[1]!["~end"], "p2");
    assert.equal(row!.p[1]!["~type"], "KNOWS");
    assert.deepEqual(row!.p[1]!["~properties"], { since: 1833 });
  });

  it("a syntax error is MalformedQueryException naming line and column, on the wire and through the SDK", async () => {
    const res = await http(writer, "POST", "/openCypher", form({ query: "MATCH (n\nRETURN n" }));
    const error = neptuneError(res);
    assert.equal(error.status, 400);
    assert.equal(error.code, "MalformedQueryException");
    assert.match(error.detailedMessage, /line 2, column \d+/);
    const thrown = await rejection(() =>
      client.send(new ExecuteOpenCypherQueryCommand({ openCypherQuery: "RETURN (" })),
    );
    assert.equal(thrown.name, "MalformedQueryException");
    assert.equal(thrown.$metadata?.httpStatusCode, 400);
  });

  it("parameters that are not a JSON object are InvalidParameterException, and change nothing", async () => {
    const res = await http(
      writer,
      "POST",
      "/openCypher",
      form({ query: "CREATE (:Bad) RETURN 1", parameters: "{not json" }),
    );
    assert.deepEqual(
      { ...neptuneError(res), detailedMessage: undefined },
      { code: "InvalidParameterException", status: 400, detailedMessage: undefined },
    );
    const count = await http(
      writer,
      "GET",
      `/openCypher?${new URLSearchParams({ query: "MATCH (b:Bad) RETURN count(b) AS n" })}`,
    );
    assert.equal(count.body, '{"results":[{"n":0}]}');
  });

  it("a missing query is MissingParameterException", async () => {
    const res = await http(writer, "POST", "/openCypher", form({ parameters: "{}" }));
    const error = neptuneError(res);
    assert.equal(error.code, "MissingParameterException");
    assert.equal(error.status, 400);
  });

  for (const method of ["PUT", "DELETE"]) {
    it(`${method} /openCypher is MethodNotAllowedException (405)`, async () => {
      const res = await http(writer, method, `/openCypher?${qs}`);
      const error = neptuneError(res);
      assert.equal(error.status, 405);
      assert.equal(error.code, "MethodNotAllowedException");
    });
  }

  it("an unknown path is a clean BadRequestException", async () => {
    const res = await http(writer, "GET", "/no/such/thing");
    const error = neptuneError(res);
    assert.equal(error.status, 400);
    assert.equal(error.code, "BadRequestException");
    assert.equal(error.detailedMessage, "No Neptune data-plane operation at GET /no/such/thing.");
  });

  it("an unsupported Content-Type is BadRequestException", async () => {
    const res = await http(writer, "POST", "/openCypher", { headers: { "content-type": "text/csv" }, body: "a,b" });
    assert.equal(neptuneError(res).code, "BadRequestException");
  });

  it("a body declared above Neptune's limit is refused at once, without being read", async () => {
    const res = await new Promise<{ status: number; body: string; errortype: unknown }>((resolve, reject) => {
      const req = request(
        {
          host: writer.address,
          port: writer.port,
          method: "POST",
          path: "/openCypher",
          headers: { "content-type": "application/opencypher", "content-length": String(157286401) },
        },
        (r) => {
          let body = "";
          r.on("data", (c: Buffer) => (body += c.toString()));
          r.on("end", () => resolve({ status: r.statusCode!, body, errortype: r.headers["x-amzn-errortype"] }));
        },
      );
      req.on("error", reject);
      req.write("MATCH (n) RETURN n"); // the rest never comes
    });
    assert.equal(res.status, 400);
    assert.equal(res.errortype, "BadRequestException");
    const body = JSON.parse(res.body) as Record<string, string>;
    assert.equal(body.code, "BadRequestException");
    assert.equal(body.detailedMessage, "Request size exceeds max allowed value of 157286400 bytes");
  });
});
