import assert from "node:assert/strict";
import { test } from "node:test";
import { ManualClock } from "../../src/state/clock.js";
import { fails, newEngine, results, scalar, socialGraph } from "./support.js";

test("element functions: id, labels, type, properties, keys, startNode, endNode", () => {
  const g = socialGraph();
  const [row] = results(
    g,
    "MATCH (a:Person {name: 'Carol'})<-[r:KNOWS]-(b) RETURN id(a) AS id, labels(a) AS labels, type(r) AS type, " +
      "properties(r) AS props, keys(a) AS keys, startNode(r).name AS start, endNode(r).name AS end, id(r) AS rid",
  );
  assert.deepEqual(row, {
    id: "carol",
    labels: ["Person", "Admin"],
    type: "KNOWS",
    props: { since: 2019 },
    keys: ["name", "age"],
    start: "Bob",
    end: "Carol",
    rid: "k2",
  });
  fails(g, "MATCH (a:City) RETURN type(a)", "BadRequestException", "Invalid argument for type()");
});

test("list functions: size, length, head, last, tail, reverse, range, nodes, relationships", () => {
  const g = socialGraph();
  const [row] = results(
    g,
    "RETURN size([1, 2, 3]) AS s, size('four') AS sl, head([1, 2]) AS h, last([1, 2]) AS l, head([]) AS he, " +
      "tail([1, 2, 3]) AS t, reverse([1, 2]) AS r, range(0, 10, 3) AS rg, range(3, 1, -1) AS down, size(null) AS sn",
  );
  assert.deepEqual(row, {
    s: 3,
    sl: 4,
    h: 1,
    l: 2,
    he: null,
    t: [2, 3],
    r: [2, 1],
    rg: [0, 3, 6, 9],
    down: [3, 2, 1],
    sn: null,
  });
  const [path] = results(
    g,
    "MATCH p = (:Person {name: 'Alice'})-[:KNOWS*2]->() RETURN length(p) AS len, [n IN nodes(p) | n.name] AS names, " +
      "[r IN relationships(p) | id(r)] AS rels",
  );
  assert.deepEqual(path, { len: 2, names: ["Alice", "Bob", "Carol"], rels: ["k1", "k2"] });
});

test("coalesce and exists", () => {
  const g = socialGraph();
  assert.deepEqual(
    results(g, "MATCH (n:Person) RETURN coalesce(n.email, n.name, 'none') AS c, exists(n.email) AS e ORDER BY n.name"),
    [
      { c: "alice@example.com", e: true },
      { c: "Bob", e: false },
      { c: "Carol", e: false },
    ],
  );
  assert.equal(scalar(g, "RETURN coalesce(null, null)"), null);
});

test("conversions: toString, toInteger (saturating, null on text that is no number), toFloat, toBoolean", () => {
  const g = newEngine();
  const [row] = results(
    g,
    "RETURN toString(1) AS a, toString(1.0) AS b, toString(true) AS c, toInteger('42') AS d, toInteger(' 7 ') AS e, " +
      "toInteger('x') AS f, toInteger(3.9) AS g, toInteger(-3.9) AS h, toInteger(1e30) AS i, toFloat('2.5') AS j, " +
      "toFloat(3) AS k, toBoolean('TRUE') AS l, toBoolean('no') AS m, toInteger('12.7') AS n",
  );
  assert.deepEqual(row, {
    a: "1",
    b: "1.0",
    c: "true",
    d: 42,
    e: 7,
    f: null,
    g: 3,
    h: -3,
    i: 2 ** 63, // the Long maximum, as a client's double reads it (the raw text is checked below)
    j: 2.5,
    k: 3.0,
    l: true,
    m: null,
    n: 12,
  });
  assert.match(g.run("RETURN toInteger(1e30) AS i, toFloat(3) AS k"), /"i":9223372036854775807,"k":3\.0/);
});

