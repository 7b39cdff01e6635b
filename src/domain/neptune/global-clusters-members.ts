import type { CreateDBClusterMessage, Tag } from "../../generated/neptune.js";
import { CommonErrors, type AwsError } from "../../protocol/errors.js";
import { neptuneFault } from "../../services/neptune/errors.js";
import type { Store, Table } from "../../state/store.js";
import { clusterArn, rdsArn } from "./arn.js";
import { supportsGlobalDatabases } from "./catalogue.js";
import { announceJoined } from "./global-clusters-events.js";
import type { NeptuneScope } from "./lifecycle.js";
import { clusterTable, saveCluster, type ClusterRecord, type Place } from "./records.js";

/**
 * Neptune global databases' records, how a cluster joins one (CreateDBCluster with GlobalClusterIdentifier) and the
 * membership questions other modules ask (is this cluster in a global database, may it write). The operations on
 * global databases are in global-clusters.ts.
 *
 * A global database belongs to an account and to no Region: its ARN has an empty Region field
 * (`arn:aws:rds::ACCOUNT:global-cluster:NAME`, Neptune API reference, GlobalCluster.GlobalClusterArn) and
 * DescribeGlobalClusters lists it from every Region. The store scopes every table by (account, region), so global
 * databases live in one pseudo-Region of their account, `aws-global` (the name IAM's account-wide tables use too).
 */

export const GLOBAL_CLUSTERS_TABLE = "neptune.globalClusters";
/** The pseudo-Region of account-wide rows (the same name domain/iam/records.ts uses for IAM's). */
export const ACCOUNT_WIDE_REGION = "aws-global";

/** A member cluster: its Region and its DbClusterResourceId (which a rename of the cluster keeps). */
export interface GlobalMember {
  region: string;
  clusterResourceId: string;
}

export type GlobalActivity = "creating" | "modifying" | "failing-over" | "switching-over" | "deleting";

/** A global database, shaped like the API's GlobalCluster; its Status is derived from `activity` and the clock. */
export interface GlobalClusterRecord {
  /** Stored lowercase, as RDS stores identifiers (*decided* for global databases: DescribeGlobalClusters'
   * GlobalClusterIdentifier "is not case-sensitive", API reference). */
  GlobalClusterIdentifier: string;
  GlobalClusterResourceId: string;
  Engine: "neptune";
  EngineVersion: string;
  StorageEncrypted: boolean;
  DeletionProtection: boolean;
  DatabaseName?: string;
  TagList: Tag[];
  /** The primary (the writer) first, then the secondaries in the order they joined. Empty: no cluster yet. */
  members: GlobalMember[];
  activity: { kind: GlobalActivity; since: number };
  /** While failing over or switching over: from which member to which, and whether data loss was allowed. */
  failover?: { from: GlobalMember; to: GlobalMember; allowDataLoss: boolean };
}

export const globalClusterTable = (store: Store, accountId: string): Table<GlobalClusterRecord> =>
  store.table(GLOBAL_CLUSTERS_TABLE, accountId, ACCOUNT_WIDE_REGION);

export const globalClusterArn = (accountId: string, id: string) => rdsArn("", accountId, "global-cluster", id);

/** The same request's view of another Region of the caller's account (a member cluster elsewhere). */
export const inRegion = (scope: NeptuneScope, region: string): NeptuneScope =>
  region === scope.region ? scope : { ...scope, region };

/** Every member's cluster, with the request's view of its Region; the primary first. */
export function placedMembers(scope: NeptuneScope, global: GlobalClusterRecord) {
  return global.members.map((member) => {
    const place = inRegion(scope, member.region);
    return { place, cluster: memberCluster(place, member)! };
  });
}

export const memberOf = (place: Place, cluster: ClusterRecord): GlobalMember => ({
  region: place.region,
  clusterResourceId: cluster.DbClusterResourceId,
});

export const sameMember = (x: GlobalMember, y: GlobalMember) =>
  x.region === y.region && x.clusterResourceId === y.clusterResourceId;

/** The member's cluster record; it exists while it is a member (a member can't be deleted). */
export function memberCluster(place: Place, member: GlobalMember): ClusterRecord | undefined {
  return clusterTable(place.store, place.accountId, member.region)
    .values()
    .find((c) => c.DbClusterResourceId === member.clusterResourceId);
}

export function memberArn(place: Place, member: GlobalMember): string {
  const cluster = memberCluster(place, member);
  return clusterArn(member.region, place.accountId, cluster?.DBClusterIdentifier ?? member.clusterResourceId);
}

/**
 * The global database the cluster belongs to, if any. The cluster's record names it, so that a cluster in none (the
 * usual case) costs no look at the account-wide table.
 */
