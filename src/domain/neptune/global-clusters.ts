import type {
  CreateGlobalClusterMessage,
  DeleteGlobalClusterMessage,
  DescribeGlobalClustersMessage,
  FailoverGlobalClusterMessage,
  GlobalCluster,
  GlobalClustersMessage,
  ModifyGlobalClusterMessage,
  RemoveFromGlobalClusterMessage,
  SwitchoverGlobalClusterMessage,
} from "../../generated/neptune.js";
import { CommonErrors } from "../../protocol/errors.js";
import { neptuneFault } from "../../services/neptune/errors.js";
import { parseRdsArn } from "./arn.js";
import { checkEngineName, DEFAULT_ENGINE_VERSION, ENGINE } from "./catalogue.js";
import { checkEngineVersion } from "./cluster-settings.js";
import { requireUsable } from "./cluster-state.js";
import { checkUpgrade, newClusterResourceId, promotionOrder, upgradeEngine } from "./clusters.js";
import {
  checkGlobalInstanceClass,
  findGlobalCluster,
  globalClusterArn,
  globalClusterOf,
  globalClusters,
  globalStateFault,
  globalStatus,
  inRegion,
  memberArn,
  memberOf,
  placedMembers,
  requireGlobalAvailable,
  sameMember,
  setMembership,
  transitionMs,
  type GlobalActivity,
  type GlobalClusterRecord,
  type GlobalMember,
} from "./global-clusters-members.js";
import { announceJoined, announcePrimaryChange, announceRemoved } from "./global-clusters-events.js";
import { handOverGraph } from "./global-clusters-graphs.js";
import type { NeptuneScope } from "./lifecycle.js";
import { listPage } from "./listing.js";
import { clusterNotFound, findCluster, membersOf } from "./lookups.js";
import { saveCluster, type ClusterRecord } from "./records.js";
import { validateTags } from "./tags.js";

/**
 * Neptune global databases (Create/Describe/Modify/Delete/RemoveFrom/Failover/SwitchoverGlobalCluster): one primary
 * cluster that writes and up to five read-only secondaries, each in another Region of the same account. Rules:
 * Neptune API reference (the operations, GlobalCluster, GlobalClusterMember) and User Guide (neptune-gdb-setup,
 * neptune-gdb-managing, "managed planned failover", "detach-and-promote"); texts quoted where AWS's are known
 * (moto's RDS suite copies them), else *decided*. How a cluster joins (CreateDBCluster) and the records are in
 * global-clusters-members.ts. A secondary's instances are all readers; it answers reads from its primary's graph
 * (graphSourceOf there); the graph moves into a cluster's own storage, under its own key, when the cluster becomes
 * the primary or is detached (global-clusters-graphs.ts).
 */

/** *Decided*: global databases per account (AWS's quota is adjustable and not published for Neptune). */
export const GLOBAL_CLUSTER_QUOTA = 5;

/** GlobalClusterAlreadyExistsFault (400); *decided* wording. */
const globalClusterExists = (id: string) =>
  neptuneFault("GlobalClusterAlreadyExistsFault", `GlobalCluster ${id} already exists.`);

// ---------------------------------------------------------------------------------------------- view

function globalView(
  scope: NeptuneScope,
  global: GlobalClusterRecord,
  status = globalStatus(scope, global),
): GlobalCluster {
  const arnOf = (member: GlobalMember) => memberArn(scope, member);
  const failover = global.failover;
  const inFailover = failover && (status === "failing-over" || status === "switching-over");
  return {
    GlobalClusterIdentifier: global.GlobalClusterIdentifier,
    GlobalClusterResourceId: global.GlobalClusterResourceId,
    GlobalClusterArn: globalClusterArn(scope.accountId, global.GlobalClusterIdentifier),
    Status: status,
    Engine: global.Engine,
    EngineVersion: global.EngineVersion,
    ...(global.DatabaseName !== undefined ? { DatabaseName: global.DatabaseName } : {}),
    StorageEncrypted: global.StorageEncrypted,
    DeletionProtection: global.DeletionProtection,
    // The writer lists the secondaries as its Readers (API reference, GlobalClusterMember.Readers).
    GlobalClusterMembers: global.members.map((member, index) => ({
      DBClusterArn: arnOf(member),
      Readers: index === 0 ? global.members.slice(1).map(arnOf) : [],
      IsWriter: index === 0,
    })),
    ...(inFailover
      ? {
          FailoverState: {
            Status: "failing-over",
            FromDbClusterArn: arnOf(failover.from),
            ToDbClusterArn: arnOf(failover.to),
            IsDataLossAllowed: failover.allowDataLoss,
          },
        }
      : {}),
    TagList: global.TagList.map((tag) => ({ ...tag })),
  };
}

