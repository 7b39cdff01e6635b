import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import {
  CreateDBClusterCommand,
  CreateDBInstanceCommand,
  DescribeDBClusterEndpointsCommand,
  DescribeDBInstancesCommand,
  ModifyDBClusterCommand,
  NeptuneClient,
  paginateDescribeDBClusters,
} from "@aws-sdk/client-neptune";
import { Emulator } from "../../src/emulator.js";
import { startServer, type RunningServer } from "../../src/server/http.js";
import { EXIT } from "../../src/migrate/errors.js";
import { DELAY_PROFILES } from "../../src/state/delays.js";
import { ADMIN, A, REGION, rejection } from "../helpers/harness.js";
import { dataWorld, migrateCli } from "../migrate/data-world.js";
import { serve } from "../helpers/serve-process.js";
import { dataPlaneWorld } from "./fixture.js";

/**
 * `trident serve --no-data-plane`: the control plane only, for suites that never reach a graph (moto's users).
 * Clusters take no port, so there may be any number of them; nothing listens; endpoints show AWS's names and port.
 */

const servers: RunningServer[] = [];
after(() => Promise.all(servers.map((server) => server.close())));

async function controlPlaneOnly() {
  const emulator = new Emulator({
    delays: DELAY_PROFILES.instant,
    dataPlane: { off: true },
    console: { journalDirs: [] },
  });
  const running = await startServer(emulator, { port: 0 });
  servers.push(running);
  const neptune = new NeptuneClient({
    region: REGION,
    endpoint: running.endpoint,
    credentials: ADMIN[A]!,
    maxAttempts: 1,
  });
  return { running, neptune };
}

/** AWS's endpoint names: `<id>.cluster-<suffix>.<region>.neptune.amazonaws.com` (reference §2), one suffix per account. */
const SUFFIX = "[a-z0-9]{12}";
const awsName = (head: string) =>
  new RegExp(`^${head.replaceAll(".", "\\.")}(${SUFFIX})\\.us-east-1\\.neptune\\.amazonaws\\.com$`);

describe("trident serve --no-data-plane", () => {
  it("300 clusters in one account (the default range holds 200), each on port 8182 with AWS's names; nothing listens", async () => {
    const { running, neptune } = await controlPlaneOnly();
    const ids = Array.from({ length: 300 }, (_, i) => `many-${String(i).padStart(3, "0")}`);
    for (const id of ids)
      await neptune.send(new CreateDBClusterCommand({ DBClusterIdentifier: id, Engine: "neptune" }));
    const clusters = [];
    for await (const page of paginateDescribeDBClusters({ client: neptune, pageSize: 100 }, {}))
      clusters.push(...page.DBClusters!);
    assert.deepEqual(
      clusters.map((c) => c.DBClusterIdentifier),
      ids,
    );
    const suffixes = new Set<string>();
    for (const cluster of clusters) {
      assert.equal(cluster.Port, 8182);
      const writer = awsName(`${cluster.DBClusterIdentifier}.cluster-`).exec(cluster.Endpoint!);
      const reader = awsName(`${cluster.DBClusterIdentifier}.cluster-ro-`).exec(cluster.ReaderEndpoint!);
      assert.ok(writer && reader, `${cluster.Endpoint} / ${cluster.ReaderEndpoint}`);
      suffixes.add(writer[1]!).add(reader[1]!);
    }
    assert.equal(suffixes.size, 1, "one suffix per account and Region");
    const [suffix] = suffixes;

    // An instance has no port of its own: its endpoint is its cluster's Port, under its own name.
    await neptune.send(
      new CreateDBInstanceCommand({
        DBClusterIdentifier: "many-000",
        DBInstanceIdentifier: "many-000-1",
        Engine: "neptune",
        DBInstanceClass: "db.r5.large",
      }),
    );
    const instance = (await neptune.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: "many-000-1" })))
      .DBInstances![0]!;
    assert.deepEqual(
      { Address: instance.Endpoint?.Address, Port: instance.Endpoint?.Port },
      { Address: `many-000-1.${suffix}.us-east-1.neptune.amazonaws.com`, Port: 8182 },
    );
    const endpoints = (await neptune.send(new DescribeDBClusterEndpointsCommand({ DBClusterIdentifier: "many-001" })))
      .DBClusterEndpoints!;
    assert.deepEqual(
      endpoints.map((e) => [e.EndpointType, e.Endpoint]),
      [
        ["WRITER", `many-001.cluster-${suffix}.us-east-1.neptune.amazonaws.com`],
        ["READER", `many-001.cluster-ro-${suffix}.us-east-1.neptune.amazonaws.com`],
      ],
    );
    assert.deepEqual(running.dataPlane.listening(), []);
  });

  it("a Port asked for is the cluster's, as on AWS (no range to keep it in)", async () => {
    const { neptune } = await controlPlaneOnly();
    const created = await neptune.send(
      new CreateDBClusterCommand({ DBClusterIdentifier: "own-port", Engine: "neptune", Port: 9999 }),
    );
    assert.equal(created.DBCluster!.Port, 9999);
    const modified = await neptune.send(
      new ModifyDBClusterCommand({ DBClusterIdentifier: "own-port", Port: 8183, ApplyImmediately: true }),
    );
    assert.equal(modified.DBCluster!.Port, 8183);
  });

  it("the flag: a banner line, no listener, and the data plane's own options refused beside it", async () => {
    const server = serve(["--no-data-plane", "--delays", "instant"]);
    const endpoint = await server.ready;
    await server.printed(/Ready\./);
    assert.match(
      server.output(),
      /trident: no data plane \(--no-data-plane\): clusters take no port, their endpoints show AWS's names and port 8182/,
    );
    const neptune = new NeptuneClient({ region: REGION, endpoint, credentials: ADMIN[A]!, maxAttempts: 1 });
    const created = await neptune.send(
      new CreateDBClusterCommand({ DBClusterIdentifier: "flagged", Engine: "neptune" }),
    );
    assert.equal(created.DBCluster!.Port, 8182);
    assert.match(created.DBCluster!.Endpoint!, awsName("flagged.cluster-"));
    server.child.kill("SIGTERM");
    assert.equal(await server.exited, 0);

    const refused = serve(["--no-data-plane", "--data-plane-ports", "21000-21009"]);
    assert.equal(await refused.exited, 2);
    assert.match(refused.errors(), /trident serve: --data-plane-ports cannot be combined with --no-data-plane/);
  });
});