export function globalClusterOf(place: Place, cluster: ClusterRecord): GlobalClusterRecord | undefined {
  const resourceId = cluster.globalClusterResourceId;
  if (resourceId === undefined) return undefined;
  return globalClusterTable(place.store, place.accountId)
    .values()
    .find((g) => g.GlobalClusterResourceId === resourceId);
}

/** Adds the cluster to the global database's members, or takes it out; its record follows. */
export function setMembership(
  place: Place,
  global: GlobalClusterRecord,
  cluster: ClusterRecord,
  member: boolean,
): void {
  const self = memberOf(place, cluster);
  global.members = global.members.filter((m) => !sameMember(m, self));
  if (member) global.members.push(self);
  cluster.globalClusterResourceId = member ? global.GlobalClusterResourceId : undefined;
  saveCluster(place, cluster);
}

/** Whether the cluster may have a writer instance: not when it is a secondary of a global database (read-only). */
export function mayWrite(place: Place, cluster: ClusterRecord): boolean {
  const global = globalClusterOf(place, cluster);
  return !global || sameMember(global.members[0]!, memberOf(place, cluster));
}

/** DBCluster.GlobalClusterIdentifier (API reference): shown for a member of a global database. */
export function globalMembershipView(place: Place, cluster: ClusterRecord): { GlobalClusterIdentifier?: string } {
  const global = globalClusterOf(place, cluster);
  return global ? { GlobalClusterIdentifier: global.GlobalClusterIdentifier } : {};
}

// ---------------------------------------------------------------------------------------------- status and lookups

/** *Decided*: every transition of a global database lasts as long as a cluster modification, a deletion as one. */
export function transitionMs(scope: NeptuneScope, kind: GlobalActivity): number {
  return kind === "deleting" ? scope.delays.deleteMs : scope.delays.clusterModifyMs;
}

/** creating / modifying / failing-over / switching-over / deleting while in progress, else available. */
export function globalStatus(scope: NeptuneScope, global: GlobalClusterRecord): string {
  const { kind, since } = global.activity;
  return scope.now < since + transitionMs(scope, kind) ? kind : "available";
}

/** The account's global databases, those whose deletion has finished removed first (no timers: DESIGN §5). */
export function globalClusters(scope: NeptuneScope): Table<GlobalClusterRecord> {
  const table = globalClusterTable(scope.store, scope.accountId);
  for (const global of table.values()) {
    if (global.activity.kind === "deleting" && globalStatus(scope, global) !== "deleting") {
      table.delete(global.GlobalClusterIdentifier);
    }
  }
  return table;
}

/** GlobalClusterNotFoundFault (404). *Decided* wording, in the style of "DBCluster <id> not found.". */
export function globalClusterNotFound(given: string): AwsError {
  return neptuneFault("GlobalClusterNotFoundFault", `GlobalCluster ${given} not found.`);
}

/** InvalidGlobalClusterStateFault (400) with `message`. */
export const globalStateFault = (message: string) => neptuneFault("InvalidGlobalClusterStateFault", message);

/** The caller's global database named (any case), or GlobalClusterNotFoundFault. */
export function findGlobalCluster(scope: NeptuneScope, given: string): GlobalClusterRecord {
  const global = globalClusters(scope).get(given.toLowerCase());
  if (!global) throw globalClusterNotFound(given);
  return global;
}

/** *Decided* wording: the global database must be available for the operation. */
export function requireGlobalAvailable(scope: NeptuneScope, global: GlobalClusterRecord): void {
  const status = globalStatus(scope, global);
  if (status !== "available") {
    throw globalStateFault(
      `GlobalCluster ${global.GlobalClusterIdentifier} is in ${status} state but expected it to be available.`,
    );
  }
}

// ---------------------------------------------------------------------------------------------- joining

/** "You can create up to five secondary read-only Neptune DB clusters" (Neptune User Guide, neptune-gdb-setup). */
export const MAX_SECONDARIES = 5;

/**
 * CreateDBCluster with GlobalClusterIdentifier: the checks, before anything is created, and the settings the new
 * cluster takes from the global database (its engine version; its encryption, with a key of the cluster's own
 * Region: KmsKeyId, or that Region's `aws/rds`). Rules (Neptune User Guide, neptune-gdb-setup): the global database
 * exists (GlobalClusterNotFoundFault) and is available; "The Neptune engine version used by all DB clusters in a
 * global database must be the same"; "no two Neptune DB clusters in a Neptune global database can be in the same
 * AWS Region"; at most five secondaries. The first cluster to join an empty global database is its primary
 * (neptune-gdb-creating-cli), every later one a secondary. The refusals' texts are *decided*.
 */
