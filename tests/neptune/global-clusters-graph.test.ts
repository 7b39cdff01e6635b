import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { globalAgent } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateDBClusterSnapshotCommand,
  CreateGlobalClusterCommand,
  DescribeGlobalClustersCommand,
  FailoverGlobalClusterCommand,
  NeptuneClient,
  RemoveFromGlobalClusterCommand,
  RestoreDBClusterFromSnapshotCommand,
  SwitchoverGlobalClusterCommand,
} from "@aws-sdk/client-neptune";
import { CreateKeyCommand, DisableKeyCommand, EnableKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { ExecuteOpenCypherQueryCommand } from "@aws-sdk/client-neptunedata";
import { encodeRecord } from "../../src/state/codec.js";
import { openDurableStore } from "../../src/state/durable-store.js";
import { A, ADMIN, REGION, rejection } from "../helpers/harness.js";
import { addInstance, clusterWithInstances, dataPlaneWorld, endpointsOf, type World } from "../dataplane/fixture.js";
import { allRecords, streamsGroup } from "../dataplane/streams-fixture.js";
import { assertFault } from "./refusals.js";
import { clusterArnIn, WEST } from "./global-fixtures.js";

type Endpoint = { address: string; port: number };

/** A value that must never be found in clear in the data directory. */
const SECRET = "fjord-7f3a9c";

const clientsIn = (world: World, region: string) => {
  const config = { region, endpoint: world.running.endpoint, credentials: ADMIN[A]!, maxAttempts: 1 };
  return { neptune: new NeptuneClient(config), kms: new KMSClient(config) };
};

const cypher = (world: World, endpoint: Endpoint, query: string) =>
  world.data(endpoint.address, endpoint.port).send(new ExecuteOpenCypherQueryCommand({ openCypherQuery: query }));
const cities = async (world: World, endpoint: Endpoint) =>
  (
    (await cypher(world, endpoint, "MATCH (c:City) RETURN c.name AS name ORDER BY name")).results as { name: string }[]
  ).map((row) => row.name);
const addCity = async (world: World, endpoint: Endpoint, name: string) =>
  cypher(world, endpoint, `CREATE (:City {name: '${name}', secret: '${SECRET}'})`);

/** The cluster's Neptune Stream in short: each city added, with the commitNum that logged it. */
const streamed = async (endpoint: Endpoint) =>
  (await allRecords(endpoint))
    .filter((r) => r.data.key === "name")
    .map((r) => [r.eventId.commitNum, r.data.value.value]);

async function assertReadOnly(world: World, endpoint: Endpoint) {
  const error = await rejection(() => addCity(world, endpoint, "Nowhere"));
  assert.equal(error.name, "ReadOnlyViolationException");
  assert.equal(error.$metadata?.httpStatusCode, 400);
}

const rowsOf = (world: World) => [...world.emulator.store.rows()].map(encodeRecord);
const clusterState = (message: string) => ({ name: "InvalidDBClusterStateFault", status: 400, message });
const globalState = (message: string) => ({ name: "InvalidGlobalClusterStateFault", status: 400, message });
const inaccessible = (id: string) =>
  `DbCluster ${id} is in inaccessible-encryption-credentials state but expected it to be one of available.`;

/**
 * A global database's graph follows its primary, on the data plane: an encrypted primary `east` (us-east-1) and a
 * secondary `west` (us-west-2), each with a customer key of its own Region, in a data directory. Each step of the
 * suite goes on from the one before.
 */
describe("a global database's graph follows the primary, under each cluster's own key", () => {
  const dir = mkdtempSync(join(tmpdir(), "trident-global-graph-"));
  let world: World;
  let east: ReturnType<typeof clientsIn>;
  let west: ReturnType<typeof clientsIn>;
  const keys: Record<string, string> = {};
  const ends: Record<string, { writer: Endpoint; reader: Endpoint }> = {};
  const refresh = async () => {
    ends.east = await endpointsOf(east.neptune, "east");
    ends.west = await endpointsOf(west.neptune, "west");
  };
  const toggleKey = async (side: "east" | "west", enabled: boolean) => {
    const kms = (side === "east" ? east : west).kms;
    await kms.send(
      enabled ? new EnableKeyCommand({ KeyId: keys[side] }) : new DisableKeyCommand({ KeyId: keys[side] }),
    );
  };
  const detachWest = () =>
    east.neptune.send(
      new RemoveFromGlobalClusterCommand({
        GlobalClusterIdentifier: "world",
        DbClusterIdentifier: clusterArnIn(WEST, "west"),
      }),
    );
  const members = async () =>
    (
      await east.neptune.send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: "world" }))
    ).GlobalClusters![0]!.GlobalClusterMembers!.map((m) => [m.DBClusterArn, m.IsWriter]);

  before(async () => {
    world = await dataPlaneWorld({ store: openDurableStore(dir, {}) });
    east = clientsIn(world, REGION);
    west = clientsIn(world, WEST);
    keys.east = (await east.kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    keys.west = (await west.kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    await east.neptune.send(
      new CreateGlobalClusterCommand({ GlobalClusterIdentifier: "world", Engine: "neptune", StorageEncrypted: true }),
    );
    // Neptune Streams on in both clusters ("use the same settings for … streams … in all the DB clusters", User
    // Guide, neptune-gdb-managing).
    await streamsGroup(world, "with-streams");
    await streamsGroup({ ...world, neptune: west.neptune }, "with-streams");
    const settings = (side: "east" | "west") => ({
      GlobalClusterIdentifier: "world",
      KmsKeyId: keys[side],
      DBClusterParameterGroupName: "with-streams",
    });
    await clusterWithInstances(east.neptune, "east", 0, settings("east"));
    await clusterWithInstances(west.neptune, "west", 0, settings("west"));
    await refresh();
    await addCity(world, ends.east!.writer, "Oslo");
  });
  after(async () => {
    await world.running.close();
    world.emulator.store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("a disabled key on the receiving side refuses the switchover and the detach, and changes nothing", async () => {
    await toggleKey("west", false);
    const before = rowsOf(world);
    const target = { GlobalClusterIdentifier: "world", TargetDbClusterIdentifier: clusterArnIn(WEST, "west") };
    // The target can't take the graph: InvalidDBClusterStateFault, a modelled error of both operations.
    await assertFault(
      () => east.neptune.send(new SwitchoverGlobalClusterCommand(target)),
      clusterState(inaccessible("west")),
    );
    await assertFault(
      () => east.neptune.send(new FailoverGlobalClusterCommand({ ...target, AllowDataLoss: true })),
      clusterState(inaccessible("west")),
    );
    // RemoveFromGlobalCluster models InvalidGlobalClusterStateFault as its state error.
    await assertFault(detachWest, globalState(inaccessible("west")));
    assert.deepEqual(rowsOf(world), before);
    assert.deepEqual(await members(), [
      [clusterArnIn(REGION, "east"), true],
      [clusterArnIn(WEST, "west"), false],
    ]);
    await toggleKey("west", true);
    assert.deepEqual(await cities(world, ends.west!.reader), ["Oslo"]);
  });

  test("switchover: the new primary serves the graph and writes; the old primary, now a secondary, reads it", async () => {
    await east.neptune.send(
      new SwitchoverGlobalClusterCommand({
        GlobalClusterIdentifier: "world",
        TargetDbClusterIdentifier: clusterArnIn(WEST, "west"),
      }),
    );
    await refresh();
    assert.deepEqual(await cities(world, ends.west!.writer), ["Oslo"]);
    await addCity(world, ends.west!.writer, "Bergen");
    assert.deepEqual(await cities(world, ends.east!.reader), ["Bergen", "Oslo"]);
    // The stream came along with the graph: west's numbering goes on from east's.
    assert.deepEqual(await streamed(ends.west!.writer), [
      [1, "Oslo"],
      [2, "Bergen"],
    ]);
    // The secondary's instances read the primary's stream, as they read its graph.
    assert.deepEqual(await streamed(ends.east!.reader), [
      [1, "Oslo"],
      [2, "Bergen"],
    ]);
    await assertReadOnly(world, ends.east!.reader);
    // A snapshot of the secondary holds the graph its storage replicates, under its own key: restored, it serves it.
    await east.neptune.send(
      new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: "east", DBClusterSnapshotIdentifier: "east-snap" }),
    );
    await east.neptune.send(
      new RestoreDBClusterFromSnapshotCommand({
        DBClusterIdentifier: "east-copy",
        SnapshotIdentifier: "east-snap",
        Engine: "neptune",
      }),
    );
    await addInstance(east.neptune, "east-copy", "east-copy-0");
    const copy = await endpointsOf(east.neptune, "east-copy");
    assert.equal(copy.cluster.KmsKeyId, keys.east);
    assert.deepEqual(await cities(world, copy.writer), ["Bergen", "Oslo"]);
    // West's storage is its own now: east's key does not stand between west and its graph.
    await toggleKey("east", false);
    assert.deepEqual(await cities(world, ends.west!.writer), ["Bergen", "Oslo"]);
    await toggleKey("east", true);
  });

  test("failover with data loss: the old primary's key unusable is refused; else the target takes the graph as it is", async () => {
    const back = { GlobalClusterIdentifier: "world", TargetDbClusterIdentifier: clusterArnIn(REGION, "east") };
    await toggleKey("west", false);
    const before = rowsOf(world);
    await assertFault(
      () => west.neptune.send(new FailoverGlobalClusterCommand({ ...back, AllowDataLoss: true })),
      clusterState(inaccessible("west")),
    );
    assert.deepEqual(rowsOf(world), before);
    await toggleKey("west", true);

    await west.neptune.send(new FailoverGlobalClusterCommand({ ...back, AllowDataLoss: true }));
    await refresh();
    assert.deepEqual(await cities(world, ends.east!.writer), ["Bergen", "Oslo"]);
    await addCity(world, ends.east!.writer, "Tromsø");
    assert.deepEqual(await cities(world, ends.west!.reader), ["Bergen", "Oslo", "Tromsø"]);
    assert.deepEqual(await streamed(ends.east!.writer), [
      [1, "Oslo"],
      [2, "Bergen"],
      [3, "Tromsø"],
    ]);
    await assertReadOnly(world, ends.west!.reader);
  });

  test("detach: the secondary keeps what it served, under its own key, and writes on its own", async () => {
    await detachWest();
    await refresh();
    assert.deepEqual(await cities(world, ends.west!.writer), ["Bergen", "Oslo", "Tromsø"]);
    await addCity(world, ends.west!.writer, "Narvik");
    await addCity(world, ends.east!.writer, "Bodø");
    assert.deepEqual(await cities(world, ends.west!.writer), ["Bergen", "Narvik", "Oslo", "Tromsø"]);
    assert.deepEqual(await cities(world, ends.east!.writer), ["Bergen", "Bodø", "Oslo", "Tromsø"]);
    assert.deepEqual((await streamed(ends.west!.writer)).at(-1), [4, "Narvik"]);
    assert.deepEqual((await streamed(ends.east!.writer)).at(-1), [4, "Bodø"]);
    await toggleKey("east", false);
    assert.deepEqual(await cities(world, ends.west!.writer), ["Bergen", "Narvik", "Oslo", "Tromsø"]);
    await toggleKey("east", true);
  });

  test("a restart keeps both graphs, and no value is in clear in the data directory", async () => {
    const { clock, range } = world;
    await world.running.close();
    world.emulator.store.close();
    // Sockets kept alive to the first server's ports are dead now.
    globalAgent.destroy();
    for (const file of readdirSync(dir)) assert.equal(readFileSync(join(dir, file)).indexOf(SECRET), -1, file);

    world = await dataPlaneWorld({ store: openDurableStore(dir, {}), clock, range });
    assert.deepEqual(await cities(world, ends.west!.writer), ["Bergen", "Narvik", "Oslo", "Tromsø"]);
    assert.deepEqual(await cities(world, ends.east!.writer), ["Bergen", "Bodø", "Oslo", "Tromsø"]);
    assert.deepEqual(await streamed(ends.west!.writer), [
      [1, "Oslo"],
      [2, "Bergen"],
      [3, "Tromsø"],
      [4, "Narvik"],
    ]);
  });
});
