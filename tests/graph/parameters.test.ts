import assert from "node:assert/strict";
import { test } from "node:test";
import { column, fails, newEngine, results, scalar } from "./support.js";

/** Parameters of every JSON type, in every place a query takes them (Neptune: `parameters`, a JSON object as text). */

test("integers stay exact at every size: small, 15 and 16 digits, beyond 2^53, the Long bounds; -0 is 0", () => {
  const g = newEngine();
  const [row] = results(
    g,
    "RETURN $a AS a, $b AS b, $c AS c, $d AS d, $e AS e, $f AS f, $z AS z, $d - 1 AS dm, $a + $a AS sum",
    '{"a": 7, "b": 999999999999999, "c": 9999999999999999, "d": 9007199254740993, ' +
      '"e": 9223372036854775807, "f": -9223372036854775808, "z": -0}',
  );
  assert.deepEqual(row, {
    a: 7,
    b: 999999999999999,
    // JSON.parse rounds these (hence Number of the digits); the text below shows the digits themselves.
    c: Number("9999999999999999"),
    d: Number("9007199254740993"),
    e: Number("9223372036854775807"),
    f: Number("-9223372036854775808"),
    z: 0,
    dm: 9007199254740992,
    sum: 14,
  });
  // Read back as text: the digits themselves, not a rounded double.
  assert.equal(
    g.run(
      "RETURN $d AS d, $e AS e, $f AS f, $c AS c",
      '{"d": 9007199254740993, "e": 9223372036854775807, "f": -9223372036854775808, "c": 9999999999999999}',
    ),
    '{"results":[{"d":9007199254740993,"e":9223372036854775807,"f":-9223372036854775808,"c":9999999999999999}]}',
  );
  // A 16-digit integer is an integer, not a float: integer arithmetic and type.
  assert.equal(scalar(g, "RETURN $c / 2 AS h", '{"c": 9999999999999999}'), 4999999999999999);
});

test("floats, booleans, strings with escapes, null, lists and maps keep their types", () => {
  const g = newEngine();
  const [row] = results(
    g,
    "RETURN $f / 2 AS f, $w / 2 AS w, $t AND true AS t, $s + '!' AS s, $n IS NULL AS n, size($l) AS l, " +
      "$m.k AS mk, keys($m) AS mkeys, $l[2][0] AS nested",
    '{"f": 1.5, "w": 3.0, "t": true, "s": "tab\\there \\"q\\" \\\\ \\u00e9 \\ud834\\udd1e", "n": null, ' +
      '"l": [1, "two", [3.5]], "m": {"k": false, "z": []}}',
  );
  // 3.0 is a float (JSON with a fraction): 3.0 / 2 is 1.5, where the integer 3 / 2 would be 1.
  assert.deepEqual(row, {
    f: 0.75,
    w: 1.5,
    t: true,
    s: 'tab\there "q" \\ é 𝄞!',
    n: true,
    l: 3,
    mk: false,
    mkeys: ["k", "z"],
    nested: 3.5,
  });
});

test("a raw control character in a string parameter is refused as JSON refuses it; its escape is accepted", () => {
  const g = newEngine();
  fails(g, "RETURN $s", "InvalidParameterException", "JSON object", '{"s": "a\u0001b"}');
  fails(g, "RETURN $s", "InvalidParameterException", "JSON object", '{"s": "line\nbreak"}');
  fails(g, "RETURN $s", "InvalidParameterException", "JSON object", '{"s": "unterminated}');
  fails(g, "RETURN $s", "InvalidParameterException", "JSON object", '{"s": "bad \\x escape"}');
  assert.equal(scalar(g, "RETURN $s AS s", '{"s": "a\\u0001b\\nc"}'), "a\u0001b\nc");
});

