import assert from "node:assert/strict";
import { test } from "node:test";
import { newEngine, socialGraph } from "./support.js";

test("nodes, relationships and paths are written as Neptune writes them, field by field", () => {
  const g = socialGraph();
  assert.equal(
    g.run("MATCH p = (a {`~id`: 'alice'})-[r:KNOWS]->(b) RETURN a, r, p"),
    '{"results":[{' +
      '"a":{"~id":"alice","~entityType":"node","~labels":["Person"],"~properties":{"name":"Alice","age":34,"email":"alice@example.com"}},' +
      '"r":{"~id":"k1","~entityType":"relationship","~start":"alice","~end":"bob","~type":"KNOWS","~properties":{"since":2015}},' +
      '"p":[{"~id":"alice","~entityType":"node","~labels":["Person"],"~properties":{"name":"Alice","age":34,"email":"alice@example.com"}},' +
      '{"~id":"k1","~entityType":"relationship","~start":"alice","~end":"bob","~type":"KNOWS","~properties":{"since":2015}},' +
      '{"~id":"bob","~entityType":"node","~labels":["Person"],"~properties":{"name":"Bob","age":27}}]' +
      "}]}",
  );
});

test("scalars: 64-bit integers as digits, floats with their fraction, datetimes as ISO strings, maps and lists", () => {
  const g = newEngine();
  assert.equal(
    g.run(
      "RETURN 9223372036854775807 AS big, -9223372036854775808 AS small, 2.0 AS f, 0.1 AS g, 1e100 AS h, " +
        "datetime('2024-04-01T23:59:59Z') AS d, {a: [1, 'x', null, true]} AS m, 'quote\"\\\\' AS s",
    ),
    '{"results":[{"big":9223372036854775807,"small":-9223372036854775808,"f":2.0,"g":0.1,"h":1e+100,' +
      '"d":"2024-04-01T23:59:59.000Z","m":{"a":[1,"x",null,true]},"s":"quote\\"\\\\"}]}',
  );
  // JSON has no NaN or Infinity: they are written as strings, so the body always parses.
  const body = g.run("RETURN 0.0 / 0.0 AS nan, 1.0 / 0.0 AS inf, -1.0 / 0.0 AS ninf");
  assert.deepEqual(JSON.parse(body), { results: [{ nan: "NaN", inf: "Infinity", ninf: "-Infinity" }] });
});

test("a query without RETURN answers an empty result list", () => {
  const g = newEngine();
  assert.equal(g.run("CREATE (:A)"), '{"results":[]}');
  assert.equal(g.run("MATCH (n:Nothing) RETURN n"), '{"results":[]}');
});
