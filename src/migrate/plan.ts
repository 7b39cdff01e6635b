import { stepRules } from "./step-rules.js";
import { MAX_SHARED_ACCOUNTS } from "../domain/neptune/quotas.js";
import { authorize, parsePolicy } from "../policy/index.js";
import { SHARED_SNAPSHOT_QUOTA_FIX } from "./errors.js";
import { isCallersDenial } from "./permissions-denials.js";
import { permissionFindings, permissionReport } from "./permissions.js";
import type { JournalData } from "./journal.js";
import { dataEndpointUrl } from "./data-plane.js";
import { liveFindings, replayStep, streamPositionStep } from "./live-plan.js";
import { CLUSTER_READY } from "./states.js";
import {
  TARGET_ACTION_NAMES,
  mayUpdatePolicy,
  mergeTargetStatements,
  policyDiff,
  principalOf,
  prettyPolicy,
  targetAccess,
  targetKeyStatements,
  validateKeyPolicy,
} from "./key-policy.js";
import {
  accountOfArn,
  createdKeyAlias,
  migrationId,
  snapshotArn,
  sourceCmkSnapshotName,
  sourceManualSnapshotName,
  targetCopyName,
  targetInstanceName,
} from "./names.js";
import type {
  ClusterFacts,
  Discovered,
  Finding,
  KeyFacts,
  MigrateInputs,
  MigrationNames,
  Plan,
  PlannedStep,
  SnapshotFacts,
  StepId,
  StepState,
  Tag,
  TargetSpec,
} from "./types.js";

/**
 * The planner: a pure function from the inputs, what discovery read and the journal, to the ordered steps and
 * every problem with its fix. No I/O, no clock: the same facts always give the same plan (golden-tested).
 *
 * Steps are judged from the end backwards: once the target holds the restored cluster (or the copy), the
 * source-side steps are no longer needed, whatever state the source is in now (for example after cleanup).
 */

export const DEFAULT_INSTANCE_CLASS = "db.r5.large";
export const DEFAULT_TARGET_KEY = "alias/aws/rds";

/** Across Regions, the key of the target's copy in the source Region: --transit-kms-key, else its alias/aws/rds. */
export const transitKeyOf = (inputs: MigrateInputs): string => inputs.transitKmsKey ?? DEFAULT_TARGET_KEY;
/** The most accounts a manual snapshot may be shared with (docs/rules.md: SharedSnapshotQuotaExceeded). */
export const SHARED_SNAPSHOT_ACCOUNT_LIMIT = MAX_SHARED_ACCOUNTS;

/** The instances to create in the target: like the source's members (writer first), unless told otherwise. */
export function plannedInstances(
  inputs: MigrateInputs,
  sourceCluster: ClusterFacts | undefined,
): MigrationNames["targetInstances"] {
  const members = [...(sourceCluster?.Members ?? [])].sort(
    (x, y) => Number(y.IsClusterWriter) - Number(x.IsClusterWriter),
  );
  const count = inputs.instanceCount ?? Math.max(members.length, 1);
  return Array.from({ length: count }, (_, index) => {
    const member = members[index];
    return {
      DBInstanceIdentifier: targetInstanceName(inputs.targetCluster, index),
      DBInstanceClass:
        inputs.instanceClass ?? member?.DBInstanceClass ?? members[0]?.DBInstanceClass ?? DEFAULT_INSTANCE_CLASS,
      ...(member?.PromotionTier !== undefined ? { PromotionTier: member.PromotionTier } : {}),
      Tags: member?.Tags ?? [],
    };
  });
}

/** Steps that only read (verify, verify-data): they run on every apply, and are never a change to confirm. */
export function isCheck(step: StepId): boolean {
  return step === "verify" || step === "verify-data";
}

/** The steps apply would run that change something: those not done yet, but the checks (they only read). */
export function pendingChanges(plan: Plan): PlannedStep[] {
  return plan.steps.filter((step) => step.state !== "done" && !isCheck(step.id));
}

/** The findings apply can't start with. */
export function blockers(plan: Plan): Finding[] {
  return plan.findings.filter((finding) => finding.severity === "blocker");
}

export function formatTags(tags: Tag[]): string {
  return tags.length === 0 ? "(none)" : tags.map((tag) => `${tag.Key}=${tag.Value}`).join(", ");
}

interface SourcePath {
  /** The snapshot the shared one derives from: the given one, or our manual snapshot of the cluster. */
  base?: SnapshotFacts;
  encrypted: boolean;
  automated: boolean;
  awsManagedKey: boolean;
  /** Copy to a manual snapshot under a CMK of the source before sharing (R1, R3, or a dedicated key). */
  needCopy: boolean;
  /** The CMK that will encrypt the shared snapshot, when known. */
  shareKey?: KeyFacts;
  /** This migration creates the CMK (--create-source-key, source under aws/rds). */
  createsKey: boolean;
  /** ... and it does not exist yet. */
  keyToCreate: boolean;
}