/** Stores a change and starts a transition; the response shows it begun even when the delays make it instant. */
function begin(scope: NeptuneScope, global: GlobalClusterRecord, kind: GlobalActivity): GlobalCluster {
  global.activity = { kind, since: scope.now };
  globalClusters(scope).put(global.GlobalClusterIdentifier, global);
  return globalView(scope, global, kind);
}

// ---------------------------------------------------------------------------------------------- members

/**
 * A cluster named by ARN (any Region of the caller's account) or by identifier (the request's Region), as
 * RemoveFromGlobalCluster's DbClusterIdentifier and the failover targets name them (the API reference asks for the
 * ARN). Another account's ARN is not found, as everywhere (lookups.ts).
 */
function namedCluster(scope: NeptuneScope, given: string): { place: NeptuneScope; cluster: ClusterRecord } {
  const arn = given.startsWith("arn:") ? parseRdsArn(given) : undefined;
  if (given.startsWith("arn:") && (!arn || arn.accountId !== scope.accountId)) throw clusterNotFound(given);
  const place = arn ? inRegion(scope, arn.region) : scope;
  return { place, cluster: findCluster(place, given) };
}

/** The named cluster as a member of the global database; *decided*: a cluster that isn't one is not found in it. */
function findMember(scope: NeptuneScope, global: GlobalClusterRecord, given: string) {
  const { place, cluster } = namedCluster(scope, given);
  const member = memberOf(place, cluster);
  if (!global.members.some((m) => sameMember(m, member))) {
    throw neptuneFault(
      "DBClusterNotFoundFault",
      `DBCluster ${given} is not a member of GlobalCluster ${global.GlobalClusterIdentifier}.`,
    );
  }
  return { place, cluster, member };
}

/** A cluster's writer: a primary (or standalone) cluster writes through its first instance in promotion order. */
function setWriter(place: NeptuneScope, cluster: ClusterRecord, writes: boolean): void {
  const instances = membersOf(place, cluster.DBClusterIdentifier).filter((m) => m.activity.kind !== "deleting");
  cluster.writer = writes ? promotionOrder(instances)[0]?.DBInstanceIdentifier : undefined;
  saveCluster(place, cluster);
}

// ---------------------------------------------------------------------------------------------- create

/** The inherited settings given with SourceDBClusterIdentifier, by the name AWS's message uses. */
const INHERITED = [
  ["Engine", "engineName"],
  ["EngineVersion", "engineVersion"],
  ["StorageEncrypted", "storageEncrypted"],
  ["DatabaseName", "databaseName"],
] as const;

/**
 * The settings of a global database made from an existing cluster (SourceDBClusterIdentifier: "The Amazon Resource
 * Name (ARN) of an existing Neptune DB cluster to use as the primary cluster"). Observed (moto's RDS suite):
 * "Malformed db cluster arn <value>" for a value that is not an ARN (InvalidParameterValue), and "When creating
 * global cluster from existing db cluster, value for engineName should not be specified since it will be inherited
 * from source cluster" (InvalidParameterCombination; the same text for databaseName is quoted by users; *decided*
 * for engineVersion and storageEncrypted). The cluster must be available and in no other global database, and its
 * instances (their classes, and any class change pending) of classes global databases take (checkGlobalInstanceClass).
 */
