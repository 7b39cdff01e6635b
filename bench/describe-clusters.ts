import { ACCOUNTS, CLUSTERS_PER_ACCOUNT, describePages, seedClusters } from "./lib/clusters.js";
import { formatResult, parseBenchArgs, runLoad, startChildServer } from "./lib/load.js";

/**
 * DescribeDBClusters with 1,000 clusters across 10 accounts (100 each), a page of 100 (MaxRecords=100), at a given
 * concurrency: the cost of the Neptune domain (catching up lifecycle and backups, deriving every status, building
 * 100 DBCluster shapes) and of serializing a large awsQuery response. Requests go round-robin over the accounts.
 *
 * Accounts are named by 12-digit access key ids, so the server runs with relaxed auth: the one this script starts
 * when no endpoint is given does; an `--endpoint` must be a `trident serve --relaxed-auth`.
 * Usage: node dist/bench/describe-clusters.js [--endpoint URL] [--concurrency 32] [--seconds 10] [--requests N]
 */
const args = parseBenchArgs();
const own = args.endpoint ? undefined : await startChildServer("trident", ["--relaxed-auth"]);
const endpoint = args.endpoint ?? own!.endpoint;
try {
  const seconds = await seedClusters(endpoint);
  console.log(`created ${ACCOUNTS * CLUSTERS_PER_ACCOUNT} clusters in ${ACCOUNTS} accounts in ${seconds.toFixed(2)}s`);
  const pages = await describePages(endpoint);
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
      `trident DescribeDBClusters (page of ${CLUSTERS_PER_ACCOUNT}, ${ACCOUNTS} accounts) @ ${endpoint}`,
      result,
      args.concurrency,
    ),
  );
} finally {
  own?.child.kill();
}