export function buildPlan(inputs: MigrateInputs, found: Discovered, journal?: JournalData): Plan {
  const A = found.source.Account;
  const B = found.target.Account;
  const region = found.region;
  const findings: Finding[] = [];
  const add = (finding: Finding) => findings.push(finding);
  const ours = journal?.created ?? { targetInstances: [] };

  if (A === B) {
    add({
      code: "same-account",
      severity: "blocker",
      message: `source and target are the same account (${A})`,
      fix: "give the target account's credentials with --target-profile or --target-access-key-id",
    });
  }

  // ── Names ────────────────────────────────────────────────────────────────────────────────────────────────
  const path = sourcePath(inputs, found);
  const manualName = inputs.sourceSnapshot ? undefined : sourceManualSnapshotName(inputs.targetCluster, B);
  const cmkName = path.needCopy ? sourceCmkSnapshotName(inputs.targetCluster, B) : undefined;
  const shareName = cmkName ?? found.givenSnapshot?.DBClusterSnapshotIdentifier ?? inputs.sourceSnapshot ?? manualName!;
  const shareArn =
    !cmkName && found.givenSnapshot
      ? found.givenSnapshot.DBClusterSnapshotArn
      : snapshotArn(found.partition, region, A, shareName);
  const copyName = targetCopyName(inputs.targetCluster, A);
  const targetRegion = found.targetRegion;
  const crossRegion = targetRegion !== region;
  // Across Regions the target first copies the shared snapshot in the source's Region (R12), then its copy across.
  const transitCopyArn = crossRegion ? snapshotArn(found.partition, region, B, copyName) : undefined;
  const instances = plannedInstances(inputs, found.sourceCluster);
  const names: MigrationNames = {
    ...(manualName ? { sourceManualSnapshot: manualName } : {}),
    ...(cmkName ? { sourceCmkSnapshot: cmkName } : {}),
    shareSnapshot: shareName,
    shareSnapshotArn: shareArn,
    ...(path.shareKey?.Arn ? { shareKeyArn: path.shareKey.Arn } : {}),
    ...(path.createsKey ? { createdKeyAlias: createdKeyAlias(inputs.targetCluster, B) } : {}),
    targetCopy: copyName,
    ...(transitCopyArn ? { transitCopyArn } : {}),
    targetCluster: inputs.targetCluster,
    targetInstances: instances,
  };
  const spec = targetSpec(inputs, found, path);

  // ── The target side, from the end backwards ─────────────────────────────────────────────────────────────
  const cluster = found.targetCluster;
  const clusterIsOurs = cluster !== undefined && ours.targetCluster === inputs.targetCluster;
  if (cluster && !clusterIsOurs) {
    add({
      code: "target-cluster-exists",
      severity: "blocker",
      message: `a cluster named ${inputs.targetCluster} already exists in ${B} (status ${cluster.Status}), and this migration did not create it`,
      fix: `choose another --target-cluster, or delete that cluster in ${B} first`,
    });
  }
  // The copy of the shared snapshot: across Regions the transit one (in the source's Region), else the target's.
  const copy = crossRegion ? found.transitCopy : found.targetCopy;
  const regional = crossRegion ? found.targetCopy : undefined;
  const regionalIsOurs =
    regional !== undefined && (regional.SourceDBClusterSnapshotArn === transitCopyArn || ours.regionCopy === copyName);
  if (regional && !regionalIsOurs && !clusterIsOurs) {
    add({
      code: "target-copy-exists",
      severity: "blocker",
      message: `a snapshot named ${copyName} already exists in ${B} in ${targetRegion} and is not a copy of ${transitCopyArn}`,
      fix: `delete or rename that snapshot in ${B}, or pick another --target-cluster`,
    });
  }
  const copyIsOurs =
    copy !== undefined && (copy.SourceDBClusterSnapshotArn === shareArn || ours.targetCopy === copyName);
  if (copy && !copyIsOurs && !clusterIsOurs && !regionalIsOurs) {
    add({
      code: "target-copy-exists",
      severity: "blocker",
      message: `a snapshot named ${copyName} already exists in ${B} and is not a copy of ${shareArn}`,
      fix: `delete or rename that snapshot in ${B}, or pick another --target-cluster`,
    });
  }
  const restoreState: StepState = clusterIsOurs
    ? CLUSTER_READY.includes(cluster!.Status)
      ? "done"
      : "in-progress"
    : "todo";
  const snapshotState = (snapshot: SnapshotFacts): StepState =>
    snapshot.Status === "available" ? "done" : "in-progress";
  const regionCopyState: StepState = clusterIsOurs ? "done" : regionalIsOurs ? snapshotState(regional!) : "todo";
  const copyState: StepState = clusterIsOurs || regionalIsOurs ? "done" : copyIsOurs ? snapshotState(copy!) : "todo";
  // Once the copy exists in the target, the source-side steps have done their work.
  const sourceSettled = clusterIsOurs || copyIsOurs || regionalIsOurs;
  const settledReason = clusterIsOurs
    ? `the cluster ${inputs.targetCluster} was already restored in ${B}`
    : `the copy ${copyName} already exists in ${B}`;

  if (!sourceSettled) checkSource(inputs, found, path, add, names);
  if (!clusterIsOurs) {
    const finalCopyStarted = crossRegion ? regionCopyState !== "todo" : copyState !== "todo";
    checkTarget(inputs, found, path, add, finalCopyStarted);
    if (crossRegion && path.encrypted && copyState === "todo") checkTransitKey(inputs, found, add);
  }
  if (inputs.live) liveFindings(inputs, found, journal, sourceSettled).forEach(add);

  // ── Steps ────────────────────────────────────────────────────────────────────────────────────────────────
  const steps: PlannedStep[] = [];
  const settled = (step: Omit<PlannedStep, "state" | "reason">, state: StepState): PlannedStep =>
    sourceSettled ? { ...step, state: "done", reason: settledReason } : { ...step, state };

  if (path.createsKey) {
    steps.push(
      settled(
        {
          id: "create-source-key",
          side: "source",
          title: `create a customer-managed key ${names.createdKeyAlias} in ${A}`,
          details: ["CreateKey (KMS's default key policy: the account's full access), then CreateAlias"],
          rules: stepRules("create-source-key", path),
        },
        found.createdSourceKey ? "done" : "todo",
      ),
    );
  }
  // --live: the stream's position is read BEFORE the snapshot (steps/replay-position.ts says why).
  if (inputs.live) steps.push(streamPositionStep(inputs, journal));
  if (manualName) {
    const taken = found.sourceManualSnapshot;
    steps.push(
      settled(
        {
          id: "snapshot",
          side: "source",
          title: `snapshot cluster ${inputs.sourceCluster} as ${manualName}`,
          details: [
            `CreateDBClusterSnapshot DBClusterIdentifier=${inputs.sourceCluster} Tags: ${formatTags(spec.SnapshotTags)}`,
            "wait until available",
          ],
          rules: stepRules("snapshot"),
        },
        taken ? (taken.Status === "available" ? "done" : "in-progress") : "todo",
      ),
    );
  }
  if (cmkName) {
    const from = manualName ?? inputs.sourceSnapshot!;
    const key = path.shareKey?.Arn ?? names.createdKeyAlias ?? "(a CMK of the source account)";
    steps.push(
      settled(
        {
          id: "copy-to-cmk",
          side: "source",
          title: `copy ${from} to manual snapshot ${cmkName}${path.encrypted ? ` under ${key}` : ""}`,
          details: [
            `CopyDBClusterSnapshot SourceDBClusterSnapshotIdentifier=${from} TargetDBClusterSnapshotIdentifier=${cmkName}${path.encrypted ? ` KmsKeyId=${key}` : ""} CopyTags=true`,
            "wait until available",
          ],
          rules: stepRules("copy-to-cmk", path),
        },
        found.sourceCmkSnapshot ? (found.sourceCmkSnapshot.Status === "available" ? "done" : "in-progress") : "todo",
      ),
    );
  }
  const shareSnapshot = cmkName
    ? found.sourceCmkSnapshot
    : manualName
      ? found.sourceManualSnapshot
      : found.givenSnapshot;
  steps.push(
    settled(
      {
        id: "share",
        side: "source",
        title: `share ${shareName} privately with ${B}`,
        details: [
          `ModifyDBClusterSnapshotAttribute AttributeName=restore ValuesToAdd=${B}`,
          `the target then addresses it by its ARN: ${shareArn}`,
        ],
        rules: stepRules("share", path),
      },
      shareSnapshot?.SharedWith.includes(B) ? "done" : "todo",
    ),
  );

  let keyPolicyDiff: string[] = [];
  if (path.encrypted) {
    const key = path.shareKey;
    const keyName = key?.Arn ?? names.createdKeyAlias ?? "the source key";
    let state: StepState = "todo";
    if (key?.Policy && key.Arn) {
      const access = safeTargetAccess(key.Policy, key.Arn, found, region);
      if (access && access.missing.length === 0) state = "done";
      else keyPolicyDiff = policyDiff(key.Policy, mergeTargetStatements(key.Policy, found.partition, B));
    } else if (!key?.Policy && path.keyToCreate) {
      keyPolicyDiff = prettyPolicy({ Statement: targetKeyStatements(found.partition, B) })
        .split("\n")
        .map((line) => `+ ${line}`);
    }
    steps.push(
      settled(
        {
          id: "key-policy",
          side: "source",
          title: `let ${B} use the key ${keyName}`,
          details: [
            "GetKeyPolicy; add two statements for the target account (every existing statement is kept)",
            "check the new policy locally (K1 lockout, K2 principals, K3 size), then PutKeyPolicy",
          ],
          rules: stepRules("key-policy", path),
        },
        state,
      ),
    );
    if (sourceSettled) keyPolicyDiff = [];
  }

  const targetKeyShown =
    spec.KmsKeyArn ?? `${spec.KmsKeyId}${found.targetKey.NotYetCreated ? " (AWS creates it on first use)" : ""}`;
  const copyKeyShown = crossRegion ? transitKeyShown(inputs, found) : targetKeyShown;
  steps.push({
    id: "copy",
    side: "target",
    title: `copy the shared snapshot into ${B} as ${copyName}${crossRegion ? ` (in ${region})` : ""}`,
    details: [
      `CopyDBClusterSnapshot SourceDBClusterSnapshotIdentifier=${shareArn}`,
      `  TargetDBClusterSnapshotIdentifier=${copyName}${path.encrypted ? ` KmsKeyId=${copyKeyShown}` : ""} CopyTags=false`,
      `  Tags (applied explicitly): ${formatTags(spec.SnapshotTags)}`,
      "wait until available",
    ],
    rules: stepRules("copy", path),
    state: copyState,
    ...(clusterIsOurs ? { reason: settledReason } : {}),
  });
  if (crossRegion) {
    steps.push({
      id: "copy-region",
      side: "target",
      title: `copy ${copyName} from ${region} into ${targetRegion}`,
      details: [
        `CopyDBClusterSnapshot (in ${targetRegion}) SourceDBClusterSnapshotIdentifier=${transitCopyArn}`,
        `  TargetDBClusterSnapshotIdentifier=${copyName}${path.encrypted ? ` KmsKeyId=${targetKeyShown} PreSignedUrl=(signed for ${region} by the SDK)` : ""} CopyTags=false`,
        `  Tags (applied explicitly): ${formatTags(spec.SnapshotTags)}`,
        "wait until available",
      ],
      rules: stepRules("copy-region", path),
      state: regionCopyState,
      ...(clusterIsOurs ? { reason: settledReason } : {}),
    });
  }
  steps.push({
    id: "restore",
    side: "target",
    title: `restore cluster ${inputs.targetCluster} from ${copyName}`,
    details: [
      `RestoreDBClusterFromSnapshot Engine=neptune EngineVersion=${spec.EngineVersion ?? "(the snapshot's)"}${!path.encrypted ? ` KmsKeyId=${targetKeyShown}` : ""}`,
      `  DBClusterParameterGroupName=${spec.DBClusterParameterGroupName ?? "(default)"} DBSubnetGroupName=${spec.DBSubnetGroupName ?? "(default)"} VpcSecurityGroupIds=${spec.VpcSecurityGroupIds?.join(",") || "(default)"}`,
      `  Tags: ${formatTags(spec.ClusterTags)}`,
      "wait until available",
    ],
    rules: stepRules("restore"),
    state: restoreState,
  });

  const instanceStates = instances.map((instance) => {
    const existing = found.targetInstances.find((item) => item.DBInstanceIdentifier === instance.DBInstanceIdentifier);
    if (!existing) return "todo";
    if (existing.DBClusterIdentifier !== inputs.targetCluster || !clusterIsOurs) {
      add({
        code: "instance-id-taken",
        severity: "blocker",
        message: `an instance named ${instance.DBInstanceIdentifier} already exists in ${B}${existing.DBClusterIdentifier ? ` (in cluster ${existing.DBClusterIdentifier})` : ""}`,
        fix: `delete it, or pick another --target-cluster (instance names derive from it)`,
      });
      return "todo";
    }
    return existing.DBInstanceStatus === "available" ? "done" : "in-progress";
  });
  steps.push({
    id: "instances",
    side: "target",
    title: `create ${instances.length} instance${instances.length === 1 ? "" : "s"} in ${inputs.targetCluster}`,
    details: [
      ...instances.map(
        (instance) =>
          `CreateDBInstance DBInstanceIdentifier=${instance.DBInstanceIdentifier} DBInstanceClass=${instance.DBInstanceClass} Engine=neptune`,
      ),
      "wait until each is available",
    ],
    rules: stepRules("instances"),
    state: instanceStates.every((state) => state === "done")
      ? "done"
      : instanceStates.some((state) => state === "in-progress")
        ? "in-progress"
        : "todo",
  });
  steps.push({
    id: "verify",
    side: "target",
    title: `verify ${inputs.targetCluster} in ${B}`,
    details: [
      `cluster and ${instances.length} instance${instances.length === 1 ? "" : "s"} available; ${path.encrypted || spec.KmsKeyId ? `encrypted with ${targetKeyShown}` : "unencrypted"}`,
      `engine version ${spec.EngineVersion ?? "(any)"}, parameter group ${spec.DBClusterParameterGroupName ?? "(default)"}, tags ${formatTags(spec.ClusterTags)}`,
    ],
    rules: stepRules("verify"),
    state: "todo",
  });
  if (inputs.verifyData) steps.push(verifyDataStep(inputs, found, sourceSettled, add));
  if (inputs.live) steps.push(replayStep(inputs, found, journal));

  const sourceLabel = inputs.sourceCluster ? { cluster: inputs.sourceCluster } : { snapshot: inputs.sourceSnapshot };
  const plan: Plan = {
    migrationId: migrationId(A, B, inputs.targetCluster),
    region,
    targetRegion,
    source: { account: A, arn: found.source.Arn, ...sourceLabel },
    target: { account: B, arn: found.target.Arn },
    names,
    spec,
    steps,
    findings: [],
    keyPolicyDiff,
    canProceed: false,
  };
  // The permission preflight: what each caller is not allowed, from the steps just planned.
  const permissions = permissionReport(inputs, found, plan);
  permissionFindings(permissions).forEach(add);
  return {
    ...plan,
    findings: orderFindings(findings),
    ...(permissions ? { permissions } : {}),
    canProceed: !findings.some((finding) => finding.severity === "blocker"),
  };
}

