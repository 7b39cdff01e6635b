import { rootPrincipal } from "../auth/identities.js";
import { aliasTable, grantTable, keyState, keyTable } from "../domain/kms/records.js";
import type { KmsServiceAccess } from "../domain/kms/service-access.js";
import { IAM_REGION_SCOPE, IAM_TABLES, type RoleRecord, type UserRecord } from "../domain/iam/records.js";
import { clusterView } from "../domain/neptune/cluster-view.js";
import { describeEvents } from "../domain/neptune/events.js";
import { instanceView } from "../domain/neptune/instances.js";
import type { NeptuneScope } from "../domain/neptune/lifecycle.js";
import { membersByCluster } from "../domain/neptune/lookups.js";
import {
  CLUSTERS_TABLE,
  CLUSTER_SNAPSHOTS_TABLE,
  clusterSnapshotTable,
  clusterTable,
  INSTANCES_TABLE,
} from "../domain/neptune/records.js";
import { own, snapshotView } from "../domain/neptune/snapshots.js";
import type { Emulator } from "../emulator.js";
import { clusterGraphView, type ClusterGraphDoc } from "./graph-view.js";
import { accountOfPrincipal, keyPolicyView, type StatementView } from "./key-policy-view.js";

/**
 * The console's picture of the state, read through the domain's own views (the status, PercentProgress and members
 * that Describe* would show) and built field by field from an allow-list: a document never copies a record, so
 * key material, wrapped data keys, graph property values, secret access keys and session tokens cannot reach it. Read only: no
 * catch-up runs here (a finished deletion is swept by the next AWS request, as then), nothing is written.
 */

export interface InstanceDoc {
  id: string;
  instanceClass: string;
  status: string;
  role: "writer" | "reader";
  endpoint?: string;
}

export interface ClusterDoc extends ClusterGraphDoc {
  region: string;
  id: string;
  arn: string;
  status: string;
  engineVersion: string;
  encrypted: boolean;
  kmsKeyId?: string;
  endpoint: string;
  readerEndpoint: string;
  instances: InstanceDoc[];
  createdAt: string;
}

export interface SnapshotDoc {
  region: string;
  id: string;
  arn: string;
  clusterId: string;
  type: string;
  status: string;
  percentProgress: number;
  encrypted: boolean;
  kmsKeyId?: string;
  /** The `restore` attribute: account ids, or `all`. */
  sharedWith: string[];
  /** The snapshot it was copied from (SourceDBClusterSnapshotArn). */
  copiedFrom?: string;
  createdAt: string;
}

export interface GrantDoc {
  grantId: string;
  name?: string;
  grantee: string;
  retiring?: string;
  operations: string[];
  createdAt: string;
}

export interface KeyDoc {
  region: string;
  keyId: string;
  arn: string;
  aliases: string[];
  state: string;
  manager: string;
  description: string;
  spec: string;
  usage: string;
  createdAt: string;
  policy: StatementView[];
  grants: GrantDoc[];
}

export interface IamDoc {
  users: { name: string; arn: string; createdAt: string; groups: string[]; accessKeys: number }[];
  roles: { name: string; arn: string; createdAt: string; description?: string; trustedAccounts: string[] }[];
}

export interface EventDoc {
  region: string;
  at: string;
  sourceType: string;
  sourceId: string;
  message: string;
}

export interface AccountDoc {
  accountId: string;
  /** The Regions where the account holds Neptune or KMS state. */
  regions: string[];
  clusters: ClusterDoc[];
  snapshots: SnapshotDoc[];
  keys: KeyDoc[];
  iam: IamDoc;
  events: EventDoc[];
}

const iso = (time: number | Date | undefined) => (time === undefined ? "" : new Date(time).toISOString());

/** The tables whose rows make an (account, region) one that "holds state". */
const PLACE_TABLES = [CLUSTERS_TABLE, INSTANCES_TABLE, CLUSTER_SNAPSHOTS_TABLE, "kms.keys"];