function fromSourceCluster(scope: NeptuneScope, request: CreateGlobalClusterMessage, source: string) {
  for (const [member, name] of INHERITED) {
    if (request[member] !== undefined) {
      throw CommonErrors.invalidParameterCombination(
        `When creating global cluster from existing db cluster, value for ${name} should not be specified since it will be inherited from source cluster`,
      );
    }
  }
  if (!source.startsWith("arn:")) throw CommonErrors.invalidParameterValue(`Malformed db cluster arn ${source}`);
  const { place, cluster } = namedCluster(scope, source);
  const other = globalClusterOf(place, cluster);
  if (other) {
    throw neptuneFault(
      "InvalidDBClusterStateFault",
      `DbCluster ${cluster.DBClusterIdentifier} is already a member of GlobalCluster ${other.GlobalClusterIdentifier}.`,
    );
  }
  requireUsable(place, cluster);
  for (const instance of membersOf(place, cluster.DBClusterIdentifier)) {
    if (instance.activity.kind === "deleting") continue;
    checkGlobalInstanceClass(instance.DBInstanceClass);
    if (instance.pending?.DBInstanceClass) checkGlobalInstanceClass(instance.pending.DBInstanceClass);
  }
  return {
    EngineVersion: cluster.EngineVersion,
    StorageEncrypted: cluster.StorageEncrypted,
    primary: { place, cluster },
  };
}

/**
 * The settings of an empty global database. Observed (moto's RDS suite): "When creating standalone global cluster,
 * value for engineName should be specified" (InvalidParameterValue). EngineVersion "Valid values: 1.2.0.0 or
 * above" (API reference): every release in the catalogue is (catalogue.ts), so the catalogue's check is the rule;
 * the default is the catalogue's.
 */
function standalone(request: CreateGlobalClusterMessage) {
  if (request.Engine === undefined || request.Engine === "") {
    throw CommonErrors.invalidParameterValue(
      "When creating standalone global cluster, value for engineName should be specified",
    );
  }
  checkEngineName(request.Engine);
  const EngineVersion = request.EngineVersion ?? DEFAULT_ENGINE_VERSION;
  checkEngineVersion(EngineVersion);
  return { EngineVersion, StorageEncrypted: request.StorageEncrypted ?? false, primary: undefined };
}

/**
 * CreateGlobalCluster. Order of checks: the settings (from the source cluster, or standalone), tags, a free
 * identifier (GlobalClusterAlreadyExistsFault), the quota (GlobalClusterQuotaExceededFault). An existing cluster
 * becomes the primary; its instances keep writing.
 */
export function createGlobalCluster(scope: NeptuneScope, request: CreateGlobalClusterMessage): GlobalCluster {
  const id = request.GlobalClusterIdentifier.toLowerCase();
  const source = request.SourceDBClusterIdentifier;
  const settings = source ? fromSourceCluster(scope, request, source) : standalone(request);
  const tags = request.Tags ?? [];
  validateTags(tags);
  const table = globalClusters(scope);
  if (table.has(id)) throw globalClusterExists(id);
  if (table.size >= GLOBAL_CLUSTER_QUOTA) {
    throw neptuneFault(
      "GlobalClusterQuotaExceededFault",
      `The number of global clusters for this account is already at the maximum allowed (${GLOBAL_CLUSTER_QUOTA}).`,
    );
  }
  const { primary, ...inherited } = settings;
  const global: GlobalClusterRecord = {
    GlobalClusterIdentifier: id,
    // The same form as a cluster's resource id (a GlobalClusterResourceId is `cluster-…` too).
    GlobalClusterResourceId: newClusterResourceId(),
    Engine: ENGINE,
    ...inherited,
    members: [],
    DeletionProtection: request.DeletionProtection ?? false,
    ...(request.DatabaseName !== undefined ? { DatabaseName: request.DatabaseName } : {}),
    TagList: tags.map((tag) => ({ ...tag })),
    activity: { kind: "creating", since: scope.now },
  };
  if (primary) {
    announceJoined(primary, id, true);
    setMembership(primary.place, global, primary.cluster, true);
  }
  return begin(scope, global, "creating");
}

// ---------------------------------------------------------------------------------------------- describe

/** DescribeGlobalClusters: one (GlobalClusterNotFoundFault if absent) or all of the account's, from any Region. */
export function describeGlobalClusters(
  scope: NeptuneScope,
  request: DescribeGlobalClustersMessage,
): GlobalClustersMessage {
  const list =
    request.GlobalClusterIdentifier !== undefined
      ? [findGlobalCluster(scope, request.GlobalClusterIdentifier)]
      : globalClusters(scope)
          .values()
          .sort((x, y) => x.GlobalClusterIdentifier.localeCompare(y.GlobalClusterIdentifier));
  return listPage("GlobalClusters", list, request, (g) => globalView(scope, g));
}