/**
 * `--verify-data`: compare the two graphs once the target serves. The source's graph is read from the source
 * cluster, so it needs one with an instance to answer (R11); a migration from `--source-snapshot` has none.
 */
function verifyDataStep(inputs: MigrateInputs, found: Discovered, sourceSettled: boolean, add: Add): PlannedStep {
  const A = found.source.Account;
  const source = found.sourceCluster;
  if (!inputs.sourceCluster) {
    add({
      code: "verify-data-without-source-cluster",
      severity: "blocker",
      message: "--verify-data compares the source cluster's graph with the target's, and the source is a snapshot",
      fix: "give --source-cluster instead of --source-snapshot, or leave out --verify-data",
    });
  } else if (!source && sourceSettled) {
    // Before that, checkSource reports the missing source cluster itself.
    add({
      code: "verify-data-source-missing",
      severity: "blocker",
      message: `--verify-data reads the graph of the source cluster ${inputs.sourceCluster}, which ${A} no longer has`,
      fix: "leave out --verify-data",
    });
  } else if (source && source.Members.length === 0) {
    add({
      code: "verify-data-source-without-instance",
      severity: "blocker",
      rule: "R11",
      message: `the source cluster ${inputs.sourceCluster} has no instance, so its graph can't be read for --verify-data`,
      fix: `create an instance in ${inputs.sourceCluster}, or leave out --verify-data`,
    });
  }
  const sourceUrl = source ? dataEndpointUrl(inputs.source, source) : undefined;
  return {
    id: "verify-data",
    side: "target",
    title: `compare the graph of ${inputs.targetCluster} in ${found.target.Account} with ${inputs.sourceCluster ?? "the source"}'s in ${A}`,
    details: [
      "GetPropertygraphSummary mode=detailed on both clusters' endpoints (neptune-db:GetGraphSummary)",
      `source ${sourceUrl ?? "(the source cluster's endpoint)"}, target ${inputs.target.dataEndpoint ?? "(the restored cluster's endpoint)"}`,
      "the same nodes, relationships, labels, property counts and shapes, or apply fails (exit 4)",
    ],
    rules: stepRules("verify-data"),
    state: "todo",
  };
}

