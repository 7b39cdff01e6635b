import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { WebSocket } from "ws";
import { A } from "../helpers/harness.js";
import { graphRows, resourceIdOf } from "../neptune/graph-fixtures.js";
import { gremlinCluster, type GremlinCluster, T } from "./fixture.js";

describe("Gremlin writes are the cluster's logged changes", () => {
  let c: GremlinCluster;

  before(async () => {
    c = await gremlinCluster();
  });
  after(() => c.close());

  it("a write traversal appends one log record; a read or a failed write appends none", async () => {
    const { g } = c;
    await g.addV("a").property(T.id, "x1").addV("b").property(T.id, "x2").iterate();
    const id = resourceIdOf(c.world.emulator, A, "graph");
    const logged = graphRows(c.world.emulator, A, id).logSeqs;
    assert.equal(logged.length, 1);
    await g.V().count().toList();
    await assert.rejects(g.addV("c").property(T.id, "x3").addV("a").property(T.id, "x1").toList());
    assert.deepEqual(graphRows(c.world.emulator, A, id).logSeqs, logged);
    await g.V("x2").drop().iterate();
    assert.equal(graphRows(c.world.emulator, A, id).logSeqs.length, 2);
  });

  it("an upgrade on another path than /gremlin is refused with 404", async () => {
    const ws = new WebSocket(`ws://${c.writer.address}:${c.writer.port}/other`);
    const status = await new Promise<number>((resolve) =>
      ws.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0)).once("error", () => resolve(-1)),
    );
    assert.equal(status, 404);
  });
});
