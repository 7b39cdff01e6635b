import { isAwsManagedAlias, sourceCmkSnapshotName, sourceManualSnapshotName } from "./names.js";
import type { Discovered, KeyFacts, MigrateInputs, Plan, Side, StepId } from "./types.js";

/**
 * THE table of the IAM actions `trident migrate` needs, each on the resource it is needed on. plan checks every
 * row (permissions.ts), the least-privilege policy is built from it (permissions-policy.ts), and
 * docs/migrate-permissions.md describes the same rows (a test checks that the doc names every action here).
 *
 * Actions are the concrete ones the emulator and AWS authorize (`kms:ReEncryptFrom`, not `kms:ReEncrypt*`), so a
 * policy built from them grants nothing more. The `kms:*` rows of the copy, the restore and the snapshot are the
 * calls RDS makes on the caller's behalf ("via rds", kms:ViaService = rds.REGION.amazonaws.com): the caller's own
 * IAM policy must allow them, and across accounts the key policy must too (that is the key-policy step's job).
 */

/** What a row's actions are needed on; resolved to ARNs for one migration by `resourcesOf`. */
export type ResourceKind =
  /** Actions without resource-level permissions (kms:ListAliases, kms:CreateKey): `*`. */
  | "any-source"
  | "any-target"
  /** ListAliases finds `alias/aws/…` given by name (discover.ts: DescribeKey on it would create it). */
  | "source-alias-lookup"
  | "target-alias-lookup"
  | "source-cluster"
  | "source-instances"
  | "source-snapshots"
  /** The snapshots plan looks for on the source (discover.ts reads both names whatever the key turns out to be). */
  | "source-snapshot-reads"
  /** The key that encrypts the source, read by plan. */
  | "source-key"
  /** The same key when customer-managed (an AWS-managed key's own policy lets its account use it via RDS). */
  | "source-cmk"
  /** The customer-managed key of the shared snapshot (the source's, the one given, or the one created). */
  | "share-key"
  | "created-key-alias"
  | "target-cluster"
  | "target-instances"
  | "target-snapshots"
  | "target-parameter-group"
  | "target-subnet-group"
  | "target-key"
  | "target-cmk"
  /** neptune-db: the cluster's resource id (DbClusterResourceId), not its name. */
  | "source-graph"
  | "target-graph"
  /** `--live`: the source cluster's parameter group, where plan reads `neptune_streams`. */
  | "source-parameter-group";

export interface PermissionRow {
  side: Side;
  /** Who makes the calls: plan's discovery, or one of apply's steps (a row applies when its step is to run). */
  step: "plan" | StepId;
  actions: string[];
  on: ResourceKind;
}

