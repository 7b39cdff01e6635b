/** Status words of Neptune resources that the planner, the waiters and verify agree on [aws-behaviour §4.2, §4.3]. */

export const SNAPSHOT_FAILED = ["failed", "deleted", "deleting"];
export const CLUSTER_FAILED = [
  "failed",
  "deleting",
  "inaccessible-encryption-credentials",
  "migration-failed",
  "incompatible-restore",
];
/** The SDK's DBInstanceAvailable waiter fails on these [aws-behaviour §4.3]. */
export const INSTANCE_FAILED = ["deleted", "deleting", "failed", "incompatible-restore", "incompatible-parameters"];

/**
 * A cluster serves while its automated backup runs (`backing-up`), as AWS's freshly restored clusters do: the
 * plan and the restore step count it as ready; verify waits for `available`.
 */
export const CLUSTER_READY = ["available", "backing-up"];
