import type { ParameterApplyStatus } from "../parameter-apply-status.js";
import { peekClusterParameterGroup } from "../parameter-groups.js";
import type { ClusterRecord, InstanceRecord, Place } from "../records.js";

/** Whether Neptune Streams are on, and how long records are kept: an instance's, as of its last (re)boot. */
export interface StreamSettings {
  enabled: boolean;
  expiryDays: number;
}

/** docs parameters.html: neptune_streams 0|1 (default 0), neptune_streams_expiry_days 1–90 (default 7). */
const DEFAULT_EXPIRY_DAYS = 7;
export const STREAMS_OFF: StreamSettings = { enabled: false, expiryDays: DEFAULT_EXPIRY_DAYS };

/** The settings the cluster's DB cluster parameter group holds now (applied or not). */
export function streamSettingsOf(place: Place, cluster: ClusterRecord): StreamSettings {
  const values = peekClusterParameterGroup(place, cluster.DBClusterParameterGroup)?.Values ?? {};
  const days = Number(values["neptune_streams_expiry_days"]?.ParameterValue ?? DEFAULT_EXPIRY_DAYS);
  return {
    enabled: values["neptune_streams"]?.ParameterValue === "1",
    expiryDays: Number.isInteger(days) && days >= 1 && days <= 90 ? days : DEFAULT_EXPIRY_DAYS,
  };
}

/**
 * The settings an instance serves with. Both parameters are static: "After changing the neptune_streams DB cluster
 * parameter, you must reboot all DB instances in the cluster for the change to take effect" (docs
 * streams-using-enabling.html), so an instance takes them when it starts (parameter-apply-status.ts
 * startInstance), and keeps them until it starts again. An instance of a state made before Trident had streams
 * has none: off.
 */
export const streamSettingsIn = (instance: InstanceRecord): StreamSettings => instance.streams ?? STREAMS_OFF;

/**
 * A member's DBClusterMember.DBClusterParameterGroupStatus (parameter-apply-status.ts): `pending-reboot` while
 * the static parameters it started with differ from what its cluster's group says now, `in-sync` otherwise.
 * Dynamic parameters (neptune_query_timeout…) apply at once and never make a member wait. *Decided*: a member that
 * started with the values the group holds again (a change undone before any reboot) is in sync.
 */
export function clusterParameterApplyStatus(
  place: Place,
  cluster: ClusterRecord,
  instance: InstanceRecord,
): ParameterApplyStatus {
  const started = streamSettingsIn(instance);
  const now = streamSettingsOf(place, cluster);
  return started.enabled === now.enabled && started.expiryDays === now.expiryDays ? "in-sync" : "pending-reboot";
}