/** Every account that holds state, each with its Regions, in account order. */
export function accountsView(emulator: Emulator): AccountDoc[] {
  const regions = new Map<string, Set<string>>();
  const add = (accountId: string, region?: string) => {
    let set = regions.get(accountId);
    if (!set) regions.set(accountId, (set = new Set()));
    if (region) set.add(region);
  };
  for (const name of PLACE_TABLES)
    for (const { accountId, region } of emulator.store.scopes(name))
      if (emulator.store.table(name, accountId, region).size > 0) add(accountId, region);
  for (const name of [IAM_TABLES.users, IAM_TABLES.roles])
    for (const { accountId } of emulator.store.scopes(name))
      if (accountId !== IAM_REGION_SCOPE && emulator.store.table(name, accountId, IAM_REGION_SCOPE).size > 0)
        add(accountId);
  return [...regions.keys()]
    .sort()
    .map((accountId) => accountView(emulator, accountId, [...regions.get(accountId)!].sort()));
}

function accountView(emulator: Emulator, accountId: string, regions: string[]): AccountDoc {
  const doc: AccountDoc = {
    accountId,
    regions,
    clusters: [],
    snapshots: [],
    keys: [],
    iam: iamView(emulator, accountId),
    events: [],
  };
  for (const region of regions) {
    const scope = readScope(emulator, accountId, region);
    doc.clusters.push(...clustersIn(scope));
    doc.snapshots.push(...snapshotsIn(scope));
    doc.keys.push(...keysIn(emulator, accountId, region));
    doc.events.push(...eventsIn(scope));
  }
  doc.events.sort((a, b) => b.at.localeCompare(a.at));
  return doc;
}

/** A Neptune scope for reading as the account's root, at the emulator's time. */
function readScope(emulator: Emulator, accountId: string, region: string): NeptuneScope {
  return {
    store: emulator.store,
    delays: emulator.delays,
    ports: emulator.dataPlane.ports,
    graphs: emulator.dataPlane.graphs,
    kms: emulator.kms as KmsServiceAccess | undefined,
    principal: rootPrincipal(accountId),
    accountId,
    region,
    now: emulator.clock.now().getTime(),
  };
}