// ---------------------------------------------------------------------------------------------- modify

/**
 * ModifyGlobalCluster: NewGlobalClusterIdentifier (a free name, else GlobalClusterAlreadyExistsFault),
 * DeletionProtection, EngineVersion (every member is upgraded with it: "all DB clusters … must be the same";
 * downgrades and major upgrades without AllowMajorVersionUpgrade are refused as ModifyDBCluster refuses them; every
 * member must be available). A rename or an upgrade puts the global database in `modifying`.
 */
export function modifyGlobalCluster(scope: NeptuneScope, request: ModifyGlobalClusterMessage): GlobalCluster {
  const global = findGlobalCluster(scope, request.GlobalClusterIdentifier);
  requireGlobalAvailable(scope, global);
  const table = globalClusters(scope);
  const newId = request.NewGlobalClusterIdentifier?.toLowerCase();
  const renamed = newId !== undefined && newId !== global.GlobalClusterIdentifier;
  if (renamed && table.has(newId)) throw globalClusterExists(newId);
  const upgrade = request.EngineVersion !== undefined && request.EngineVersion !== global.EngineVersion;
  const members = placedMembers(scope, global);
  let family: string | undefined;
  if (upgrade) {
    family = checkUpgrade(global.EngineVersion, request.EngineVersion!, request.AllowMajorVersionUpgrade);
    for (const { place, cluster } of members) requireUsable(place, cluster);
  }

  if (request.DeletionProtection !== undefined) global.DeletionProtection = request.DeletionProtection;
  if (upgrade) {
    const familyChanged = family !== checkEngineVersion(global.EngineVersion);
    global.EngineVersion = request.EngineVersion!;
    for (const { place, cluster } of members) {
      upgradeEngine(place, cluster, global.EngineVersion, familyChanged ? family : undefined);
    }
  }
  if (renamed) {
    table.delete(global.GlobalClusterIdentifier);
    global.GlobalClusterIdentifier = newId;
  }
  if (renamed || upgrade) return begin(scope, global, "modifying");
  table.put(global.GlobalClusterIdentifier, global);
  return globalView(scope, global);
}

// ---------------------------------------------------------------------------------------------- delete

/**
 * DeleteGlobalCluster: only without members. Observed (moto's RDS suite): "Global Cluster <arn> is not empty"
 * (InvalidGlobalClusterStateFault). "The global database can't be deleted when deletion protection is enabled"
 * (API reference; *decided* wording). `deleting`, then gone.
 */
export function deleteGlobalCluster(scope: NeptuneScope, request: DeleteGlobalClusterMessage): GlobalCluster {
  const global = findGlobalCluster(scope, request.GlobalClusterIdentifier);
  const arn = globalClusterArn(scope.accountId, global.GlobalClusterIdentifier);
  const status = globalStatus(scope, global);
  if (status === "deleting") {
    throw globalStateFault(`GlobalCluster ${global.GlobalClusterIdentifier} is already being deleted.`);
  }
  if (global.DeletionProtection) {
    throw globalStateFault(
      `Global Cluster ${arn} has deletion protection enabled. Disable deletion protection and try again.`,
    );
  }
  if (global.members.length > 0) throw globalStateFault(`Global Cluster ${arn} is not empty`);
  return begin(scope, global, "deleting");
}

// ---------------------------------------------------------------------------------------------- remove

/**
 * RemoveFromGlobalCluster: "Detaches a Neptune DB cluster from a Neptune global database. A secondary cluster
 * becomes a normal standalone cluster with read-write capability instead of being read-only" (API reference): its
 * first instance in promotion order becomes its writer, and its storage keeps the graph it served (sealed under its
 * own key: handOverGraph). *Decided*: the primary may leave only as the last member (its secondaries would be left
 * without a writer); a secondary whose storage or whose primary's storage can't be opened (a KMS key unusable) is
 * refused with the operation's InvalidGlobalClusterStateFault (its modelled state error) and AWS's state wording.
 */
