import assert from "node:assert/strict";
import { test } from "node:test";
import { parseQuery } from "../../src/graph/cypher/parser.js";
import { GraphError } from "../../src/graph/errors.js";

function syntaxError(query: string): GraphError {
  try {
    parseQuery(query);
  } catch (error) {
    assert.ok(error instanceof GraphError);
    return error;
  }
  assert.fail(`expected a syntax error for ${query}`);
}

test("a syntax error is MalformedQueryException naming the line and column of the offending token", () => {
  const error = syntaxError("MATCH (n:Person)\nWHERE n.age > 3\n  RETRUN n");
  assert.equal(error.code, "MalformedQueryException");
  assert.equal(error.status, 400);
  assert.match(error.message, /Invalid input 'RETRUN'/);
  assert.match(error.message, /\(line 3, column 3\)$/);

  const unclosed = syntaxError("MATCH (n RETURN n");
  assert.equal(unclosed.message, "Invalid input 'RETURN': expected ')' (line 1, column 10)");

  const eof = syntaxError("MATCH (n) RETURN n.");
  assert.match(eof.message, /^Invalid end of input: expected a property key \(line 1, column 20\)$/);
});

test("lines end at \\n, \\r\\n or a lone \\r, also inside comments; columns count the text's UTF-16 units", () => {
  const at = (query: string) => /\(line (\d+), column (\d+)\)$/.exec(syntaxError(query).message)!.slice(1).map(Number);
  assert.deepEqual(at("MATCH (n)\r\nRETRUN n"), [2, 1]);
  assert.deepEqual(at("MATCH (n)\rRETRUN n"), [2, 1]);
  assert.deepEqual(at("MATCH (n) // note\r  RETRUN n"), [2, 3]);
  assert.deepEqual(at("MATCH (n) /* one\r\ntwo\rthree */ RETRUN n"), [3, 10]);
  assert.deepEqual(at("RETURN 1\n\n\tRETRUN"), [3, 2]);
  // The musical symbol is two UTF-16 units, as in the text a client sends.
  assert.deepEqual(at('RETURN "\u{1d11e}" AS x, 1 +'), [1, 22]);
  assert.match(syntaxError("RETURN 'abc\r\n").message, /Unterminated string literal \(line 1, column 8\)/);
});

test("the tokenizer reports unterminated strings and bad characters where they start", () => {
  assert.match(syntaxError("RETURN 'abc").message, /Unterminated string literal \(line 1, column 8\)/);
  assert.match(syntaxError("RETURN 1 #").message, /Invalid input '#' \(line 1, column 10\)/);
  assert.match(syntaxError("RETURN 1\n/* open").message, /Unterminated comment \(line 2, column 1\)/);
});

test("a query must end with RETURN or an update, and RETURN only at the end", () => {
  assert.match(syntaxError("MATCH (n)").message, /Query cannot conclude with MATCH/);
  assert.match(syntaxError("MATCH (n) WITH n").message, /Query cannot conclude with WITH/);
  assert.match(syntaxError("RETURN 1 RETURN 2").message, /RETURN can only be used at the end of the query/);
  assert.match(syntaxError("MATCH (n) WITH n.name RETURN 1").message, /Expression in WITH must be aliased/);
});

test("keywords are case-insensitive; backquoted names are names; comments are skipped", () => {
  const query = parseQuery("match (`MATCH`:`My Label`) // a comment\n/* block */ where `MATCH`.x = 1 return `MATCH`");
  const [match, ret] = query.parts[0]!;
  assert.equal(match!.kind, "match");
  assert.equal(match!.kind === "match" && match!.patterns[0]!.nodes[0]!.variable, "MATCH");
  assert.deepEqual(match!.kind === "match" && match!.patterns[0]!.nodes[0]!.labels, ["My Label"]);
  assert.equal(ret!.kind, "return");
});

test("patterns: directions, types, variable length, named paths and property maps", () => {
  const [clause] = parseQuery("MATCH p = (a:A {k: 1})<-[r:X|:Y *2..5]-(b)-->(c)-[*]-(d)-[:Z*3]->(e) RETURN p")
    .parts[0]!;
  assert.ok(clause!.kind === "match");
  const part = clause.patterns[0]!;
  assert.equal(part.variable, "p");
  assert.equal(part.nodes.length, 5);
  assert.deepEqual(
    part.relationships.map((r) => [r.direction, r.types, r.range]),
    [
      ["in", ["X", "Y"], { min: 2, max: 5 }],
      ["out", [], undefined],
      ["both", [], { min: 1, max: undefined }],
      ["out", ["Z"], { min: 3, max: 3 }],
    ],
  );
  assert.equal(part.relationships[0]!.variable, "r");
  assert.equal(part.nodes[0]!.properties?.kind, "map");
});