/** Blockers first, then what apply handles, then warnings; each group in the order found. */
function orderFindings(findings: Finding[]): Finding[] {
  const rank = { blocker: 0, handled: 1, warning: 2 };
  return findings
    .map((finding, index) => ({ finding, index }))
    .sort((x, y) => rank[x.finding.severity] - rank[y.finding.severity] || x.index - y.index)
    .map(({ finding }) => finding);
}

function sourcePath(inputs: MigrateInputs, found: Discovered): SourcePath {
  const given = found.givenSnapshot;
  const base = given ?? found.sourceManualSnapshot;
  // Once the source is gone (after a finished migration), the target's copy or cluster still tells.
  const encrypted = given
    ? given.StorageEncrypted
    : (found.sourceCluster?.StorageEncrypted ??
      found.sourceManualSnapshot?.StorageEncrypted ??
      found.targetCopy?.StorageEncrypted ??
      found.targetCluster?.StorageEncrypted ??
      false);
  const automated = given?.SnapshotType === "automated";
  const awsManagedKey = encrypted && found.sourceKey?.KeyManager === "AWS";
  // --source-kms-key: share a copy under that key (a dedicated migration key), not the source's own key.
  const dedicatedKey =
    encrypted && inputs.sourceKmsKey !== undefined && found.reencryptKey?.Arn !== found.sourceKey?.Arn;
  const createsKey = awsManagedKey && inputs.createSourceKey === true && inputs.sourceKmsKey === undefined;
  const needCopy = automated || awsManagedKey || dedicatedKey;
  let shareKey: KeyFacts | undefined;
  if (encrypted) {
    if (!needCopy) shareKey = found.sourceKey;
    else if (inputs.sourceKmsKey !== undefined) shareKey = found.reencryptKey;
    else if (awsManagedKey) shareKey = createsKey ? found.createdSourceKey : undefined;
    else shareKey = found.sourceKey; // automated under a CMK: the copy keeps that key
  }
  return {
    base,
    encrypted,
    automated,
    awsManagedKey,
    needCopy,
    shareKey,
    createsKey,
    keyToCreate: createsKey && !found.createdSourceKey,
  };
}