export function globalClusterToJoin(
  scope: NeptuneScope,
  request: Pick<CreateDBClusterMessage, "GlobalClusterIdentifier" | "EngineVersion" | "StorageEncrypted" | "KmsKeyId">,
): { global: GlobalClusterRecord; EngineVersion: string; StorageEncrypted: boolean } {
  const global = findGlobalCluster(scope, request.GlobalClusterIdentifier!);
  requireGlobalAvailable(scope, global);
  const id = global.GlobalClusterIdentifier;
  if (request.EngineVersion !== undefined && request.EngineVersion !== global.EngineVersion) {
    throw CommonErrors.invalidParameterCombination(
      `The engine version of a DB cluster in global cluster ${id} must be ${global.EngineVersion}.`,
    );
  }
  const encrypts = request.StorageEncrypted ?? (request.KmsKeyId ? true : undefined);
  if (encrypts !== undefined && encrypts !== global.StorageEncrypted) {
    throw CommonErrors.invalidParameterCombination(
      `The storage encryption of a DB cluster in global cluster ${id} must be that of the global cluster (StorageEncrypted ${global.StorageEncrypted}).`,
    );
  }
  if (global.members.some((m) => m.region === scope.region)) {
    throw globalStateFault(`GlobalCluster ${id} already has a DB cluster in Region ${scope.region}.`);
  }
  if (global.members.length > MAX_SECONDARIES) {
    throw globalStateFault(`GlobalCluster ${id} already has the maximum of ${MAX_SECONDARIES} secondary DB clusters.`);
  }
  return { global, EngineVersion: global.EngineVersion, StorageEncrypted: global.StorageEncrypted };
}

/** The new cluster joins: as the primary of an empty global database, else as a read-only secondary. */
export function joinGlobalCluster(scope: NeptuneScope, global: GlobalClusterRecord, cluster: ClusterRecord): void {
  announceJoined({ place: scope, cluster }, global.GlobalClusterIdentifier, global.members.length === 0);
  setMembership(scope, global, cluster, true);
  globalClusterTable(scope.store, scope.accountId).put(global.GlobalClusterIdentifier, global);
}

/**
 * The instance class rule of global databases (catalogue.ts, supportsGlobalDatabases). AWS's refusal, observed for
 * an instance created in a member cluster: "InvalidParameterCombination: The requested instance class is not
 * supported by global databases: db.t4g.medium" (HTTP 400; quoted in terraform-provider-aws issue 27736).
 * *Decided*: the same refusal for ModifyDBInstance to such a class, and for an existing cluster made the primary of
 * a new global database (CreateGlobalCluster with SourceDBClusterIdentifier) while one of its instances runs one. A
 * cluster that joins with CreateDBCluster has no instance yet: each is checked as it is created.
 */
export function checkGlobalInstanceClass(instanceClass: string): void {
  if (!supportsGlobalDatabases(instanceClass)) {
    throw CommonErrors.invalidParameterCombination(
      `The requested instance class is not supported by global databases: ${instanceClass}`,
    );
  }
}

/** The class rule for an instance of `cluster`, which applies while the cluster is a member of a global database. */
export function checkMemberInstanceClass(place: Place, cluster: ClusterRecord, instanceClass: string): void {
  if (globalClusterOf(place, cluster)) checkGlobalInstanceClass(instanceClass);
}

/**
 * What a member of a global database may not do alone. Deleting it: observed "This cluster is a part of a global
 * cluster, please remove it from globalcluster first" (InvalidDBClusterStateFault; quoted by the Terraform AWS
 * provider, which works around it). Upgrading its engine alone (the members' versions must stay equal): *decided*
 * in the same words, naming ModifyGlobalCluster.
 */
export const MEMBER_DELETE = "please remove it from globalcluster first";
export const MEMBER_UPGRADE = "please upgrade its engine version with ModifyGlobalCluster";

export function refuseIfMember(place: Place, cluster: ClusterRecord, what: string): void {
  if (globalClusterOf(place, cluster)) {
    throw neptuneFault("InvalidDBClusterStateFault", `This cluster is a part of a global cluster, ${what}`);
  }
}

/**
 * Where a cluster's graph is: a secondary reads its primary's ("Neptune replicates the written data to all the
 * secondary DB clusters", User Guide, neptune-global-database; here at once, with no lag), through the primary's
 * own storage and key. Its instances are readers, so it never writes there. A cluster that becomes the primary, or
 * is detached, gets the graph in its own storage first (global-clusters-graphs.ts), so it serves it from there.
 */
export function graphSourceOf<S extends Place>(scope: S, cluster: ClusterRecord): { scope: S; cluster: ClusterRecord } {
  const primary = globalClusterOf(scope, cluster)?.members[0];
  if (!primary || sameMember(primary, memberOf(scope, cluster))) return { scope, cluster };
  const place = { ...scope, region: primary.region };
  const source = memberCluster(place, primary);
  return source ? { scope: place, cluster: source } : { scope, cluster };
}
