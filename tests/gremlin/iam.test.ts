import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ModifyDBClusterCommand } from "@aws-sdk/client-neptune";
import gremlin from "gremlin";
import type { RoleConfig, TridentConfig, UserConfig } from "../../src/config/config.js";
import { defaultConfig } from "../../src/config/defaults.js";
import { A, ADMIN, B, REGION, type Credentials } from "../helpers/harness.js";
import {
  assumedRole,
  clusterWithInstances,
  dataPlaneWorld,
  http,
  neptuneError,
  sigV4Headers,
  type World,
} from "../dataplane/fixture.js";
import {
  __,
  cardinality,
  gremlinSource,
  handshakeRefusal,
  merge_,
  gremlinRefusal,
  SERIALIZERS,
  signedGremlinSource,
  T,
} from "./fixture.js";

/**
 * IAM database authentication for Gremlin over WebSocket (issue 12 item 4; reference §6; docs
 * iam-data-access-policies.html): the handshake is SigV4-signed for neptune-db; each traversal needs
 * ReadDataViaQuery, plus WriteDataViaQuery for addV/addE/mergeV/mergeE/property, plus DeleteDataViaQuery for drop
 * and property; the condition key neptune-db:QueryLanguage is "Gremlin".
 */

type Endpoint = { address: string; port: number };

const dataResource = `arn:aws:neptune-db:${REGION}:${A}:cluster-*/*`;
const allowing = (actions: string[], condition?: object) => ({
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Action: actions.map((a) => `neptune-db:${a}`),
      Resource: dataResource,
      ...(condition ? { Condition: condition } : {}),
    },
  ],
});

function user(name: string, policy: unknown): UserConfig & Credentials {
  return { name, accessKeyId: `AKIAGREMLIN${name.toUpperCase()}`, secretAccessKey: `secret-of-${name}`, policy };
}

const QUERY = ["ReadDataViaQuery", "WriteDataViaQuery", "DeleteDataViaQuery"];
const reader = user("reader", allowing(["ReadDataViaQuery"]));
const writer = user("writer", allowing(["ReadDataViaQuery", "WriteDataViaQuery"]));
const full = user("full", allowing(QUERY));
const gremlinOnly = user("gremlinonly", allowing(QUERY, { StringEquals: { "neptune-db:QueryLanguage": "Gremlin" } }));
const cypherOnly = user("cypheronly", allowing(QUERY, { StringEquals: { "neptune-db:QueryLanguage": "OpenCypher" } }));

