import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { loadModel, type ServiceModel } from "../../src/protocol/model.js";
import { AwsError } from "../../src/protocol/errors.js";
import { bindRestJsonInput, RawJson, RestJsonRouter, serializeRestJsonOutput } from "../../src/protocol/rest-json.js";

const neptunedata = loadModel("neptunedata");
const router = new RestJsonRouter(neptunedata);
const none = new URLSearchParams();

const parts = (query = "", headers: Record<string, string> = {}, body = "", labels: Record<string, string> = {}) => ({
  labels,
  query: new URLSearchParams(query),
  headers,
  body: Buffer.from(body),
});

describe("REST-JSON from the neptunedata model", () => {
  test("method and path template name the operation; labels are percent-decoded", () => {
    const engine = router.match("GET", "/status", none);
    assert.equal(engine.kind === "operation" && engine.operation, "GetEngineStatus");
    const status = router.match("GET", "/opencypher/status/a%2Fb%20c", none);
    assert.equal(status.kind === "operation" && status.operation, "GetOpenCypherQueryStatus");
    assert.deepEqual(status.kind === "operation" && { ...status.labels }, { queryId: "a/b c" });
    const cancel = router.match("DELETE", "/openCypher/status/q1/", none);
    assert.equal(cancel.kind === "operation" && cancel.operation, "CancelOpenCypherQuery");
    assert.equal(
      (router.match("GET", "/propertygraph/statistics/summary", none) as { operation: string }).operation,
      "GetPropertygraphSummary",
    );
    assert.equal(
      (router.match("GET", "/propertygraph/statistics", none) as { operation: string }).operation,
      "GetPropertygraphStatistics",
    );
  });

  test("a known path with another method lists the methods; an unknown path or a bad escape names nothing", () => {
    assert.deepEqual(router.match("PUT", "/status", none), { kind: "method", allowed: ["GET"] });
    assert.deepEqual(
      new Set((router.match("PUT", "/propertygraph/statistics", none) as { allowed: string[] }).allowed),
      new Set(["GET", "POST", "DELETE"]),
    );
    assert.deepEqual(router.match("GET", "/nothing/here", none), { kind: "none" });
    assert.deepEqual(router.match("GET", "/opencypher/status/%E0%A4%A", none), { kind: "none" });
  });

  test("members bind from the query string, headers, labels and the JSON body (locationName)", () => {
    assert.deepEqual(
      bindRestJsonInput(
        neptunedata,
        "CancelOpenCypherQuery",
        parts("silent=TRUE", {}, "", { queryId: "q" }),
        "BadRequestException",
      ),
      {
        queryId: "q",
        silent: true,
      },
    );
    assert.deepEqual(
      bindRestJsonInput(
        neptunedata,
        "GetLoaderJobStatus",
        parts("page=2&details=false", {}, "", { loadId: "l" }),
        "BadRequestException",
      ),
      { loadId: "l", details: false, page: 2 },
    );
    assert.deepEqual(
      bindRestJsonInput(
        neptunedata,
        "ExecuteGremlinQuery",
        parts("", { accept: "application/json" }, '{"gremlin":"g.V()"}'),
        "BadRequestException",
      ),
      { gremlinQuery: "g.V()", serializer: "application/json" },
    );
    assert.deepEqual(
      bindRestJsonInput(
        neptunedata,
        "ExecuteOpenCypherQuery",
        parts("", {}, '{"query":"RETURN 1","parameters":"{}"}'),
        "BadRequestException",
      ),
      { openCypherQuery: "RETURN 1", parameters: "{}" },
    );
  });

  test("an unreadable value or body is the service's BadRequestException", () => {
    const bad = (e: unknown) => e instanceof AwsError && e.code === "BadRequestException" && e.status === 400;
    assert.throws(
      () =>
        bindRestJsonInput(
          neptunedata,
          "GetLoaderJobStatus",
          parts("page=two", {}, "", { loadId: "l" }),
          "BadRequestException",
        ),
      bad,
    );
    assert.throws(
      () =>
        bindRestJsonInput(
          neptunedata,
          "CancelOpenCypherQuery",
          parts("silent=yes", {}, "", { queryId: "q" }),
          "BadRequestException",
        ),
      bad,
    );
    assert.throws(
      () => bindRestJsonInput(neptunedata, "ExecuteOpenCypherQuery", parts("", {}, "{nope"), "BadRequestException"),
      bad,
    );
    assert.throws(
      () => bindRestJsonInput(neptunedata, "ExecuteOpenCypherQuery", parts("", {}, "[1]"), "BadRequestException"),
      bad,
    );
    assert.throws(
      () =>
        bindRestJsonInput(
          neptunedata,
          "ExecuteOpenCypherQuery",
          parts("", {}, '{"query":"RETURN 1","parameters":{"a":1}}'),
          "BadRequestException",
        ),
      bad,
    );
  });

  test("outputs: a statusCode member is the status, ISO 8601 timestamps, RawJson as written", () => {
    const summary = serializeRestJsonOutput(neptunedata, "GetPropertygraphSummary", {
      statusCode: 200,
      payload: { version: "v1", lastStatisticsComputationTime: new Date(Date.UTC(2024, 0, 25, 19, 50, 42)) },
    });
    assert.equal(summary.status, 200);
    assert.equal(
      summary.body,
      '{"payload":{"version":"v1","lastStatisticsComputationTime":"2024-01-25T19:50:42.000Z"}}',
    );
    const raw = serializeRestJsonOutput(
      neptunedata,
      "ExecuteOpenCypherQuery",
      new RawJson('{"results":[{"n":9223372036854775807}]}'),
    );
    assert.equal(raw.body, '{"results":[{"n":9223372036854775807}]}');
  });
});

