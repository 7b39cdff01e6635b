import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AwsError } from "../../src/protocol/errors.js";
import { parseScript, type Statement } from "../../src/gremlin/script/parser.js";
import { BytecodeArg, Predicate, Token, type Arg } from "../../src/gremlin/values.js";

/**
 * The parser of Gremlin string scripts (src/gremlin/script): what it makes of the language applications send, and
 * everything Neptune refuses, with its code and the place in the message.
 */

const only = (script: string): Statement => {
  const { statements } = parseScript(script);
  assert.equal(statements.length, 1);
  return statements[0]!;
};
/** The steps of a one-statement script, as [name, ...args]. */
const steps = (script: string) => only(script).bytecode.step.map((i) => [i.name, ...i.args]);
/** The arguments of `g.inject(…)`. */
const injected = (args: string) => only(`g.inject(${args})`).bytecode.step[0]!.args;

function refused(script: string, code = "MalformedQueryException"): string {
  try {
    parseScript(script);
  } catch (error) {
    assert.ok(error instanceof AwsError, String(error));
    assert.equal(error.code, code, error.message);
    assert.equal(error.status, 400);
    return error.message;
  }
  assert.fail(`${JSON.stringify(script.slice(0, 80))} was not refused`);
}

/** Neptune's wording of a syntax error: 1-based line, 0-based character position. */
const at = (line: number, position: number, message: string) =>
  `Query parsing failed at line ${line}, character position at ${position}, error message : ${message}`;

describe("Gremlin scripts: literals", () => {
  it("strings in single and double quotes, with Groovy's escapes", () => {
    assert.deepEqual(
      injected(`'a', "b", 'it\\'s', "say \\"hi\\"", 'tab\\there', 'new\\nline', '\\u00e9', '\\$', '\\101'`),
      ["a", "b", "it's", 'say "hi"', "tab\there", "new\nline", "é", "$", "A"],
    );
    assert.deepEqual(injected(`"it's", 'say "hi"'`), ["it's", 'say "hi"']);
  });

  it("integers (any suffix) are integers, floating point literals doubles", () => {
    assert.deepEqual(injected("1, 2i, 3L, 4l, 5b, 6s, 7n, -8, 0x1F, 0xffL, 010, 2147483648"), [
      1n,
      2n,
      3n,
      4n,
      5n,
      6n,
      7n,
      -8n,
      31n,
      255n,
      8n,
      2147483648n,
    ]);
    assert.deepEqual(
      injected("1.5, 2.0d, 3.25f, 4.5m, 1e3, 2.5E-1, -0.5, 7d, .5"),
      [1.5, 2, 3.25, 4.5, 1000, 0.25, -0.5, 7, 0.5],
    );
    const special = injected("NaN, Infinity, -Infinity");
    assert.ok(Number.isNaN(special[0]));
    assert.deepEqual(special.slice(1), [Infinity, -Infinity]);
  });

  it("booleans, null, lists, maps (string, token and parenthesized keys) and the empty map", () => {
    assert.deepEqual(injected("true, false, null"), [true, false, null]);
    assert.deepEqual(injected("[1, 'a', [2]], [], [:]"), [[1n, "a", [2n]], [], new Map()]);
    const [map] = injected("[name: 'x', 'age': 3, (T.label): 'person', id: '1', OUT: 'a', 4: [k: 'v']]");
    assert.deepEqual(
      map,
      new Map<Arg, Arg>([
        ["name", "x"],
        ["age", 3n],
        [new Token("T", "label"), "person"],
        [new Token("T", "id"), "1"],
        [new Token("Direction", "OUT"), "a"],
        [4n, new Map([["k", "v"]])],
      ]),
    );
  });

  it("datetime('…') is a date, UTC without a zone (Neptune's function for scripts)", () => {
    assert.deepEqual(
      injected("datetime('2018-01-01'), datetime('2018-01-01T10:20'), datetime('2018-01-01T10:20:30Z')"),
      [new Date("2018-01-01T00:00:00Z"), new Date("2018-01-01T10:20:00Z"), new Date("2018-01-01T10:20:30Z")],
    );
    assert.equal(
      refused("g.inject(datetime('yesterday'))"),
      at(1, 9, "datetime('yesterday') is not an ISO-8601 date and time"),
    );
  });

  it("comments and white space, line breaks included, are ignored inside a traversal", () => {
    assert.deepEqual(steps("g.V() // all\n  .out('knows') /* then */\n  .count()"), [
      ["V"],
      ["out", "knows"],
      ["count"],
    ]);
  });
});

