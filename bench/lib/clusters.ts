import {
  CreateDBClusterCommand,
  type CreateDBClusterMessage,
  CreateDBInstanceCommand,
  DescribeDBClustersCommand,
  NeptuneClient,
} from "@aws-sdk/client-neptune";
import type { PreparedRequest } from "./load.js";
import { presign } from "./sign.js";

/**
 * The DescribeDBClusters workload: 1,000 clusters across 10 accounts (100 each), read a page of 100 at a time.
 * Accounts are named by 12-digit access key ids, so the server must run with --relaxed-auth.
 */
export const ACCOUNTS = 10;
export const CLUSTERS_PER_ACCOUNT = 100;
const REGION = "us-east-1";

const accountIds = () => Array.from({ length: ACCOUNTS }, (_, i) => String(100000000001 + i));

/** Creates the clusters (`perAccount` in each account); returns the seconds it took. */
export async function seedClusters(endpoint: string, perAccount = CLUSTERS_PER_ACCOUNT): Promise<number> {
  const started = performance.now();
  await Promise.all(
    accountIds().map(async (account) => {
      const neptune = new NeptuneClient({
        region: REGION,
        endpoint,
        credentials: { accessKeyId: account, secretAccessKey: "bench" },
      });
      for (let i = 0; i < perAccount; i++) {
        await neptune.send(
          new CreateDBClusterCommand({ DBClusterIdentifier: `bench-${String(i).padStart(3, "0")}`, Engine: "neptune" }),
        );
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

/** One signed DescribeDBClusters page request per account (a page holds all `perAccount`, at least 20). */
export function describePages(endpoint: string, perAccount = CLUSTERS_PER_ACCOUNT): Promise<PreparedRequest[]> {
  return Promise.all(
    accountIds().map((account) =>
      presign(
        endpoint,
        { accessKeyId: account, secretAccessKey: "bench" },
        {
          service: "rds",
          params: {
            Action: "DescribeDBClusters",
            Version: "2014-10-31",
            MaxRecords: String(Math.max(20, perAccount)),
          },
        },
        REGION,
      ),
    ),
  );
}

/** The demo account's admin credentials (trident serve's seeded account 111111111111). */
export const ADMIN_CREDENTIALS = {
  accessKeyId: "AKIA1111111111ADMIN1",
  secretAccessKey: "trident-demo-secret-111111111111-admin",
};

/** Creates cluster `bench` with writer `bench-0` in the admin's account; its data-plane endpoint URL. */
export async function benchClusterEndpoint(endpoint: string): Promise<string> {
  const cluster = await servingBenchCluster(endpoint);
  return `http://${cluster.Endpoint}:${cluster.Port}`;
}

/**
 * A cluster `bench` with one instance, in the demo admin's account (with `settings`, such as its parameter group);
 * its description (Endpoint, Port).
 */
export async function servingBenchCluster(endpoint: string, settings: Partial<CreateDBClusterMessage> = {}) {
  const neptune = new NeptuneClient({ region: REGION, endpoint, credentials: ADMIN_CREDENTIALS });
  await neptune.send(new CreateDBClusterCommand({ ...settings, DBClusterIdentifier: "bench", Engine: "neptune" }));
  await neptune.send(
    new CreateDBInstanceCommand({
      DBClusterIdentifier: "bench",
      DBInstanceIdentifier: "bench-0",
      Engine: "neptune",
      DBInstanceClass: "db.r5.large",
    }),
  );
  return (await neptune.send(new DescribeDBClustersCommand({ DBClusterIdentifier: "bench" }))).DBClusters![0]!;
}