describe("what reads a graph, with the data plane off", () => {
  it("the console's graph summary says the cluster answers no queries, and why", async () => {
    const { running, neptune } = await controlPlaneOnly();
    await neptune.send(new CreateDBClusterCommand({ DBClusterIdentifier: "graphless", Engine: "neptune" }));
    await neptune.send(
      new CreateDBInstanceCommand({
        DBClusterIdentifier: "graphless",
        DBInstanceIdentifier: "graphless-1",
        Engine: "neptune",
        DBInstanceClass: "db.r5.large",
      }),
    );
    const state = (await (await fetch(`${running.endpoint}/_trident/console/api/state`)).json()) as {
      accounts: { accountId: string; clusters: { id: string; graph: unknown; graphUnavailable?: string }[] }[];
    };
    const cluster = state.accounts.find((a) => a.accountId === A)!.clusters.find((c) => c.id === "graphless")!;
    assert.deepEqual(
      [cluster.graph, cluster.graphUnavailable],
      [
        null,
        "DB cluster 'graphless' answers no queries: this Trident runs without its data plane (trident serve --no-data-plane).",
      ],
    );
  });

  it("migrate apply --verify-data stops (exit 3) saying the local AWS runs without its data plane", async () => {
    const world = await dataWorld({}, { off: true });
    const applied = await migrateCli(world, ["apply", "--source-cluster", "orders-graph", "--yes", "--verify-data"]);
    assert.equal(applied.code, EXIT.blocked, applied.stdout + applied.stderr);
    assert.match(
      applied.stdout + applied.stderr,
      /the source cluster orders-graph does not answer queries: the local AWS runs without its data plane \(its endpoint http:\/\/orders-graph\.cluster-[a-z0-9]{12}\.us-east-1\.neptune\.amazonaws\.com:8182 is AWS's name, which resolves nowhere\)/,
    );
    assert.match(applied.stdout + applied.stderr, /start trident serve without --no-data-plane to read the graphs/);
  });
});

describe("without --no-data-plane, a full range", () => {
  it("refuses the next cluster with InsufficientDBClusterCapacityFault, naming --no-data-plane", async () => {
    const world = await dataPlaneWorld();
    try {
      for (let i = 0; i < 10; i++)
        await world.neptune.send(new CreateDBClusterCommand({ DBClusterIdentifier: `full-${i}`, Engine: "neptune" }));
      const error = await rejection(() =>
        world.neptune.send(new CreateDBClusterCommand({ DBClusterIdentifier: "one-too-many", Engine: "neptune" })),
      );
      assert.equal(error.name, "InsufficientDBClusterCapacityFault");
      assert.equal(error.$metadata?.httpStatusCode, 403);
      const { firstPort, lastPort } = world.range;
      assert.equal(
        error.message,
        `Every data-plane port of this Trident (${firstPort}-${lastPort}) is in use: delete a cluster or instance, ` +
          "start trident serve with a larger --data-plane-ports range, or with --no-data-plane (the control plane " +
          "only: no port is taken, so clusters are not limited by the range, and their endpoints do not answer).",
      );
    } finally {
      await world.running.close();
    }
  });
});
