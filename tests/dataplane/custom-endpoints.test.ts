import assert from "node:assert/strict";
import { globalAgent } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  CreateDBClusterCommand,
  CreateDBClusterEndpointCommand,
  DeleteDBClusterEndpointCommand,
  DescribeDBClusterEndpointsCommand,
  ModifyDBClusterEndpointCommand,
  type CreateDBClusterEndpointCommandInput,
  type NeptuneClient,
} from "@aws-sdk/client-neptune";
import { ExecuteOpenCypherQueryCommand, GetEngineStatusCommand } from "@aws-sdk/client-neptunedata";
import { openDurableStore } from "../../src/state/durable-store.js";
import { rejection } from "../helpers/harness.js";
import { gremlinRefusal, gremlinSource } from "../gremlin/fixture.js";
import { addInstance, dataPlaneWorld, endpointsOf, form, http, neptuneError, type World } from "./fixture.js";

type Endpoint = { address: string; port: number };

/**
 * A cluster `shop` with a writer `shop-w` and replicas `shop-r1`, `shop-r2`, each created a minute after the
 * other, so that each instance's /status `startTime` tells which one answered.
 */
async function shop(world: World) {
  await world.neptune.send(new CreateDBClusterCommand({ DBClusterIdentifier: "shop", Engine: "neptune" }));
  for (const id of ["shop-w", "shop-r1", "shop-r2"]) {
    await addInstance(world.neptune, "shop", id);
    world.clock.advance(60_000);
  }
  return endpointsOf(world.neptune, "shop");
}

/** Which instance answers at `endpoint`: its `startTime`, looked up among the instances' own endpoints. */
async function answeringInstance(world: World, instances: Record<string, Endpoint>, endpoint: Endpoint) {
  const startTimeOf = async (at: Endpoint) =>
    (await world.data(at.address, at.port).send(new GetEngineStatusCommand({}))).startTime!;
  const byStartTime = new Map<string, string>();
  for (const [id, at] of Object.entries(instances)) byStartTime.set(await startTimeOf(at), id);
  assert.equal(byStartTime.size, Object.keys(instances).length, "each instance has its own startTime");
  return byStartTime.get(await startTimeOf(endpoint));
}

/** Who answers `times` requests in a row at `endpoint`. */
async function answering(world: World, instances: Record<string, Endpoint>, endpoint: Endpoint, times: number) {
  const seen: (string | undefined)[] = [];
  for (let i = 0; i < times; i++) seen.push(await answeringInstance(world, instances, endpoint));
  return seen;
}

async function createEndpoint(
  neptune: NeptuneClient,
  DBClusterEndpointIdentifier: string,
  extra: Partial<CreateDBClusterEndpointCommandInput>,
) {
  return neptune.send(
    new CreateDBClusterEndpointCommand({
      DBClusterIdentifier: "shop",
      DBClusterEndpointIdentifier,
      EndpointType: "READER",
      ...extra,
    }),
  );
}

const cypher = (world: World, endpoint: Endpoint, query: string) =>
  world.data(endpoint.address, endpoint.port).send(new ExecuteOpenCypherQueryCommand({ openCypherQuery: query }));

