import { DEFAULT_QUERY_TIMEOUT_MS } from "../../../graph/engine.js";
import { findClusterParameterGroup, findParameterGroup } from "../parameter-groups.js";
import type { ClusterRecord, InstanceRecord, Place } from "../records.js";

const QUERY_TIMEOUT = "neptune_query_timeout";

/**
 * The `neptune_query_timeout` (ms) a query on `instance` runs under: the instance's DB parameter group's value,
 * else its cluster parameter group's (a parameter at both levels: the instance's overrides, catalogue.ts), else
 * Neptune's default. The parameter is dynamic, so *decided*: a value set with either ApplyMethod applies to the
 * next query (no reboot is modelled for the data plane).
 */
export function queryTimeoutMs(place: Place, cluster: ClusterRecord, instance: InstanceRecord): number {
  const value =
    findParameterGroup(place, instance.DBParameterGroupName)?.Values[QUERY_TIMEOUT]?.ParameterValue ??
    findClusterParameterGroup(place, cluster.DBClusterParameterGroup)?.Values[QUERY_TIMEOUT]?.ParameterValue;
  const ms = Number(value);
  return value !== undefined && Number.isFinite(ms) ? ms : DEFAULT_QUERY_TIMEOUT_MS;
}
