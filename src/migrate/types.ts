/**
 * The vocabulary of `trident migrate`: what the user asks for, what discovery found, and what the planner
 * decides. Plain data only, so the planner stays a pure function and plans serialize as they are (`--output json`).
 * Member names follow the AWS APIs where they mirror them.
 */

import type { Denial } from "./permissions-denials.js";
import type { Need } from "./permissions-table.js";
import type { PermissionReport } from "./permissions.js";

export type Side = "source" | "target";

/** How to reach one account: a profile, or access keys, or neither (the SDK's default chain); optionally an endpoint. */
export interface SideConfig {
  profile?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  /** `--endpoint-url`: the local AWS, or any endpoint that speaks AWS's protocols. */
  endpoint?: string;
  /** `--source-data-endpoint-url` / `--target-data-endpoint-url`: where the cluster's graph answers, when not at its Endpoint:Port. */
  dataEndpoint?: string;
}

export interface MigrateInputs {
  source: SideConfig;
  target: SideConfig;
  /** The source's Region (and the target's, unless `targetRegion` says another). */
  region: string;
  /**
   * `--target-region`: the Region the cluster moves to; absent or equal to `region`: the same Region. Another one
   * adds the `copy-region` step (docs/migrate-regions.md, rules.md R12, R13).
   */
  targetRegion?: string;
  /**
   * `--transit-kms-key`: across Regions, a key of the target account in the *source* Region for the copy made there
   * before it crosses (R12); default `alias/aws/rds`. `targetKmsKey` is then a key of the target Region (R13).
   */
  transitKmsKey?: string;
  /** The source cluster; or give `sourceSnapshot`. */
  sourceCluster?: string;
  /** An existing snapshot of the source account (name, `rds:` name, or ARN) to move instead of a fresh one. */
  sourceSnapshot?: string;
  targetCluster: string;
  /** A key of the target account; default `alias/aws/rds`, as the console does (R9). */
  targetKmsKey: string;
  /** A CMK of the source account to copy the snapshot under when it is automated or under `aws/rds` (R1, R3). */
  sourceKmsKey?: string;
  /** Create that CMK in the source account when none is given and one is needed. */
  createSourceKey?: boolean;
  subnetGroup?: string;
  securityGroupIds?: string[];
  parameterGroup?: string;
  instanceClass?: string;
  instanceCount?: number;
  /** `--verify-data`: after verify, compare the source's and the target's graph summaries. */
  verifyData?: boolean;
  /** `--live`: record the source's stream position before its snapshot, then replay its stream onto the target. */
  live?: boolean;
}

export interface Tag {
  Key: string;
  Value: string;
}

export interface CallerIdentity {
  Account: string;
  Arn: string;
  UserId: string;
}

export interface ClusterFacts {
  DBClusterIdentifier: string;
  DBClusterArn: string;
  /** The resource id that `neptune-db` actions name (`cluster-…`). */
  DbClusterResourceId?: string;
  Status: string;
  /** Neptune reports it as a string on clusters. */
  PercentProgress?: string;
  Engine: string;
  EngineVersion?: string;
  StorageEncrypted: boolean;
  KmsKeyId?: string;
  DBClusterParameterGroup?: string;
  DBSubnetGroup?: string;
  VpcSecurityGroupIds: string[];
  /** The cluster endpoint's address (its data plane answers there, on Port). */
  Endpoint?: string;
  Port?: number;
  IAMDatabaseAuthenticationEnabled?: boolean;
  DeletionProtection?: boolean;
  CopyTagsToSnapshot?: boolean;
  EnabledCloudwatchLogsExports?: string[];
  Members: MemberFacts[];
  Tags: Tag[];
}

export interface MemberFacts {
  DBInstanceIdentifier: string;
  IsClusterWriter: boolean;
  PromotionTier?: number;
  /** From DescribeDBInstances; absent when the instance could not be read. */
  DBInstanceClass?: string;
  Tags?: Tag[];
}

