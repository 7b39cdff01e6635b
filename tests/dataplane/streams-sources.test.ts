import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { globalAgent } from "node:http";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CreateDBClusterSnapshotCommand, RestoreDBClusterFromSnapshotCommand } from "@aws-sdk/client-neptune";
import { ExecuteOpenCypherQueryCommand, StartLoaderJobCommand } from "@aws-sdk/client-neptunedata";
import { clusterSnapshotTable } from "../../src/domain/neptune/records.js";
import { openDurableStore } from "../../src/state/durable-store.js";
import { A, REGION } from "../helpers/harness.js";
import { cardinality, gremlinSource, T, __ } from "../gremlin/fixture.js";
import {
  addInstance,
  clusterWithInstances,
  dataPlaneWorld,
  endpointsOf,
  http,
  neptuneError,
  type World,
} from "./fixture.js";
import { allRecords, byCommit, streamPage, streamsGroup, type Endpoint } from "./streams-fixture.js";

const ROLE = "arn:aws:iam::111111111111:role/NeptuneLoadFromS3";
/** A value that must never reach the disk in clear. */
const SECRET = "zebra-cobalt-streams-never-in-clear";

describe("Neptune Streams log every committed write of Gremlin, the loader and openCypher, in commit order", () => {
  let world: World;
  let writer: Endpoint;
  let source: ReturnType<typeof gremlinSource>;
  let dir: string;
  /** The records logged after the stream's current end, by transaction. */
  let seen = 0;
  const next = async () => {
    const records = (await allRecords(writer)).filter((r) => r.eventId.commitNum > seen);
    seen = records.at(-1)?.eventId.commitNum ?? seen;
    return byCommit(records);
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "trident-streams-"));
    world = await dataPlaneWorld();
    await streamsGroup(world, "with-streams");
    ({ writer } = await clusterWithInstances(world.neptune, "graph", 0, {
      DBClusterParameterGroupName: "with-streams",
    }));
    source = gremlinSource(writer);
  });

  after(async () => {
    await source.connection.close();
    await world.running.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("Gremlin (bytecode): a vertex, its set-cardinality values one record each, an edge, a single-cardinality replace", async () => {
    const { g } = source;
    await g
      .addV("person")
      .property(T.id, "g1")
      .property("name", "Ada")
      .property("tag", "a")
      .property("tag", "b")
      .addV("person")
      .property(T.id, "g2")
      .iterate();
    await g.V("g1").property("tag", "c").iterate();
    await g.V("g1").property(cardinality.single, "tag", "z").iterate();
    await g.V("g1").addE("knows").to(__.V("g2")).property(T.id, "e1").property("w", 0.5).iterate();
    await g.V("g1").properties("name").drop().iterate();
    assert.deepEqual(await next(), [
      [
        1,
        "ADD vl g1 label=person:String",
        "ADD vp g1 name=Ada:String",
        "ADD vp g1 tag=a:String",
        "ADD vp g1 tag=b:String",
        "ADD vl g2 label=person:String",
      ],
      [2, "ADD vp g1 tag=c:String"],
      [
        3,
        "REMOVE vp g1 tag=a:String",
        "REMOVE vp g1 tag=b:String",
        "REMOVE vp g1 tag=c:String",
        "ADD vp g1 tag=z:String",
      ],
      [4, "ADD e e1 label=knows:String g1->g2", "ADD ep e1 w=0.5:Double"],
      [5, "REMOVE vp g1 name=Ada:String"],
    ]);
  });

  it("Gremlin drop() of a vertex removes its edges first, each logged once; a failed traversal logs nothing", async () => {
    const { g } = source;
    await assert.rejects(g.addV("x").property(T.id, "g9").addV("person").property(T.id, "g1").toList());
    await g.V("g1").drop().iterate();
    assert.deepEqual(await next(), [
      [
        6,
        "REMOVE ep e1 w=0.5:Double",
        "REMOVE e e1 label=knows:String g1->g2",
        "REMOVE vp g1 tag=z:String",
        "REMOVE vl g1 label=person:String",
      ],
    ]);
  });

  it("a Gremlin session's transaction is one commit when it commits, nothing when it rolls back", async () => {
    const { g } = source;
    const rolled = g.tx();
    await rolled.begin().addV("gone").property(T.id, "r1").iterate();
    await rolled.rollback();
    const tx = g.tx();
    const gtx = tx.begin();
    await gtx.addV("kept").property(T.id, "s1").iterate();
    await gtx.V("g2").property("seen", true).iterate();
    assert.deepEqual(await next(), [], "nothing before the commit");
    await tx.commit();
    assert.deepEqual(await next(), [[7, "ADD vl s1 label=kept:String", "ADD vp g2 seen=true:Boolean"]]);
  });

  it("a bulk-load job is logged once, whole, with its data types", async () => {
    const at = join(dir, "load");
    mkdirSync(at);
    writeFileSync(join(at, "v.csv"), "~id,~label,n:Int,born:Date\nl1,Thing,7,2024-02-29\nl2,Thing,8,2024-03-01\n");
    writeFileSync(join(at, "w.csv"), "~id,~from,~to,~label\nle1,l1,l2,NEXT\n");
    const client = world.data(writer.address, writer.port);
    await client.send(
      new StartLoaderJobCommand({ source: at, format: "csv", s3BucketRegion: REGION, iamRoleArn: ROLE }),
    );
    const commits = await next();
    assert.equal(commits.length, 1);
    assert.deepEqual(commits[0]!.slice(1).sort(), [
      "ADD e le1 label=NEXT:String l1->l2",
      "ADD vl l1 label=Thing:String",
      "ADD vl l2 label=Thing:String",
      "ADD vp l1 born=2024-02-29T00:00:00.000Z:Date",
      "ADD vp l1 n=7:Long",
      "ADD vp l2 born=2024-03-01T00:00:00.000Z:Date",
      "ADD vp l2 n=8:Long",
    ]);
  });

  it("openCypher after Gremlin: the same stream, numbered on", async () => {
    const client = world.data(writer.address, writer.port);
    await client.send(new ExecuteOpenCypherQueryCommand({ openCypherQuery: "MATCH (n {`~id`: 's1'}) DELETE n" }));
    assert.deepEqual(await next(), [[9, "REMOVE vl s1 label=kept:String"]]);
  });

  it("a snapshot records the stream position; a cluster restored from it starts a stream of its own", async () => {
    await world.neptune.send(
      new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: "graph", DBClusterSnapshotIdentifier: "snap" }),
    );
    const latest = await streamPage(writer, { iteratorType: "LATEST" });
    const snapshot = clusterSnapshotTable(world.emulator.store, A, REGION).get("snap")!;
    assert.deepEqual(snapshot.streamPosition, latest.lastEventId);
    assert.deepEqual(snapshot.streamPosition, { commitNum: 9, opNum: 1 });
    await world.neptune.send(
      new RestoreDBClusterFromSnapshotCommand({
        DBClusterIdentifier: "restored",
        SnapshotIdentifier: "snap",
        Engine: "neptune",
        DBClusterParameterGroupName: "with-streams",
      }),
    );
    await addInstance(world.neptune, "restored", "restored-0");
    const restored = (await endpointsOf(world.neptune, "restored")).writer;
    assert.equal(neptuneError(await http(restored, "GET", "/pg/stream?iteratorType=TRIM_HORIZON")).status, 404);
    await world
      .data(restored.address, restored.port)
      .send(new ExecuteOpenCypherQueryCommand({ openCypherQuery: "CREATE (:New {`~id`: 'n1'})" }));
    assert.deepEqual(byCommit(await allRecords(restored)), [[1, "ADD vl n1 label=New:String"]]);
  });
});

