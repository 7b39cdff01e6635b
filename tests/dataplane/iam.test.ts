import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DescribeDBClustersCommand, ModifyDBClusterCommand } from "@aws-sdk/client-neptune";
import {
  CancelLoaderJobCommand,
  GetLoaderJobStatusCommand,
  ListLoaderJobsCommand,
  StartLoaderJobCommand,
  CancelOpenCypherQueryCommand,
  ExecuteFastResetCommand,
  ExecuteOpenCypherQueryCommand,
  GetEngineStatusCommand,
  GetOpenCypherQueryStatusCommand,
  GetPropertygraphStreamCommand,
  GetPropertygraphSummaryCommand,
  ListOpenCypherQueriesCommand,
  NeptunedataClient,
} from "@aws-sdk/client-neptunedata";
import type { RoleConfig, TridentConfig, UserConfig } from "../../src/config/config.js";
import { defaultConfig } from "../../src/config/defaults.js";
import { A, ADMIN, B, REGION, type Credentials } from "../helpers/harness.js";
import {
  assumedRole,
  clusterWithInstances,
  dataPlaneWorld,
  form,
  http,
  neptuneError,
  sigV4Headers,
  type SigningOptions,
  type World,
} from "./fixture.js";

/**
 * IAM database authentication on the data plane (issue 12 item 4; reference §6): the matrix of actions each
 * operation needs, allowed and denied by identity policy; unsigned, badly signed, expired and foreign callers;
 * a session policy narrowing a role; the condition key neptune-db:QueryLanguage; ModifyDBCluster turning it on.
 */

type Endpoint = { address: string; port: number };
type Send = (client: NeptunedataClient) => Promise<unknown>;

const allowAll = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
const dataResource = `arn:aws:neptune-db:${REGION}:${A}:cluster-*/*`;
const allowing = (actions: string[], resource = dataResource, condition?: object) => ({
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Action: actions.map((a) => `neptune-db:${a}`),
      Resource: resource,
      ...(condition ? { Condition: condition } : {}),
    },
  ],
});

interface Row {
  name: string;
  /** The neptune-db actions the request needs, all of them. */
  actions: string[];
  send: Send;
  /** What an allowed caller gets: success, or the operation's own error code. */
  allowedCode?: string;
}

const cypher =
  (query: string): Send =>
  (client) =>
    client.send(new ExecuteOpenCypherQueryCommand({ openCypherQuery: query }));

