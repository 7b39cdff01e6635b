import {
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  type NeptuneClient,
} from "@aws-sdk/client-neptune";
import { NOT_FOUND, isAwsError } from "../errors.js";
import { CLUSTER_FAILED, CLUSTER_READY, INSTANCE_FAILED, SNAPSHOT_FAILED } from "../states.js";
import { observe, waitFor, type Observation } from "../waiters.js";
import type { StepContext } from "./context.js";

/** A resource that vanished while waited on will not come back: fail the wait with that. */
function gone(error: unknown, codes: string[]): Observation {
  if (isAwsError(error, ...codes)) return { status: "not found", done: false, failed: "it no longer exists" };
  throw error;
}

export function waitForSnapshot(
  ctx: StepContext,
  neptune: NeptuneClient,
  id: string,
  label: string,
): Promise<Observation> {
  return waitFor(
    "snapshot",
    label,
    async () => {
      try {
        const snapshot = (
          await neptune.send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: id }))
        ).DBClusterSnapshots?.[0];
        return observe(snapshot?.Status, SNAPSHOT_FAILED, snapshot?.PercentProgress);
      } catch (error) {
        return gone(error, NOT_FOUND.snapshot);
      }
    },
    ctx.wait,
    ctx.reporter.progress,
  );
}

export function waitForCluster(
  ctx: StepContext,
  neptune: NeptuneClient,
  id: string,
  label: string,
): Promise<Observation> {
  return waitFor(
    "cluster",
    label,
    async () => {
      try {
        const cluster = (await neptune.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id })))
          .DBClusters?.[0];
        return observe(cluster?.Status, CLUSTER_FAILED, cluster?.PercentProgress, CLUSTER_READY);
      } catch (error) {
        return gone(error, NOT_FOUND.cluster);
      }
    },
    ctx.wait,
    ctx.reporter.progress,
  );
}

export function waitForInstance(
  ctx: StepContext,
  neptune: NeptuneClient,
  id: string,
  label: string,
): Promise<Observation> {
  return waitFor(
    "instance",
    label,
    async () => {
      try {
        const instance = (await neptune.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id })))
          .DBInstances?.[0];
        return observe(instance?.DBInstanceStatus, INSTANCE_FAILED);
      } catch (error) {
        return gone(error, NOT_FOUND.instance);
      }
    },
    ctx.wait,
    ctx.reporter.progress,
  );
}
