import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import gremlin from "gremlin";
import { clusterWithInstances } from "../dataplane/fixture.js";
import {
  __,
  gremlinCluster,
  gremlinExchange,
  gremlinRefusal,
  handshakeRefusal,
  P,
  SERIALIZERS,
  T,
  type GremlinCluster,
} from "./fixture.js";

/**
 * String scripts over WebSocket (`op: eval`, issue 12 items 1 and 3), through the official client's
 * `Client.submit(script)`: plain values (not traversers), the same engine as bytecode, terminal steps, several
 * statements in one transaction, and Neptune's refusals.
 */

const { Client } = gremlin.driver;
type ScriptClient = InstanceType<typeof Client>;

for (const serializer of SERIALIZERS) {
  describe(`Gremlin scripts over WebSocket, ${serializer.name}`, () => {
    let cluster: GremlinCluster;
    const clients: ScriptClient[] = [];
    const connect = (endpoint: { address: string; port: number }) => {
      const client = new Client(`ws://${endpoint.address}:${endpoint.port}/gremlin`, {
        traversalSource: "g",
        ...serializer.options,
      });
      clients.push(client);
      return client;
    };
    let client: ScriptClient;
    const submit = async (script: string, bindings?: Record<string, unknown>) =>
      (await client.submit(script, bindings)).toArray();

    before(async () => {
      cluster = await gremlinCluster(serializer.options, 1);
      client = connect(cluster.writer);
      const { g } = cluster;
      await g.addV("person").property(T.id, "p1").property("name", "Ada").property("age", 36).iterate();
      await g.addV("person").property(T.id, "p2").property("name", "Charles").property("age", 50).iterate();
      await g.addV("software").property(T.id, "s1").property("name", "Engine").iterate();
      await g.V("p1").addE("knows").to(__.V("p2")).iterate();
      await g.V("p2").addE("created").to(__.V("s1")).iterate();
    });
    after(async () => {
      for (const c of clients) await c.close();
      await cluster.close();
    });

    it("answers plain values, not traversers: g.V().count()", async () => {
      assert.deepEqual(await submit("g.V().count()"), [3]);
      assert.deepEqual(await submit("g.V().hasLabel('person').values('name').order()"), ["Ada", "Charles"]);
    });

    it("a script and its bytecode give the same results (one engine)", async () => {
      const { g } = cluster;
      const pairs: [string, () => Promise<unknown[]>][] = [
        ["g.V().hasLabel('software')", () => g.V().hasLabel("software").toList()],
        [
          "g.V('p1').out('knows').out('created').values('name')",
          () => g.V("p1").out("knows").out("created").values("name").toList(),
        ],
        ["g.V().group().by(label).by(count())", () => g.V().group().by(T.label).by(__.count()).toList()],
        ["g.V().has('age', gt(40)).id()", () => g.V().has("age", P.gt(40)).id().toList()],
        [
          "g.V().hasLabel('person').project('n', 'k').by('name').by(out('knows').count())",
          () => g.V().hasLabel("person").project("n", "k").by("name").by(__.out("knows").count()).toList(),
        ],
        [
          "g.V('p1').repeat(out()).times(2).path().by('name')",
          () => g.V("p1").repeat(__.out()).times(2).path().by("name").toList(),
        ],
        ["g.E().hasLabel('knows')", () => g.E().hasLabel("knows").toList()],
      ];
      for (const [script, bytecode] of pairs) assert.deepEqual(await submit(script), await bytecode(), script);
    });

    it("terminal steps: next, next(n), toList, toSet, hasNext, iterate, and how the server iterates what they return", async () => {
      const names = "g.V().hasLabel('person').values('name').order()";
      assert.deepEqual(await submit(`${names}.next()`), ["Ada"]);
      assert.deepEqual(await submit(`${names}.next(1)`), ["Ada"]);
      assert.deepEqual(await submit(`${names}.next(0)`), []);
      assert.deepEqual(await submit(`${names}.toList()`), ["Ada", "Charles"]);
      assert.deepEqual(await submit("g.V().label().toSet()"), ["person", "software"]);
      assert.deepEqual(await submit("g.V('p1').hasNext()"), [true]);
      assert.deepEqual(await submit("g.V('nobody').hasNext()"), [false]);
      // A list is iterated (fold().next() answers its elements), a map by its entries; un-terminated, one value each.
      assert.deepEqual(await submit(`${names}.fold().next()`), ["Ada", "Charles"]);
      assert.deepEqual(await submit(`${names}.fold()`), [["Ada", "Charles"]]);
      assert.deepEqual(await submit("g.V('p1').valueMap('name').next()"), [new Map([["name", ["Ada"]]])]);
      assert.deepEqual(await submit("g.addV('temp').property(id, 't1').iterate()"), []);
      assert.deepEqual(await submit("g.V('t1').label()"), ["temp"]);
    });

    it("mergeV/mergeE with token keys and options, and property cardinalities, from a script", async () => {
      const merge = "g.mergeV([(T.id): 'm9', (T.label): 'thing']).option(Merge.onCreate, [made: true]).id()";
      assert.deepEqual(await submit(merge), ["m9"]);
      assert.deepEqual(await submit(merge), ["m9"]);
      assert.deepEqual(await submit("g.V('m9').values('made')"), [true]);
      assert.deepEqual(await submit("g.mergeE([(from): 'p1', (to): 'm9', (T.label): 'likes']).outV().id()"), ["p1"]);
      assert.deepEqual(await submit("g.V('p1').out('likes').id()"), ["m9"]);
      await submit("g.V('m9').property('tag', 'a').property('tag', 'b').property(single, 'size', 2.5d).iterate()");
      assert.deepEqual(await submit("g.V('m9').values('tag', 'size')"), ["a", "b", 2.5]);
    });

    it("several statements run in order in one transaction; the last answers; an un-iterated one does not run", async () => {
      const script =
        "g.addV('multi').property(id, 'm1').iterate(); g.addV('multi').property(id, 'm2').next()\n" +
        "g.addV('ghost')\ng.V().hasLabel('multi').count()";
      assert.deepEqual(await submit(script), [2]);
      assert.deepEqual(await submit("g.V().hasLabel('ghost').count()"), [0]);
    });

    it("an error in a later statement undoes the earlier ones", async () => {
      const error = await gremlinRefusal(
        submit("g.addV('undone').property(id, 'u1').iterate()\ng.addV('person').property(id, 'p1').next()"),
      );
      assert.deepEqual(error, {
        status: 500,
        code: "ConstraintViolationException",
        detailedMessage: "Vertex with id already exists: p1",
      });
      assert.deepEqual(await submit("g.V('u1').count()"), [0]);
      const none = await gremlinRefusal(submit("g.addV('undone').iterate(); g.V('nobody').next()"));
      assert.equal(none.code, "BadRequestException");
      assert.match(none.detailedMessage, /^java\.util\.NoSuchElementException/);
      assert.deepEqual(await submit("g.V().hasLabel('undone').count()"), [0]);
    });

    it("refuses what Neptune refuses: 597 with Neptune's error JSON naming the place", async () => {
      assert.deepEqual(await gremlinRefusal(submit("g.V().hsLabel('person')")), {
        status: 597,
        code: "MalformedQueryException",
        detailedMessage:
          "Query parsing failed at line 1, character position at 6, error message : unknown step 'hsLabel'",
      });
      assert.deepEqual(await gremlinRefusal(submit("g.V(x)")), {
        status: 597,
        code: "MalformedQueryException",
        detailedMessage:
          "Query parsing failed at line 1, character position at 4, error message : variables are not supported by " +
          "Neptune (nor bindings): 'x'",
      });
      assert.deepEqual(await gremlinRefusal(submit("g.V(x)", { x: "p1" })), {
        status: 597,
        code: "UnsupportedOperationException",
        detailedMessage: "Bindings in Gremlin are not supported.",
      });
      assert.deepEqual(await gremlinRefusal(submit("g.V().pageRank()")), {
        status: 597,
        code: "UnsupportedOperationException",
        detailedMessage: "Unsupported step: pageRank",
      });
      assert.deepEqual(await submit("g.V('p1').id()"), ["p1"], "the connection keeps serving");
    });

    it("the reader endpoint answers scripts and refuses their writes", async () => {
      const reader = connect(cluster.reader);
      assert.deepEqual((await reader.submit("g.V('p1').values('name')")).toArray(), ["Ada"]);
      const error = await gremlinRefusal(reader.submit("g.addV('x')"));
      assert.equal(error.code, "ReadOnlyViolationException");
    });

    it("a cluster with IAM database authentication refuses an unsigned handshake before any script", async () => {
      const { writer } = await clusterWithInstances(cluster.world.neptune, "secured", 0, {
        EnableIAMDatabaseAuthentication: true,
      });
      assert.deepEqual(await handshakeRefusal(connect(writer).submit("g.V().count()")), {
        status: 403,
        code: "AccessDeniedException",
        detailedMessage: "Missing Authentication Token",
      });
    });
  });
}