describe("custom cluster endpoints route to their members", () => {
  let world: World;
  let ends: Awaited<ReturnType<typeof shop>>;

  after(() => world.running.close());
  before(async () => {
    world = await dataPlaneWorld();
    ends = await shop(world);
    await cypher(world, ends.writer, "CREATE (:City {name: 'Oslo'})");
  });

  it("a READER endpoint with one static member: its own address on the cluster's port, reads from that member", async () => {
    const created = await createEndpoint(world.neptune, "analytics", { StaticMembers: ["shop-r1"] });
    assert.equal(created.Endpoint, "127.0.0.3");
    const listed = await world.neptune.send(
      new DescribeDBClusterEndpointsCommand({ DBClusterEndpointIdentifier: "analytics" }),
    );
    assert.equal(listed.DBClusterEndpoints?.[0]?.Endpoint, "127.0.0.3");
    assert.ok(world.running.dataPlane.listening().includes(`127.0.0.3:${ends.cluster.Port}`));
    const analytics = { address: created.Endpoint!, port: ends.cluster.Port! };

    const read = await cypher(world, analytics, "MATCH (c:City) RETURN c.name AS name");
    assert.deepEqual(read.results, [{ name: "Oslo" }]);
    assert.deepEqual(await answering(world, ends.instances, analytics, 3), ["shop-r1", "shop-r1", "shop-r1"]);
    const status = await world.data(analytics.address, analytics.port).send(new GetEngineStatusCommand({}));
    assert.equal(status.role, "reader");
  });

  it("a READER endpoint refuses writes as a replica does: openCypher, the SDK and Gremlin", async () => {
    const analytics = { address: "127.0.0.3", port: ends.cluster.Port! };
    const raw = neptuneError(await http(analytics, "POST", "/openCypher", form({ query: "CREATE (:City)" })));
    assert.equal(raw.code, "ReadOnlyViolationException");
    assert.equal(raw.status, 400);
    const thrown = await rejection(() => cypher(world, analytics, "CREATE (:City {name: 'Bergen'})"));
    assert.equal(thrown.name, "ReadOnlyViolationException");
    assert.equal(thrown.$metadata?.httpStatusCode, 400);

    const { g, connection } = gremlinSource(analytics);
    try {
      assert.deepEqual(await g.V().hasLabel("City").values("name").toList(), ["Oslo"]);
      const refused = await gremlinRefusal(g.addV("City").property("name", "Bergen").iterate());
      assert.equal(refused.code, "ReadOnlyViolationException");
    } finally {
      await connection.close();
    }
    assert.deepEqual((await cypher(world, ends.writer, "MATCH (c:City) RETURN count(c) AS n")).results, [{ n: 1 }]);
  });

  it("an ANY endpoint with ExcludedMembers spreads over the others in turn, and takes instances added later", async () => {
    const created = await createEndpoint(world.neptune, "most", { EndpointType: "ANY", ExcludedMembers: ["shop-r1"] });
    assert.equal(created.Endpoint, "127.0.0.4");
    const most = { address: created.Endpoint!, port: ends.cluster.Port! };
    assert.deepEqual(await answering(world, ends.instances, most, 4), ["shop-r2", "shop-w", "shop-r2", "shop-w"]);

    await addInstance(world.neptune, "shop", "shop-r3");
    world.clock.advance(60_000);
    const { instances } = await endpointsOf(world.neptune, "shop");
    assert.deepEqual(new Set(await answering(world, instances, most, 3)), new Set(["shop-r2", "shop-r3", "shop-w"]));
  });

  it("a WRITER endpoint reaches the writer and writes", async () => {
    const created = await createEndpoint(world.neptune, "writes", { EndpointType: "WRITER" });
    const writes = { address: created.Endpoint!, port: ends.cluster.Port! };
    const written = await cypher(world, writes, "CREATE (c:City {name: 'Bergen'}) RETURN c.name AS name");
    assert.deepEqual(written.results, [{ name: "Bergen" }]);
    assert.deepEqual(await answering(world, ends.instances, writes, 2), ["shop-w", "shop-w"]);
  });

  it("ModifyDBClusterEndpoint changes the routing at once; no member left answers as a cluster without instances", async () => {
    const analytics = { address: "127.0.0.3", port: ends.cluster.Port! };
    await world.neptune.send(
      new ModifyDBClusterEndpointCommand({ DBClusterEndpointIdentifier: "analytics", StaticMembers: ["shop-r2"] }),
    );
    assert.deepEqual(await answering(world, ends.instances, analytics, 2), ["shop-r2", "shop-r2"]);

    // A READER endpoint whose only member is the writer reaches no instance.
    await world.neptune.send(
      new ModifyDBClusterEndpointCommand({ DBClusterEndpointIdentifier: "analytics", StaticMembers: ["shop-w"] }),
    );
    const refused = neptuneError(await http(analytics, "GET", "/status"));
    assert.deepEqual(refused, {
      code: "PreconditionsFailedException",
      status: 400,
      detailedMessage:
        "DB cluster endpoint 'analytics' (READER) has no available read replica among its members to answer " +
        "queries: change its members with ModifyDBClusterEndpoint.",
    });
    const thrown = await rejection(() => cypher(world, analytics, "MATCH (n) RETURN n"));
    assert.equal(thrown.name, "PreconditionsFailedException");

    // ANY takes the writer as a member.
    await world.neptune.send(
      new ModifyDBClusterEndpointCommand({ DBClusterEndpointIdentifier: "analytics", EndpointType: "ANY" }),
    );
    assert.deepEqual(await answering(world, ends.instances, analytics, 1), ["shop-w"]);
  });

  it("a deleted endpoint's address stops answering; the cluster's other endpoints go on", async () => {
    const key = `127.0.0.4:${ends.cluster.Port}`;
    assert.ok(world.running.dataPlane.listening().includes(key));
    await world.neptune.send(new DeleteDBClusterEndpointCommand({ DBClusterEndpointIdentifier: "most" }));
    assert.ok(!world.running.dataPlane.listening().includes(key));
    globalAgent.destroy(); // a kept-alive socket to the closed listener is gone too
    const refused = await rejection(() => http({ address: "127.0.0.4", port: ends.cluster.Port! }, "GET", "/status"));
    assert.equal((refused as NodeJS.ErrnoException).code, "ECONNREFUSED");
    assert.equal((await http({ address: "127.0.0.3", port: ends.cluster.Port! }, "GET", "/status")).status, 200);
    assert.equal((await http(ends.writer, "GET", "/status")).status, 200);
  });
});