export interface InstanceFacts {
  DBInstanceIdentifier: string;
  DBInstanceStatus: string;
  DBClusterIdentifier?: string;
  DBInstanceClass?: string;
}

export interface SnapshotFacts {
  DBClusterSnapshotIdentifier: string;
  DBClusterSnapshotArn: string;
  DBClusterIdentifier?: string;
  SnapshotType: string;
  Status: string;
  PercentProgress?: number;
  StorageEncrypted: boolean;
  KmsKeyId?: string;
  EngineVersion?: string;
  SourceDBClusterSnapshotArn?: string;
  /** GiB, as Neptune reports it (the size of the cluster's storage when the snapshot was taken). */
  AllocatedStorage?: number;
  Tags: Tag[];
  /** The `restore` attribute: accounts it is shared with (`all` = public). */
  SharedWith: string[];
}

export interface KeyFacts {
  /** The identifier as it was asked about (`alias/aws/rds`, a key id, an ARN). */
  Requested: string;
  Arn?: string;
  AWSAccountId?: string;
  KeyManager?: "AWS" | "CUSTOMER";
  KeyState?: string;
  /** The key policy text, when it could be read. */
  Policy?: string;
  /** Why the key or its policy could not be read: the AWS error code and message. */
  Error?: { code: string; message: string };
  PolicyError?: { code: string; message: string };
  /** An AWS-managed alias (`alias/aws/rds`) that AWS creates on first use and that does not exist yet. */
  NotYetCreated?: boolean;
}

/** A yes/no/unknown answer from a read that may be unsupported or denied. */
export type Existence = "exists" | "missing" | "unknown";

/** Everything `plan` needs to know, read through the SDK by discover.ts. */
export interface Discovered {
  region: string;
  /** Where the target's cluster is made: `region`, or `--target-region`. */
  targetRegion: string;
  partition: string;
  source: CallerIdentity;
  target: CallerIdentity;
  /** The source cluster (given, or the one the given snapshot was taken from), when it exists. */
  sourceCluster?: ClusterFacts;
  sourceClusterError?: { code: string; message: string };
  /** The snapshot given with `--source-snapshot`. */
  givenSnapshot?: SnapshotFacts;
  givenSnapshotError?: { code: string; message: string };
  /** The key that encrypts the source (snapshot or cluster). */
  sourceKey?: KeyFacts;
  /** `--source-kms-key`, when given. */
  reencryptKey?: KeyFacts;
  /** The snapshots this migration names in the source account, when they exist. */
  sourceManualSnapshot?: SnapshotFacts;
  sourceCmkSnapshot?: SnapshotFacts;
  /** The key this migration created in an earlier run (`--create-source-key`), found by its alias. */
  createdSourceKey?: KeyFacts;
  targetKey: KeyFacts;
  /** The target's copy of the shared snapshot, in the Region the cluster is restored in. */
  targetCopy?: SnapshotFacts;
  /** Across Regions: the target's copy of the shared snapshot in the source Region, and the key it is made under. */
  transitCopy?: SnapshotFacts;
  transitKey?: KeyFacts;
  targetCluster?: ClusterFacts;
  targetInstances: InstanceFacts[];
  targetParameterGroup: Existence;
  targetSubnetGroup: Existence;
  /** Reads each side was denied while discovering (permissions-denials.ts). */
  denials?: Denial[];
  /**
   * What iam:SimulatePrincipalPolicy said each side's caller may not do, for the sides it could be asked about
   * (permissions-simulate.ts); absent for a side: not simulated.
   */
  simulated?: Partial<Record<Side, Need[]>>;
  /** `--live`: whether Neptune Streams are on at the source cluster (live-discover.ts). */
  sourceStreams?: StreamsSetting;
}

/** The source cluster's `neptune_streams`, as its cluster parameter group has it and as its instances apply it. */
export interface StreamsSetting {
  parameterGroup?: string;
  /** The parameter's value ("1": on); undefined when it could not be read. */
  value?: string;
  /** Whether the group's current values are in effect on the writer ("in-sync") or wait for a reboot ("pending-reboot"). */
  applyStatus?: string;
  writer?: string;
  /** Why the setting could not be read (code and message). */
  error?: { code: string; message: string };
}

