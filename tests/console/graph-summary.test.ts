import assert from "node:assert/strict";
import { after, test } from "node:test";
import { NeptuneClient } from "@aws-sdk/client-neptune";
import { ExecuteOpenCypherQueryCommand, NeptunedataClient } from "@aws-sdk/client-neptunedata";
import { accountsView } from "../../src/console/state-view.js";
import { Emulator } from "../../src/emulator.js";
import { startServer, type RunningServer } from "../../src/server/http.js";
import { DELAY_PROFILES } from "../../src/state/delays.js";
import { A, ADMIN, REGION } from "../helpers/harness.js";
import { clusterWithInstances, portRange } from "../dataplane/fixture.js";

/**
 * The console's graph summary is a pass over the whole graph: it is built once per version of the cluster's graph
 * and reused while nothing is written, so the page's refreshes cost nothing for an unchanged graph; a write shows.
 */

const servers: RunningServer[] = [];
after(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

async function world() {
  const emulator = new Emulator({
    delays: DELAY_PROFILES.instant,
    console: { journalDirs: [] },
    dataPlane: await portRange(),
  });
  const running = await startServer(emulator, { port: 0 });
  servers.push(running);
  const config = { region: REGION, credentials: ADMIN[A]!, maxAttempts: 1 };
  const neptune = new NeptuneClient({ ...config, endpoint: running.endpoint });
  const { writer } = await clusterWithInstances(neptune, "graph");
  const data = new NeptunedataClient({ ...config, endpoint: `http://${writer.address}:${writer.port}` });
  const query = (openCypherQuery: string) => data.send(new ExecuteOpenCypherQueryCommand({ openCypherQuery }));
  /** The summary as the page reads it, over HTTP. */
  const shown = async () => {
    const body = await (await fetch(`${running.endpoint}/_trident/console/api/state`)).text();
    const accounts = JSON.parse(body).accounts as { accountId: string; clusters: { graph: unknown }[] }[];
    return accounts.find((account) => account.accountId === A)!.clusters[0]!.graph;
  };
  return { emulator, query, shown };
}

/** The summary object the state document holds (the one it serializes). */
const summaryObject = (emulator: Emulator) =>
  accountsView(emulator).find((account) => account.accountId === A)!.clusters[0]!.graph;

test("the graph summary is built once per version of the graph: the same until a write lands, then the new one", async () => {
  const { emulator, query, shown } = await world();
  await query("CREATE (:Customer {name: 'a'})-[:PLACED]->(:Order {total: 1})");
  const first = await shown();
  assert.deepEqual(first, {
    nodes: 2,
    relationships: 1,
    nodeLabels: [
      { name: "Customer", count: 1 },
      { name: "Order", count: 1 },
    ],
    relationshipTypes: [{ name: "PLACED", count: 1 }],
    nodePropertyKeys: ["name", "total"],
    relationshipPropertyKeys: [],
  });
  assert.deepEqual(await shown(), first);
  // Not rebuilt: the state document holds the very summary it held before.
  const built = summaryObject(emulator);
  assert.ok(built);
  assert.equal(summaryObject(emulator), built);

  // A read query and a failing write change nothing: still the same summary.
  await query("MATCH (n) RETURN count(n)");
  await assert.rejects(query("CREATE (:Customer {name: 'b'}) WITH 1 AS x RETURN 1 / 0"));
  assert.equal(summaryObject(emulator), built);

  await query("CREATE (:Customer {name: 'b'})-[:PLACED]->(:Order:Rush {total: 2}), (:Customer)");
  const changed = summaryObject(emulator);
  assert.notEqual(changed, built);
  assert.deepEqual(await shown(), {
    nodes: 5,
    relationships: 2,
    nodeLabels: [
      { name: "Customer", count: 3 },
      { name: "Order", count: 2 },
      { name: "Rush", count: 1 },
    ],
    relationshipTypes: [{ name: "PLACED", count: 2 }],
    nodePropertyKeys: ["name", "total"],
    relationshipPropertyKeys: [],
  });
  assert.equal(summaryObject(emulator), changed);

  await query("MATCH (o:Rush) DETACH DELETE o");
  assert.deepEqual(await shown(), {
    nodes: 4,
    relationships: 1,
    nodeLabels: [
      { name: "Customer", count: 3 },
      { name: "Order", count: 1 },
    ],
    relationshipTypes: [{ name: "PLACED", count: 1 }],
    nodePropertyKeys: ["name", "total"],
    relationshipPropertyKeys: [],
  });
});
