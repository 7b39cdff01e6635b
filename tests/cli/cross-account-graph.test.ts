import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { seedKeyPolicy } from "../../src/migrate/seed.js";
import { targetKeyStatements } from "../../src/migrate/key-policy.js";
import { portRange } from "../dataplane/fixture.js";
import { awsCli, type CliResult } from "../helpers/aws-cli.js";
import { ADMIN, A, B, REGION, type Credentials } from "../helpers/harness.js";
import { serve } from "../helpers/serve-process.js";

/**
 * The cross-account story with the AWS CLI against `trident serve`, data included: A writes a graph through its
 * cluster's endpoint (`aws neptunedata … --endpoint-url http://127.0.0.1:<port>`), snapshots it, shares it, lets B
 * use its key; B copies, restores, adds an instance, and reads the same graph. Along the way, every path by which
 * B could reach A's data without A's consent is tried and refused:
 *   1. B can't see A's cluster (DescribeDBClusters by A's ARN), so it never learns A's endpoint from the API;
 *   2. B can't restore or copy A's snapshot before A shares it (DBClusterSnapshotNotFoundFault);
 *   3. shared, B can't restore it directly (R6, the snapshot is encrypted);
 *   4. shared, B can't copy it before A's key policy lets B in (R10, KMSKeyNotAccessibleFault);
 *   5. B's restored cluster answers no query before it has an instance (R11);
 *   6. a cluster B creates itself holds none of A's data;
 *   7. after the copy, writes on either side do not reach the other (the copy is B's own graph);
 *   8. once A stops sharing, B can't copy the snapshot again, while its own restored cluster keeps answering.
 * Not a path here: the data plane, like a Neptune cluster without IAM database authentication, answers whoever
 * reaches its port; on AWS that reach is the VPC's to give.
 */

const SNAPSHOT = "graph-a-snap";
const SNAPSHOT_ARN = `arn:aws:rds:${REGION}:${A}:cluster-snapshot:${SNAPSHOT}`;

/** The graph A writes: typed properties of every kind, in two requests (a parameterized UNWIND, then a MATCH). */
const PEOPLE = [
  { id: "p-1", name: "Ana", age: 41, score: 2.5, active: true, born: "1985-03-04T05:06:07Z" },
  { id: "p-2", name: "Bruno", age: 37, score: 4.25, active: false, born: "1989-11-12T13:14:15Z" },
  { id: "p-3", name: "Clara", age: 29, score: 3.75, active: true, born: "1997-01-02T00:00:00Z" },
];
const CREATE_PEOPLE =
  "UNWIND $people AS p CREATE (:Person {`~id`: p.id, name: p.name, age: p.age, score: toFloat(p.score), " +
  "active: p.active, born: datetime(p.born)})";
const CREATE_LINKS =
  "MATCH (a:Person {`~id`: 'p-1'}), (b:Person {`~id`: 'p-2'}), (c:Person {`~id`: 'p-3'}) " +
  "CREATE (a)-[:KNOWS {since: 2019, weight: 0.5}]->(b), (b)-[:KNOWS {since: 2021, weight: 0.25}]->(c), " +
  "(a)-[:MANAGES]->(c), (org:Team {`~id`: 't-1', name: 'Graph'}), (a)-[:IN]->(org), (c)-[:IN]->(org)";
/** Every node with its outgoing relationships, elements in Neptune's JSON form (ids, labels, typed properties). */
const READ_ALL = "MATCH (n) OPTIONAL MATCH (n)-[r]->(m) RETURN n, r, m ORDER BY id(n), id(r)";
const COUNT = "MATCH (n) RETURN count(n) AS nodes";

function ok(result: CliResult, what: string): Record<string, unknown> {
  assert.equal(result.code, 0, `${what}: ${result.stderr}`);
  return result.json ?? {};
}

/** The CLI's error line for a service error, any message. */
function refused(result: CliResult, code: string, operation: string): string {
  assert.notEqual(result.code, 0, `${operation} succeeded, expected ${code}`);
  const match = new RegExp(
    `An error occurred \\(${code}\\) when calling the ${operation} operation(?: \\(reached max retries: \\d+\\))?: (.*)`,
  ).exec(result.stderr);
  assert.ok(match, `expected ${code} from ${operation}, got: ${result.stderr}`);
  return match[1]!;
}

