import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  CreateDBClusterCommand,
  CreateDBClusterParameterGroupCommand,
  CreateDBInstanceCommand,
  ModifyDBClusterParameterGroupCommand,
} from "@aws-sdk/client-neptune";
import { WebSocket } from "ws";
import { clusterWithInstances, dataPlaneWorld, endpointsOf, type World } from "../dataplane/fixture.js";
import { A, ADMIN } from "../helpers/harness.js";
import {
  __,
  gremlinExchange,
  gremlinRefusal,
  gremlinSource,
  handshakeRefusal,
  SERIALIZERS,
  signedGremlinSource,
  T,
  type GremlinAnswer,
} from "./fixture.js";

for (const serializer of SERIALIZERS) {
  describe(`Gremlin errors, ${serializer.name}`, () => {
    let world: World;
    const open: ReturnType<typeof gremlinSource>[] = [];
    let writer: { address: string; port: number };
    let reader: { address: string; port: number };
    const connect = (endpoint: { address: string; port: number }) => {
      const source = gremlinSource(endpoint, serializer.options);
      open.push(source);
      return source.g;
    };

    before(async () => {
      world = await dataPlaneWorld();
      ({ writer, reader } = await clusterWithInstances(world.neptune, "graph", 1));
      await connect(writer).addV("person").property(T.id, "p1").iterate();
    });
    after(async () => {
      for (const source of open) await source.connection.close();
      await world.running.close();
    });

    it("a duplicate vertex id is ConstraintViolationException and the whole traversal is undone", async () => {
      const g = connect(writer);
      const error = await gremlinRefusal(
        g.addV("thing").property(T.id, "new").addV("person").property(T.id, "p1").toList(),
      );
      assert.deepEqual(error, {
        status: 500,
        code: "ConstraintViolationException",
        detailedMessage: "Vertex with id already exists: p1",
      });
      assert.deepEqual(await g.V("new").count().toList(), [0]);
      assert.deepEqual(await g.V().count().toList(), [1]);
    });

    it("addV with an existing id and a new label adds the label (Neptune)", async () => {
      const g = connect(writer);
      await g.addV("author").property(T.id, "p1").iterate();
      assert.deepEqual(await g.V("p1").label().toList(), ["person::author"]);
    });

    it("a duplicate edge id is ConstraintViolationException", async () => {
      const g = connect(writer);
      await g.V("p1").addE("self").to(__.V("p1")).property(T.id, "e1").iterate();
      const error = await gremlinRefusal(g.V("p1").addE("self").to(__.V("p1")).property(T.id, "e1").toList());
      assert.equal(error.code, "ConstraintViolationException");
      assert.equal(error.detailedMessage, "Edge with id already exists: e1");
    });

    it("a numeric id is refused as Neptune refuses it", async () => {
      const error = await gremlinRefusal(connect(writer).V(1136824954).toList());
      assert.deepEqual(error, {
        status: 597,
        code: "UnsupportedOperationException",
        detailedMessage: "Expected an id that is convertible to String but received class java.lang.Integer",
      });
    });

    it("a step Trident does not run is UnsupportedOperationException", async () => {
      const error = await gremlinRefusal(connect(writer).E().subgraph("sg").toList());
      assert.deepEqual(error, {
        status: 597,
        code: "UnsupportedOperationException",
        detailedMessage: "Unsupported step: subgraph",
      });
    });

    it("the reader endpoint reads and refuses writes with ReadOnlyViolationException", async () => {
      const g = connect(reader);
      assert.deepEqual(await g.V("p1").id().toList(), ["p1"]);
      const error = await gremlinRefusal(g.addV("x").toList());
      assert.equal(error.code, "ReadOnlyViolationException");
      assert.equal(error.status, 500);
      assert.deepEqual(await connect(writer).V().hasLabel("x").count().toList(), [0]);
    });

    it("a cluster without an instance does not answer (rule R11)", async () => {
      await world.neptune.send(new CreateDBClusterCommand({ DBClusterIdentifier: "bare", Engine: "neptune" }));
      const { writer: bare } = await endpointsOf(world.neptune, "bare");
      const error = await gremlinRefusal(connect(bare).V().count().toList());
      assert.equal(error.code, "PreconditionsFailedException");
      assert.match(error.detailedMessage, /no available DB instance/);
    });

    it("a cluster with IAM database authentication refuses an unsigned handshake, serves a signed one", async () => {
      const { writer: secured } = await clusterWithInstances(world.neptune, "secured", 0, {
        EnableIAMDatabaseAuthentication: true,
      });
      const refused = await handshakeRefusal(connect(secured).V().count().toList());
      assert.deepEqual(refused, {
        status: 403,
        code: "AccessDeniedException",
        detailedMessage: "Missing Authentication Token",
      });
      const signed = await signedGremlinSource(secured, { credentials: ADMIN[A]! }, serializer.options);
      open.push(signed);
      assert.deepEqual(await signed.g.V().count().toList(), [0]);
    });
  });
}