function clustersIn(scope: NeptuneScope): ClusterDoc[] {
  const members = membersByCluster(scope);
  return clusterTable(scope.store, scope.accountId, scope.region)
    .values()
    .map((cluster) => {
      const shown = members.get(cluster.DBClusterIdentifier) ?? [];
      const view = clusterView(scope, cluster, shown);
      return {
        region: scope.region,
        id: cluster.DBClusterIdentifier,
        arn: view.DBClusterArn ?? "",
        status: view.Status ?? "",
        engineVersion: cluster.EngineVersion,
        encrypted: cluster.StorageEncrypted,
        ...(view.KmsKeyId ? { kmsKeyId: view.KmsKeyId } : {}),
        endpoint: `${view.Endpoint}:${view.Port}`,
        readerEndpoint: `${view.ReaderEndpoint}:${view.Port}`,
        instances: shown.map((instance) => {
          const shownInstance = instanceView(scope, instance, cluster);
          const endpoint = shownInstance.Endpoint;
          return {
            id: instance.DBInstanceIdentifier,
            instanceClass: instance.DBInstanceClass,
            status: shownInstance.DBInstanceStatus ?? "",
            role: cluster.writer === instance.DBInstanceIdentifier ? "writer" : "reader",
            ...(endpoint ? { endpoint: `${endpoint.Address}:${endpoint.Port}` } : {}),
          } satisfies InstanceDoc;
        }),
        createdAt: iso(cluster.ClusterCreateTime),
        ...clusterGraphView(scope, cluster, shown),
      };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

function snapshotsIn(scope: NeptuneScope): SnapshotDoc[] {
  return clusterSnapshotTable(scope.store, scope.accountId, scope.region)
    .values()
    .map((record) => {
      const view = snapshotView(scope, own(scope, record));
      return {
        region: scope.region,
        id: record.DBClusterSnapshotIdentifier,
        arn: record.DBClusterSnapshotArn,
        clusterId: record.DBClusterIdentifier,
        type: record.SnapshotType,
        status: view.Status ?? "",
        percentProgress: view.PercentProgress ?? 0,
        encrypted: record.StorageEncrypted,
        ...(record.KmsKeyId ? { kmsKeyId: record.KmsKeyId } : {}),
        sharedWith: [...(record.sharedWith ?? [])],
        ...(record.SourceDBClusterSnapshotArn ? { copiedFrom: record.SourceDBClusterSnapshotArn } : {}),
        createdAt: iso(record.SnapshotCreateTime),
      };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

function keysIn(emulator: Emulator, accountId: string, region: string): KeyDoc[] {
  const now = emulator.clock.now().getTime();
  const aliases = aliasTable(emulator, accountId, region).values();
  const grants = grantTable(emulator, accountId, region).values();
  return (
    keyTable(emulator, accountId, region)
      .values()
      // A key past its deletion date is gone (KMS purges it on its next read; this view only leaves it out).
      .filter((key) => key.DeletionDate === undefined || key.DeletionDate > now)
      .map((key) => ({
        region,
        keyId: key.KeyId,
        arn: key.Arn,
        aliases: aliases
          .filter((a) => a.TargetKeyId === key.KeyId)
          .map((a) => a.AliasName)
          .sort(),
        state: keyState(key),
        manager: key.KeyManager,
        description: key.Description,
        spec: key.KeySpec ?? "SYMMETRIC_DEFAULT",
        usage: key.KeyUsage ?? "ENCRYPT_DECRYPT",
        createdAt: iso(key.CreationDate),
        policy: keyPolicyView(key.Policy, accountId),
        grants: grants
          .filter((grant) => grant.KeyId === key.KeyId)
          .map((grant) => ({
            grantId: grant.GrantId,
            ...(grant.Name ? { name: grant.Name } : {}),
            grantee: grant.GranteePrincipal,
            ...(grant.RetiringPrincipal ? { retiring: grant.RetiringPrincipal } : {}),
            operations: [...grant.Operations],
            createdAt: iso(grant.CreationDate),
          })),
      }))
      .sort((a, b) => a.arn.localeCompare(b.arn))
  );
}

function iamView(emulator: Emulator, accountId: string): IamDoc {
  const users = emulator.store.table<UserRecord>(IAM_TABLES.users, accountId, IAM_REGION_SCOPE).values();
  const roles = emulator.store.table<RoleRecord>(IAM_TABLES.roles, accountId, IAM_REGION_SCOPE).values();
  return {
    users: users
      .map((user) => ({
        name: user.UserName,
        arn: user.Arn,
        createdAt: iso(user.CreateDate),
        groups: [...user.groups],
        // How many, never which: the ids are credentials' halves.
        accessKeys: user.accessKeys.length,
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    roles: roles
      .map((role) => ({
        name: role.RoleName,
        arn: role.Arn,
        createdAt: iso(role.CreateDate),
        ...(role.Description ? { description: role.Description } : {}),
        trustedAccounts: trustedAccounts(role.trustPolicy),
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}

/** The accounts a role's trust policy names (as principals), for "who may assume it". */
function trustedAccounts(trustPolicy: string): string[] {
  try {
    const document = JSON.parse(trustPolicy) as { Statement?: unknown };
    const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
    const accounts = new Set<string>();
    for (const statement of statements as { Principal?: { AWS?: string | string[] } }[]) {
      const aws = statement?.Principal?.AWS;
      for (const value of Array.isArray(aws) ? aws : aws ? [aws] : []) {
        const account = accountOfPrincipal(value);
        if (account) accounts.add(account);
      }
    }
    return [...accounts].sort();
  } catch {
    return [];
  }
}

/** The most recent events (DescribeEvents' default window and page: the last hour, up to 100). */
function eventsIn(scope: NeptuneScope): EventDoc[] {
  return describeEvents(scope, {}).Events.map((event) => ({
    region: scope.region,
    at: iso(event.Date),
    sourceType: event.SourceType ?? "",
    sourceId: event.SourceIdentifier ?? "",
    message: event.Message ?? "",
  }));
}
