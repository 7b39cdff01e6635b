import type {
  ApplyPendingMaintenanceActionMessage,
  DescribePendingMaintenanceActionsMessage,
  PendingMaintenanceAction,
  ResourcePendingMaintenanceActions,
} from "../../generated/neptune.js";
import { CommonErrors, type AwsError } from "../../protocol/errors.js";
import { neptuneFault } from "../../services/neptune/errors.js";
import type { Table } from "../../state/store.js";
import { clusterArn, parseRdsArn } from "./arn.js";
import { familyOfEngineVersion, nextEngineVersion } from "./catalogue.js";
import { requireUsable } from "./cluster-state.js";
import { upgradeEngine } from "./clusters.js";
import { nextMaintenanceStart, type NeptuneScope } from "./lifecycle.js";
import { applyFilters, listPage } from "./listing.js";
import { clusterParameterGroupFor } from "./parameter-groups.js";
import { clusterTable, instanceTable, type ClusterRecord, type Place } from "./records.js";

/**
 * Neptune's pending maintenance, derived from the engine catalogue: a cluster on a release older than the
 * catalogue's newest has a `db-upgrade` pending to the next release. Engine versions are a cluster's (its
 * instances follow it), so the action is reported on the cluster's ARN only, as RDS reports engine upgrades of
 * Aurora-style clusters; its instances have none (*decided*). The upgrade is optional: no AutoAppliedAfterDate nor
 * ForcedApplyDate (AWS sets them only for mandatory maintenance). An opt-in (`next-maintenance`) is the only state
 * kept; `immediate` starts the upgrade at once.
 */

/** ApplyAction's valid values (API reference, ApplyPendingMaintenanceAction). */
const ACTIONS = ["system-update", "db-upgrade"];
const DB_UPGRADE = "db-upgrade";
/** OptInType's valid values (API reference): `undo-opt-in` cancels a `next-maintenance` opt-in. */
const OPT_IN_TYPES = ["immediate", "next-maintenance", "undo-opt-in"];

const OPT_INS_TABLE = "neptune.maintenanceOptIns";

/** A `next-maintenance` opt-in of a cluster (keyed by DbClusterResourceId, so a rename keeps it). */
interface OptInRecord {
  clusterResourceId: string;
  EngineVersion: string;
  requestedAt: number;
}

const optInTable = (place: Place): Table<OptInRecord> =>
  place.store.table(OPT_INS_TABLE, place.accountId, place.region);

/** The API reference's text for ResourceNotFoundFault (404): "The specified resource ID was not found." */
function resourceNotFound(): AwsError {
  return neptuneFault("ResourceNotFoundFault", "The specified resource ID was not found.");
}

/** The cluster's pending upgrade target, or undefined when it is on the newest release (or being deleted). */
function pendingUpgrade(cluster: ClusterRecord): string | undefined {
  return cluster.activity.kind === "deleting" ? undefined : nextEngineVersion(cluster.EngineVersion);
}

/** The cluster's opt-in, if it still names the pending upgrade (an upgrade made otherwise makes it stale). */
function optInOf(place: Place, cluster: ClusterRecord): OptInRecord | undefined {
  const optIn = optInTable(place).get(cluster.DbClusterResourceId);
  return optIn && optIn.EngineVersion === pendingUpgrade(cluster) ? optIn : undefined;
}

function actionsOf(scope: NeptuneScope, cluster: ClusterRecord, target: string): ResourcePendingMaintenanceActions {
  const optIn = optInOf(scope, cluster);
  const detail: PendingMaintenanceAction = {
    Action: DB_UPGRADE,
    // *Decided* wording, after RDS's "Upgrade to <engine> <version>" descriptions.
    Description: `Upgrade to Neptune engine version ${target}`,
    ...(optIn
      ? {
          OptInStatus: "next-maintenance",
          // "The effective date when the pending maintenance action is applied" (API reference): the window's start.
          CurrentApplyDate: new Date(nextMaintenanceStart(cluster.PreferredMaintenanceWindow, optIn.requestedAt)),
        }
      : {}),
  };
  return {
    ResourceIdentifier: clusterArn(scope.region, scope.accountId, cluster.DBClusterIdentifier),
    PendingMaintenanceActionDetails: [detail],
  };
}

/**
 * The caller's cluster or instance an ARN names: `{ cluster }` for a cluster, `{}` for an instance (which has no
 * pending action), else ResourceNotFoundFault.
 */
function resourceOf(place: Place, identifier: string): { cluster?: ClusterRecord } {
  const arn = parseRdsArn(identifier);
  if (!arn || arn.accountId !== place.accountId || arn.region !== place.region) throw resourceNotFound();
  const name = arn.name.toLowerCase();
  if (arn.type === "cluster") {
    const cluster = clusterTable(place.store, place.accountId, place.region).get(name);
    if (cluster) return { cluster };
  }
  if (arn.type === "db" && instanceTable(place.store, place.accountId, place.region).has(name)) return {};
  throw resourceNotFound();
}

/**
 * DescribePendingMaintenanceActions: the caller's resources with a pending action, in identifier order, or the
 * one resource `ResourceIdentifier` names; Filters `db-cluster-id` and `db-instance-id` (identifiers or ARNs, API
 * reference), pages of MaxRecords (20–100).
 */