const ROWS: Row[] = [
  { name: "an openCypher read", actions: ["ReadDataViaQuery"], send: cypher("MATCH (n) RETURN count(n) AS c") },
  {
    name: "an openCypher write",
    actions: ["ReadDataViaQuery", "WriteDataViaQuery"],
    send: cypher("CREATE (:Made)"),
  },
  {
    name: "an openCypher delete",
    actions: ["ReadDataViaQuery", "DeleteDataViaQuery"],
    send: cypher("MATCH (n:Gone) DETACH DELETE n"),
  },
  {
    name: "an openCypher REMOVE (deletes a property)",
    actions: ["ReadDataViaQuery", "DeleteDataViaQuery"],
    send: cypher("MATCH (n:Gone) REMOVE n.x"),
  },
  {
    name: "an openCypher query that writes and deletes",
    actions: ["ReadDataViaQuery", "WriteDataViaQuery", "DeleteDataViaQuery"],
    send: cypher("MERGE (k:Kept) WITH k MATCH (g:Gone) DELETE g"),
  },
  {
    name: "GetPropertygraphSummary",
    actions: ["GetGraphSummary"],
    send: (c) => c.send(new GetPropertygraphSummaryCommand({})),
  },
  { name: "GetEngineStatus", actions: ["GetEngineStatus"], send: (c) => c.send(new GetEngineStatusCommand({})) },
  {
    name: "GetPropertygraphStream",
    actions: ["GetStreamRecords"],
    // Authorized before the handler looks at the stream: the cluster has streams off.
    send: (c) => c.send(new GetPropertygraphStreamCommand({ iteratorType: "TRIM_HORIZON" })),
    allowedCode: "UnsupportedOperationException",
  },
  {
    name: "ExecuteFastReset",
    actions: ["ResetDatabase"],
    send: (c) => c.send(new ExecuteFastResetCommand({ action: "initiateDatabaseReset" })),
  },
  {
    name: "ListOpenCypherQueries",
    actions: ["GetQueryStatus"],
    send: (c) => c.send(new ListOpenCypherQueriesCommand({})),
  },
  {
    name: "GetOpenCypherQueryStatus",
    actions: ["GetQueryStatus"],
    send: (c) => c.send(new GetOpenCypherQueryStatusCommand({ queryId: "q-1" })),
    allowedCode: "InvalidParameterException",
  },
  {
    name: "CancelOpenCypherQuery",
    actions: ["CancelQuery"],
    send: (c) => c.send(new CancelOpenCypherQueryCommand({ queryId: "q-1" })),
    allowedCode: "InvalidParameterException",
  },
  {
    name: "StartLoaderJob",
    actions: ["StartLoaderJob"],
    // Authorized before the handler looks at the source: an allowed caller meets the s3:// refusal.
    send: (c) =>
      c.send(
        new StartLoaderJobCommand({
          source: "s3://bucket/data/",
          format: "csv",
          s3BucketRegion: REGION,
          iamRoleArn: `arn:aws:iam::${A}:role/loader`,
        }),
      ),
    allowedCode: "S3Exception",
  },
  {
    name: "GetLoaderJobStatus",
    actions: ["GetLoaderJobStatus"],
    send: (c) => c.send(new GetLoaderJobStatusCommand({ loadId: "no-such-load" })),
    allowedCode: "BulkLoadIdNotFoundException",
  },
  { name: "ListLoaderJobs", actions: ["ListLoaderJobs"], send: (c) => c.send(new ListLoaderJobsCommand({})) },
  {
    name: "CancelLoaderJob",
    actions: ["CancelLoaderJob"],
    send: (c) => c.send(new CancelLoaderJobCommand({ loadId: "no-such-load" })),
    allowedCode: "BulkLoadIdNotFoundException",
  },
];

/** A user of A with this policy; its key id is derived from its name. */
function user(name: string, policy: unknown): UserConfig & Credentials {
  const accessKeyId = `AKIAIAMTEST${name.toUpperCase().replace(/[^A-Z0-9]/g, "")}`.slice(0, 40);
  return { name, accessKeyId, secretAccessKey: `secret-of-${name}`, policy };
}

/** For each row: a user allowed exactly its actions, and for each action one allowed all the others. */
const exact = ROWS.map((row, i) => user(`exact${i}`, allowing(row.actions)));
const lacking = ROWS.map((row, i) =>
  row.actions.map((missing, j) =>
    user(
      `lacking${i}x${j}`,
      allowing(
        row.actions
          .filter((a) => a !== missing)
          .concat(row.actions.length === 1 ? ["GetMLDataProcessingJobStatus"] : []),
      ),
    ),
  ),
);
const connectOnly = user("connectonly", allowing(["connect"]));
const otherCluster = user("othercluster", allowing(["*"], `arn:aws:neptune-db:${REGION}:${A}:cluster-NOTTHISONE/*`));
const gremlinOnly = user(
  "gremlinonly",
  allowing(["ReadDataViaQuery"], dataResource, { StringEquals: { "neptune-db:QueryLanguage": "Gremlin" } }),
);
const openCypherOnly = user(
  "opencypheronly",
  allowing(["ReadDataViaQuery"], dataResource, { StringEquals: { "neptune-db:QueryLanguage": "OpenCypher" } }),
);
const secureOnly = user("secureonly", {
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Action: "neptune-db:*", Resource: "*" },
    { Effect: "Deny", Action: "*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } },
  ],
});
const explicitDeny = user("explicitdeny", {
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Action: "neptune-db:*", Resource: "*" },
    { Effect: "Deny", Action: "neptune-db:WriteDataViaQuery", Resource: "*" },
  ],
});

