import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import gremlin from "gremlin";
import { __, gremlinCluster, type GremlinCluster, P, SERIALIZERS, gremlinRefusal } from "./fixture.js";
import { addStepsGraph } from "./steps-graph.js";

const { pick, operator, scope } = gremlin.process;
/** Pick.unproductive (TinkerPop 3.8): in the package, not in its type declarations. */
const unproductive = (pick as unknown as { unproductive: typeof pick.none }).unproductive;

type Element = { id: string; label: string };
type VertexProperty = { id: unknown; label: string; value: unknown };
type EdgeProperty = { key: string; value: unknown };
const ids = (list: unknown[]) => (list as Element[]).map((e) => e.id);
const sorted = (list: unknown[]) => [...(list as string[])].sort();

for (const serializer of SERIALIZERS) {
  describe(`Gremlin steps: choose, math, side effects, sacks, properties, local scope; ${serializer.name}`, () => {
    let c: GremlinCluster;
    const persons = () => c.g.V().hasLabel("person").order().by("name"); // Ada 36, Bob 25, Charles 40

    before(async () => {
      c = await gremlinCluster(serializer.options);
      await addStepsGraph(c.g);
    });
    after(() => c.close());

    it("choose(condition, then, else), choose(condition, then) passing the others through, choose(P, …)", async () => {
      assert.deepEqual(
        await persons()
          .choose(__.values("age").is(P.gt(30)), __.constant("old"), __.constant("young"))
          .toList(),
        ["old", "young", "old"],
      );
      const through = await persons()
        .choose(__.has("age", P.gt(30)), __.values("name"))
        .toList();
      assert.equal(through[0], "Ada");
      assert.equal((through[1] as Element).id, "p3");
      assert.equal(through[2], "Charles");
      assert.deepEqual(
        await persons().values("age").choose(P.lt(30), __.constant("young"), __.math("_ * 2")).toList(),
        [72, "young", 80],
      );
    });

    it("choose(traversal).option(…): the first matching option, Pick.none, pass-through, Pick.any refused", async () => {
      assert.deepEqual(
        await persons()
          .choose(__.values("name"))
          .option("Ada", __.constant(1))
          .option("Ada", __.constant(9))
          .option("Bob", __.constant(2))
          .option(pick.none, __.constant(0))
          .toList(),
        [1, 2, 0],
      );
      const over = await persons().choose(__.values("age")).option(P.gt(30), __.constant("over 30")).toList();
      assert.equal(over[0], "over 30");
      assert.equal((over[1] as Element).id, "p3", "no option matches: the traverser passes (Pick.none)");
      assert.equal(over[2], "over 30");
      const passed = await c.g.V("p1", "s1").choose(__.values("age")).option(36, __.constant("36")).toList();
      assert.equal(passed[0], "36");
      assert.equal((passed[1] as Element).id, "s1", "no choice value: the traverser passes (Pick.unproductive)");
      assert.deepEqual(await c.g.V("s1").choose(__.values("age")).option(unproductive, __.constant("none")).toList(), [
        "none",
      ]);
      const error = await gremlinRefusal(persons().choose(__.values("name")).option(pick.any, __.constant(1)).toList());
      assert.deepEqual(error, {
        status: 597,
        code: "IllegalArgumentException",
        detailedMessage: "Choose step can not have an any-option as only one option per traverser is allowed",
      });
    });

    it("math(): variables by step label and by(), precedence, functions; Doubles", async () => {
      assert.deepEqual(await persons().math("_ + 1").by("age").toList(), [37, 26, 41]);
      assert.deepEqual(await c.g.V("p1").as("a").out("knows").as("b").math("b - a").by("age").toList(), [4]);
      assert.deepEqual(await c.g.inject(2).math("-_^2 + (3 * 4) % 5 / 2").toList(), [-3]);
      assert.deepEqual(await c.g.inject(16).math("sqrt(_) + abs(-2) + 2e1 - pi + pi").toList(), [26]);
      assert.deepEqual(await c.g.inject(1).math("_ / 4").toList(), [0.25]);
    });

    it("math(): a bad expression, a non-number and a division by zero are IllegalArgumentException", async () => {
      const cases: [ReturnType<typeof c.g.inject>, string][] = [
        [c.g.inject(1).math("_ +"), "Invalid math() expression '_ +': it ends too soon"],
        [c.g.inject(1).math("_ + )"), "Invalid math() expression '_ + )': unexpected ')' at 5"],
        [c.g.inject(1).math("nope(_)"), "Invalid math() expression 'nope(_)': unknown function nope()"],
        [
          c.g.inject("x").math("_ + 1"),
          "The variable _ for math() step must resolve to a Number - it is instead the value x",
        ],
        [c.g.inject(1).math("_ / 0"), "Division by zero!"],
      ];
      for (const [traversal, message] of cases)
        assert.deepEqual(await gremlinRefusal(traversal.toList()), {
          status: 597,
          code: "IllegalArgumentException",
          detailedMessage: message,
        });
    });

    it("aggregate/cap, withSideEffect, and where(P) against a side effect", async () => {
      assert.deepEqual(
        sorted(
          ids(
            await c.g
              .V("p1")
              .out()
              .aggregate("x")
              .cap("x")
              .next()
              .then((r) => r.value as unknown[]),
          ),
        ),
        ["p2", "s1"],
      );
      assert.deepEqual(
        ((await c.g.V().hasLabel("person").aggregate("ages").by("age").cap("ages").next()).value as number[]).sort(),
        [25, 36, 40],
      );
      assert.deepEqual(await c.g.V().hasLabel("nobody").aggregate("n").cap("n").toList(), [[]]);
      assert.deepEqual(
        sorted(
          await c.g
            .withSideEffect("seen", ["Ada"])
            .V()
            .hasLabel("person")
            .values("name")
            .where(P.without("seen"))
            .toList(),
        ),
        ["Bob", "Charles"],
      );
      assert.deepEqual(
        ids(await c.g.V("p1").aggregate("start").out("knows").out("knows").where(P.without("start")).toList()),
        ["p3"],
      );
      assert.deepEqual(await gremlinRefusal(c.g.V().cap("missing").toList()), {
        status: 597,
        code: "IllegalArgumentException",
        detailedMessage: "The side-effect key does not exist in the side-effects: missing",
      });
    });

    it("withSack and sack(Operator).by(): each traverser carries its own sack; fold(seed, Operator)", async () => {
      assert.deepEqual(
        await c.g.withSack(2).V("p1", "p2").outE("created").sack(operator.mult).by("weight").sack().toList(),
        [1, 3],
      );
      assert.deepEqual(
        await c.g
          .withSack(0)
          .V("p1")
          .out("knows")
          .sack(operator.sum)
          .by("age")
          .out("knows")
          .sack(operator.sum)
          .by("age")
          .sack()
          .toList(),
        [65],
      );
      assert.deepEqual(await c.g.V("p1").sack().toList(), [null]);
      assert.deepEqual(await persons().values("age").fold(0, operator.sum).toList(), [101]);
      assert.deepEqual(await persons().values("name").fold([], operator.addAll).toList(), [["Ada", "Bob", "Charles"]]);
    });

    it("properties(), key(), value(), hasKey/hasValue, propertyMap(): vertex properties and edge properties", async () => {
      const name = (await c.g.V("p1").properties("name").toList()) as VertexProperty[];
      assert.equal(name.length, 1);
      assert.equal(name[0]!.label, "name");
      assert.equal(name[0]!.value, "Ada");
      assert.equal(typeof name[0]!.id, "number", "a vertex property's id is a number, as Neptune's");
      assert.deepEqual(await c.g.V("p1").properties().key().toList(), ["name", "age"]);
      assert.deepEqual(await c.g.V("p1").properties().hasKey("age").value().toList(), [36]);
      const weight = (await c.g.E("e2").properties().toList()) as EdgeProperty[];
      assert.deepEqual(
        weight.map((p) => [p.key, p.value]),
        [["weight", 0.5]],
      );
      const map = (await c.g.V("p3").propertyMap("name").next()).value as Map<string, VertexProperty[]>;
      assert.deepEqual(
        [...map].map(([k, v]) => [k, v.map((p) => p.value)]),
        [["name", ["Bob"]]],
      );
    });

    it("properties(k).drop() drops one property (one value of a set), hasValue choosing which", async () => {
      await c.g.V("p3").property("nick", "B").property("nick", "Bobby").iterate();
      assert.deepEqual(sorted(await c.g.V("p3").values("nick").toList()), ["B", "Bobby"]);
      await c.g.V("p3").properties("nick").hasValue("B").drop().iterate();
      assert.deepEqual(await c.g.V("p3").values("nick").toList(), ["Bobby"]);
      await c.g.V("p3").properties("nick").drop().iterate();
      assert.deepEqual(await c.g.V("p3").properties("nick").toList(), []);
      assert.deepEqual(await c.g.V("p3").values("name").toList(), ["Bob"], "the other properties stay");
      await c.g.E("e4").property("w", 1).iterate();
      await c.g.E("e4").properties("w").drop().iterate();
      assert.deepEqual(await c.g.E("e4").values("w").toList(), []);
    });

    it("Scope.local: sum/min/max/mean, range/limit/skip/tail (one item is itself), dedup, count", async () => {
      const ages = () => persons().values("age").fold();
      assert.deepEqual(await ages().sum(scope.local).toList(), [101]);
      assert.deepEqual(await ages().max(scope.local).toList(), [40]);
      assert.deepEqual(await ages().min(scope.local).toList(), [25]);
      assert.deepEqual(await ages().mean(scope.local).toList(), [101 / 3]);
      const list = () => c.g.inject([5, 6, 6, 8]);
      assert.deepEqual(await list().range(scope.local, 1, 3).toList(), [[6, 6]]);
      assert.deepEqual(await list().limit(scope.local, 1).toList(), [5]);
      assert.deepEqual(await list().skip(scope.local, 2).toList(), [[6, 8]]);
      assert.deepEqual(await list().tail(scope.local).toList(), [8]);
      assert.deepEqual(await list().tail(scope.local, 2).toList(), [[6, 8]]);
      assert.deepEqual(await list().dedup(scope.local).toList(), [[5, 6, 8]]);
      assert.deepEqual(await list().count(scope.local).toList(), [4]);
    });

    it("flatMap(t), map(t) (none: the traverser ends), filter(t)", async () => {
      assert.deepEqual(sorted(ids(await c.g.V("p1").flatMap(__.out()).toList())), ["p2", "s1"]);
      assert.deepEqual(await persons().map(__.values("age")).toList(), [36, 25, 40]);
      assert.deepEqual(await c.g.V("p1", "s1").map(__.values("age")).toList(), [36]);
      assert.deepEqual(sorted(ids(await c.g.V().filter(__.out("knows")).toList())), ["p1", "p2"]);
    });

    it("match() is refused with UnsupportedOperationException", async () => {
      const error = await gremlinRefusal(c.g.V().match(__.as("a").out().as("b")).select("b").toList());
      assert.deepEqual(error, {
        status: 597,
        code: "UnsupportedOperationException",
        detailedMessage: "The match() step is not supported by Trident yet: use where() and select()",
      });
    });
  });
}