describe("op eval on the wire", () => {
  let cluster: GremlinCluster;
  let url: string;
  const GRAPHSON = "application/vnd.gremlin-v3.0+json";
  const evaluation = (args: Record<string, unknown>) => ({
    requestId: "3f1c8a8e-0000-4000-8000-000000000002",
    op: "eval",
    processor: "",
    args: { language: "gremlin-groovy", aliases: { g: "g" }, ...args },
  });

  before(async () => {
    cluster = await gremlinCluster();
    url = `ws://${cluster.writer.address}:${cluster.writer.port}/gremlin`;
  });
  after(() => cluster.close());

  it("streams batches (206, then 200) of plain values, never traversers", async () => {
    const answers = await gremlinExchange(
      url,
      GRAPHSON,
      evaluation({ gremlin: "g.inject(1, 2, 3, 4, 5)", batchSize: 2 }),
    );
    assert.deepEqual(
      answers.map((a) => a.status.code),
      [206, 206, 200],
    );
    assert.deepEqual(answers[0]!.result.data!["@value"], [
      { "@type": "g:Int64", "@value": 1 },
      { "@type": "g:Int64", "@value": 2 },
    ]);
    assert.equal(answers[2]!.requestId, "3f1c8a8e-0000-4000-8000-000000000002");
  });

  it("no results is 204; empty bindings are accepted", async () => {
    const answers = await gremlinExchange(
      url,
      GRAPHSON,
      evaluation({ gremlin: "g.V().hasLabel('none')", bindings: {} }),
    );
    assert.deepEqual(
      answers.map((a) => a.status.code),
      [204],
    );
  });

  it("refuses another traversal source (499) and a script in a session (498)", async () => {
    const alias = (await gremlinExchange(url, GRAPHSON, evaluation({ gremlin: "g.V()", aliases: { g: "h" } })))[0]!;
    assert.equal(alias.status.code, 499);
    assert.equal(alias.status.message, "The traversal source [h] for alias [g] is not configured on the server.");
    const session = (
      await gremlinExchange(url, GRAPHSON, { ...evaluation({ gremlin: "g.V()" }), processor: "session" })
    )[0]!;
    assert.equal(session.status.code, 498);
  });

  it("a deeply nested script is refused with QueryTooLargeException and the server goes on serving", async () => {
    const depth = 100_000;
    const script = `g.V().where(${"not(".repeat(depth)}out()${")".repeat(depth)})`;
    const [answer] = await gremlinExchange(url, GRAPHSON, evaluation({ gremlin: script }));
    assert.equal(answer!.status.code, 500);
    assert.equal(JSON.parse(answer!.status.message).code, "QueryTooLargeException");
    const [count] = await gremlinExchange(url, GRAPHSON, evaluation({ gremlin: "g.inject(7)" }));
    assert.deepEqual(count!.result.data!["@value"], [{ "@type": "g:Int64", "@value": 7 }]);
  });
});
