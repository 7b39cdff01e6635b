import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { NeptuneClient } from "@aws-sdk/client-neptune";
import { ExecuteFastResetCommand } from "@aws-sdk/client-neptunedata";
import { WebSocket } from "ws";
import { Emulator } from "../../src/emulator.js";
import { startServer } from "../../src/server/http.js";
import { ManualClock } from "../../src/state/clock.js";
import { DELAY_PROFILES } from "../../src/state/delays.js";
import { openDurableStore } from "../../src/state/durable-store.js";
import { clusterWithInstances, endpointsOf, portRange } from "../dataplane/fixture.js";
import { ADMIN, A, REGION } from "../helpers/harness.js";
import { graphRows, resourceIdOf } from "../neptune/graph-fixtures.js";
import { __, gremlinCluster, gremlinSource, type GremlinCluster, T, gremlinRefusal } from "./fixture.js";

type Source = GremlinCluster["g"];

const names = async (g: Source) => (await g.V().hasLabel("person").values("name").toList()).sort();

describe("Gremlin sessions: g.tx() holds one transaction across requests", () => {
  let c: GremlinCluster;
  /** A second connection: another client of the same cluster. */
  let other: ReturnType<typeof gremlinSource>;

  before(async () => {
    c = await gremlinCluster();
    other = gremlinSource(c.writer);
    await c.g.addV("person").property(T.id, "p1").property("name", "Ada").iterate();
  });
  after(async () => {
    await other.connection.close();
    await c.close();
  });

  it("writes in a transaction are seen by it, by nobody else until commit, then by all; one log record", async () => {
    const id = resourceIdOf(c.world.emulator, A, "graph");
    const logged = graphRows(c.world.emulator, A, id).logSeqs.length;
    const tx = c.g.tx();
    const gtx = tx.begin();
    await gtx.addV("person").property(T.id, "p2").property("name", "Bob").iterate();
    await gtx.V("p1").property("age", 36).iterate();
    assert.deepEqual(await names(gtx), ["Ada", "Bob"], "the transaction reads its own writes");
    assert.deepEqual(await gtx.V("p1").values("age").toList(), [36]);
    assert.deepEqual(await names(other.g), ["Ada"], "another connection does not see them");
    assert.deepEqual(await other.g.V("p1").values("age").toList(), []);
    assert.equal(graphRows(c.world.emulator, A, id).logSeqs.length, logged, "nothing uncommitted is logged");
    await tx.commit();
    assert.deepEqual(await names(other.g), ["Ada", "Bob"]);
    assert.deepEqual(await other.g.V("p1").values("age").toList(), [36]);
    assert.equal(graphRows(c.world.emulator, A, id).logSeqs.length, logged + 1, "the commit is one log record");
  });

  it("rollback leaves nothing", async () => {
    const tx = c.g.tx();
    const gtx = tx.begin();
    await gtx.addV("person").property(T.id, "p3").property("name", "Cid").iterate();
    await gtx.V("p1").property("name", "Ada Lovelace").iterate();
    await tx.rollback();
    assert.deepEqual(await names(other.g), ["Ada", "Bob"]);
    assert.deepEqual(await other.g.V("p3").count().toList(), [0]);
  });

  it("a failed request rolls the whole transaction back; the session's next request begins a new one", async () => {
    const tx = c.g.tx();
    const gtx = tx.begin();
    await gtx.addV("person").property(T.id, "p4").property("name", "Dee").iterate();
    const error = await gremlinRefusal(gtx.addV("person").property(T.id, "p1").iterate());
    assert.deepEqual(error, {
      status: 500,
      code: "ConstraintViolationException",
      detailedMessage: "Vertex with id already exists: p1",
    });
    assert.deepEqual(await gtx.V("p4").count().toList(), [0], "the earlier write went with it");
    await gtx.addV("person").property(T.id, "p5").property("name", "Eve").iterate();
    await tx.commit();
    assert.deepEqual(await names(other.g), ["Ada", "Bob", "Eve"]);
    await other.g.V("p5").drop().iterate();
  });

  it("another writer of an element the transaction changed gets ConcurrentModificationException until it ends", async () => {
    const tx = c.g.tx();
    const gtx = tx.begin();
    await gtx.V("p1").property("city", "London").iterate();
    const error = await gremlinRefusal(other.g.V("p1").property("city", "Paris").iterate());
    assert.equal(error.status, 500);
    assert.equal(error.code, "ConcurrentModificationException");
    assert.match(error.detailedMessage, /locked by another open transaction/);
    // A write elsewhere, and reads, go on.
    await other.g.addV("person").property(T.id, "p6").property("name", "Fay").iterate();
    assert.deepEqual(await other.g.V("p1").values("city").toList(), []);
    await tx.commit();
    assert.deepEqual(await other.g.V("p1").values("city").toList(), ["London"]);
    await other.g.V("p1").property("city", "Paris").iterate();
    assert.deepEqual(await other.g.V("p1").values("city").toList(), ["London", "Paris"]);
    await other.g.V("p6").drop().iterate();
  });

  it("a new edge locks its two ends: another writer may not drop them while the transaction is open", async () => {
    await other.g.addV("person").property(T.id, "p7").property("name", "Gus").iterate();
    const tx = c.g.tx();
    const gtx = tx.begin();
    await gtx.addV("person").property(T.id, "p8").property("name", "Hal").iterate();
    await gtx.addE("knows").from_(__.V("p8")).to(__.V("p7")).property(T.id, "k1").iterate();
    const error = await gremlinRefusal(other.g.V("p7").drop().iterate());
    assert.equal(error.code, "ConcurrentModificationException");
    await tx.commit();
    assert.deepEqual(await other.g.V("p7").in_("knows").id().toList(), ["p8"]);
    await other.g.V("p7", "p8").drop().iterate();
  });

  it("a transaction open longer than Neptune's 10 minutes is rolled back, its locks released", async () => {
    const tx = c.g.tx();
    const gtx = tx.begin();
    await gtx.addV("person").property(T.id, "p9").property("name", "Ivy").iterate();
    await gtx.V("p1").property("mood", "busy").iterate();
    c.world.clock.advance(10 * 60 * 1000 + 1);
    await other.g.V("p1").property("mood", "free").iterate(); // the lock went with the transaction
    const error = await gremlinRefusal(gtx.V("p9").count().toList());
    assert.deepEqual(error, {
      status: 500,
      code: "TimeLimitExceededException",
      detailedMessage:
        "The session's transaction was open longer than Neptune's 10 minutes and was rolled back: begin a new one.",
    });
    await tx.commit(); // nothing left to commit
    assert.deepEqual(await other.g.V("p9").count().toList(), [0]);
    assert.deepEqual(await other.g.V("p1").values("mood").toList(), ["free"]);
  });

  it("a closed socket rolls its session's transaction back and releases its locks", async () => {
    const ws = new WebSocket(`ws://${c.writer.address}:${c.writer.port}/gremlin`);
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
    const session = randomUUID();
    const request = (step: unknown[][]) =>
      JSON.stringify({
        requestId: randomUUID(),
        op: "bytecode",
        processor: "session",
        args: { gremlin: { "@type": "g:Bytecode", "@value": { step } }, aliases: { g: "g" }, session },
      });
    const answer = new Promise<string>((resolve) => ws.once("message", (data: Buffer) => resolve(data.toString())));
    ws.send(
      request([
        ["V", "p1"],
        ["property", "flag", "raised"],
      ]),
    );
    assert.equal((JSON.parse(await answer) as { status: { code: number } }).status.code, 200);
    await new Promise((resolve) => {
      ws.once("close", resolve);
      ws.terminate();
    });
    assert.deepEqual(await other.g.V("p1").values("flag").toList(), []);
    await other.g.V("p1").property("flag", "lowered").iterate();
    assert.deepEqual(await other.g.V("p1").values("flag").toList(), ["lowered"]);
  });

  it("a transaction whose changes no longer apply at commit (the graph was reset) is ConcurrentModificationException", async () => {
    const tx = c.g.tx();
    const gtx = tx.begin();
    await gtx.V("p2").property("name", "Bobby").iterate();
    const data = c.world.data(c.writer.address, c.writer.port);
    const { payload } = await data.send(new ExecuteFastResetCommand({ action: "initiateDatabaseReset" }));
    await data.send(new ExecuteFastResetCommand({ action: "performDatabaseReset", token: payload!.token! }));
    const error = await gremlinRefusal(tx.commit());
    assert.equal(error.status, 500);
    assert.equal(error.code, "ConcurrentModificationException");
    assert.deepEqual(await other.g.V().count().toList(), [0]);
  });
});