describe("a custom endpoint in a data directory", () => {
  it("keeps its address across a restart and listens on it from the start", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trident-custom-endpoints-"));
    try {
      const first = await dataPlaneWorld({ store: openDurableStore(dir, {}) });
      const ends = await shop(first);
      await createEndpoint(first.neptune, "first", { StaticMembers: ["shop-r1"] });
      const kept = await createEndpoint(first.neptune, "kept", { StaticMembers: ["shop-r2"] });
      await first.neptune.send(new DeleteDBClusterEndpointCommand({ DBClusterEndpointIdentifier: "first" }));
      assert.equal(kept.Endpoint, "127.0.0.4");
      await first.running.close();
      first.emulator.store.close();
      globalAgent.destroy(); // sockets kept alive to the first server's ports are dead now

      const second = await dataPlaneWorld({ store: openDurableStore(dir, {}), clock: first.clock, range: first.range });
      try {
        const listed = await second.neptune.send(
          new DescribeDBClusterEndpointsCommand({ DBClusterEndpointIdentifier: "kept" }),
        );
        assert.equal(listed.DBClusterEndpoints?.[0]?.Endpoint, "127.0.0.4");
        assert.ok(second.running.dataPlane.listening().includes(`127.0.0.4:${ends.cluster.Port}`));
        assert.ok(!second.running.dataPlane.listening().includes(`127.0.0.3:${ends.cluster.Port}`));
        const at = { address: "127.0.0.4", port: ends.cluster.Port! };
        assert.deepEqual(await answering(second, ends.instances, at, 2), ["shop-r2", "shop-r2"]);
        // The next endpoint takes the address the deleted one left.
        const next = await createEndpoint(second.neptune, "next", { StaticMembers: ["shop-r1"] });
        assert.equal(next.Endpoint, "127.0.0.3");
      } finally {
        await second.running.close();
        second.emulator.store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