export const PERMISSION_TABLE: readonly PermissionRow[] = [
  // ── source: plan's reads ──
  {
    side: "source",
    step: "plan",
    actions: ["rds:DescribeDBClusters", "rds:ListTagsForResource"],
    on: "source-cluster",
  },
  {
    side: "source",
    step: "plan",
    actions: ["rds:DescribeDBInstances", "rds:ListTagsForResource"],
    on: "source-instances",
  },
  {
    side: "source",
    step: "plan",
    actions: ["rds:DescribeDBClusterSnapshots", "rds:DescribeDBClusterSnapshotAttributes", "rds:ListTagsForResource"],
    on: "source-snapshot-reads",
  },
  { side: "source", step: "plan", actions: ["kms:DescribeKey", "kms:GetKeyPolicy"], on: "source-key" },
  { side: "source", step: "plan", actions: ["kms:ListAliases"], on: "source-alias-lookup" },
  // ── source: apply's steps ──
  { side: "source", step: "create-source-key", actions: ["kms:CreateKey"], on: "any-source" },
  { side: "source", step: "create-source-key", actions: ["kms:CreateAlias"], on: "created-key-alias" },
  {
    side: "source",
    step: "snapshot",
    actions: ["rds:CreateDBClusterSnapshot", "rds:AddTagsToResource"],
    on: "source-snapshots",
  },
  { side: "source", step: "snapshot", actions: ["rds:CreateDBClusterSnapshot"], on: "source-cluster" },
  { side: "source", step: "snapshot", actions: ["kms:CreateGrant", "kms:DescribeKey"], on: "source-cmk" },
  {
    side: "source",
    step: "copy-to-cmk",
    actions: ["rds:CopyDBClusterSnapshot", "rds:AddTagsToResource"],
    on: "source-snapshots",
  },
  { side: "source", step: "copy-to-cmk", actions: ["kms:Decrypt", "kms:ReEncryptFrom"], on: "source-key" },
  {
    side: "source",
    step: "copy-to-cmk",
    actions: ["kms:CreateGrant", "kms:DescribeKey", "kms:GenerateDataKey", "kms:ReEncryptTo"],
    on: "share-key",
  },
  { side: "source", step: "share", actions: ["rds:ModifyDBClusterSnapshotAttribute"], on: "source-snapshots" },
  // `--live`: the stream's setting and position before the snapshot, then its records (live-*.ts).
  {
    side: "source",
    step: "stream-position",
    actions: ["rds:DescribeDBClusterParameters"],
    on: "source-parameter-group",
  },
  { side: "source", step: "stream-position", actions: ["neptune-db:GetStreamRecords"], on: "source-graph" },
  { side: "source", step: "replay", actions: ["neptune-db:GetStreamRecords"], on: "source-graph" },
  { side: "source", step: "key-policy", actions: ["kms:GetKeyPolicy", "kms:PutKeyPolicy"], on: "share-key" },
  { side: "source", step: "verify-data", actions: ["neptune-db:GetGraphSummary"], on: "source-graph" },
  // ── target: plan's reads ──
  {
    side: "target",
    step: "plan",
    actions: ["rds:DescribeDBClusters", "rds:ListTagsForResource"],
    on: "target-cluster",
  },
  { side: "target", step: "plan", actions: ["rds:DescribeDBInstances"], on: "target-instances" },
  {
    side: "target",
    step: "plan",
    actions: ["rds:DescribeDBClusterSnapshots", "rds:DescribeDBClusterSnapshotAttributes", "rds:ListTagsForResource"],
    on: "target-snapshots",
  },
  { side: "target", step: "plan", actions: ["rds:DescribeDBClusterParameterGroups"], on: "target-parameter-group" },
  { side: "target", step: "plan", actions: ["rds:DescribeDBSubnetGroups"], on: "target-subnet-group" },
  { side: "target", step: "plan", actions: ["kms:ListAliases"], on: "target-alias-lookup" },
  { side: "target", step: "plan", actions: ["kms:DescribeKey", "kms:GetKeyPolicy"], on: "target-key" },
  // ── target: apply's steps ──
  {
    side: "target",
    step: "copy",
    actions: ["rds:CopyDBClusterSnapshot", "rds:AddTagsToResource"],
    on: "target-snapshots",
  },
  // Across accounts the caller's own policy must allow the source key too (docs/migrate-permissions.md).
  {
    side: "target",
    step: "copy",
    actions: ["kms:CreateGrant", "kms:DescribeKey", "kms:Decrypt", "kms:ReEncryptFrom"],
    on: "share-key",
  },
  {
    side: "target",
    step: "copy",
    actions: ["kms:CreateGrant", "kms:DescribeKey", "kms:GenerateDataKey", "kms:ReEncryptTo"],
    on: "target-cmk",
  },
  // Across Regions: the target's own copy taken into its Region, re-encrypted there (R13).
  {
    side: "target",
    step: "copy-region",
    actions: ["rds:CopyDBClusterSnapshot", "rds:AddTagsToResource"],
    on: "target-snapshots",
  },
  {
    side: "target",
    step: "copy-region",
    actions: ["kms:CreateGrant", "kms:DescribeKey", "kms:Encrypt"],
    on: "target-cmk",
  },
  {
    side: "target",
    step: "restore",
    actions: ["rds:RestoreDBClusterFromSnapshot", "rds:AddTagsToResource"],
    on: "target-cluster",
  },
  { side: "target", step: "restore", actions: ["rds:RestoreDBClusterFromSnapshot"], on: "target-snapshots" },
  { side: "target", step: "restore", actions: ["kms:CreateGrant", "kms:DescribeKey", "kms:Decrypt"], on: "target-cmk" },
  {
    side: "target",
    step: "instances",
    actions: ["rds:CreateDBInstance", "rds:AddTagsToResource"],
    on: "target-instances",
  },
  { side: "target", step: "instances", actions: ["rds:CreateDBInstance"], on: "target-cluster" },
  { side: "target", step: "verify-data", actions: ["neptune-db:GetGraphSummary"], on: "target-graph" },
  {
    side: "target",
    step: "replay",
    actions: ["neptune-db:ReadDataViaQuery", "neptune-db:WriteDataViaQuery", "neptune-db:DeleteDataViaQuery"],
    on: "target-graph",
  },
];

/** Every action of the table, once each, sorted. */
export function tableActions(): string[] {
  return [...new Set(PERMISSION_TABLE.flatMap((row) => row.actions))].sort();
}

/** One action needed on one resource by one side. */
export interface Need {
  side: Side;
  action: string;
  resource: string;
}

