import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { clusterWithInstances, dataPlaneWorld, type World } from "../dataplane/fixture.js";
import { gremlinSource, SERIALIZERS, T } from "./fixture.js";

for (const serializer of SERIALIZERS) {
  describe(`Gremlin over WebSocket, ${serializer.name}: add and count`, () => {
    let world: World;
    let source: ReturnType<typeof gremlinSource>;

    before(async () => {
      world = await dataPlaneWorld();
      const { writer } = await clusterWithInstances(world.neptune, "graph");
      source = gremlinSource(writer, serializer.options);
    });
    after(async () => {
      await source.connection.close();
      await world.running.close();
    });

    it("adds vertices and counts them", async () => {
      const { g } = source;
      const added = await g.addV("person").property(T.id, "p1").property("name", "Ada").next();
      assert.equal((added.value as { id: string }).id, "p1");
      assert.equal((added.value as { label: string }).label, "person");
      await g.addV("person").property("name", "Charles").iterate();
      assert.equal((await g.V().count().next()).value, 2);
      assert.deepEqual(await g.V("p1").values("name").toList(), ["Ada"]);
    });
  });
}