describe("the cross-account story with the AWS CLI, data included", () => {
  let endpoint: string;
  let server: ReturnType<typeof serve>;
  before(async () => {
    const range = await portRange();
    server = serve(["--quiet", "--delays", "instant", "--data-plane-ports", `${range.firstPort}-${range.lastPort}`]);
    endpoint = await server.ready;
  });
  after(() => server?.child.kill("SIGTERM"));

  const as = (credentials: Credentials, args: string[]) => awsCli(endpoint, credentials, args);
  const a = ADMIN[A]!;
  const b = ADMIN[B]!;

  /** The data endpoint of a cluster, as DescribeDBClusters gives it to its owner. */
  async function dataEndpoint(credentials: Credentials, cluster: string): Promise<string> {
    const described = ok(
      await as(credentials, ["neptune", "describe-db-clusters", "--db-cluster-identifier", cluster]),
      "describe",
    ) as { DBClusters: { Endpoint: string; Port: number; Status: string }[] };
    const { Endpoint, Port, Status } = described.DBClusters[0]!;
    assert.equal(Status, "available");
    return `http://${Endpoint}:${Port}`;
  }
  /** An instance in the cluster (its writer: the cluster then answers queries). */
  const createInstance = async (credentials: Credentials, id: string, cluster: string) =>
    ok(
      await as(credentials, [
        "neptune",
        "create-db-instance",
        "--db-instance-identifier",
        id,
        "--db-cluster-identifier",
        cluster,
        "--db-instance-class",
        "db.r5.large",
        "--engine",
        "neptune",
      ]),
      `create-db-instance ${id}`,
    );
  const cypher = (credentials: Credentials, url: string, query: string, parameters?: unknown) =>
    awsCli(url, credentials, [
      "neptunedata",
      "execute-open-cypher-query",
      "--open-cypher-query",
      query,
      ...(parameters ? ["--parameters", JSON.stringify(parameters)] : []),
    ]);
  const summary = async (credentials: Credentials, url: string) =>
    (
      ok(
        await awsCli(url, credentials, ["neptunedata", "get-propertygraph-summary", "--mode", "detailed"]),
        "summary",
      ) as { payload: { graphSummary: Record<string, unknown> } }
    ).payload.graphSummary;

  test(
    "A's graph arrives whole in B through snapshot, share, key policy, copy and restore, and by no other path",
    { timeout: 240_000 },
    async () => {
      // ── A: a key, an encrypted cluster with an instance, and a graph written through the cluster's endpoint
      const keyA = (
        ok(await as(a, ["kms", "create-key", "--description", "graph-a"]), "create-key") as {
          KeyMetadata: { Arn: string };
        }
      ).KeyMetadata.Arn;
      ok(
        await as(a, [
          "neptune",
          "create-db-cluster",
          "--db-cluster-identifier",
          "graph-a",
          "--engine",
          "neptune",
          "--storage-encrypted",
          "--kms-key-id",
          keyA,
        ]),
        "create cluster",
      );
      await createInstance(a, "graph-a-1", "graph-a");
      const urlA = await dataEndpoint(a, "graph-a");
      ok(await cypher(a, urlA, CREATE_PEOPLE, { people: PEOPLE }), "create people");
      ok(await cypher(a, urlA, CREATE_LINKS), "create links");
      const graphA = ok(await cypher(a, urlA, READ_ALL), "read A") as { results: Record<string, unknown>[] };
      assert.equal(graphA.results.length, 6); // p-1 has three outgoing relationships, p-2 and p-3 one each, t-1 none
      assert.deepEqual(graphA.results[0], {
        n: {
          "~id": "p-1",
          "~entityType": "node",
          "~labels": ["Person"],
          "~properties": { name: "Ana", age: 41, score: 2.5, active: true, born: "1985-03-04T05:06:07.000Z" },
        },
        r: graphA.results[0]!.r,
        m: graphA.results[0]!.m,
      });
      const summaryA = await summary(a, urlA);
      assert.equal(summaryA.numNodes, 4);
      assert.equal(summaryA.numEdges, 5);

      // 1. B can't see A's cluster, so the API never gives B A's endpoint.
      refused(
        await as(b, [
          "neptune",
          "describe-db-clusters",
          "--db-cluster-identifier",
          `arn:aws:rds:${REGION}:${A}:cluster:graph-a`,
        ]),
        "DBClusterNotFoundFault",
        "DescribeDBClusters",
      );
      const bClusters = ok(await as(b, ["neptune", "describe-db-clusters"]), "B's clusters") as {
        DBClusters: unknown[];
      };
      assert.deepEqual(bClusters.DBClusters, []);

      // ── A: a manual snapshot (it holds the graph as of now)
      ok(
        await as(a, [
          "neptune",
          "create-db-cluster-snapshot",
          "--db-cluster-identifier",
          "graph-a",
          "--db-cluster-snapshot-identifier",
          SNAPSHOT,
        ]),
        "snapshot",
      );
      // 2. Not shared yet: B can neither restore nor copy it.
      const restoreShared = [
        "neptune",
        "restore-db-cluster-from-snapshot",
        "--db-cluster-identifier",
        "graph-b-direct",
        "--snapshot-identifier",
        SNAPSHOT_ARN,
        "--engine",
        "neptune",
      ];
      refused(await as(b, restoreShared), "DBClusterSnapshotNotFoundFault", "RestoreDBClusterFromSnapshot");
      const keyB = (
        ok(await as(b, ["kms", "create-key", "--description", "graph-b"]), "B's key") as {
          KeyMetadata: { Arn: string };
        }
      ).KeyMetadata.Arn;
      const copy = [
        "neptune",
        "copy-db-cluster-snapshot",
        "--source-db-cluster-snapshot-identifier",
        SNAPSHOT_ARN,
        "--target-db-cluster-snapshot-identifier",
        "graph-b-copy",
        "--kms-key-id",
        keyB,
      ];
      refused(await as(b, copy), "DBClusterSnapshotNotFoundFault", "CopyDBClusterSnapshot");

      // ── A shares it with B
      ok(
        await as(a, [
          "neptune",
          "modify-db-cluster-snapshot-attribute",
          "--db-cluster-snapshot-identifier",
          SNAPSHOT,
          "--attribute-name",
          "restore",
          "--values-to-add",
          B,
        ]),
        "share",
      );
      // 3. R6: encrypted, so no direct restore. 4. R10: A's key does not let B in yet.
      refused(await as(b, restoreShared), "InvalidParameterValue", "RestoreDBClusterFromSnapshot");
      assert.match(
        refused(await as(b, copy), "KMSKeyNotAccessibleFault", "CopyDBClusterSnapshot"),
        new RegExp(`The source snapshot KMS key \\[${keyA}\\] does not exist`),
      );

      // ── A lets B use its key (its own full access kept), B copies under its key and restores the copy
      const policy = JSON.parse(seedKeyPolicy(A)) as { Statement: unknown[] };
      policy.Statement.push(...targetKeyStatements("aws", B));
      ok(
        await as(a, [
          "kms",
          "put-key-policy",
          "--key-id",
          keyA,
          "--policy-name",
          "default",
          "--policy",
          JSON.stringify(policy),
        ]),
        "key policy",
      );
      ok(await as(b, copy), "copy");
      ok(
        await as(b, [
          "neptune",
          "restore-db-cluster-from-snapshot",
          "--db-cluster-identifier",
          "graph-b",
          "--snapshot-identifier",
          "graph-b-copy",
          "--engine",
          "neptune",
        ]),
        "restore",
      );
      const urlB = await dataEndpoint(b, "graph-b");
      assert.notEqual(urlB, urlA);
      // 5. R11: no instance, no answer. (The CLI prints no message for neptunedata errors: botocore reads a body's
      // `message`, and Neptune's error body carries `detailedMessage`.)
      refused(await cypher(b, urlB, COUNT), "PreconditionsFailedException", "ExecuteOpenCypherQuery");
      await createInstance(b, "graph-b-1", "graph-b");

      // ── B reads the same graph: every element, id, label and typed property; the same summary
      const graphB = ok(await cypher(b, urlB, READ_ALL), "read B") as { results: unknown[] };
      assert.deepEqual(graphB.results, graphA.results);
      assert.deepEqual(await summary(b, urlB), summaryA);

      // 6. A cluster B makes itself holds none of A's data.
      ok(
        await as(b, ["neptune", "create-db-cluster", "--db-cluster-identifier", "graph-b-own", "--engine", "neptune"]),
        "B's own cluster",
      );
      await createInstance(b, "graph-b-own-1", "graph-b-own");
      const own = ok(await cypher(b, await dataEndpoint(b, "graph-b-own"), COUNT), "B's own graph") as {
        results: unknown[];
      };
      assert.deepEqual(own.results, [{ nodes: 0 }]);

      // 7. Writes on either side stay there.
      ok(await cypher(a, urlA, "CREATE (:Person {`~id`: 'p-4', name: 'Dora'})"), "A writes");
      ok(await cypher(b, urlB, "MATCH (p:Person {`~id`: 'p-3'}) DETACH DELETE p"), "B writes");
      assert.deepEqual((ok(await cypher(a, urlA, COUNT), "A counts") as { results: unknown[] }).results, [
        { nodes: 5 },
      ]);
      assert.deepEqual((ok(await cypher(b, urlB, COUNT), "B counts") as { results: unknown[] }).results, [
        { nodes: 3 },
      ]);

      // 8. A stops sharing: B can't copy again; what B restored is B's and keeps answering.
      ok(
        await as(a, [
          "neptune",
          "modify-db-cluster-snapshot-attribute",
          "--db-cluster-snapshot-identifier",
          SNAPSHOT,
          "--attribute-name",
          "restore",
          "--values-to-remove",
          B,
        ]),
        "unshare",
      );
      refused(
        await as(b, [...copy.slice(0, 5), "graph-b-copy-2", ...copy.slice(6)]),
        "DBClusterSnapshotNotFoundFault",
        "CopyDBClusterSnapshot",
      );
      assert.deepEqual((ok(await cypher(b, urlB, COUNT), "B after unshare") as { results: unknown[] }).results, [
        { nodes: 3 },
      ]);
    },
  );
});
