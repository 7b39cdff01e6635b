import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ExecuteOpenCypherQueryCommand } from "@aws-sdk/client-neptunedata";
import {
  __,
  cardinality,
  column,
  direction,
  gremlinCluster,
  type GremlinCluster,
  merge_,
  order,
  P,
  SERIALIZERS,
  T,
  TextP,
} from "./fixture.js";
import { addStepsGraph } from "./steps-graph.js";

type Element = { id: string; label: string };
const ids = (list: unknown[]) => (list as Element[]).map((e) => e.id);
const sorted = (list: unknown[]) => [...(list as string[])].sort();
const entries = (m: unknown) => [...(m as Map<unknown, unknown>).entries()];

for (const serializer of SERIALIZERS) {
  describe(`Gremlin steps over the shared graph, ${serializer.name}`, () => {
    let c: GremlinCluster;

    before(async () => {
      c = await gremlinCluster(serializer.options);
      await addStepsGraph(c.g);
    });
    after(() => c.close());

    it("V, E, addE from/to: the elements as references (id and label, no properties)", async () => {
      const { g } = c;
      assert.equal((await g.V().count().next()).value, 4);
      assert.equal((await g.E().count().next()).value, 4);
      const e1 = (await g.E("e1").next()).value as { id: string; label: string; outV: Element; inV: Element };
      assert.equal(e1.label, "knows");
      assert.equal(e1.outV.id, "p1");
      assert.equal(e1.inV.id, "p2");
      const v = (await g.V("p1").next()).value as { properties?: unknown[] };
      assert.ok(v.properties === undefined || v.properties.length === 0, "a reference carries no properties");
      const made = (await g.V("p3").addE("likes").to(__.V("p1")).next()).value as { outV: Element; inV: Element };
      assert.deepEqual([made.outV.id, made.inV.id], ["p3", "p1"]);
      await g.E().hasLabel("likes").drop().iterate();
    });

    it("out, in, both, outE, inE, bothE, outV, inV, otherV", async () => {
      const { g } = c;
      assert.deepEqual(sorted(ids(await g.V("p1").out().toList())), ["p2", "s1"]);
      assert.deepEqual(ids(await g.V("p1").out("knows").toList()), ["p2"]);
      assert.deepEqual(sorted(ids(await g.V("s1").in_("created").toList())), ["p1", "p2"]);
      assert.deepEqual(sorted(ids(await g.V("p2").both("knows").toList())), ["p1", "p3"]);
      assert.deepEqual(sorted(ids(await g.V("p2").outE().toList())), ["e3", "e4"]);
      assert.deepEqual(ids(await g.V("p2").inE().toList()), ["e1"]);
      assert.deepEqual(sorted(ids(await g.V("p2").bothE().toList())), ["e1", "e3", "e4"]);
      assert.deepEqual(ids(await g.E("e1").outV().toList()), ["p1"]);
      assert.deepEqual(ids(await g.E("e1").inV().toList()), ["p2"]);
      assert.deepEqual(sorted(ids(await g.V("p2").bothE("knows").otherV().toList())), ["p1", "p3"]);
    });

    it("has, hasLabel, hasId, hasNot with P and TextP", async () => {
      const { g } = c;
      assert.deepEqual(ids(await g.V().has("name", "Ada").toList()), ["p1"]);
      assert.deepEqual(ids(await g.V().has("person", "name", "Bob").toList()), ["p3"]);
      assert.deepEqual(sorted(ids(await g.V().has("age", P.gt(30)).toList())), ["p1", "p2"]);
      assert.deepEqual(ids(await g.V().has("age", P.between(30, 40)).toList()), ["p1"]);
      assert.deepEqual(sorted(ids(await g.V().has("age", P.within(25, 40)).toList())), ["p2", "p3"]);
      assert.deepEqual(
        sorted(
          ids(
            await g
              .V()
              .has("age", P.gt(20).and(P.lt(30)))
              .toList(),
          ),
        ),
        ["p3"],
      );
      assert.deepEqual(sorted(ids(await g.V().has("name", TextP.startingWith("C")).toList())), ["p2"]);
      assert.deepEqual(sorted(ids(await g.V().has("name", TextP.containing("o")).toList())), ["p3"]);
      assert.deepEqual(ids(await g.V().hasLabel("software").toList()), ["s1"]);
      assert.deepEqual(sorted(ids(await g.V().hasId("p1", "p3").toList())), ["p1", "p3"]);
      assert.deepEqual(ids(await g.V().hasNot("age").toList()), ["s1"]);
      assert.deepEqual(ids(await g.V().has(T.id, "p2").toList()), ["p2"]);
      assert.deepEqual(await g.V().has("age", P.neq(36)).has("age", P.lte(25)).values("name").toList(), ["Bob"]);
      assert.deepEqual(await g.V().has("age").is(P.gte(0)).count().toList(), [0]);
      assert.deepEqual(await g.V().values("age").is(P.gte(40)).toList(), [40]);
    });

    it("values, valueMap, elementMap, id, label", async () => {
      const { g } = c;
      assert.deepEqual(sorted(await g.V("s1").values().toList()), ["en", "engine"]);
      assert.deepEqual(entries((await g.V("p1").valueMap("name").next()).value), [["name", ["Ada"]]]);
      const element = entries((await g.V("p1").elementMap().next()).value);
      assert.deepEqual(
        element.map(([k, v]) => [typeof k === "object" ? (k as { elementName: string }).elementName : k, v]),
        [
          ["id", "p1"],
          ["label", "person"],
          ["name", "Ada"],
          ["age", 36],
        ],
      );
      const edgeMap = (await g.E("e1").elementMap().next()).value as Map<unknown, unknown>;
      const inSide = [...edgeMap].find(([k]) => (k as { elementName?: string }).elementName === "IN");
      assert.ok(inSide, "an edge's elementMap has its IN vertex");
      assert.equal(edgeMap.get("since"), 1833);
      assert.deepEqual(await g.V("p1").id().toList(), ["p1"]);
      assert.deepEqual(await g.E("e2").label().toList(), ["created"]);
      assert.deepEqual(await g.E("e2").values("weight").toList(), [0.5]);
    });

    it("count, limit, range, order().by(), dedup, fold, unfold", async () => {
      const { g } = c;
      assert.deepEqual(await g.V().hasLabel("person").order().by("age").values("name").toList(), [
        "Bob",
        "Ada",
        "Charles",
      ]);
      assert.deepEqual(await g.V().hasLabel("person").order().by("age", order.desc).values("name").limit(2).toList(), [
        "Charles",
        "Ada",
      ]);
      assert.deepEqual(await g.V().hasLabel("person").values("name").order().range(1, 3).toList(), ["Bob", "Charles"]);
      assert.deepEqual(await g.V().out().dedup().count().toList(), [3]);
      assert.deepEqual(await g.V().out().count().toList(), [4]);
      assert.deepEqual(await g.V().values("age").order().fold().toList(), [[25, 36, 40]]);
      assert.deepEqual(await g.V().values("age").fold().unfold().order().toList(), [25, 36, 40]);
      assert.deepEqual(await g.V().values("age").sum().toList(), [101]);
      assert.deepEqual(await g.V().values("age").max().toList(), [40]);
    });

    it("groupCount, group, project/by", async () => {
      const { g } = c;
      const counts = (await g.V().groupCount().by(T.label).next()).value as Map<string, number>;
      assert.deepEqual([...counts].sort(), [
        ["person", 3],
        ["software", 1],
      ]);
      const groups = (await g.V().group().by(T.label).by("name").next()).value as Map<string, string[]>;
      assert.deepEqual(sorted(groups.get("person")!), ["Ada", "Bob", "Charles"]);
      const grouped = (await g.V().group().by(T.label).by(__.count()).next()).value as Map<string, number>;
      assert.equal(grouped.get("person"), 3);
      const projected = (await g.V("p2").project("name", "friends").by("name").by(__.out("knows").count()).next())
        .value as Map<string, unknown>;
      assert.deepEqual(entries(projected), [
        ["name", "Charles"],
        ["friends", 1],
      ]);
    });

    it("as/select, path, where, not/and/or, union, coalesce, constant, inject", async () => {
      const { g } = c;
      const pairs = (await g.V("p1").as("x").out("knows").as("y").select("x", "y").by("name").next()).value;
      assert.deepEqual(entries(pairs), [
        ["x", "Ada"],
        ["y", "Charles"],
      ]);
      const path = (await g.V("p1").out("knows").out("knows").path().by("name").next()).value as { objects: unknown[] };
      assert.deepEqual(path.objects, ["Ada", "Charles", "Bob"]);
      const raw = (await g.V("p1").outE("knows").inV().path().next()).value as { objects: Element[] };
      assert.deepEqual(
        raw.objects.map((o) => o.id),
        ["p1", "e1", "p2"],
      );
      assert.deepEqual(
        await g.V("p1").as("a").out("created").in_("created").where(P.neq("a")).values("name").toList(),
        ["Charles"],
      );
      assert.deepEqual(sorted(await g.V().where(__.out("knows")).values("name").toList()), ["Ada", "Charles"]);
      assert.deepEqual(sorted(await g.V().not(__.outE()).values("name").toList()), ["Bob", "engine"]);
      assert.deepEqual(await g.V().and(__.out("knows"), __.in_("knows")).values("name").toList(), ["Charles"]);
      assert.deepEqual(sorted(await g.V().or(__.has("age", 25), __.hasLabel("software")).values("name").toList()), [
        "Bob",
        "engine",
      ]);
      assert.deepEqual(await g.V("p1").union(__.out("knows").values("name"), __.values("age")).toList(), [
        "Charles",
        36,
      ]);
      assert.deepEqual(await g.V("s1", "p1").coalesce(__.values("age"), __.constant("none")).toList(), ["none", 36]);
      assert.deepEqual(await g.inject(1, 2, 3).sum().toList(), [6]);
      assert.deepEqual(await g.V("p1").constant("k").toList(), ["k"]);
      const keys = (await g.V("p1").valueMap().select(column.keys).next()).value as string[];
      assert.deepEqual(sorted(keys), ["age", "name"]);
    });

    it("repeat/times/until/emit, simplePath, sideEffect", async () => {
      const { g } = c;
      assert.deepEqual(await g.V("p1").repeat(__.out("knows")).times(2).values("name").toList(), ["Bob"]);
      assert.deepEqual(
        await g
          .V("p1")
          .repeat(__.out("knows"))
          .until(__.hasId("p3"))
          .path()
          .by("name")
          .toList()
          .then((l) => (l as { objects: unknown[] }[]).map((p) => p.objects)),
        [["Ada", "Charles", "Bob"]],
      );
      assert.deepEqual(await g.V("p1").repeat(__.out("knows")).emit().values("name").toList(), ["Charles", "Bob"]);
      assert.deepEqual(await g.V("p1").both().both().simplePath().values("name").toList().then(sorted), [
        "Bob",
        "Charles",
        "engine",
      ]);
      assert.deepEqual(await g.V("p1").both().both().count().toList(), [5]);
      assert.deepEqual(await g.V("p3").sideEffect(__.property("seen", true)).values("name").toList(), ["Bob"]);
      assert.deepEqual(await g.V("p3").values("seen").toList(), [true]);
    });

    it("property: set cardinality by default (a second value makes a list openCypher reads), single replaces", async () => {
      const { g } = c;
      await g.V("p3").property("nick", "b").property("nick", "bobby").property("nick", "b").iterate();
      assert.deepEqual(sorted(await g.V("p3").values("nick").toList()), ["b", "bobby"]);
      const data = c.world.data(c.writer.address, c.writer.port);
      const read = await data.send(
        new ExecuteOpenCypherQueryCommand({ openCypherQuery: "MATCH (n {`~id`: 'p3'}) RETURN n.nick AS nick" }),
      );
      assert.deepEqual(read.results, [{ nick: ["b", "bobby"] }]);
      await g.V("p3").property(cardinality.single, "nick", "B").iterate();
      assert.deepEqual(await g.V("p3").values("nick").toList(), ["B"]);
      // Edge properties are single-valued (reference §3.6): a second value replaces the first.
      await g.E("e1").property("since", 1900).iterate();
      assert.deepEqual(await g.E("e1").values("since").toList(), [1900]);
    });

    it("a vertex made by Gremlin is a node to openCypher, and one made by openCypher a vertex to Gremlin", async () => {
      const { g } = c;
      const data = c.world.data(c.writer.address, c.writer.port);
      await g.addV("city").property(T.id, "c1").property("name", "Paris").iterate();
      const read = await data.send(
        new ExecuteOpenCypherQueryCommand({ openCypherQuery: "MATCH (c:city) RETURN id(c) AS id, c.name AS name" }),
      );
      assert.deepEqual(read.results, [{ id: "c1", name: "Paris" }]);
      await data.send(
        new ExecuteOpenCypherQueryCommand({
          openCypherQuery:
            "MATCH (c:city) CREATE (c)<-[:lives_in {`~id`: 'r1'}]-(:person:writer {`~id`: 'w1', name: 'Hugo'})",
        }),
      );
      assert.deepEqual(await g.V("c1").in_("lives_in").values("name").toList(), ["Hugo"]);
      assert.deepEqual(await g.V("w1").label().toList(), ["person::writer"]);
      assert.deepEqual(await g.V().hasLabel("writer").id().toList(), ["w1"]);
    });

    it("drop removes a vertex with its edges; many results come back whole (streamed in batches)", async () => {
      const { g } = c;
      await g.V("c1").drop().iterate();
      assert.deepEqual(await g.V("w1").outE().count().toList(), [0]);
      await g
        .inject(...Array.from({ length: 150 }, (_, i) => i))
        .as("n")
        .addV("bulk")
        .property("n", __.select("n"))
        .iterate();
      const values = await g.V().hasLabel("bulk").values("n").order().toList();
      assert.equal(values.length, 150);
      assert.equal(values[149], 149);
      await g.V().hasLabel("bulk").drop().iterate();
      assert.deepEqual(await g.V().hasLabel("bulk").count().toList(), [0]);
    });
  });
}