describe("Gremlin sessions in a durable world", () => {
  it("a committed transaction survives a restart; an uncommitted one does not", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trident-gremlin-session-"));
    const range = await portRange();
    const clock = new ManualClock(Date.now());
    const start = async () => {
      const emulator = new Emulator({
        clock,
        delays: DELAY_PROFILES.instant,
        dataPlane: range,
        store: openDurableStore(dir, {}),
      });
      const running = await startServer(emulator, { port: 0 });
      const neptune = new NeptuneClient({
        region: REGION,
        endpoint: running.endpoint,
        credentials: ADMIN[A]!,
        maxAttempts: 1,
      });
      return { emulator, running, neptune };
    };
    const first = await start();
    const { writer } = await clusterWithInstances(first.neptune, "graph");
    const source = gremlinSource(writer);
    const committed = source.g.tx();
    const g1 = committed.begin();
    await g1.addV("person").property(T.id, "kept").iterate();
    await committed.commit();
    const open = source.g.tx();
    const g2 = open.begin();
    await g2.addV("person").property(T.id, "lost").iterate();
    await source.connection.close();
    await first.running.close();
    first.emulator.store.close();

    const second = await start();
    const again = gremlinSource((await endpointsOf(second.neptune, "graph")).writer);
    try {
      assert.deepEqual(await again.g.V().id().toList(), ["kept"]);
    } finally {
      await again.connection.close();
      await second.running.close();
      second.emulator.store.close();
    }
  });
});
