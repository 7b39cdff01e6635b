import { streamSettingsOf } from "./data-plane/streams-settings.js";
import { staticParameterValues } from "./parameter-groups.js";
import type { ClusterRecord, InstanceRecord, Place } from "./records.js";

/**
 * Static parameters take effect when an instance starts and stay until it starts again ("pending-reboot: The
 * parameter group change will be applied after the DB instance reboots", RDS API reference,
 * DBParameterGroupStatus). One mechanism for both of an instance's groups: when the instance starts (startInstance)
 * it records what each group holds; each group's apply status compares that with what the group holds now:
 * - its DB cluster parameter group's static stream settings: DBClusterMember.DBClusterParameterGroupStatus
 *   (data-plane/streams-settings.ts clusterParameterApplyStatus; the data plane serves with them);
 * - its DB parameter group and that group's static parameters: DBInstance.DBParameterGroups[].ParameterApplyStatus
 *   (dbParameterApplyStatus, here).
 * Dynamic parameters apply at once and never make an instance wait.
 */

export type ParameterApplyStatus = "in-sync" | "pending-reboot";

/** What an instance started with from its DB parameter group. */
export interface StartedParameters {
  DBParameterGroupName: string;
  /** The group's static parameters then, by name (staticParameterValues). */
  values: Record<string, string>;
}

/**
 * The instance starts: created, rebooted (RebootDBInstance), its cluster started (StartDBCluster), or restarted by a
 * modification (a class change, a rename, a new CA certificate). It takes what its groups hold now.
 */
export function startInstance(place: Place, cluster: ClusterRecord | undefined, instance: InstanceRecord): void {
  if (cluster) instance.streams = streamSettingsOf(place, cluster);
  instance.dbParameters = {
    DBParameterGroupName: instance.DBParameterGroupName,
    values: staticParameterValues(place, instance.DBParameterGroupName),
  };
}

/**
 * DBParameterGroups[].ParameterApplyStatus: `pending-reboot` after the instance's group was changed
 * (ModifyDBInstance DBParameterGroupName: "The parameter group name itself is changed immediately, but the actual
 * parameter changes are not applied until you reboot the instance", API reference) or one of its group's static
 * parameters was (ModifyDBParameterGroup, ResetDBParameterGroup), until the instance starts again. *Decided*, as
 * for cluster groups: an instance whose group holds again what it started with (a change undone before any
 * reboot) is in sync; one of a state made before Trident recorded this is taken to be in sync.
 */
export function dbParameterApplyStatus(place: Place, instance: InstanceRecord): ParameterApplyStatus {
  const started = instance.dbParameters;
  if (!started) return "in-sync";
  if (started.DBParameterGroupName !== instance.DBParameterGroupName) return "pending-reboot";
  const now = staticParameterValues(place, instance.DBParameterGroupName);
  const names = Object.keys(now);
  const same = names.length === Object.keys(started.values).length && names.every((n) => started.values[n] === now[n]);
  return same ? "in-sync" : "pending-reboot";
}
