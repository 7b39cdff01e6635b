import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  CancelGremlinQueryCommand,
  GetEngineStatusCommand,
  GetGremlinQueryStatusCommand,
  ListGremlinQueriesCommand,
  ListOpenCypherQueriesCommand,
  NeptunedataClient,
} from "@aws-sdk/client-neptunedata";
import type { TridentConfig, UserConfig } from "../../src/config/config.js";
import { defaultConfig } from "../../src/config/defaults.js";
import { A, REGION, type Credentials } from "../helpers/harness.js";
import { clusterWithInstances, dataPlaneWorld, form, http, neptuneError, type World } from "../dataplane/fixture.js";
import { gremlinSource } from "./fixture.js";

/**
 * Gremlin query status, list and cancel (docs gremlin-api-status.html, gremlin-api-status-cancel.html; the
 * neptunedata model's ListGremlinQueries, GetGremlinQueryStatus, CancelGremlinQuery): every query runs within its
 * request, so none is ever seen running by another; a query id names nothing. The raw HTTP forms (GET or POST
 * with `queryId`, `cancelQuery`, `includeWaiting`) answer as the SDK's do; on an IAM cluster they need
 * GetQueryStatus / CancelQuery with neptune-db:QueryLanguage "Gremlin".
 */

type Endpoint = { address: string; port: number };
const NONE = '{"acceptedQueryCount":0,"runningQueryCount":0,"queries":[]}';

/** The SDK error's code, message and HTTP status. */
async function sdkRefusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; detailedMessage?: string; $metadata?: { httpStatusCode?: number } };
    return { code: e.name, detailedMessage: e.detailedMessage, status: e.$metadata?.httpStatusCode };
  }
  assert.fail("the request was not refused");
}

const notRunning = (queryId: string) => ({
  code: "InvalidParameterException",
  detailedMessage: `No Gremlin query with id '${queryId}' is running.`,
  status: 400,
});

describe("Gremlin query status", () => {
  let world: World;
  let writer: Endpoint;
  let client: NeptunedataClient;

  before(async () => {
    world = await dataPlaneWorld();
    ({ writer } = await clusterWithInstances(world.neptune, "graph"));
    client = world.data(writer.address, writer.port);
  });
  after(() => world.running.close());

  it("lists no running query, also after traversals ran and while a connection is open", async () => {
    const source = gremlinSource(writer);
    try {
      await source.g.addV("person").iterate();
      assert.deepEqual(await source.g.V().count().toList(), [1]);
      const list = await client.send(new ListGremlinQueriesCommand({ includeWaiting: true }));
      assert.deepEqual([list.acceptedQueryCount, list.runningQueryCount, list.queries], [0, 0, []]);
    } finally {
      await source.connection.close();
    }
    const raw = await http(writer, "GET", "/gremlin/status");
    assert.equal(raw.status, 200);
    assert.equal(raw.body, NONE);
    assert.equal((await http(writer, "GET", "/gremlin/status?includeWaiting")).body, NONE);
    assert.equal((await http(writer, "POST", "/gremlin/status", form({ includeWaiting: "true" }))).body, NONE);
  });

  it("the status or the cancellation of an id is InvalidParameterException naming it, in the SDK's forms", async () => {
    assert.deepEqual(
      await sdkRefusal(client.send(new GetGremlinQueryStatusCommand({ queryId: "q-1" }))),
      notRunning("q-1"),
    );
    assert.deepEqual(
      await sdkRefusal(client.send(new CancelGremlinQueryCommand({ queryId: "q-2" }))),
      notRunning("q-2"),
    );
    assert.deepEqual(neptuneError(await http(writer, "GET", "/gremlin/status/q-3")), notRunning("q-3"));
  });

  it("and in Neptune's raw forms: ?queryId=, POST with cancelQuery, DELETE ?queryId=", async () => {
    assert.deepEqual(neptuneError(await http(writer, "GET", "/gremlin/status?queryId=q-4")), notRunning("q-4"));
    const cancel = await http(writer, "POST", "/gremlin/status", form({ cancelQuery: "", queryId: "q-5" }));
    assert.deepEqual(neptuneError(cancel), notRunning("q-5"));
    assert.deepEqual(
      neptuneError(await http(writer, "GET", "/gremlin/status?cancelQuery&queryId=q-6")),
      notRunning("q-6"),
    );
    assert.deepEqual(neptuneError(await http(writer, "DELETE", "/gremlin/status?queryId=q-7")), notRunning("q-7"));
    // openCypher's status endpoint takes the same raw forms.
    assert.deepEqual(neptuneError(await http(writer, "GET", "/openCypher/status?queryId=q-8")), {
      code: "InvalidParameterException",
      detailedMessage: "No openCypher query with id 'q-8' is running.",
      status: 400,
    });
  });

  it("a cancellation that names no query is MissingParameterException", async () => {
    for (const response of [
      await http(writer, "POST", "/gremlin/status", form({ cancelQuery: "" })),
      await http(writer, "DELETE", "/gremlin/status"),
    ])
      assert.deepEqual(neptuneError(response), {
        code: "MissingParameterException",
        detailedMessage: "Missing parameter: queryId (the query to cancel).",
        status: 400,
      });
  });
});