describe("a cluster's stream in a data directory", () => {
  it("is sealed at rest, survives a restart with the same records, and numbering goes on", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trident-streams-dir-"));
    try {
      const first = await dataPlaneWorld({ store: openDurableStore(dir, {}) });
      await streamsGroup(first, "with-streams");
      const { writer } = await clusterWithInstances(first.neptune, "kept", 0, {
        DBClusterParameterGroupName: "with-streams",
        StorageEncrypted: true,
      });
      const cypher = (world: World, query: string) =>
        world.data(writer.address, writer.port).send(new ExecuteOpenCypherQueryCommand({ openCypherQuery: query }));
      await cypher(first, `CREATE (:A {\`~id\`: 'a', secret: '${SECRET}'})`);
      await cypher(first, "MATCH (n {`~id`: 'a'}) SET n.x = 1");
      const before = await allRecords(writer);
      assert.equal(before[1]!.data.value.value, SECRET);
      for (const file of readdirSync(dir))
        assert.equal(readFileSync(join(dir, file)).indexOf(SECRET), -1, `${file} holds a value in clear`);
      await first.running.close();
      first.emulator.store.close();
      // Sockets kept alive to the first server's ports are dead now.
      globalAgent.destroy();

      const second = await dataPlaneWorld({ store: openDurableStore(dir, {}), clock: first.clock, range: first.range });
      try {
        assert.deepEqual(await allRecords(writer), before);
        await cypher(second, "CREATE (:B {`~id`: 'b'})");
        assert.deepEqual(byCommit(await allRecords(writer)).at(-1), [3, "ADD vl b label=B:String"]);
      } finally {
        await second.running.close();
        second.emulator.store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