export type StepId =
  | "create-source-key"
  | "snapshot"
  | "copy-to-cmk"
  | "share"
  | "key-policy"
  | "copy"
  | "copy-region"
  | "restore"
  | "instances"
  | "verify"
  | "verify-data"
  | "stream-position"
  | "replay";

export type StepState = "todo" | "in-progress" | "done";

export interface PlannedStep {
  id: StepId;
  side: Side;
  title: string;
  /** Lines that say exactly what will be called, with which values. */
  details: string[];
  /** The rules of docs/rules.md this step meets (R1…R13, K1…K4). */
  rules: string[];
  state: StepState;
  /** Why a step counts as done without running (e.g. "the restored cluster already exists"). */
  reason?: string;
}

/**
 * "blocker": apply can't start until the user fixes it. "handled": a problem apply fixes itself, with the
 * manual alternative in `fix`. "warning": worth knowing, changes nothing.
 */
export type FindingSeverity = "blocker" | "handled" | "warning";

export interface Finding {
  code: string;
  severity: FindingSeverity;
  rule?: string;
  message: string;
  fix?: string;
}

/** The names and values every step works with, decided once by the planner. */
export interface MigrationNames {
  /** The manual snapshot taken of the source cluster (absent when a snapshot was given). */
  sourceManualSnapshot?: string;
  /** The manual copy under a CMK of the source account (absent when not needed). */
  sourceCmkSnapshot?: string;
  /** The snapshot that is shared: one of the two above, or the given manual snapshot. */
  shareSnapshot: string;
  shareSnapshotArn: string;
  /** The CMK of the source account that encrypts the shared snapshot (absent when unencrypted). */
  shareKeyArn?: string;
  /** Alias of the key created with --create-source-key. */
  createdKeyAlias?: string;
  /** The target's copy, restored from: in the target Region (across Regions, its transit copy has the same name). */
  targetCopy: string;
  /** Across Regions: the target's copy in the source Region, which `copy-region` copies (absent in one Region). */
  transitCopyArn?: string;
  targetCluster: string;
  targetInstances: { DBInstanceIdentifier: string; DBInstanceClass: string; PromotionTier?: number; Tags: Tag[] }[];
}

/** What the restored cluster must look like; verify checks it. */
export interface TargetSpec {
  EngineVersion?: string;
  DBClusterParameterGroupName?: string;
  DBSubnetGroupName?: string;
  VpcSecurityGroupIds?: string[];
  Port?: number;
  IAMDatabaseAuthenticationEnabled?: boolean;
  DeletionProtection?: boolean;
  CopyTagsToSnapshot?: boolean;
  EnableCloudwatchLogsExports?: string[];
  /** The source cluster's tags, applied explicitly (R8). */
  ClusterTags: Tag[];
  /** The source snapshot's tags, applied explicitly to the copy (R8). */
  SnapshotTags: Tag[];
  /** As given (`alias/aws/rds`, an ARN…), and resolved when known. */
  KmsKeyId: string;
  KmsKeyArn?: string;
  /** Whether the copy is encrypted (source encrypted): then the copy needs `KmsKeyId` (R9). */
  SourceEncrypted: boolean;
}

export interface Plan {
  migrationId: string;
  region: string;
  /** The Region the cluster moves to (the same as `region` unless --target-region says another). */
  targetRegion: string;
  source: { account: string; arn: string; cluster?: string; snapshot?: string };
  target: { account: string; arn: string };
  names: MigrationNames;
  spec: TargetSpec;
  steps: PlannedStep[];
  findings: Finding[];
  /** The key-policy change apply would make, as a line diff (empty when none). */
  keyPolicyDiff: string[];
  /** Each side's missing IAM permissions and the policy that grants them; absent when none is missing. */
  permissions?: PermissionReport;
  canProceed: boolean;
}