function targetSpec(inputs: MigrateInputs, found: Discovered, path: SourcePath): TargetSpec {
  const cluster = found.sourceCluster;
  const given = found.givenSnapshot;
  const spec: TargetSpec = {
    ClusterTags: cluster?.Tags ?? given?.Tags ?? [],
    // Our manual snapshot is created with the cluster's tags, so either way these are the source snapshot's tags.
    SnapshotTags: given?.Tags ?? found.sourceManualSnapshot?.Tags ?? cluster?.Tags ?? [],
    KmsKeyId: inputs.targetKmsKey,
    SourceEncrypted: path.encrypted,
  };
  const engineVersion = given?.EngineVersion ?? cluster?.EngineVersion;
  if (engineVersion) spec.EngineVersion = engineVersion;
  const parameterGroup = inputs.parameterGroup ?? cluster?.DBClusterParameterGroup;
  if (parameterGroup) spec.DBClusterParameterGroupName = parameterGroup;
  if (inputs.subnetGroup) spec.DBSubnetGroupName = inputs.subnetGroup;
  if (inputs.securityGroupIds?.length) spec.VpcSecurityGroupIds = inputs.securityGroupIds;
  if (cluster?.Port !== undefined) spec.Port = cluster.Port;
  if (cluster?.IAMDatabaseAuthenticationEnabled !== undefined)
    spec.IAMDatabaseAuthenticationEnabled = cluster.IAMDatabaseAuthenticationEnabled;
  if (cluster?.DeletionProtection !== undefined) spec.DeletionProtection = cluster.DeletionProtection;
  if (cluster?.CopyTagsToSnapshot !== undefined) spec.CopyTagsToSnapshot = cluster.CopyTagsToSnapshot;
  if (cluster?.EnabledCloudwatchLogsExports?.length)
    spec.EnableCloudwatchLogsExports = cluster.EnabledCloudwatchLogsExports;
  if (found.targetKey.Arn) spec.KmsKeyArn = found.targetKey.Arn;
  return spec;
}