describe("Gremlin scripts: enums, predicates and traversals as arguments", () => {
  it("enums qualified and bare, typed as GraphSON types them", () => {
    const args = injected(
      "T.id, id, label, Order.desc, asc, shuffle, Scope.local, global, Cardinality.single, set, list, " +
        "Column.keys, values, Pop.last, all, Direction.OUT, BOTH, Direction.from, Merge.onCreate, onMatch, Operator.sum, " +
        "Pick.any, Barrier.normSack",
    );
    assert.deepEqual(
      args.map((a) => (a instanceof Token ? `${a.type}.${a.name}` : a)),
      [
        "T.id",
        "T.id",
        "T.label",
        "Order.desc",
        "Order.asc",
        "Order.shuffle",
        "Scope.local",
        "Scope.global",
        "Cardinality.single",
        "Cardinality.set",
        "Cardinality.list",
        "Column.keys",
        "Column.values",
        "Pop.last",
        "Pop.all",
        "Direction.OUT",
        "Direction.BOTH",
        "Direction.OUT",
        "Merge.onCreate",
        "Merge.onMatch",
        "Operator.sum",
        "Pick.any",
        "Barrier.normSack",
      ],
    );
    assert.deepEqual(steps("g.V().valueMap().with(WithOptions.tokens)")[2], ["with", "~tinkerpop.valueMap.tokens"]);
    assert.deepEqual(injected("[(from): 'a', (to): 'b', (T.label): 'knows']"), [
      new Map<Arg, Arg>([
        [new Token("Direction", "OUT"), "a"],
        [new Token("Direction", "IN"), "b"],
        [new Token("T", "label"), "knows"],
      ]),
    ]);
  });

  it("a bare word is a step with parentheses and an enum without (values, id, label)", () => {
    const [select, by] = steps("g.V().select(values).by(values('x'))").slice(1);
    assert.deepEqual(select, ["select", new Token("Column", "values")]);
    assert.deepEqual(by, ["by", new BytecodeArg([], [{ name: "values", args: ["x"] }])]);
  });

  it("P and TextP predicates, qualified or bare, combined with and/or/negate", () => {
    assert.deepEqual(
      injected("P.gt(1), gte(2), P.within('a', 'b'), within(['c']), P.between(1, 5), TextP.containing('x')"),
      [
        new Predicate("gt", 1n),
        new Predicate("gte", 2n),
        new Predicate("within", ["a", "b"]),
        new Predicate("within", ["c"]),
        new Predicate("between", 1n, 5n),
        new Predicate("containing", "x"),
      ],
    );
    assert.deepEqual(injected("P.gt(1).and(P.lt(5)), lt(0).or(gt(9)), P.eq(1).negate(), not(eq(2))"), [
      new Predicate("and", new Predicate("gt", 1n), new Predicate("lt", 5n)),
      new Predicate("or", new Predicate("lt", 0n), new Predicate("gt", 9n)),
      new Predicate("not", new Predicate("eq", 1n)),
      new Predicate("not", new Predicate("eq", 2n)),
    ]);
    assert.equal(refused("g.V().has('a', P.gt(1, 2))"), at(1, 17, "gt() takes 1 argument, not 2"));
    assert.equal(refused("g.V().has('a', P.near(1))"), at(1, 17, "unknown predicate P.near"));
  });

  it("anonymous traversals: __.x(), a bare step, nested, and g.V() as an argument", () => {
    assert.deepEqual(steps("g.V().where(__.out('a').in()).union(out(), both().limit(1)).coalesce(g.V('x'))"), [
      ["V"],
      [
        "where",
        new BytecodeArg(
          [],
          [
            { name: "out", args: ["a"] },
            { name: "in", args: [] },
          ],
        ),
      ],
      [
        "union",
        new BytecodeArg([], [{ name: "out", args: [] }]),
        new BytecodeArg(
          [],
          [
            { name: "both", args: [] },
            { name: "limit", args: [1n] },
          ],
        ),
      ],
      ["coalesce", new BytecodeArg([], [{ name: "V", args: ["x"] }])],
    ]);
    assert.deepEqual(steps("g.V().not(__.out()).is(not(eq(1)))").slice(1), [
      ["not", new BytecodeArg([], [{ name: "out", args: [] }])],
      ["is", new Predicate("not", new Predicate("eq", 1n))],
    ]);
  });

  it("source steps, the spawn steps and any step of the language, run or not by the engine", () => {
    const { bytecode } = only(
      "g.withSideEffect('a', 1).withStrategies(ReadOnlyStrategy).mergeV([name: 'x']).math('_ + 1')",
    );
    assert.deepEqual(bytecode.source, [
      { name: "withSideEffect", args: ["a", 1n] },
      { name: "withStrategies", args: ["ReadOnlyStrategy"] },
    ]);
    assert.deepEqual(
      bytecode.step.map((s) => s.name),
      ["mergeV", "math"],
    );
  });
});