describe("GetEngineStatus's gremlin section", () => {
  let world: World;
  before(async () => {
    world = await dataPlaneWorld();
  });
  after(() => world.running.close());

  it("names the TinkerPop version of the cluster's engine: 3.7 from 1.3.2.0, 3.6 for 1.2.1.x", async () => {
    for (const [id, EngineVersion, version] of [
      ["current", "1.4.4.0", "tinkerpop-3.7.2"],
      ["older", "1.2.1.0", "tinkerpop-3.6.2"],
    ] as const) {
      const { writer } = await clusterWithInstances(world.neptune, id, 0, { EngineVersion });
      const status = await world.data(writer.address, writer.port).send(new GetEngineStatusCommand({}));
      assert.deepEqual([status.dbEngineVersion, status.gremlin], [`${EngineVersion}.R1`, { version }]);
    }
  });
});

describe("Gremlin query status on a cluster with IAM database authentication", () => {
  let world: World;
  let secured: Endpoint;
  let resourceId: string;

  const dataResource = `arn:aws:neptune-db:${REGION}:${A}:cluster-*/*`;
  const user = (name: string, actions: string[], language?: string): UserConfig & Credentials => ({
    name,
    accessKeyId: `AKIAGREMLINSTATUS${name.toUpperCase()}`,
    secretAccessKey: `secret-of-${name}`,
    policy: {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: actions.map((a) => `neptune-db:${a}`),
          Resource: dataResource,
          ...(language ? { Condition: { StringEquals: { "neptune-db:QueryLanguage": language } } } : {}),
        },
      ],
    },
  });
  const watcher = user("watcher", ["GetQueryStatus"], "Gremlin");
  const canceller = user("canceller", ["CancelQuery"], "Gremlin");
  const cypherWatcher = user("cypherwatcher", ["GetQueryStatus", "CancelQuery"], "OpenCypher");
  const clientOf = (credentials: Credentials) =>
    new NeptunedataClient({
      region: REGION,
      endpoint: `http://${secured.address}:${secured.port}`,
      credentials,
      maxAttempts: 1,
    });
  const denied = (name: string, action: string) => ({
    code: "AccessDeniedException",
    status: 403,
    detailedMessage:
      `User: arn:aws:iam::${A}:user/${name} is not authorized to perform: neptune-db:${action} on resource: ` +
      `arn:aws:neptune-db:${REGION}:${A}:${resourceId}/* because no identity-based policy allows the ` +
      `neptune-db:${action} action`,
  });

  before(async () => {
    const config: TridentConfig = defaultConfig();
    config.accounts[A]!.users!.push(watcher, canceller, cypherWatcher);
    world = await dataPlaneWorld({ config });
    const ends = await clusterWithInstances(world.neptune, "secured", 0, { EnableIAMDatabaseAuthentication: true });
    secured = ends.writer;
    resourceId = ends.cluster.DbClusterResourceId!;
  });
  after(() => world.running.close());

  it("list and status need GetQueryStatus, cancel needs CancelQuery, with QueryLanguage Gremlin", async () => {
    const watching = clientOf(watcher);
    assert.equal((await watching.send(new ListGremlinQueriesCommand({}))).runningQueryCount, 0);
    assert.deepEqual(
      await sdkRefusal(watching.send(new GetGremlinQueryStatusCommand({ queryId: "q-1" }))),
      notRunning("q-1"),
    );
    assert.deepEqual(
      await sdkRefusal(watching.send(new CancelGremlinQueryCommand({ queryId: "q-1" }))),
      denied("watcher", "CancelQuery"),
    );
    const cancelling = clientOf(canceller);
    assert.deepEqual(
      await sdkRefusal(cancelling.send(new CancelGremlinQueryCommand({ queryId: "q-2" }))),
      notRunning("q-2"),
    );
    assert.deepEqual(
      await sdkRefusal(cancelling.send(new ListGremlinQueriesCommand({}))),
      denied("canceller", "GetQueryStatus"),
    );
    // A policy for openCypher's status only: allowed openCypher's list, refused Gremlin's.
    const cypher = clientOf(cypherWatcher);
    assert.equal((await cypher.send(new ListOpenCypherQueriesCommand({}))).runningQueryCount, 0);
    assert.deepEqual(
      await sdkRefusal(cypher.send(new ListGremlinQueriesCommand({}))),
      denied("cypherwatcher", "GetQueryStatus"),
    );
    // Unsigned: refused before anything else.
    assert.deepEqual(neptuneError(await http(secured, "GET", "/gremlin/status?queryId=q-3")), {
      code: "AccessDeniedException",
      detailedMessage: "Missing Authentication Token",
      status: 403,
    });
  });
});