type Add = (finding: Finding) => void;

/** `: CODE: message` of an error discovery met, to end a finding's message; nothing without one. */
function because(error: { code: string; message: string } | undefined): string {
  return error ? `: ${error.code}: ${error.message}` : "";
}

/** What must hold in the source account before anything is shared. */
function checkSource(
  inputs: MigrateInputs,
  found: Discovered,
  path: SourcePath,
  add: Add,
  names: MigrationNames,
): void {
  const A = found.source.Account;
  const B = found.target.Account;
  /** The source named by the inputs can't be read: nothing more to check until it can. */
  const notFound = (what: "snapshot" | "cluster", error: Discovered["sourceClusterError"], fix: string) =>
    add({
      code: `source-${what}-not-found`,
      severity: "blocker",
      message: `the ${what} ${what === "snapshot" ? inputs.sourceSnapshot : inputs.sourceCluster} can't be read in ${A}${because(error)}`,
      fix,
    });
  if (inputs.sourceSnapshot) {
    if (found.givenSnapshotError || !found.givenSnapshot) {
      notFound(
        "snapshot",
        found.givenSnapshotError,
        "check --source-snapshot (a name or ARN of the source account) and --region",
      );
      return;
    }
    if (found.givenSnapshot.Status !== "available") {
      add({
        code: "source-snapshot-not-available",
        severity: "blocker",
        message: `the snapshot ${inputs.sourceSnapshot} is ${found.givenSnapshot.Status}`,
        fix: "wait until it is available, then run plan again",
      });
    }
    // At most 20 accounts per snapshot, or ModifyDBClusterSnapshotAttribute fails with SharedSnapshotQuotaExceeded
    // (docs/rules.md; `all` does not count). Only the given snapshot can be full: apply's own snapshots are new.
    const accounts = found.givenSnapshot.SharedWith.filter((value) => value !== "all");
    if (!path.needCopy && !accounts.includes(B) && accounts.length >= SHARED_SNAPSHOT_ACCOUNT_LIMIT) {
      add({
        code: "shared-snapshot-quota",
        severity: "blocker",
        message: `the snapshot ${inputs.sourceSnapshot} is already shared with ${accounts.length} accounts, the most AWS allows (SharedSnapshotQuotaExceeded)`,
        fix: SHARED_SNAPSHOT_QUOTA_FIX,
      });
    }
  } else if (!found.sourceCluster) {
    if (!found.sourceManualSnapshot) {
      notFound("cluster", found.sourceClusterError, "check --source-cluster and --region (or give --source-snapshot)");
      return;
    }
  } else {
    if (found.sourceCluster.Engine !== "neptune") {
      add({
        code: "source-not-neptune",
        severity: "blocker",
        message: `the cluster ${inputs.sourceCluster} runs ${found.sourceCluster.Engine}, not neptune`,
        fix: "trident migrate moves Neptune clusters only",
      });
    }
    if (!found.sourceManualSnapshot && !CLUSTER_READY.includes(found.sourceCluster.Status)) {
      add({
        code: "source-cluster-not-available",
        severity: "blocker",
        message: `the cluster ${inputs.sourceCluster} is ${found.sourceCluster.Status}; a snapshot needs it available`,
        fix: "wait until it is available, then run plan again",
      });
    }
  }
  const taken = found.sourceManualSnapshot;
  if (taken && inputs.sourceCluster && taken.DBClusterIdentifier !== inputs.sourceCluster) {
    add({
      code: "source-snapshot-name-taken",
      severity: "blocker",
      message: `a snapshot named ${taken.DBClusterSnapshotIdentifier} exists in ${A} but is of cluster ${taken.DBClusterIdentifier}`,
      fix: "delete or rename that snapshot, or pick another --target-cluster",
    });
  }

  if (path.automated) {
    add({
      code: "automated-snapshot",
      severity: "handled",
      rule: "R1",
      message: `${inputs.sourceSnapshot} is an automated snapshot, which can't be shared`,
      fix: `apply copies it to the manual snapshot ${names.sourceCmkSnapshot} first (or copy it yourself and pass --source-snapshot)`,
    });
  }
  if (!path.encrypted) return;

  const sourceKey = found.sourceKey;
  if (!sourceKey || sourceKey.Error) {
    add({
      code: "source-key-unreadable",
      severity: "blocker",
      rule: "R10",
      message: `the source's key ${sourceKey?.Requested ?? "(unknown)"} can't be read${because(sourceKey?.Error)}`,
      fix: "let the source caller call kms:DescribeKey and kms:GetKeyPolicy on it (see docs/migrate-permissions.md)",
    });
    return;
  }
  if (sourceKey.KeyState && sourceKey.KeyState !== "Enabled") {
    add({
      code: "source-key-not-enabled",
      severity: "blocker",
      message: `the source's key ${sourceKey.Arn} is ${sourceKey.KeyState}`,
      fix: "enable the key (or cancel its deletion), then run plan again",
    });
  }
  if (path.awsManagedKey) {
    const resolved = path.shareKey?.Arn ?? (path.keyToCreate ? names.createdKeyAlias : undefined);
    add({
      code: "aws-managed-key",
      severity: resolved ? "handled" : "blocker",
      rule: "R3",
      message: `the source is encrypted with the AWS-managed key ${sourceKey.Arn} (alias/aws/rds), whose policy can't be changed (K4): its snapshots can't be shared`,
      fix: resolved
        ? `apply copies the snapshot to ${names.sourceCmkSnapshot} under the customer-managed key ${resolved} and shares that copy`
        : "pass --source-kms-key with a customer-managed key of the source account, or --create-source-key to have one created; apply then copies the snapshot under it and shares the copy",
    });
  }
  if (found.reencryptKey) checkDedicatedKey(found.reencryptKey, A, add);

  const key = path.shareKey;
  if (!key?.Arn) return; // a key still to be created: its default policy is extended after creation
  if (key.PolicyError || !key.Policy) {
    add({
      code: "key-policy-unreadable",
      severity: "blocker",
      rule: "R10",
      message: `the policy of ${key.Arn} can't be read${because(key.PolicyError)}`,
      fix: "let the source caller call kms:GetKeyPolicy and kms:PutKeyPolicy on the key (see docs/migrate-permissions.md)",
    });
    return;
  }
  const access = safeTargetAccess(key.Policy, key.Arn, found, found.region);
  if (!access) {
    add({
      code: "key-policy-unparsable",
      severity: "blocker",
      rule: "K2",
      message: `the policy of ${key.Arn} can't be parsed`,
      fix: "repair the key policy in the console or with PutKeyPolicy",
    });
    return;
  }
  if (access.denied.length > 0) {
    add({
      code: "key-policy-denies-target",
      severity: "blocker",
      rule: "R10",
      message: `the key policy of ${key.Arn} explicitly denies account ${B} ${access.denied.join(", ")}`,
      fix: "remove that Deny statement (apply only adds statements, it never removes the owner's)",
    });
  }
  if (access.missing.length === 0) return;
  const statements = JSON.stringify(targetKeyStatements(found.partition, B), null, 2);
  const nothing = access.missing.length === TARGET_ACTION_NAMES.length; // the target is not in the policy at all
  add({
    code: nothing ? "key-policy-missing-target" : "key-policy-missing-actions",
    severity: "handled",
    rule: "R10",
    message: nothing
      ? `key policy of ${key.Arn} does not allow account ${B} to use the key (${access.missing.join(", ")})`
      : `key policy of ${key.Arn} does not allow account ${B} ${access.missing.join(", ")}`,
    fix: `run \`trident migrate apply\` to add it, or add these statements:\n${statements}`,
  });
  const merged = mergeTargetStatements(key.Policy, found.partition, B);
  if (!mayUpdatePolicy(key.Policy, key.Arn, found.source)) {
    add({
      code: "cannot-update-key-policy",
      severity: "blocker",
      rule: "K1",
      message: `the current policy of ${key.Arn} does not let ${found.source.Arn} call kms:PutKeyPolicy`,
      fix: `ask the key's administrator to add these statements:\n${statements}`,
    });
    return;
  }
  for (const problem of validateKeyPolicy(merged, key.Arn, found.source)) {
    add({
      code: "merged-key-policy-invalid",
      severity: "blocker",
      rule: problem.rule,
      message: `the merged key policy of ${key.Arn} would be refused: ${problem.message}`,
      fix: "repair the existing key policy first (apply never removes statements)",
    });
  }
}