describe("REST-JSON bindings the neptunedata model does not use", () => {
  const model = {
    metadata: { apiVersion: "1", endpointPrefix: "x", protocol: "rest-json", serviceId: "X" },
    operations: {
      GetObject: {
        name: "GetObject",
        http: { method: "GET", requestUri: "/buckets/{Bucket}/{Key+}" },
        input: { shape: "GetObjectInput" },
        output: { shape: "GetObjectOutput" },
      },
      ListVersions: {
        name: "ListVersions",
        http: { method: "GET", requestUri: "/buckets/{Bucket}?versions" },
        input: { shape: "GetObjectInput" },
      },
      ListBucket: {
        name: "ListBucket",
        http: { method: "GET", requestUri: "/buckets/{Bucket}" },
        input: { shape: "GetObjectInput" },
      },
    },
    shapes: {
      S: { type: "string" },
      B: { type: "blob" },
      I: { type: "integer" },
      GetObjectInput: {
        type: "structure",
        members: {
          Bucket: { shape: "S", location: "uri", locationName: "Bucket" },
          Key: { shape: "S", location: "uri", locationName: "Key" },
        },
      },
      GetObjectOutput: {
        type: "structure",
        payload: "Body",
        members: { Body: { shape: "B" }, Length: { shape: "I", location: "header", locationName: "X-Length" } },
      },
      BadRequest: { type: "structure", exception: true, error: { httpStatusCode: 400 } },
    },
    paginators: {},
  } as unknown as ServiceModel;
  const synthetic = new RestJsonRouter(model);

  test("a greedy label takes the rest of the path; literal query parts must be present", () => {
    const object = synthetic.match("GET", "/buckets/b/a/b/c.txt", none);
    assert.equal(object.kind === "operation" && object.operation, "GetObject");
    assert.deepEqual(object.kind === "operation" && { ...object.labels }, { Bucket: "b", Key: "a/b/c.txt" });
    assert.equal(
      (synthetic.match("GET", "/buckets/b", new URLSearchParams("versions")) as { operation: string }).operation,
      "ListVersions",
    );
    assert.equal((synthetic.match("GET", "/buckets/b", none) as { operation: string }).operation, "ListBucket");
  });

  test("a blob payload is the body; header members are headers", () => {
    const out = serializeRestJsonOutput(model, "GetObject", { Body: Buffer.from("plain text"), Length: 10 });
    assert.equal(out.body, "plain text");
    assert.deepEqual(out.headers, { "x-length": "10" });
  });
});