describe("Gremlin mergeV and mergeE", () => {
  let c: GremlinCluster;

  before(async () => {
    c = await gremlinCluster();
  });
  after(() => c.close());

  it("mergeV creates once (with onCreate), then matches (with onMatch)", async () => {
    const { g } = c;
    const key = new Map<unknown, unknown>([
      [T.id, "m1"],
      [T.label, "person"],
    ]);
    const merge = () =>
      g
        .mergeV(key)
        .option(merge_.onCreate, new Map([["name", "made"]]))
        .option(merge_.onMatch, new Map([["name", "matched"]]))
        .id()
        .toList();
    assert.deepEqual(await merge(), ["m1"]);
    assert.deepEqual(await g.V("m1").values("name").toList(), ["made"]);
    assert.deepEqual(await merge(), ["m1"]);
    assert.deepEqual(await g.V("m1").values("name").toList(), ["matched"]);
    assert.deepEqual(await g.V().count().toList(), [1]);
    assert.deepEqual(
      await g
        .mergeV(new Map([["name", "matched"]]))
        .id()
        .toList(),
      ["m1"],
    );
  });

  it("mergeE creates an edge between Direction.OUT and Direction.IN once", async () => {
    const { g } = c;
    await g.addV("person").property(T.id, "m2").iterate();
    const edge = new Map<unknown, unknown>([
      [T.label, "knows"],
      [direction.out, "m1"],
      [direction.in, "m2"],
    ]);
    await g.mergeE(edge).iterate();
    await g.mergeE(edge).iterate();
    assert.deepEqual(await g.V("m1").out("knows").id().toList(), ["m2"]);
    assert.deepEqual(await g.E().count().toList(), [1]);
  });
});