test("parameters in patterns, WHERE, IN, CREATE, SET, UNWIND, SKIP and LIMIT", () => {
  const g = newEngine();
  g.run(
    "UNWIND $rows AS r CREATE (:Item {`~id`: r.id, i: r.i, f: r.f, b: r.b, s: r.s, l: r.l, at: datetime(r.at)})",
    JSON.stringify({
      rows: [1, 2, 3, 4].map((i) => ({
        id: `item-${i}`,
        i,
        f: i + 0.5,
        b: i % 2 === 0,
        s: `s${i}`,
        l: [i, `x${i}`],
        at: `2024-01-0${i}T00:00:00Z`,
      })),
    }),
  );
  const ids = (query: string, parameters: unknown) => column(g, query, "id", JSON.stringify(parameters));
  assert.deepEqual(ids("MATCH (n:Item {i: $i}) RETURN id(n) AS id", { i: 2 }), ["item-2"]);
  assert.deepEqual(ids("MATCH (n:Item {f: $f}) RETURN id(n) AS id", { f: 3.5 }), ["item-3"]);
  assert.deepEqual(ids("MATCH (n:Item {l: $l}) RETURN id(n) AS id", { l: [4, "x4"] }), ["item-4"]);
  assert.deepEqual(ids("MATCH (n:Item) WHERE n.b = $b RETURN id(n) AS id ORDER BY id", { b: true }), [
    "item-2",
    "item-4",
  ]);
  assert.deepEqual(ids("MATCH (n:Item) WHERE n.s IN $s RETURN id(n) AS id ORDER BY id", { s: ["s1", "s3", "none"] }), [
    "item-1",
    "item-3",
  ]);
  assert.deepEqual(
    ids("MATCH (n:Item) WHERE n.at > datetime($at) RETURN id(n) AS id", { at: "2024-01-03T12:00:00Z" }),
    ["item-4"],
  );
  assert.deepEqual(ids("MATCH (n) WHERE id(n) = $id RETURN id(n) AS id", { id: "item-1" }), ["item-1"]);
  assert.deepEqual(ids("MATCH (n {`~id`: $id}) RETURN id(n) AS id", { id: "item-3" }), ["item-3"]);
  assert.deepEqual(
    ids("MATCH (n:Item) RETURN id(n) AS id ORDER BY n.i DESC SKIP $skip LIMIT $limit", { skip: 1, limit: 2 }),
    ["item-3", "item-2"],
  );
  // A whole map as the properties of CREATE, MATCH and SET +=.
  g.run("CREATE (n:Made $props)", JSON.stringify({ props: { name: "made", n: 1, tags: ["a", "b"] } }));
  assert.deepEqual(ids("MATCH (n:Made $props) RETURN n.name AS id", { props: { n: 1 } }), ["made"]);
  g.run("MATCH (n:Made) SET n += $more", JSON.stringify({ more: { n: 2, extra: true } }));
  assert.deepEqual(results(g, "MATCH (n:Made) RETURN properties(n) AS p"), [
    { p: { name: "made", n: 2, tags: ["a", "b"], extra: true } },
  ]);
});

test("a missing parameter names itself; a parameter of the wrong type fails where it is used", () => {
  const g = newEngine();
  fails(g, "RETURN $a + $b", "BadRequestException", "Expected parameter(s): a, b", '{"c": 1}');
  // Even where no row would reach it, and before any write.
  fails(
    g,
    "CREATE (:X) WITH 1 AS one MATCH (n:None) WHERE n.v = $v RETURN n",
    "BadRequestException",
    "Expected parameter(s): v",
  );
  fails(
    g,
    "UNWIND [1, 2] AS x RETURN x LIMIT $n",
    "BadRequestException",
    "LIMIT must be a non-negative integer",
    '{"n": "2"}',
  );
  fails(g, "CREATE (n:X $p)", "BadRequestException", "", '{"p": [1]}');
  fails(g, "CREATE (n:X {v: $v})", "BadRequestException", "", '{"v": {"nested": 1}}');
  assert.equal(g.run("MATCH (n:X) RETURN count(n) AS c"), '{"results":[{"c":0}]}');
});