function checkDedicatedKey(key: KeyFacts, account: string, add: Add): void {
  if (key.Error) {
    add({
      code: "source-kms-key-unusable",
      severity: "blocker",
      message: `--source-kms-key ${key.Requested} can't be used${because(key.Error)}`,
      fix: "give an enabled customer-managed key of the source account",
    });
  } else if (key.KeyManager !== "CUSTOMER") {
    add({
      code: "source-kms-key-aws-managed",
      severity: "blocker",
      rule: "R3",
      message: `--source-kms-key ${key.Requested} is an AWS-managed key`,
      fix: "give a customer-managed key (or --create-source-key)",
    });
  } else if (keyOwner(key) !== account) {
    add({
      code: "source-kms-key-other-account",
      severity: "blocker",
      message: `--source-kms-key ${key.Requested} belongs to account ${key.AWSAccountId}, not the source ${account}`,
      fix: "give a key of the source account, whose policy the source caller can change",
    });
  } else if (key.KeyState !== "Enabled") {
    add({
      code: "source-kms-key-not-enabled",
      severity: "blocker",
      message: `--source-kms-key ${key.Arn} is ${key.KeyState}`,
      fix: "enable the key, or give another",
    });
  }
}

/** What the target account needs: a usable key of its own (R9), free names, and the groups it names. */
function checkTarget(inputs: MigrateInputs, found: Discovered, path: SourcePath, add: Add, copyStarted: boolean): void {
  const B = found.target.Account;
  const keyNeeded = path.encrypted ? !copyStarted : true;
  if (keyNeeded) {
    checkTargetKey(found, found.targetKey, found.targetRegion, add, {
      code: "target-key-unusable",
      rule: "R9",
      fix: `pass --target-kms-key with an enabled key of account ${B}${found.targetRegion !== found.region ? ` in ${found.targetRegion}` : ""} that the target caller may use (kms:CreateGrant, kms:DescribeKey), or leave it out to use ${B}'s alias/aws/rds`,
    });
  }
  if (found.targetParameterGroup === "missing") {
    const name = inputs.parameterGroup ?? found.sourceCluster?.DBClusterParameterGroup;
    add({
      code: "parameter-group-missing",
      severity: "blocker",
      message: `the cluster parameter group ${name} does not exist in ${B}`,
      fix: `create it in ${B} with the source's parameters, or pass --parameter-group with one that exists there`,
    });
  }
  if (found.targetSubnetGroup === "missing") {
    add({
      code: "subnet-group-missing",
      severity: "blocker",
      message: `the subnet group ${inputs.subnetGroup} does not exist in ${B}`,
      fix: `create it in ${B}, or pass another --subnet-group`,
    });
  }
  if (!inputs.instanceClass && !found.sourceCluster?.Members.some((member) => member.DBInstanceClass)) {
    add({
      code: "instance-class-defaulted",
      severity: "warning",
      message: `the source's instance class is unknown; instances will be ${DEFAULT_INSTANCE_CLASS}`,
      fix: "pass --instance-class to choose",
    });
  }
}