describe("a traversal that never ends", () => {
  let world: World;
  let source: ReturnType<typeof gremlinSource>;

  before(async () => {
    world = await dataPlaneWorld();
    const group = { DBClusterParameterGroupName: "quick" };
    await world.neptune.send(
      new CreateDBClusterParameterGroupCommand({
        ...group,
        DBParameterGroupFamily: "neptune1.4",
        Description: "quick",
      }),
    );
    await world.neptune.send(
      new ModifyDBClusterParameterGroupCommand({
        ...group,
        Parameters: [{ ParameterName: "neptune_query_timeout", ParameterValue: "10", ApplyMethod: "immediate" }],
      }),
    );
    await world.neptune.send(new CreateDBClusterCommand({ DBClusterIdentifier: "loop", Engine: "neptune", ...group }));
    await world.neptune.send(
      new CreateDBInstanceCommand({
        DBClusterIdentifier: "loop",
        DBInstanceIdentifier: "loop-0",
        Engine: "neptune",
        DBInstanceClass: "db.r5.large",
      }),
    );
    source = gremlinSource((await endpointsOf(world.neptune, "loop")).writer);
  });
  after(async () => {
    await source.connection.close();
    await world.running.close();
  });

  it("stops at neptune_query_timeout with TimeLimitExceededException, and the server goes on serving", async () => {
    const { g } = source;
    await g
      .addV("n")
      .property(T.id, "a")
      .addV("n")
      .property(T.id, "b")
      .addE("to")
      .from_(__.V("a"))
      .to(__.V("b"))
      .iterate();
    await g.V("b").addE("to").to(__.V("a")).iterate();
    const error = await gremlinRefusal(g.V("a").repeat(__.out()).toList());
    assert.deepEqual(error, {
      status: 500,
      code: "TimeLimitExceededException",
      detailedMessage: "Operation terminated (deadline exceeded)",
    });
    assert.deepEqual(await g.V().count().toList(), [2]);
  });
});

describe("Gremlin Server protocol on the wire", () => {
  let world: World;
  let url: string;

  before(async () => {
    world = await dataPlaneWorld();
    const { writer } = await clusterWithInstances(world.neptune, "graph");
    url = `ws://${writer.address}:${writer.port}/gremlin`;
  });
  after(() => world.running.close());

  const exchange = (mime: string, message: unknown) => gremlinExchange(url, mime, message);

  const GRAPHSON = "application/vnd.gremlin-v3.0+json";
  const bytecode = (steps: unknown[][], batchSize?: number) => ({
    requestId: "3f1c8a8e-0000-4000-8000-000000000001",
    op: "bytecode",
    processor: "traversal",
    args: {
      gremlin: { "@type": "g:Bytecode", "@value": { step: steps } },
      aliases: { g: "g" },
      ...(batchSize ? { batchSize } : {}),
    },
  });

  it("streams results in batches: 206 for each but the last, which is 200; each result a traverser of bulk 1", async () => {
    const answers = await exchange(GRAPHSON, bytecode([["inject", 1, 2, 3, 4, 5]], 2));
    assert.deepEqual(
      answers.map((a) => a.status.code),
      [206, 206, 200],
    );
    assert.deepEqual(answers[0]!.result.data!["@value"][0], {
      "@type": "g:Traverser",
      "@value": { bulk: { "@type": "g:Int64", "@value": 1 }, value: { "@type": "g:Int64", "@value": 1 } },
    });
    assert.equal(answers[2]!.requestId, "3f1c8a8e-0000-4000-8000-000000000001");
  });

  it("no results is 204", async () => {
    const answers = await exchange(GRAPHSON, bytecode([["V"], ["hasLabel", "nothing"]]));
    assert.deepEqual(
      answers.map((a) => a.status.code),
      [204],
    );
  });

  it("refuses an unknown mime type (497), a bad alias (499), eval without a script (499) and an unknown op (498)", async () => {
    assert.equal((await exchange("application/x-unknown", {}))[0]!.status.code, 497);
    const aliased = {
      ...bytecode([["V"]]),
      args: { gremlin: bytecode([["V"]]).args.gremlin, aliases: { g: "other" } },
    };
    const alias = (await exchange(GRAPHSON, aliased))[0]!;
    assert.equal(alias.status.code, 499);
    assert.equal(alias.status.message, "The traversal source [other] for alias [g] is not configured on the server.");
    const evaluated = (
      await exchange(GRAPHSON, { ...bytecode([]), op: "eval", processor: "", args: { gremlin: 7 } })
    )[0]!;
    assert.equal(evaluated.status.code, 499);
    assert.equal(evaluated.status.message, "A message with an [eval] op code requires a [gremlin] argument.");
    assert.equal((await exchange(GRAPHSON, { ...bytecode([]), op: "teleport" }))[0]!.status.code, 498);
    assert.equal((await exchange(GRAPHSON, "not a message"))[0]!.status.code, 497);
  });

  it("a payload that is not JSON is a serialization error (497) and the connection keeps serving", async () => {
    const ws = new WebSocket(url);
    await new Promise((resolve) => ws.once("open", resolve));
    const answer = new Promise<GremlinAnswer>((resolve) =>
      ws.once("message", (d: Buffer) => resolve(JSON.parse(d.toString()))),
    );
    ws.send(Buffer.concat([Buffer.from([GRAPHSON.length]), Buffer.from(GRAPHSON), Buffer.from("{not json")]));
    assert.equal((await answer).status.code, 497);
    ws.close();
    assert.deepEqual((await exchange(GRAPHSON, bytecode([["inject", 7]])))[0]!.status.code, 200);
  });
});