export function describePendingMaintenance(
  scope: NeptuneScope,
  request: DescribePendingMaintenanceActionsMessage,
): { PendingMaintenanceActions: ResourcePendingMaintenanceActions[]; Marker?: string } {
  let clusters =
    request.ResourceIdentifier !== undefined
      ? [resourceOf(scope, request.ResourceIdentifier).cluster].filter((c) => c !== undefined)
      : clusterTable(scope.store, scope.accountId, scope.region)
          .values()
          .sort((x, y) => x.DBClusterIdentifier.localeCompare(y.DBClusterIdentifier));
  clusters = applyFilters(clusters, request.Filters, {
    "db-cluster-id": (c) => [c.DBClusterIdentifier, clusterArn(scope.region, scope.accountId, c.DBClusterIdentifier)],
    // Instances carry no action of their own: an instance filter matches none of the clusters' actions.
    "db-instance-id": () => [],
  });
  const pending = clusters.flatMap((cluster) => {
    const target = pendingUpgrade(cluster);
    return target === undefined ? [] : [{ cluster, target }];
  });
  return listPage("PendingMaintenanceActions", pending, request, ({ cluster, target }) =>
    actionsOf(scope, cluster, target),
  );
}

/** Starts the upgrade to `target` at `at`; on a new family the cluster takes that family's default group. */
function upgrade(scope: NeptuneScope, cluster: ClusterRecord, target: string, at: number): void {
  const family = familyOfEngineVersion(target)!;
  const newFamily = family !== familyOfEngineVersion(cluster.EngineVersion) ? family : undefined;
  if (newFamily !== undefined) cluster.DBClusterParameterGroup = clusterParameterGroupFor(scope, undefined, newFamily);
  upgradeEngine(scope, cluster, target, newFamily, undefined, at);
}

/**
 * ApplyPendingMaintenanceAction. Checked first, so that a refusal changes nothing: OptInType and ApplyAction
 * among the valid values (InvalidParameterValue, *decided* wording), the resource (ResourceNotFoundFault), the
 * action pending on it (observed RDS answer: InvalidParameterCombination "There is no pending db-upgrade action for
 * <arn>"). `immediate` starts the upgrade now (needs an available cluster) and can't be undone; `next-maintenance`
 * applies it at the start of the next maintenance window (catchUp); `undo-opt-in` cancels that opt-in.
 */
export function applyPendingMaintenance(
  scope: NeptuneScope,
  request: ApplyPendingMaintenanceActionMessage,
): { ResourcePendingMaintenanceActions: ResourcePendingMaintenanceActions } {
  if (!OPT_IN_TYPES.includes(request.OptInType)) {
    throw CommonErrors.invalidParameterValue(
      `Invalid value for OptInType: ${request.OptInType}. Valid values are: ${OPT_IN_TYPES.join(", ")}.`,
    );
  }
  if (!ACTIONS.includes(request.ApplyAction)) {
    throw CommonErrors.invalidParameterValue(
      `Invalid value for ApplyAction: ${request.ApplyAction}. Valid values are: ${ACTIONS.join(", ")}.`,
    );
  }
  const { cluster } = resourceOf(scope, request.ResourceIdentifier);
  const target = cluster && request.ApplyAction === DB_UPGRADE ? pendingUpgrade(cluster) : undefined;
  if (!cluster || target === undefined) {
    throw CommonErrors.invalidParameterCombination(
      `There is no pending ${request.ApplyAction} action for ${request.ResourceIdentifier}`,
    );
  }
  const optIns = optInTable(scope);
  if (request.OptInType === "immediate") {
    requireUsable(scope, cluster);
    optIns.delete(cluster.DbClusterResourceId);
    const shown = actionsOf(scope, cluster, target);
    upgrade(scope, cluster, target, scope.now);
    // RDS answers an immediate opt-in with the action as it now stands: opted in, applied now.
    shown.PendingMaintenanceActionDetails = shown.PendingMaintenanceActionDetails!.map((detail) => ({
      ...detail,
      OptInStatus: "immediate",
      CurrentApplyDate: new Date(scope.now),
    }));
    return { ResourcePendingMaintenanceActions: shown };
  }
  if (request.OptInType === "next-maintenance") {
    optIns.put(cluster.DbClusterResourceId, {
      clusterResourceId: cluster.DbClusterResourceId,
      EngineVersion: target,
      requestedAt: scope.now,
    });
  } else {
    optIns.delete(cluster.DbClusterResourceId);
  }
  return { ResourcePendingMaintenanceActions: actionsOf(scope, cluster, target) };
}

/**
 * Applies the `next-maintenance` opt-ins whose window has started: the upgrade starts at the window's start.
 * Opt-ins of clusters that are gone, or made stale by an upgrade done otherwise, are dropped.
 */
export function applyDueUpgrades(scope: NeptuneScope): void {
  const optIns = optInTable(scope);
  // Every request catches up: with no opt-in (the usual case) this costs one table lookup.
  if (optIns.size === 0) return;
  const clusters = new Map(
    clusterTable(scope.store, scope.accountId, scope.region)
      .values()
      .map((c) => [c.DbClusterResourceId, c]),
  );
  for (const optIn of optIns.values()) {
    const cluster = clusters.get(optIn.clusterResourceId);
    if (!cluster || optInOf(scope, cluster) === undefined) {
      optIns.delete(optIn.clusterResourceId);
      continue;
    }
    const at = nextMaintenanceStart(cluster.PreferredMaintenanceWindow, optIn.requestedAt);
    if (at > scope.now) continue;
    optIns.delete(optIn.clusterResourceId);
    upgrade(scope, cluster, optIn.EngineVersion, at);
  }
}
