import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { gremlinCluster, type GremlinCluster, SERIALIZERS, T } from "./fixture.js";

for (const serializer of SERIALIZERS) {
  describe(`Gremlin over WebSocket, ${serializer.name}: add and count`, () => {
    let c: GremlinCluster;

    before(async () => {
      c = await gremlinCluster(serializer.options);
    });
    after(() => c.close());

    it("adds vertices and counts them", async () => {
      const { g } = c;
      const added = await g.addV("person").property(T.id, "p1").property("name", "Ada").next();
      assert.equal((added.value as { id: string }).id, "p1");
      assert.equal((added.value as { label: string }).label, "person");
      await g.addV("person").property("name", "Charles").iterate();
      assert.equal((await g.V().count().next()).value, 2);
      assert.deepEqual(await g.V("p1").values("name").toList(), ["Ada"]);
    });
  });
}