describe("Gremlin scripts: statements and terminal steps", () => {
  it("statements separated by ';' or a line break; a line starting with '.' goes on", () => {
    const { statements } = parseScript("g.addV('a').iterate();g.addV('b').next()\ng.V()\n  .count();;");
    assert.deepEqual(
      statements.map((s) => [s.bytecode.step.map((i) => i.name), s.terminal?.name]),
      [
        [["addV"], "iterate"],
        [["addV"], "next"],
        [["V", "count"], undefined],
      ],
    );
  });

  it("terminal steps end a statement, with their arguments", () => {
    for (const terminal of ["next()", "next(3)", "toList()", "toSet()", "hasNext()", "iterate()", "tryNext()"])
      assert.equal(only(`g.V().${terminal}`).terminal?.name, terminal.slice(0, terminal.indexOf("(")));
    assert.deepEqual(only("g.V().next(3)").terminal?.args, [3n]);
    assert.equal(refused("g.V().next().id()"), at(1, 13, "nothing may follow the terminal step next()"));
    assert.equal(
      refused("g.V().where(__.out().toList())"),
      at(1, 21, "toList() ends a script's traversal; it cannot end a nested one"),
    );
  });
});

describe("Gremlin scripts: what Neptune refuses", () => {
  it("variables, assignments and bindings", () => {
    assert.equal(refused("x = 1; g.V(x)"), at(1, 0, "variables and assignments are not supported by Neptune: 'x = …'"));
    assert.equal(refused("g.V(x)"), at(1, 4, "variables are not supported by Neptune (nor bindings): 'x'"));
    assert.equal(
      refused("g.V().as('a').select(a)"),
      at(1, 21, "variables are not supported by Neptune (nor bindings): 'a'"),
    );
    assert.equal(refused("g.V() = 1"), at(1, 6, "variables and assignments are not supported by Neptune"));
  });

  it("lambdas and closures", () => {
    assert.equal(refused("g.V().map{ it.get() }"), at(1, 9, "lambdas and closures are not supported by Neptune"));
    assert.equal(refused("g.V().filter({ true })"), at(1, 13, "lambdas and closures are not supported by Neptune"));
    assert.equal(refused("g.V().map(it -> 1)"), at(1, 10, "lambdas and closures are not supported by Neptune"));
  });

  it("Groovy and Java: other roots, classes, new, arithmetic, property access", () => {
    const notG = (name: string) =>
      `'${name}' is not the traversal source g: every statement must begin with g (Neptune runs no variables, Groovy or Java)`;
    assert.equal(refused("System.exit(0)"), at(1, 0, notG("System")));
    assert.equal(refused("new File('/etc/passwd').text"), at(1, 0, notG("new")));
    assert.equal(refused("graph.traversal().V()"), at(1, 0, "the graph object is not supported by Neptune: use g"));
    assert.equal(
      refused("g.V().has('x', java.lang.Math.random())"),
      at(
        1,
        15,
        "'java' is not Gremlin: Neptune runs no Java or Groovy (classes, methods, fields), only traversals from g",
      ),
    );
    assert.equal(refused("g.V().count() + 1"), at(1, 14, "unexpected + after the traversal"));
    assert.equal(
      refused("g.V().name"),
      at(
        1,
        6,
        "'name' must be called with parentheses, as in name(): Groovy property access is not supported by Neptune",
      ),
    );
    assert.equal(
      refused("g.V().values('x').next().toUpperCase()"),
      at(1, 25, "nothing may follow the terminal step next()"),
    );
    assert.equal(
      refused("g.V().has('d', new Date())"),
      at(
        1,
        15,
        "'new' is not Gremlin: Neptune runs no Java or Groovy (classes, methods, fields), only traversals from g",
      ),
    );
  });

  it("unknown steps, and steps that cannot start a traversal", () => {
    assert.equal(refused("g.V().hsLabel('person')"), at(1, 6, "unknown step 'hsLabel'"));
    assert.equal(refused("g.V().where(outt())"), at(1, 12, "unknown step or function 'outt'"));
    assert.equal(
      refused("g.out()"),
      at(
        1,
        2,
        "g.out() does not start a traversal: start with V(), E(), addV(), addE(), inject(), mergeV() or mergeE()",
      ),
    );
    assert.equal(refused("g"), at(1, 1, "g must be followed by a traversal, such as g.V()"));
    assert.equal(refused("g.withSideEffect('a', 1)"), at(1, 24, "g must be followed by a traversal, such as g.V()"));
    assert.equal(
      refused("g.tx().commit()", "UnsupportedOperationException"),
      "Transactions (g.tx()) are not supported in a Gremlin script by Neptune",
    );
  });

  it("syntax errors name their line and position", () => {
    assert.equal(refused(""), at(1, 0, "the script is empty: it must be a traversal from g"));
    assert.equal(refused("g.V()\n  .has('name', 'x'"), at(2, 18, "the script ends too early: expected ',' or ')'"));
    assert.equal(refused("g.V('a\n"), at(1, 4, "unterminated string literal"));
    assert.equal(refused("g.V('\\q')"), at(1, 5, "invalid escape sequence '\\q'"));
    assert.equal(refused("g.V().limit(12abc)"), at(1, 12, "invalid number '12a'"));
    assert.equal(refused("g.V().limit(09)"), at(1, 12, "invalid octal number '09'"));
    assert.equal(refused("g.V(1,)"), at(1, 6, "unexpected )"));
    assert.equal(refused("g.inject([a: 1, 2])"), at(1, 17, "unexpected ]: expected ':' after a map key"));
    assert.equal(refused("g.V() /* open"), at(1, 6, "unterminated comment"));
    assert.equal(refused("g.V()\ng.V().out(]"), at(2, 10, "unexpected ]"));
  });

  it("100,000 levels of nesting are refused cleanly (QueryTooLargeException), and so are nested lists", () => {
    const depth = 100_000;
    const nested = `g.V().where(${"not(".repeat(depth)}out()${")".repeat(depth)})`;
    assert.equal(refused(nested, "QueryTooLargeException"), "The query is nested too deeply to be evaluated");
    const lists = `g.inject(${"[".repeat(depth)}${"]".repeat(depth)})`;
    assert.equal(refused(lists, "QueryTooLargeException"), "The query is nested too deeply to be evaluated");
    const chain = `g.V().has('x', gt(0)${".and(gt(0))".repeat(depth)})`;
    assert.equal(refused(chain, "QueryTooLargeException"), "The query is nested too deeply to be evaluated");
    // A deep but reasonable script still parses.
    assert.equal(only(`g.inject(${"[".repeat(100)}${"]".repeat(100)})`).bytecode.step.length, 1);
  });

  it("a huge flat script parses (100,000 steps, a 1 MB string)", () => {
    assert.equal(only(`g.V()${".out()".repeat(100_000)}`).bytecode.step.length, 100_001);
    const big = "x".repeat(1 << 20);
    assert.deepEqual(injected(`'${big}'`), [big]);
  });
});
