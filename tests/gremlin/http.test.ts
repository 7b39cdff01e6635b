import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  ExecuteGremlinQueryCommand,
  ExecuteOpenCypherQueryCommand,
  type NeptunedataClient,
} from "@aws-sdk/client-neptunedata";
import { rejection } from "../helpers/harness.js";
import { clusterWithInstances, dataPlaneWorld, http, neptuneError, type World } from "../dataplane/fixture.js";

/**
 * Gremlin over HTTP (issue 12 item 2): `GET /gremlin?gremlin=`, `POST /gremlin {"gremlin"}` and the neptunedata
 * SDK's ExecuteGremlinQuery, answered with Gremlin Server's HTTP response in GraphSON 3; Neptune's errors.
 */

const json = { "content-type": "application/json" };
const post = (gremlin: string, headers: Record<string, string> = json) => ({
  headers,
  body: JSON.stringify({ gremlin }),
});
const int64 = (n: number) => ({ "@type": "g:Int64", "@value": n });
const emptyMap = { "@type": "g:Map", "@value": [] };

describe("Gremlin over HTTP at /gremlin", () => {
  let world: World;
  let writer: { address: string; port: number };
  let reader: { address: string; port: number };
  let client: NeptunedataClient;

  before(async () => {
    world = await dataPlaneWorld();
    ({ writer, reader } = await clusterWithInstances(world.neptune, "graph", 1));
    client = world.data(writer.address, writer.port);
    const seeded = await http(
      writer,
      "POST",
      "/gremlin",
      post(
        "g.addV('person').property(id, 'p1').property('name', 'Ada').property('age', 36)" +
          ".addV('person').property(id, 'p2').property('name', 'Charles')" +
          ".addE('knows').from(V('p1')).property(id, 'k1').iterate()",
      ),
    );
    assert.equal(seeded.status, 200, seeded.body);
  });
  after(() => world.running.close());

  it("POST {gremlin} answers Gremlin Server's HTTP response, GraphSON 3 with types", async () => {
    const res = await http(writer, "POST", "/gremlin", post("g.V('p1').values('age')"));
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, {
      requestId: res.headers["x-amzn-requestid"],
      status: { message: "", code: 200, attributes: emptyMap },
      result: { data: { "@type": "g:List", "@value": [int64(36)] }, meta: emptyMap },
    });
  });

  it("GET ?gremlin=, and a POST with curl's form Content-Type, answer the same", async () => {
    const get = await http(writer, "GET", `/gremlin?${new URLSearchParams({ gremlin: "g.V().count()" })}`);
    assert.equal(get.status, 200);
    assert.deepEqual((get.json!.result as { data: unknown }).data, { "@type": "g:List", "@value": [int64(2)] });
    const curl = await http(
      writer,
      "POST",
      "/gremlin",
      post("g.V().count()", { "content-type": "application/x-www-form-urlencoded" }),
    );
    assert.deepEqual(curl.json!.result, get.json!.result);
  });

  it("elements are references; maps, lists and paths are typed", async () => {
    const res = await http(writer, "POST", "/gremlin", post("g.E('k1').project('e', 'v').by().by(outV())"));
    assert.deepEqual((res.json!.result as { data: unknown }).data, {
      "@type": "g:List",
      "@value": [
        {
          "@type": "g:Map",
          "@value": [
            "e",
            {
              "@type": "g:Edge",
              "@value": { id: "k1", label: "knows", inVLabel: "person", outVLabel: "person", inV: "p2", outV: "p1" },
            },
            "v",
            { "@type": "g:Vertex", "@value": { id: "p1", label: "person" } },
          ],
        },
      ],
    });
  });

  it("`types=false` answers plain JSON", async () => {
    const accept = { ...json, accept: "application/vnd.gremlin-v3.0+json;types=false" };
    const res = await http(
      writer,
      "POST",
      "/gremlin",
      post("g.V('p1').project('v', 'age', 'names').by().by('age').by(V().values('name').fold())", accept),
    );
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, {
      requestId: res.headers["x-amzn-requestid"],
      status: { message: "", code: 200, attributes: {} },
      result: { data: [{ v: { id: "p1", label: "person" }, age: 36, names: ["Ada", "Charles"] }], meta: {} },
    });
  });

  it("the SDK's ExecuteGremlinQuery: status, and the result as a document", async () => {
    const out = await client.send(new ExecuteGremlinQueryCommand({ gremlinQuery: "g.V().hasLabel('person').count()" }));
    assert.equal(out.$metadata.httpStatusCode, 200);
    assert.equal(out.requestId, out.$metadata.requestId);
    assert.equal(out.status?.code, 200);
    assert.deepEqual(out.result, { data: { "@type": "g:List", "@value": [int64(2)] }, meta: emptyMap });
    const plain = await client.send(
      new ExecuteGremlinQueryCommand({
        gremlinQuery: "g.V().hasLabel('person').values('name')",
        serializer: "application/vnd.gremlin-v3.0+json;types=false",
      }),
    );
    assert.deepEqual(plain.result, { data: ["Ada", "Charles"], meta: {} });
  });

  it("one graph: a vertex written over HTTP is a node to openCypher", async () => {
    await client.send(
      new ExecuteGremlinQueryCommand({ gremlinQuery: "g.addV('city').property(id, 'c1').property('name', 'Paris')" }),
    );
    const out = await client.send(
      new ExecuteOpenCypherQueryCommand({ openCypherQuery: "MATCH (c:city) RETURN id(c) AS id, c.name AS name" }),
    );
    assert.deepEqual(out.results, [{ id: "c1", name: "Paris" }]);
  });

  it("a script's error undoes all it wrote, in Neptune's error JSON and status", async () => {
    const res = await http(
      writer,
      "POST",
      "/gremlin",
      post("g.addV('temp').property(id, 't1').iterate()\ng.addV('person').property(id, 'p1').next()"),
    );
    assert.deepEqual(neptuneError(res), {
      code: "ConstraintViolationException",
      detailedMessage: "Vertex with id already exists: p1",
      status: 400,
    });
    const count = await client.send(new ExecuteGremlinQueryCommand({ gremlinQuery: "g.V('t1').count()" }));
    assert.deepEqual(count.result, { data: { "@type": "g:List", "@value": [int64(0)] }, meta: emptyMap });
  });

  it("refusals: a syntax error with its place, no script, another method, a serializer Trident does not write", async () => {
    assert.deepEqual(neptuneError(await http(writer, "POST", "/gremlin", post("g.V().map{ it }"))), {
      code: "MalformedQueryException",
      detailedMessage:
        "Query parsing failed at line 1, character position at 9, error message : lambdas and closures are not " +
        "supported by Neptune",
      status: 400,
    });
    assert.deepEqual(neptuneError(await http(writer, "GET", "/gremlin")), {
      code: "MissingParameterException",
      detailedMessage: "Missing parameter: gremlin (the Gremlin script).",
      status: 400,
    });
    const missing = await rejection(() => client.send(new ExecuteGremlinQueryCommand({ gremlinQuery: "" })));
    assert.equal(missing.name, "MissingParameterException");
    assert.deepEqual(
      [neptuneError(await http(writer, "PUT", "/gremlin", post("g.V()"))).code, 405],
      ["MethodNotAllowedException", 405],
    );
    const bindings = await http(writer, "POST", "/gremlin", {
      headers: json,
      body: JSON.stringify({ gremlin: "g.V(x)", bindings: { x: "p1" } }),
    });
    assert.deepEqual(neptuneError(bindings), {
      code: "UnsupportedOperationException",
      detailedMessage: "Bindings in Gremlin are not supported.",
      status: 400,
    });
    const noBindings = await http(writer, "POST", "/gremlin", {
      headers: json,
      body: JSON.stringify({ gremlin: "g.V('p1').id()", bindings: {}, language: "gremlin-groovy" }),
    });
    assert.equal(noBindings.status, 200);
    const notJson = neptuneError(await http(writer, "POST", "/gremlin", { headers: json, body: "{gremlin" }));
    assert.deepEqual([notJson.code, notJson.status], ["BadRequestException", 400]);
    const serializer = await rejection(() =>
      client.send(
        new ExecuteGremlinQueryCommand({ gremlinQuery: "g.V()", serializer: "application/vnd.graphbinary-v1.0" }),
      ),
    );
    assert.equal(serializer.name, "UnsupportedOperationException");
    assert.equal(
      (serializer as unknown as { detailedMessage: string }).detailedMessage,
      "The serializer 'application/vnd.graphbinary-v1.0' is not supported by Trident: use " +
        "application/vnd.gremlin-v3.0+json (or application/vnd.gremlin-v3.0+json;types=false for plain JSON).",
    );
    const step = neptuneError(await http(writer, "POST", "/gremlin", post("g.V().pageRank()")));
    assert.deepEqual(step, {
      code: "UnsupportedOperationException",
      detailedMessage: "Unsupported step: pageRank",
      status: 400,
    });
  });

  it("the reader endpoint answers scripts and refuses their writes", async () => {
    const read = await http(reader, "POST", "/gremlin", post("g.V('p1').values('name')"));
    assert.deepEqual((read.json!.result as { data: unknown }).data, { "@type": "g:List", "@value": ["Ada"] });
    const write = neptuneError(await http(reader, "POST", "/gremlin", post("g.addV('x')")));
    assert.deepEqual([write.code, write.status], ["ReadOnlyViolationException", 400]);
  });

  it("a cluster with IAM database authentication refuses an unsigned request, serves a signed one", async () => {
    const { writer: secured } = await clusterWithInstances(world.neptune, "secured", 0, {
      EnableIAMDatabaseAuthentication: true,
    });
    const unsigned = neptuneError(await http(secured, "POST", "/gremlin", post("g.V().count()")));
    assert.deepEqual(unsigned, {
      code: "AccessDeniedException",
      detailedMessage: "Missing Authentication Token",
      status: 403,
    });
    // The SDK client signs for neptune-db with the admin's keys (tests/gremlin/iam.test.ts has the policy matrix).
    const signed = await world
      .data(secured.address, secured.port)
      .send(new ExecuteGremlinQueryCommand({ gremlinQuery: "g.V().count()" }));
    assert.equal((signed.result as { data: { "@value": unknown[] } }).data["@value"].length, 1);
  });
});