test("operator precedence follows the grammar: OR < XOR < AND < NOT < comparison < + < * ", () => {
  const ret = parseQuery(
    "WITH 1 AS a, true AS b, true AS c, false AS d RETURN NOT a = 1 OR b AND c XOR d, 1 + 2 * 3 - -4, 1 < 2 <= 3",
  ).parts[0]!.at(-1)!;
  assert.ok(ret!.kind === "return");
  const [logic, arithmetic, chain] = ret.projection.items.map((i) => i.expr);
  assert.ok(logic!.kind === "binary" && logic.op === "OR");
  assert.equal(logic.left.kind, "not");
  assert.ok(logic.right.kind === "binary" && logic.right.op === "XOR");
  assert.ok(arithmetic!.kind === "binary" && arithmetic.op === "-");
  assert.ok(arithmetic.left.kind === "binary" && arithmetic.left.op === "+");
  assert.deepEqual(arithmetic.right, { kind: "literal", value: -4n });
  // A chained comparison means each pair, joined by AND.
  assert.ok(chain!.kind === "binary" && chain.op === "AND");
  assert.equal(ret.projection.items[0]!.name, "NOT a = 1 OR b AND c XOR d");
});

test("literals: 64-bit integers exactly, hex, floats, escapes; an integer beyond a Long is a syntax error", () => {
  const [first] = parseQuery("RETURN 9223372036854775807, -9223372036854775808, 0x1F, 1.5e3, 'a\\'b\\n\\u00e9'")
    .parts[0]!;
  assert.ok(first!.kind === "return");
  assert.deepEqual(
    first.projection.items.map((i) => (i.expr.kind === "literal" ? i.expr.value : undefined)),
    [9223372036854775807n, -9223372036854775808n, 31n, 1500, "a'b\né"],
  );
  assert.match(syntaxError("RETURN 9223372036854775808").message, /integer is too large/);
});

test("Neptune's unsupported features are UnsupportedOperationException, not syntax errors", () => {
  for (const query of [
    "CALL db.labels() YIELD label RETURN label",
    "RETURN 2 ^ 3",
    "MATCH p = shortestPath((a)-[*]-(b)) RETURN p",
    "MATCH (n) WHERE n.name =~ 'A.*' RETURN n",
    "MATCH (n) WHERE EXISTS { (n)-->() } RETURN n",
  ]) {
    const error = syntaxError(query);
    assert.equal(error.code, "UnsupportedOperationException", query);
    assert.equal(error.status, 400);
  }
});

test("list and pattern comprehensions, CASE, quantifiers, slices and USING hints parse", () => {
  const query = parseQuery(
    'USING QUERY: PLANCACHE "disabled" MATCH (a) WITH a, [1, 2] AS l RETURN [x IN l WHERE x > 1 | x * 2], ' +
      "[(a)-->(b) | b.name], " +
      "CASE a.x WHEN 1 THEN 'one' ELSE 'other' END, all(x IN l WHERE x > 0), l[1..], l[..2], l[-1]",
  );
  const ret = query.parts[0]!.at(-1)!;
  assert.ok(ret!.kind === "return");
  assert.deepEqual(
    ret.projection.items.map((i) => i.expr.kind),
    ["comprehension", "patternComprehension", "case", "quantifier", "slice", "slice", "index"],
  );
});

test("UNION and UNION ALL join single queries", () => {
  const query = parseQuery("RETURN 1 AS x UNION RETURN 2 AS x UNION ALL RETURN 3 AS x;");
  assert.equal(query.parts.length, 3);
  assert.deepEqual(query.unionAll, [false, true]);
});

test("variables are checked before any data is read: an unbound one is MalformedQueryException", () => {
  for (const [query, name] of [
    ["MATCH (n) RETURN m", "m"],
    ["MATCH (n) WITH n.name AS name RETURN n", "n"],
    ["UNWIND [1] AS x RETURN [y IN [1] | y] AS l, y", "y"],
    ["MATCH (n) WHERE n.k = other.k RETURN n", "other"],
    ["CREATE (a {k: b.k})", "b"],
    ["MATCH (n) SET m.k = 1", "m"],
    ["MATCH (n) DELETE x", "x"],
    ["RETURN 1 AS a ORDER BY zz", "zz"],
  ] as const) {
    const error = syntaxError(query);
    assert.equal(error.code, "MalformedQueryException", query);
    assert.equal(error.message, `Variable \`${name}\` not defined`, query);
  }
  // What is bound is fine: the same pattern's variables, WITH's names, comprehension and quantifier locals.
  parseQuery("MATCH (a)-[r]->(b {k: a.k}) WITH a, count(r) AS c WHERE c > 1 RETURN a, c, [x IN [1] WHERE x > c | x]");
  parseQuery("MATCH (n) RETURN n.name AS name ORDER BY n.age");
  parseQuery("MATCH (n) WHERE (n)-->(m) RETURN [(n)-[r]->(o) WHERE r.w > 1 | o.name]");
});