test("string functions: toUpper, toLower, trim, lTrim, rTrim, split, substring, left, right, replace, reverse, join", () => {
  const g = newEngine();
  const [row] = results(
    g,
    "RETURN toUpper('ab') AS a, toLower('AB') AS b, trim('  x ') AS c, lTrim('  x ') AS d, rTrim('  x ') AS e, " +
      "split('a,b,,c', ',') AS f, substring('hello', 1) AS g, substring('hello', 1, 2) AS h, left('hello', 2) AS i, " +
      "right('hello', 2) AS j, replace('a.b.c', '.', '-') AS k, reverse('abc') AS l, join(['a', 'b'], '+') AS m, " +
      "toUpper(null) AS n",
  );
  assert.deepEqual(row, {
    a: "AB",
    b: "ab",
    c: "x",
    d: "x ",
    e: "  x",
    f: ["a", "b", "", "c"],
    g: "ello",
    h: "el",
    i: "he",
    j: "lo",
    k: "a-b-c",
    l: "cba",
    m: "a+b",
    n: null,
  });
  fails(g, "RETURN toUpper(1)", "BadRequestException", "toUpper");
});

test("math functions", () => {
  const g = newEngine();
  const [row] = results(
    g,
    "RETURN abs(-3) AS a, abs(-2.5) AS b, ceil(1.2) AS c, floor(1.8) AS d, round(2.5) AS e, sign(-4) AS f, sqrt(16) AS g, " +
      "pi() > 3.14 AS h, removeKeyFromMap({a: 1, b: 2}, 'a') AS i",
  );
  assert.deepEqual(row, { a: 3, b: 2.5, c: 2.0, d: 1.0, e: 3.0, f: -1, g: 4.0, h: true, i: { b: 2 } });
});

test("datetime() and timestamp() read the statement clock; datetime(text) parses ISO-8601 into UTC", () => {
  const clock = new ManualClock("2026-03-04T05:06:07.089Z");
  const g = newEngine(clock);
  const [row] = results(
    g,
    "RETURN datetime() AS now, timestamp() AS ts, datetime('2024-04-01T23:59:59+02:00') AS d, " +
      "epochMillis(datetime('1970-01-01T00:00:01Z')) AS ms, datetime() = datetime() AS same",
  );
  assert.deepEqual(row, {
    now: "2026-03-04T05:06:07.089Z",
    ts: Date.parse("2026-03-04T05:06:07.089Z"),
    d: "2024-04-01T21:59:59.000Z",
    ms: 1000,
    same: true,
  });
  clock.advanceSeconds(60);
  assert.equal(scalar(g, "RETURN datetime()"), "2026-03-04T05:07:07.089Z");
  // A stored datetime compares and sorts as a time.
  g.run("CREATE (:E {at: datetime('2024-01-02T00:00:00Z')}), (:E {at: datetime('2023-01-02T00:00:00Z')})");
  assert.deepEqual(results(g, "MATCH (e:E) WHERE e.at > datetime('2023-06-01T00:00:00Z') RETURN e.at AS at"), [
    { at: "2024-01-02T00:00:00.000Z" },
  ]);
  fails(g, "RETURN datetime('not a date')", "BadRequestException", "cannot be parsed");
});

test("CASE (simple and generic), list comprehensions, quantifiers, map and list literals, indexes and slices", () => {
  const g = newEngine();
  const [row] = results(
    g,
    "WITH [1, 2, 3, 4] AS l RETURN CASE l[0] WHEN 1 THEN 'one' WHEN 2 THEN 'two' END AS a, " +
      "CASE WHEN size(l) > 10 THEN 'big' ELSE 'small' END AS b, CASE 5 WHEN 1 THEN 'x' END AS c, " +
      "[x IN l WHERE x % 2 = 0] AS d, [x IN l | x * 10] AS e, all(x IN l WHERE x > 0) AS f, any(x IN l WHERE x > 3) AS g, " +
      "none(x IN l WHERE x > 3) AS h, single(x IN l WHERE x = 2) AS i, {k: l[-1], n: {m: [l[1..3]]}} AS j, l[..2] AS k, " +
      "l[10] AS m, {a: 1}.a AS n, {a: 1}['a'] AS o",
  );
  assert.deepEqual(row, {
    a: "one",
    b: "small",
    c: null,
    d: [2, 4],
    e: [10, 20, 30, 40],
    f: true,
    g: true,
    h: false,
    i: true,
    j: { k: 4, n: { m: [[2, 3]] } },
    k: [1, 2],
    m: null,
    n: 1,
    o: 1,
  });
});

test("an unknown function or a wrong argument count is a malformed query", () => {
  const g = newEngine();
  fails(g, "RETURN nosuch(1)", "MalformedQueryException", "Unknown function 'nosuch'");
  fails(g, "RETURN size(1, 2)", "MalformedQueryException", "takes 1 argument");
});
