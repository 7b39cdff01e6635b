import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { CreateGlobalClusterCommand, NeptuneClient } from "@aws-sdk/client-neptune";
import { A, ADMIN } from "../helpers/harness.js";
import { clusterWithInstances, dataPlaneWorld, form, http, neptuneError, type World } from "../dataplane/fixture.js";

type Endpoint = { address: string; port: number };
type Ends = Awaited<ReturnType<typeof clusterWithInstances>>;

const cypher = (endpoint: Endpoint, query: string) => http(endpoint, "POST", "/openCypher", form({ query }));
const cities = async (endpoint: Endpoint) => {
  const response = await cypher(endpoint, "MATCH (c:City) RETURN c.name AS name ORDER BY name");
  assert.equal(response.status, 200, response.body);
  return (response.json!.results as { name: string }[]).map((row) => row.name);
};

/**
 * A global database's graph over the data plane: an encrypted primary in us-east-1 and a secondary in us-west-2
 * (each with its own Region's key); the secondary answers reads from the primary's graph and refuses writes.
 */
describe("global databases on the data plane", () => {
  let world: World;
  let west: NeptuneClient;
  let east: Ends;
  let secondary: Ends;
  before(async () => {
    world = await dataPlaneWorld();
    west = new NeptuneClient({
      region: "us-west-2",
      endpoint: world.running.endpoint,
      credentials: ADMIN[A]!,
      maxAttempts: 1,
    });
    await world.neptune.send(
      new CreateGlobalClusterCommand({ GlobalClusterIdentifier: "world", Engine: "neptune", StorageEncrypted: true }),
    );
    east = await clusterWithInstances(world.neptune, "east", 0, { GlobalClusterIdentifier: "world" });
    secondary = await clusterWithInstances(west, "west", 0, { GlobalClusterIdentifier: "world" });
    assert.equal((await cypher(east.writer, "CREATE (:City {name: 'Oslo'})")).status, 200);
  });
  after(() => world.running.close());

  test("the secondary reads the primary's graph, under its own Region's key, and refuses writes", async () => {
    assert.match(secondary.cluster.KmsKeyId!, /^arn:aws:kms:us-west-2:/);
    assert.deepEqual(await cities(secondary.reader), ["Oslo"]);
    const refused = await cypher(secondary.reader, "CREATE (:City {name: 'Bergen'})");
    assert.equal(neptuneError(refused).code, "ReadOnlyViolationException");
    assert.equal(refused.status, 400);
    assert.deepEqual(await cities(east.writer), ["Oslo"]);
  });
});
