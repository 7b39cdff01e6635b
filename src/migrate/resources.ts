import type { NeptuneClient } from "@aws-sdk/client-neptune";
import { readCluster, readInstance, readSnapshot } from "./discover.js";
import { ALREADY_EXISTS } from "./errors.js";
import { CLUSTER_FAILED, CLUSTER_READY, INSTANCE_FAILED, SNAPSHOT_FAILED } from "./states.js";
import type { ClusterFacts, InstanceFacts, SnapshotFacts } from "./types.js";
import { observe, waitFor, type Observation, type Progress, type WaitKind, type WaitSettings } from "./waiters.js";

/**
 * The three kinds of Neptune resource the migration creates and waits on, in one table: how to read one by its
 * id (one Describe call, no tags), its status and progress, the states it counts as ready in and the ones it
 * won't leave, and the codes AWS refuses a create with when the name is taken.
 */

export type ResourceKind = WaitKind;

export interface FactsOf {
  snapshot: SnapshotFacts;
  cluster: ClusterFacts;
  instance: InstanceFacts;
}

interface KindOfResource<K extends ResourceKind> {
  /** `undefined` when there is none by that id. */
  read(neptune: NeptuneClient, id: string): Promise<FactsOf[K] | undefined>;
  status(facts: FactsOf[K]): string;
  /** PercentProgress, where AWS reports it. */
  percent(facts: FactsOf[K]): number | string | undefined;
  ready: string[];
  failed: string[];
  alreadyExists: string[];
}

export const RESOURCES: { [K in ResourceKind]: KindOfResource<K> } = {
  snapshot: {
    read: (neptune, id) => readSnapshot(neptune, id, { withDetails: false }),
    status: (snapshot) => snapshot.Status,
    percent: (snapshot) => snapshot.PercentProgress,
    ready: ["available"],
    failed: SNAPSHOT_FAILED,
    alreadyExists: ALREADY_EXISTS.snapshot,
  },
  cluster: {
    read: (neptune, id) => readCluster(neptune, id, { withDetails: false }),
    status: (cluster) => cluster.Status,
    percent: (cluster) => cluster.PercentProgress,
    ready: CLUSTER_READY,
    failed: CLUSTER_FAILED,
    alreadyExists: ALREADY_EXISTS.cluster,
  },
  instance: {
    read: readInstance,
    status: (instance) => instance.DBInstanceStatus,
    percent: () => undefined,
    ready: ["available"],
    failed: INSTANCE_FAILED,
    alreadyExists: ALREADY_EXISTS.instance,
  },
};

/** A resource that vanished while waited on will not come back: the wait fails with that. */
const GONE: Observation = { status: "not found", done: false, failed: "it no longer exists" };

/** Polls the resource until it is in one of `ready` (by default the kind's ready states), showing progress. */
export function waitUntilReady<K extends ResourceKind>(
  neptune: NeptuneClient,
  kind: K,
  id: string,
  settings: WaitSettings,
  progress: Progress,
  ready: string[] = RESOURCES[kind].ready,
): Promise<Observation> {
  const resource: KindOfResource<K> = RESOURCES[kind];
  const poll = async () => {
    const facts = await resource.read(neptune, id);
    return facts ? observe(resource.status(facts), resource.failed, resource.percent(facts), ready) : GONE;
  };
  return waitFor(kind, id, poll, settings, progress);
}