const ROLE: RoleConfig = {
  name: "graph-app",
  trustPolicy: {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${A}:user/admin` }, Action: "sts:AssumeRole" }],
  },
  policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
};

function config(): TridentConfig {
  const base = defaultConfig();
  base.accounts[A]!.users!.push(reader, writer, full, gremlinOnly, cypherOnly);
  base.accounts[A]!.roles!.push(ROLE);
  return base;
}

describe("IAM database authentication for Gremlin over WebSocket", () => {
  let world: World;
  let secured: Endpoint;
  let resourceId: string;
  const open: { connection: { close(): Promise<void> } }[] = [];
  const connect = async (credentials: Credentials, options: Record<string, unknown> = {}) => {
    const source = await signedGremlinSource(secured, { credentials }, options);
    open.push(source);
    return source.g;
  };
  /** IAM's words for a denied action (the same as on HTTP, tests/dataplane/iam.test.ts). */
  const denial = (who: string, action: string, by = "no identity-based policy allows") =>
    `User: ${who} is not authorized to perform: neptune-db:${action} on resource: ` +
    `arn:aws:neptune-db:${REGION}:${A}:${resourceId}/* because ${by} the neptune-db:${action} action`;
  const denied = (who: string, action: string, by?: string) => ({
    status: 403,
    code: "AccessDeniedException",
    detailedMessage: denial(who, action, by),
  });
  const count = async () => (await connect(ADMIN[A]!)).V().count().toList();

  before(async () => {
    world = await dataPlaneWorld({ config: config() });
    const ends = await clusterWithInstances(world.neptune, "secured", 0, { EnableIAMDatabaseAuthentication: true });
    secured = ends.writer;
    resourceId = ends.cluster.DbClusterResourceId!;
    const g = await connect(ADMIN[A]!);
    await g.addV("person").property(T.id, "p1").addV("person").property(T.id, "p2").iterate();
  });
  after(async () => {
    for (const source of open) await source.connection.close();
    await world.running.close();
  });

  for (const serializer of SERIALIZERS) {
    it(`${serializer.name}: a read-only policy counts, and is refused addV and drop; the graph is unchanged`, async () => {
      const g = await connect(reader, serializer.options);
      assert.deepEqual(await g.V().count().toList(), [2]);
      const who = `arn:aws:iam::${A}:user/reader`;
      assert.deepEqual(await gremlinRefusal(g.addV("made").toList()), denied(who, "WriteDataViaQuery"));
      assert.deepEqual(await gremlinRefusal(g.V("p1").drop().toList()), denied(who, "DeleteDataViaQuery"));
      assert.deepEqual(await count(), [2]);
    });
  }

  it("a write policy without Delete adds vertices and edges, and is refused drop and property() on an element", async () => {
    const g = await connect(writer);
    const who = `arn:aws:iam::${A}:user/writer`;
    // property() written on addV is part of the vertex added (TinkerPop folds it into addV): Read + Write.
    await g.addV("made").property(T.id, "m1").property("name", "one").iterate();
    await g.V("p1").addE("knows").to(__.V("m1")).iterate();
    assert.deepEqual(await g.V("m1").values("name").toList(), ["one"]);
    assert.deepEqual(await gremlinRefusal(g.V("m1").drop().toList()), denied(who, "DeleteDataViaQuery"));
    // Any other property() may replace a value: Neptune requires Delete too (docs iam-data-access-policies.html).
    const single = g.V("m1").property(cardinality.single, "name", "two").toList();
    assert.deepEqual(await gremlinRefusal(single), denied(who, "DeleteDataViaQuery"));
    assert.deepEqual(await gremlinRefusal(g.V("m1").property("age", 3).toList()), denied(who, "DeleteDataViaQuery"));
    assert.deepEqual(await g.V("m1").values("name").toList(), ["one"]);
    assert.deepEqual(await count(), [3]);
  });

  it("steps inside argument traversals count: a reader is refused coalesce(…, addV()) and sideEffect(drop())", async () => {
    const g = await connect(reader);
    const who = `arn:aws:iam::${A}:user/reader`;
    const upsert = g.V("p9").fold().coalesce(__.unfold(), __.addV("person").property(T.id, "p9")).toList();
    assert.deepEqual(await gremlinRefusal(upsert), denied(who, "WriteDataViaQuery"));
    assert.deepEqual(await gremlinRefusal(g.V("p1").sideEffect(__.drop()).toList()), denied(who, "DeleteDataViaQuery"));
    // Derived from the query, not from what it does on the data: no vertex p9 exists to match.
    const merge = g.mergeV(new Map([[T.id, "p9"]])).toList();
    assert.deepEqual(await gremlinRefusal(merge), denied(who, "WriteDataViaQuery"));
    assert.deepEqual(await count(), [3]);
  });

  it("mergeV needs Write, and with option(onMatch) also Delete (it replaces values on a match)", async () => {
    const g = await connect(writer);
    await g.mergeV(new Map([[T.id, "v1"]])).iterate();
    const onMatch = g
      .mergeV(new Map([[T.id, "v1"]]))
      .option(merge_.onMatch, new Map([["seen", true]]))
      .toList();
    assert.deepEqual(await gremlinRefusal(onMatch), denied(`arn:aws:iam::${A}:user/writer`, "DeleteDataViaQuery"));
    const everything = await connect(full);
    await everything
      .mergeV(new Map([[T.id, "v1"]]))
      .option(merge_.onMatch, new Map([["seen", true]]))
      .iterate();
    await everything.V("v1", "m1").drop().iterate();
    assert.deepEqual(await count(), [2]);
  });

  it("neptune-db:QueryLanguage is Gremlin: a policy for OpenCypher only is refused, one for Gremlin allowed", async () => {
    assert.deepEqual(await (await connect(gremlinOnly)).V().count().toList(), [2]);
    const refused = await gremlinRefusal((await connect(cypherOnly)).V().count().toList());
    assert.deepEqual(refused, denied(`arn:aws:iam::${A}:user/cypheronly`, "ReadDataViaQuery"));
  });

  it("an unsigned handshake is refused with 403 AccessDeniedException, before any traversal", async () => {
    const source = gremlinSource(secured);
    open.push(source);
    assert.deepEqual(await handshakeRefusal(source.g.addV("unsigned").toList()), {
      status: 403,
      code: "AccessDeniedException",
      detailedMessage: "Missing Authentication Token",
    });
    assert.deepEqual(await count(), [2]);
  });

  it("a connection opened unsigned before IAM auth was turned on is refused each traversal after", async () => {
    const plain = (await clusterWithInstances(world.neptune, "plain")).writer;
    const source = gremlinSource(plain);
    open.push(source);
    await source.g.addV("early").iterate();
    await world.neptune.send(
      new ModifyDBClusterCommand({
        DBClusterIdentifier: "plain",
        EnableIAMDatabaseAuthentication: true,
        ApplyImmediately: true,
      }),
    );
    assert.deepEqual(await gremlinRefusal(source.g.V().count().toList()), {
      status: 403,
      code: "AccessDeniedException",
      detailedMessage: "Missing Authentication Token",
    });
  });

  it("on the wire, the refused upgrade is an HTTP 403 with Neptune's error body and headers, no 101", async () => {
    const upgrade = {
      connection: "Upgrade",
      upgrade: "websocket",
      "sec-websocket-version": "13",
      "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
    };
    const response = await http(secured, "GET", "/gremlin", { headers: upgrade });
    assert.deepEqual(neptuneError(response), {
      status: 403,
      code: "AccessDeniedException",
      detailedMessage: "Missing Authentication Token",
    });
    assert.equal(response.headers["content-type"], "application/x-amz-json-1.0");
    const garbled = await http(secured, "GET", "/gremlin", {
      headers: { ...upgrade, authorization: "AWS4-HMAC-SHA256 garbage", "x-amz-date": "yesterday" },
    });
    assert.equal(neptuneError(garbled).code, "AccessDeniedException");
    // The server goes on: a signed connection is served.
    assert.deepEqual(await (await connect(full)).V().count().toList(), [2]);
  });

  it("a handshake signed with a wrong secret, for another service or region is refused", async () => {
    const wrongSecret = { ...full, secretAccessKey: "not-the-secret" };
    const attempt = async (signing: Parameters<typeof signedGremlinSource>[1]) => {
      const source = await signedGremlinSource(secured, signing);
      open.push(source);
      return handshakeRefusal(source.g.V().count().toList());
    };
    const bad = await attempt({ credentials: wrongSecret });
    assert.equal(bad.status, 403);
    assert.equal(bad.code, "AccessDeniedException");
    assert.match(bad.detailedMessage, /^The request signature we calculated does not match the signature you provided/);
    const service = await attempt({ credentials: full, service: "neptune" });
    assert.equal(service.detailedMessage, "Credential should be scoped to correct service: 'neptune-db'. ");
    const region = await attempt({ credentials: full, region: "eu-west-1" });
    assert.match(region.detailedMessage, /'eu-west-1'/);
  });

  it("a script needs the actions of all its statements, over WebSocket and over HTTP", async () => {
    const headers = await sigV4Headers(secured, "GET", "/gremlin", { credentials: reader });
    const client = new gremlin.driver.Client(`ws://${secured.address}:${secured.port}/gremlin`, {
      traversalSource: "g",
      headers,
    });
    open.push({ connection: client });
    assert.deepEqual((await client.submit("g.V('p1').id()")).toArray(), ["p1"]);
    assert.deepEqual(
      await gremlinRefusal(client.submit("g.V('p1').id(); g.addV('made').iterate()")),
      denied(`arn:aws:iam::${A}:user/reader`, "WriteDataViaQuery"),
    );
    const post = async (credentials: Credentials, script: string) => {
      const body = JSON.stringify({ gremlin: script });
      const signed = await sigV4Headers(secured, "POST", "/gremlin", { credentials, body });
      return http(secured, "POST", "/gremlin", { headers: signed, body });
    };
    assert.deepEqual(
      neptuneError(await post(writer, "g.addV('made').property(T.id, 'm9'); g.V('p1').drop()")),
      denied(`arn:aws:iam::${A}:user/writer`, "DeleteDataViaQuery"),
    );
    const served = await post(full, "g.V('p1').values('missing').fold()");
    assert.equal(served.status, 200, served.body);
    assert.deepEqual(await count(), [2], "nothing refused was written");
  });

  it("another account's principal connects with its own valid key, and each traversal is refused", async () => {
    const g = await connect(ADMIN[B]!);
    assert.deepEqual(
      await gremlinRefusal(g.V().count().toList()),
      denied(`arn:aws:iam::${B}:user/admin`, "ReadDataViaQuery", "no resource-based policy allows"),
    );
  });

  it("a session policy narrows an assumed role; the connection outlives its credentials, new ones do not", async () => {
    const { sessionToken, ...keys } = await assumedRole(world, ROLE.name, allowing(["ReadDataViaQuery"]));
    // As gremlin-aws-sigv4 does: the session token is sent, but not signed (reference §6).
    const signedHeaders = await sigV4Headers(secured, "GET", "/gremlin", { credentials: keys });
    const source = gremlinSource(secured, {
      headers: { ...signedHeaders, "x-amz-security-token": sessionToken },
    });
    open.push(source);
    const { g } = source;
    assert.deepEqual(await g.V().count().toList(), [2]);
    assert.deepEqual(
      await gremlinRefusal(g.addV("narrowed").toList()),
      denied(`arn:aws:sts::${A}:assumed-role/${ROLE.name}/narrow`, "WriteDataViaQuery", "no session policy allows"),
    );
    world.clock.advanceSeconds(901);
    // *Decided* (Neptune checks credentials when the socket opens): the open connection goes on.
    assert.deepEqual(await g.V().count().toList(), [2]);
    const late = await signedGremlinSource(secured, { credentials: { ...keys, sessionToken } });
    open.push(late);
    assert.deepEqual(await handshakeRefusal(late.g.V().count().toList()), {
      status: 403,
      code: "AccessDeniedException",
      detailedMessage: "The security token included in the request is expired",
    });
  });
});