/**
 * One of the target's keys (R9): its own, enabled, in the Region it encrypts in (R13: "KMS keys are specific to
 * the Region that they are created in"), and usable by the target caller via RDS.
 */
function checkTargetKey(
  found: Discovered,
  key: KeyFacts,
  region: string,
  add: Add,
  finding: { code: string; rule: string; fix: string },
): void {
  const B = found.target.Account;
  const unusable = (why: string, rule = finding.rule) =>
    add({
      code: finding.code,
      severity: "blocker",
      rule,
      message: `the target key ${key.Requested} can't be used by ${B}${found.targetRegion !== found.region ? ` in ${region}` : ""}: ${why}`,
      fix: finding.fix,
    });
  const owner = keyOwner(key);
  const keyRegion = regionOfArn(key.Arn ?? key.Requested);
  if (keyRegion && keyRegion !== region)
    unusable(`it is a key of ${keyRegion}, and a copy in ${region} needs a key of ${region}`, "R13");
  else if (key.Error && isCallersDenial(key.Error)) {
    // A denied read is the permission report's (permissions.ts), not a reason to change the key.
  } else if (key.Error) unusable(`${key.Error.code}: ${key.Error.message}`);
  else if (key.NotYetCreated) {
    // AWS creates alias/aws/rds in the account on first use (K4); nothing to check yet.
  } else if (owner && owner !== B)
    unusable(`it belongs to account ${owner}; the copy needs a key of the target account`);
  else if (key.KeyState && key.KeyState !== "Enabled") unusable(`it is ${key.KeyState}`);
  else if (key.Policy && key.Arn && !targetMayUseKey(key.Policy, key.Arn, found, region))
    unusable(`its key policy does not let ${found.target.Arn} call kms:CreateGrant and kms:DescribeKey`);
}

/** Across Regions: the key of the target's copy in the source Region (--transit-kms-key), checked like its own. */
function checkTransitKey(inputs: MigrateInputs, found: Discovered, add: Add): void {
  checkTargetKey(found, found.transitKey ?? { Requested: transitKeyOf(inputs) }, found.region, add, {
    code: "transit-key-unusable",
    rule: "R12",
    fix: `pass --transit-kms-key with an enabled key of account ${found.target.Account} in ${found.region} that the target caller may use, or leave it out to use its alias/aws/rds there`,
  });
}

/** How the plan shows the transit key: its ARN when known. */
function transitKeyShown(inputs: MigrateInputs, found: Discovered): string {
  const key = found.transitKey;
  return key?.Arn ?? `${transitKeyOf(inputs)}${key?.NotYetCreated ? " (AWS creates it on first use)" : ""}`;
}

/** The Region a key or alias ARN names; undefined for an id or an alias name. */
function regionOfArn(value: string): string | undefined {
  return value.startsWith("arn:") ? value.split(":")[3] || undefined : undefined;
}

/** The account a key belongs to, as DescribeKey reports it or its ARN says. */
function keyOwner(key: KeyFacts): string | undefined {
  return key.AWSAccountId ?? accountOfArn(key.Arn);
}

function safeTargetAccess(policy: string, keyArn: string, found: Discovered, region: string) {
  try {
    return targetAccess(policy, keyArn, found.target, region);
  } catch {
    return undefined;
  }
}

/** R9/R10 on the target's own key: RDS creates a grant and describes the key on the caller's behalf. */
function targetMayUseKey(policyText: string, keyArn: string, found: Discovered, region: string): boolean {
  let policy;
  try {
    policy = parsePolicy(policyText);
  } catch {
    return false;
  }
  const principal = principalOf(found.target);
  const context = { "kms:CallerAccount": found.target.Account, "kms:ViaService": `rds.${region}.amazonaws.com` };
  return [
    { action: "kms:CreateGrant", context: { ...context, "kms:GrantIsForAWSResource": "true" } },
    { action: "kms:DescribeKey", context },
  ].every(
    ({ action, context: requestContext }) =>
      authorize({
        request: { principal, action, resource: keyArn, context: requestContext },
        resourceAccountId: found.target.Account,
        resourcePolicy: policy,
      }).allowed,
  );
}