export function removeFromGlobalCluster(scope: NeptuneScope, request: RemoveFromGlobalClusterMessage): GlobalCluster {
  const global = findGlobalCluster(scope, request.GlobalClusterIdentifier);
  requireGlobalAvailable(scope, global);
  const { place, cluster, member } = findMember(scope, global, request.DbClusterIdentifier);
  const isPrimary = sameMember(global.members[0]!, member);
  if (isPrimary && global.members.length > 1) {
    throw globalStateFault(
      `DbCluster ${cluster.DBClusterIdentifier} is the primary cluster of GlobalCluster ${global.GlobalClusterIdentifier}: remove its secondary clusters first.`,
    );
  }
  if (!isPrimary) handOverGraph({ place, cluster }, placedMembers(scope, global)[0]!, globalStateFault);
  setMembership(place, global, cluster, false);
  globalClusters(scope).put(global.GlobalClusterIdentifier, global);
  if (!isPrimary) setWriter(place, cluster, true);
  announceRemoved({ place, cluster }, global.GlobalClusterIdentifier);
  return globalView(scope, global);
}

// ---------------------------------------------------------------------------------------------- failover, switchover

/**
 * Makes `TargetDbClusterIdentifier`, a secondary, the primary: the old primary becomes a secondary (its instances
 * readers), the target's first instance in promotion order its writer. Both clusters are `failing-over` and the
 * global database `failing-over` or `switching-over` (with its FailoverState) for a cluster modification's time.
 * A switchover ("managed planned failover", no data loss) needs every member available; a failover with data loss
 * (the primary's Region is assumed lost) only the target, and the old primary's storage readable. The graph moves
 * into the target's storage, under its own key (handOverGraph), before anything else changes.
 */
function changePrimary(
  scope: NeptuneScope,
  request: { GlobalClusterIdentifier: string; TargetDbClusterIdentifier: string },
  allowDataLoss: boolean,
): GlobalCluster {
  const global = findGlobalCluster(scope, request.GlobalClusterIdentifier);
  requireGlobalAvailable(scope, global);
  const target = findMember(scope, global, request.TargetDbClusterIdentifier);
  const from = global.members[0]!;
  if (sameMember(from, target.member)) {
    throw neptuneFault(
      "InvalidDBClusterStateFault",
      `DbCluster ${target.cluster.DBClusterIdentifier} is already the primary cluster of GlobalCluster ${global.GlobalClusterIdentifier}.`,
    );
  }
  const members = placedMembers(scope, global);
  const primary = members[0]!;
  requireUsable(target.place, target.cluster);
  if (!allowDataLoss) for (const { place, cluster } of members) requireUsable(place, cluster);

  handOverGraph(target, primary, (message) => neptuneFault("InvalidDBClusterStateFault", message));

  global.members = [target.member, ...global.members.filter((m) => !sameMember(m, target.member))];
  global.failover = { from, to: target.member, allowDataLoss };
  for (const [{ place, cluster }, writes] of [
    [primary, false],
    [target, true],
  ] as const) {
    setWriter(place, cluster, writes);
    cluster.activity = { kind: "failing-over", since: scope.now };
    saveCluster(place, cluster);
  }
  const kind = allowDataLoss ? "failing-over" : "switching-over";
  announcePrimaryChange(placedMembers(scope, global), {
    from: primary,
    to: target,
    allowDataLoss,
    endsAt: scope.now + transitionMs(scope, kind),
  });
  return begin(scope, global, kind);
}

/**
 * FailoverGlobalCluster. "AllowDataLoss … If you don't specify AllowDataLoss, the global database cluster operation
 * defaults to a switchover"; AllowDataLoss and Switchover "Can't be specified together" (API reference; *decided*
 * wording).
 */
export function failoverGlobalCluster(scope: NeptuneScope, request: FailoverGlobalClusterMessage): GlobalCluster {
  if (request.AllowDataLoss && request.Switchover) {
    throw CommonErrors.invalidParameterCombination("AllowDataLoss and Switchover can't be specified together.");
  }
  return changePrimary(scope, request, request.AllowDataLoss === true);
}

/** SwitchoverGlobalCluster: a managed planned failover, no data loss. */
export function switchoverGlobalCluster(scope: NeptuneScope, request: SwitchoverGlobalClusterMessage): GlobalCluster {
  return changePrimary(scope, request, false);
}