/** The ARNs a kind names in this migration; none when the migration does not involve it. */
export function resourcesOf(kind: ResourceKind, inputs: MigrateInputs, found: Discovered, plan: Plan): string[] {
  const { partition: p, region: r } = found;
  const A = found.source.Account;
  const B = found.target.Account;
  const rds = (account: string, type: string, name: string) => `arn:${p}:rds:${r}:${account}:${type}:${name}`;
  const anyKey = (account: string) => `arn:${p}:kms:${r}:${account}:key/*`;
  // The target's cluster, instances, groups, final copy and key are in its Region (--target-region).
  const tr = found.targetRegion;
  const rdsB = (type: string, name: string) => `arn:${p}:rds:${tr}:${B}:${type}:${name}`;
  const anyKeyB = `arn:${p}:kms:${tr}:${B}:key/*`;
  const names = plan.names;
  const sourceKey = found.sourceKey;
  switch (kind) {
    case "any-source":
    case "any-target":
      return ["*"];
    case "source-alias-lookup":
      return inputs.sourceKmsKey && isAwsManagedAlias(inputs.sourceKmsKey) ? ["*"] : [];
    case "target-alias-lookup":
      return isAwsManagedAlias(inputs.targetKmsKey) ? ["*"] : [];
    case "source-cluster":
      return inputs.sourceCluster ? [rds(A, "cluster", inputs.sourceCluster)] : [];
    case "source-instances":
      return (found.sourceCluster?.Members ?? []).map((member) => rds(A, "db", member.DBInstanceIdentifier));
    case "source-snapshots":
      return [
        ...new Set(
          [names.sourceManualSnapshot, names.sourceCmkSnapshot, names.shareSnapshot]
            .filter((name): name is string => name !== undefined)
            .map((name) => (name.startsWith("arn:") ? name : rds(A, "cluster-snapshot", name))),
        ),
      ];
    case "source-snapshot-reads": {
      const looked = [sourceCmkSnapshotName(inputs.targetCluster, B)];
      if (!inputs.sourceSnapshot) looked.push(sourceManualSnapshotName(inputs.targetCluster, B));
      const arns = looked.map((name) => rds(A, "cluster-snapshot", name));
      return [...new Set([...arns, ...resourcesOf("source-snapshots", inputs, found, plan)])];
    }
    case "source-key": {
      const arn = keyArnOf(sourceKey);
      return arn ? [arn] : found.sourceCluster?.StorageEncrypted ? [anyKey(A)] : [];
    }
    case "source-cmk": {
      // Unknown (its DescribeKey denied): counted as customer-managed, which may only ask for more.
      const arn = keyArnOf(sourceKey);
      return arn && sourceKey?.KeyManager !== "AWS" ? [arn] : [];
    }
    case "share-key": {
      if (names.shareKeyArn) return [names.shareKeyArn];
      if (names.createdKeyAlias) return [anyKey(A)];
      // No copy under another key: the source's own key is shared, even while its DescribeKey is denied.
      const arn = names.sourceCmkSnapshot ? undefined : keyArnOf(sourceKey);
      return arn && sourceKey?.KeyManager !== "AWS" ? [arn] : [];
    }
    case "created-key-alias":
      return names.createdKeyAlias ? [`arn:${p}:kms:${r}:${A}:${names.createdKeyAlias}`, anyKey(A)] : [];
    case "target-cluster":
      return [rdsB("cluster", names.targetCluster)];
    case "target-instances":
      return names.targetInstances.map((instance) => rdsB("db", instance.DBInstanceIdentifier));
    case "target-snapshots":
      return [
        ...new Set([
          rdsB("cluster-snapshot", names.targetCopy),
          ...(names.transitCopyArn ? [names.transitCopyArn] : []),
        ]),
      ];
    case "target-parameter-group":
      return plan.spec.DBClusterParameterGroupName ? [rdsB("cluster-pg", plan.spec.DBClusterParameterGroupName)] : [];
    case "target-subnet-group":
      return inputs.subnetGroup ? [rdsB("subgrp", inputs.subnetGroup)] : [];
    case "target-key":
      return found.targetKey.NotYetCreated ? [] : [keyArnOf(found.targetKey) ?? anyKeyB];
    case "target-cmk":
      return found.targetKey.KeyManager === "AWS" ? [] : [keyArnOf(found.targetKey) ?? anyKeyB];
    case "source-graph": {
      const id = found.sourceCluster?.DbClusterResourceId;
      return [`arn:${p}:neptune-db:${r}:${A}:${id ?? "*"}/*`];
    }
    case "target-graph":
      // The restored cluster's resource id exists only once it is restored.
      return [`arn:${p}:neptune-db:${tr}:${B}:*/*`];
    case "source-parameter-group": {
      const group = found.sourceCluster?.DBClusterParameterGroup;
      return inputs.live && group ? [rds(A, "cluster-pg", group)] : [];
    }
  }
}

/** A key's ARN: as DescribeKey said, or as it was asked for when that was an ARN (a cluster's KmsKeyId is). */
function keyArnOf(key: KeyFacts | undefined): string | undefined {
  if (key?.Arn) return key.Arn;
  return key?.Requested.startsWith("arn:") && key.Requested.includes(":key/") ? key.Requested : undefined;
}

/** Every action each side needs for this migration: plan's reads, and the rows of the steps apply will run. */
export function requiredPermissions(inputs: MigrateInputs, found: Discovered, plan: Plan): Need[] {
  const toRun = new Set(plan.steps.filter((step) => step.state !== "done").map((step) => step.id));
  const needs = new Map<string, Need>();
  for (const row of PERMISSION_TABLE) {
    if (row.step !== "plan" && !toRun.has(row.step)) continue;
    for (const resource of resourcesOf(row.on, inputs, found, plan))
      for (const action of row.actions)
        needs.set(`${row.side} ${action} ${resource}`, { side: row.side, action, resource });
  }
  return [...needs.values()];
}
