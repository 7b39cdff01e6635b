import { CreateDBClusterCommand, DescribeDBClusterSnapshotsCommand, NeptuneClient } from "@aws-sdk/client-neptune";
import { ACCOUNTS, describePages, seedClusters } from "./lib/clusters.js";
import { formatResult, parseBenchArgs, runLoad, startChildServer } from "./lib/load.js";

/**
 * DescribeDBClusters with 1,000 clusters across 10 accounts (100 each), a page of 100 (MaxRecords=100), at a given
 * concurrency: the cost of the Neptune domain (catching up lifecycle and backups, deriving every status, building
 * 100 DBCluster shapes) and of serializing a large awsQuery response. Requests go round-robin over the accounts.
 *
 * Accounts are named by 12-digit access key ids, so the server runs with relaxed auth: the one this script starts
 * when no endpoint is given does; an `--endpoint` must be a `trident serve --relaxed-auth`.
 * `--extra-scopes N` first gives N other (account, region) scopes a cluster and a snapshot table each (accounts
 * 2000000000xx, regions us-east-1 and eu-west-1): the rate must not depend on them (per-request work is the
 * caller's own state plus what is due).
 * Usage: node dist/bench/describe-clusters.js [--endpoint URL] [--concurrency 32] [--seconds 10] [--requests N]
 *        [--extra-scopes 500] [--clusters 100]
 */
const args = parseBenchArgs();
const CLUSTERS_PER_ACCOUNT = args.clustersPerAccount;
const own = args.endpoint ? undefined : await startChildServer("trident", ["--relaxed-auth"]);
const endpoint = args.endpoint ?? own!.endpoint;
try {
  const seconds = await seedClusters(endpoint, CLUSTERS_PER_ACCOUNT);
  await fillExtraScopes(endpoint, args.extraScopes);
  console.log(`created ${ACCOUNTS * CLUSTERS_PER_ACCOUNT} clusters in ${ACCOUNTS} accounts in ${seconds.toFixed(2)}s`);
  const pages = await describePages(endpoint, CLUSTERS_PER_ACCOUNT);
  const result = await runLoad(
    {
      endpoint,
      concurrency: args.concurrency,
      requests: args.requests,
      durationMs: args.durationMs,
      warmupRequests: 50,
    },
    (i) => pages[i % pages.length]!,
  );
  console.log(
    formatResult(
      `trident DescribeDBClusters (page of ${CLUSTERS_PER_ACCOUNT}, ${ACCOUNTS} accounts, ${args.extraScopes} extra scopes) @ ${endpoint}`,
      result,
      args.concurrency,
    ),
  );
} finally {
  own?.child.kill();
}

/** `count` scopes, each with a cluster and a snapshot table: state of others that a request must not scan. */
async function fillExtraScopes(endpoint: string, count: number): Promise<void> {
  const regions = ["us-east-1", "eu-west-1"];
  for (let i = 0; i < count; i++) {
    const neptune = new NeptuneClient({
      region: regions[i % regions.length]!,
      endpoint,
      credentials: { accessKeyId: String(200000000000 + Math.floor(i / regions.length)), secretAccessKey: "bench" },
    });
    await neptune.send(new CreateDBClusterCommand({ DBClusterIdentifier: "other", Engine: "neptune" }));
    await neptune.send(new DescribeDBClusterSnapshotsCommand({}));
    neptune.destroy();
  }
}