const ROLE: RoleConfig = {
  name: "graph-app",
  trustPolicy: {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${A}:user/admin` }, Action: "sts:AssumeRole" }],
  },
  policy: allowAll,
};

function config(): TridentConfig {
  const base = defaultConfig();
  const users = [
    ...exact,
    ...lacking.flat(),
    connectOnly,
    otherCluster,
    gremlinOnly,
    openCypherOnly,
    explicitDeny,
    secureOnly,
  ];
  base.accounts[A]!.users!.push(...users);
  base.accounts[A]!.roles!.push(ROLE);
  return base;
}

/** The Neptune error the SDK surfaced: its code, message and HTTP status. */
async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string; status?: number }> {
  try {
    await promise;
  } catch (error) {
    // Neptune's body carries `detailedMessage`, which the SDK keeps as a field of the error.
    const e = error as { name: string; detailedMessage?: string; $metadata?: { httpStatusCode?: number } };
    return { code: e.name, message: e.detailedMessage ?? "", status: e.$metadata?.httpStatusCode };
  }
  assert.fail("the request was not refused");
}

/** A request signed with `@smithy/signature-v4` as gremlin-aws-sigv4 signs: service neptune-db, host:port. */
async function signed(endpoint: Endpoint, method: string, path: string, options: SigningOptions & { body?: string }) {
  return http(endpoint, method, path, {
    headers: await sigV4Headers(endpoint, method, path, options),
    body: options.body,
  });
}

const countOf = async (client: NeptunedataClient, label: string) => {
  const out = await client.send(
    new ExecuteOpenCypherQueryCommand({ openCypherQuery: `MATCH (n:${label}) RETURN count(n) AS c` }),
  );
  return (out.results as { c: number }[])[0]!.c;
};

describe("IAM database authentication on the data plane", () => {
  let world: World;
  let iam: Endpoint;
  let instance: Endpoint;
  let open: Endpoint;
  let resourceId: string;
  const client = (endpoint: Endpoint, credentials: Credentials) =>
    new NeptunedataClient({
      region: REGION,
      endpoint: `http://${endpoint.address}:${endpoint.port}`,
      credentials,
      maxAttempts: 1,
    });

  after(() => world.running.close());
  before(async () => {
    world = await dataPlaneWorld({ config: config() });
    const ends = await clusterWithInstances(world.neptune, "secured", 0, { EnableIAMDatabaseAuthentication: true });
    iam = ends.writer;
    instance = ends.instances["secured-0"]!;
    resourceId = ends.cluster.DbClusterResourceId!;
    assert.equal(ends.cluster.IAMDatabaseAuthenticationEnabled, true);
    open = (await clusterWithInstances(world.neptune, "plain")).writer;
  });

  for (const [i, row] of ROWS.entries()) {
    it(`${row.name} needs ${row.actions.join(" + ")}: allowed with exactly those`, async () => {
      const sent = row.send(client(iam, exact[i]!));
      if (row.allowedCode) assert.equal((await refusal(sent)).code, row.allowedCode);
      else await sent;
    });
    for (const [j, missing] of row.actions.entries()) {
      it(`${row.name} without neptune-db:${missing}: AccessDeniedException (403)`, async () => {
        const caller = lacking[i]![j]!;
        const denied = await refusal(row.send(client(iam, caller)));
        assert.deepEqual(denied, {
          code: "AccessDeniedException",
          status: 403,
          message:
            `User: arn:aws:iam::${A}:user/${caller.name} is not authorized to perform: neptune-db:${missing} on ` +
            `resource: arn:aws:neptune-db:${REGION}:${A}:${resourceId}/* because no identity-based policy allows ` +
            `the neptune-db:${missing} action`,
        });
      });
    }
  }

  it("a refused write changes nothing; an explicit Deny is worded as such", async () => {
    const admin = client(iam, ADMIN[A]!);
    const before = await countOf(admin, "Denied");
    const denied = await refusal(cypher("CREATE (:Denied)")(client(iam, explicitDeny)));
    assert.equal(denied.code, "AccessDeniedException");
    assert.equal(denied.status, 403);
    assert.match(denied.message, /neptune-db:WriteDataViaQuery .* with an explicit deny in an identity-based policy$/);
    assert.equal(await countOf(admin, "Denied"), before);
  });

  it("neptune-db:connect alone grants nothing on engines from 1.2.0.0 (reference §6)", async () => {
    const denied = await refusal(client(iam, connectOnly).send(new GetEngineStatusCommand({})));
    assert.equal(denied.code, "AccessDeniedException");
    assert.match(denied.message, /neptune-db:GetEngineStatus/);
  });

  it("the resource is the cluster's resource id: a policy for another cluster is refused", async () => {
    const denied = await refusal(client(iam, otherCluster).send(new GetEngineStatusCommand({})));
    assert.equal(denied.status, 403);
    assert.match(denied.message, new RegExp(`on resource: arn:aws:neptune-db:${REGION}:${A}:${resourceId}/\\*`));
  });

  it("neptune-db:QueryLanguage is OpenCypher for openCypher queries", async () => {
    await cypher("MATCH (n) RETURN n LIMIT 1")(client(iam, openCypherOnly));
    const denied = await refusal(cypher("MATCH (n) RETURN n LIMIT 1")(client(iam, gremlinOnly)));
    assert.equal(denied.code, "AccessDeniedException");
  });

  it("aws:SecureTransport is false on the plain-HTTP data plane: a policy requiring TLS refuses", async () => {
    const denied = await refusal(client(iam, secureOnly).send(new GetEngineStatusCommand({})));
    assert.equal(denied.status, 403);
    assert.match(denied.message, /neptune-db:GetEngineStatus .* with an explicit deny in an identity-based policy$/);
  });

  it("an unsigned request: 403 AccessDeniedException in Neptune's error body, whatever it asks", async () => {
    for (const response of [
      await http(iam, "GET", "/status"),
      await http(instance, "GET", "/status"),
      await http(iam, "POST", "/openCypher", form({ query: "CREATE (:Unsigned)" })),
      await http(iam, "POST", "/openCypher", { headers: { "content-type": "application/json" }, body: "{" }),
    ]) {
      assert.deepEqual(neptuneError(response), {
        code: "AccessDeniedException",
        detailedMessage: "Missing Authentication Token",
        status: 403,
      });
    }
    assert.equal(await countOf(client(iam, ADMIN[A]!), "Unsigned"), 0);
  });

  it("a request signed with @smithy/signature-v4 for neptune-db is served", async () => {
    const body = new URLSearchParams({ query: "RETURN 1 AS one" }).toString();
    const headers = { "content-type": "application/x-www-form-urlencoded" };
    const response = await signed(iam, "POST", "/openCypher", { credentials: ADMIN[A]!, body, headers });
    assert.equal(response.status, 200);
    assert.deepEqual(response.json, { results: [{ one: 1 }] });
    const query = new URLSearchParams({ query: "RETURN $x AS x", parameters: '{"x": "a b/c"}' }).toString();
    const got = await signed(iam, "GET", `/openCypher?${query}`, { credentials: ADMIN[A]! });
    assert.equal(got.status, 200);
    assert.deepEqual(got.json, { results: [{ x: "a b/c" }] });
    const status = await signed(iam, "GET", "/status", { credentials: ADMIN[A]! });
    assert.equal(status.status, 200);
    assert.equal(status.json!.role, "writer");
    assert.equal((status.json!.features as Record<string, unknown>).IAMAuthentication, "enabled");
  });

  it("a wrong signature, an unknown key, another service's or region's scope: 403", async () => {
    const wrongSecret = { ...ADMIN[A]!, secretAccessKey: "not-the-secret" };
    const check = async (sent: ReturnType<typeof signed>, message: string | RegExp): Promise<void> => {
      const error = neptuneError(await sent);
      assert.equal(error.code, "AccessDeniedException");
      assert.equal(error.status, 403);
      if (typeof message === "string") assert.equal(error.detailedMessage, message);
      else assert.match(error.detailedMessage, message);
    };
    const garbled = await http(iam, "GET", "/status", { headers: { authorization: "AWS4-HMAC-SHA256 garbage" } });
    assert.equal(neptuneError(garbled).code, "AccessDeniedException");
    assert.equal(garbled.status, 403);
    await check(
      signed(iam, "GET", "/status", { credentials: wrongSecret }),
      /^The request signature we calculated does not match the signature you provided/,
    );
    await check(
      signed(iam, "GET", "/status", { credentials: { accessKeyId: "AKIANOSUCHKEY0000000", secretAccessKey: "x" } }),
      "The security token included in the request is invalid.",
    );
    await check(
      signed(iam, "GET", "/status", { credentials: ADMIN[A]!, service: "neptune" }),
      "Credential should be scoped to correct service: 'neptune-db'. ",
    );
    await check(signed(iam, "GET", "/status", { credentials: ADMIN[A]!, region: "eu-west-1" }), /'eu-west-1'/);
    // Signed 20 minutes ago: past SigV4's 15 minutes of skew.
    const stale = new Date(Date.now() - 20 * 60_000);
    await check(signed(iam, "GET", "/status", { credentials: ADMIN[A]!, signingDate: stale }), /^Signature expired: /);
    // A body changed after signing.
    const body = new URLSearchParams({ query: "RETURN 1" }).toString();
    const headers = await sigV4Headers(iam, "POST", "/openCypher", {
      credentials: ADMIN[A]!,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body,
    });
    const tampered = await http(iam, "POST", "/openCypher", { headers, body: "query=CREATE+(%3ATampered)" });
    assert.equal(neptuneError(tampered).code, "AccessDeniedException");
    assert.equal(await countOf(client(iam, ADMIN[A]!), "Tampered"), 0);
  });

  it("another account's principal, even with full access in its own account: 403", async () => {
    const denied = await refusal(client(iam, ADMIN[B]!).send(new GetEngineStatusCommand({})));
    assert.deepEqual(denied, {
      code: "AccessDeniedException",
      status: 403,
      message:
        `User: arn:aws:iam::${B}:user/admin is not authorized to perform: neptune-db:GetEngineStatus on resource: ` +
        `arn:aws:neptune-db:${REGION}:${A}:${resourceId}/* because no resource-based policy allows the ` +
        "neptune-db:GetEngineStatus action",
    });
  });

  it("a session policy narrows an assumed role; its credentials stop working once expired", async () => {
    const session = client(iam, await assumedRole(world, ROLE.name, allowing(["ReadDataViaQuery"])));
    await cypher("MATCH (n) RETURN count(n) AS c")(session);
    const denied = await refusal(cypher("CREATE (:Narrowed)")(session));
    assert.equal(denied.code, "AccessDeniedException");
    assert.equal(
      denied.message,
      `User: arn:aws:sts::${A}:assumed-role/${ROLE.name}/narrow is not authorized to perform: ` +
        `neptune-db:WriteDataViaQuery on resource: arn:aws:neptune-db:${REGION}:${A}:${resourceId}/* because no ` +
        "session policy allows the neptune-db:WriteDataViaQuery action",
    );
    const engine = await refusal(session.send(new GetEngineStatusCommand({})));
    assert.match(engine.message, /neptune-db:GetEngineStatus/);
    world.clock.advanceSeconds(901);
    const expired = await refusal(cypher("MATCH (n) RETURN count(n) AS c")(session));
    assert.deepEqual(expired, {
      code: "AccessDeniedException",
      status: 403,
      message: "The security token included in the request is expired",
    });
  });

  it("a cluster without IAM auth ignores signatures: unsigned and badly signed requests are served", async () => {
    assert.equal((await http(open, "GET", "/status")).status, 200);
    const bad = await signed(open, "GET", "/status", {
      credentials: { accessKeyId: "AKIANOSUCHKEY0000000", secretAccessKey: "x" },
    });
    assert.equal(bad.status, 200);
    assert.equal((await http(open, "POST", "/openCypher", form({ query: "CREATE (:Free)" }))).status, 200);
  });

  it("ModifyDBCluster enabling IAM auth takes effect on the data plane, and disabling it too", async () => {
    const modify = (enable: boolean) =>
      world.neptune.send(
        new ModifyDBClusterCommand({
          DBClusterIdentifier: "plain",
          EnableIAMDatabaseAuthentication: enable,
          ApplyImmediately: true,
        }),
      );
    await modify(true);
    const described = await world.neptune.send(new DescribeDBClustersCommand({ DBClusterIdentifier: "plain" }));
    assert.equal(described.DBClusters![0]!.IAMDatabaseAuthenticationEnabled, true);
    assert.deepEqual(neptuneError(await http(open, "GET", "/status")), {
      code: "AccessDeniedException",
      detailedMessage: "Missing Authentication Token",
      status: 403,
    });
    assert.equal((await client(open, ADMIN[A]!).send(new GetEngineStatusCommand({}))).status, "healthy");
    await modify(false);
    const status = await http(open, "GET", "/status");
    assert.equal(status.status, 200);
    assert.equal((status.json!.features as Record<string, unknown>).IAMAuthentication, "disabled");
  });
});
