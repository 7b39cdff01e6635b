import {
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
  type NeptuneClient,
} from "@aws-sdk/client-neptune";
import { runPlan } from "./apply.js";
import { withClients, type ClientSource, type MigrationClients } from "./clients.js";
import { callerIdentities } from "./discover.js";
import { EXIT, MigrateError, explainError } from "./errors.js";
import { checkFleetQuotas, type FleetUsage, type SnapshotUsage } from "./fleet-quotas.js";
import { journalFileFor } from "./journal.js";
import { migrationId } from "./names.js";
import { mergePermissions, type PermissionReport } from "./permissions.js";
import { blockers } from "./plan.js";
import type { CallerIdentity, Finding, MigrateInputs, Plan, Side } from "./types.js";

/**
 * `trident migrate plan` for several clusters: each cluster is planned by the single-cluster planner, with its own
 * journal (the same file a single-cluster run of it uses), and the fleet adds what only shows across clusters: the
 * quotas (fleet-quotas.ts). One cluster that can't be planned (denied, its journal another's) is reported with its
 * error; the others are planned all the same.
 */

/** Which clusters: a list of inputs (repeated --source-cluster, a manifest), or every Neptune cluster of the source. */
export type FleetSelection = { members: MigrateInputs[] } | { allClusters: (sourceCluster: string) => MigrateInputs };

export interface FleetOptions extends ClientSource {
  selection: FleetSelection;
  /** Where each cluster's journal is (default .trident/migrations under the working directory). */
  journalDir?: string;
  /** Clusters run at once by apply (the plan says when their copies queue). */
  parallel: number;
}

/** An error as a fleet reports it: one line, its fix, and the exit code it means. */
export interface FleetError {
  message: string;
  fix?: string;
  exitCode: number;
  /** An unexpected error's stack (shown with --debug). */
  readonly stack?: string;
}

export interface FleetMember {
  sourceCluster: string;
  targetCluster: string;
  inputs: MigrateInputs;
  journalPath: string;
  /** Absent when the cluster could not be planned: then `error`. */
  plan?: Plan;
  error?: FleetError;
}

export interface FleetPlan {
  region: string;
  source: CallerIdentity;
  target: CallerIdentity;
  parallel: number;
  members: FleetMember[];
  usage: FleetUsage;
  /** Manual snapshots the fleet adds per account. */
  newSnapshots: Record<Side, number>;
  copySlots: Record<Side, number>;
  /** One policy per side covering every cluster's missing permissions (each cluster's own are in its plan). */
  permissions?: PermissionReport;
  /** The fleet's own findings (quotas); each cluster's are in its plan. */
  findings: Finding[];
  /** No fleet blocker: apply may start (blocked clusters are left out, the others run). */
  canStart: boolean;
  /** Every cluster planned without a blocker, and no fleet blocker. */
  canProceed: boolean;
}

/**
 * The error of one cluster, as the fleet keeps it: a user's to fix (with its fix) or unexpected. The stack of an
 * unexpected one is kept for --debug, out of the JSON output (not enumerable).
 */
export function fleetError(error: unknown): FleetError {
  if (error instanceof MigrateError) return { message: error.message, fix: error.fix, exitCode: error.exitCode };
  const name = (error as Error)?.name ?? "Error";
  const kept: FleetError = {
    message: `${name}: ${(error as Error)?.message ?? String(error)}`,
    exitCode: EXIT.failure,
  };
  return Object.defineProperty(kept, "stack", { value: (error as Error)?.stack, enumerable: false });
}

/** Every Neptune cluster of the account in the region (DescribeDBClusters filtered on the engine, all pages). */
export async function neptuneClusterIds(neptune: NeptuneClient): Promise<string[]> {
  const ids: string[] = [];
  let marker: string | undefined;
  do {
    // The endpoint is shared with RDS: without the filter, Aurora and other RDS clusters are listed too.
    const out = await neptune.send(
      new DescribeDBClustersCommand({
        Filters: [{ Name: "engine", Values: ["neptune"] }],
        ...(marker ? { Marker: marker } : {}),
      }),
    );
    for (const cluster of out.DBClusters ?? []) if (cluster.DBClusterIdentifier) ids.push(cluster.DBClusterIdentifier);
    marker = out.Marker;
  } while (marker);
  return ids;
}

/**
 * The account's manual cluster snapshots and the copies among them in progress. *Decided*: every engine's
 * snapshots are counted (the quota is RDS's, per account and region), which can only over-count.
 */
export async function snapshotUsage(neptune: NeptuneClient): Promise<SnapshotUsage> {
  const usage = { manual: 0, copying: 0 };
  let marker: string | undefined;
  do {
    const out = await neptune.send(
      new DescribeDBClusterSnapshotsCommand({ SnapshotType: "manual", ...(marker ? { Marker: marker } : {}) }),
    );
    for (const snapshot of out.DBClusterSnapshots ?? []) {
      usage.manual += 1;
      if (snapshot.Status === "copying") usage.copying += 1;
    }
    marker = out.Marker;
  } while (marker);
  return usage;
}

/** The selection as a list of inputs: every Neptune cluster of the source account for --all-clusters. */
export async function selectedInputs(selection: FleetSelection, clients: MigrationClients): Promise<MigrateInputs[]> {
  if ("members" in selection) return selection.members;
  let ids: string[];
  try {
    ids = await neptuneClusterIds(clients.source.neptune);
  } catch (error) {
    throw explainError(error, "source", clients.source);
  }
  if (ids.length === 0)
    throw new MigrateError(
      "--all-clusters: the source account has no Neptune cluster in this region",
      "check --region and the source account's credentials",
    );
  return ids.map(selection.allClusters);
}

/** One cluster of the fleet before it is planned: its names and its journal. */
export function fleetMember(
  inputs: MigrateInputs,
  identities: { source: CallerIdentity; target: CallerIdentity },
  journalDir: string | undefined,
): FleetMember {
  const id = migrationId(identities.source.Account, identities.target.Account, inputs.targetCluster);
  return {
    sourceCluster: inputs.sourceCluster ?? "",
    targetCluster: inputs.targetCluster,
    inputs,
    journalPath: journalFileFor(journalDir, id),
  };
}

async function readUsage(clients: MigrationClients): Promise<FleetUsage> {
  const read = async (side: Side) => {
    try {
      return await snapshotUsage(clients[side].neptune);
    } catch (error) {
      throw explainError(error, side, clients[side]);
    }
  };
  const [source, target] = await Promise.all([read("source"), read("target")]);
  return { source, target };
}

export async function planFleetWith(options: FleetOptions, clients: MigrationClients): Promise<FleetPlan> {
  const identities = await callerIdentities(clients);
  const inputs = await selectedInputs(options.selection, clients);
  const members = inputs.map((each) => fleetMember(each, identities, options.journalDir));
  // Clusters are planned one after the other: discovery is a burst of reads per cluster, and AWS throttles.
  for (const member of members) {
    try {
      member.plan = (await runPlan({ inputs: member.inputs, clients, journalPath: member.journalPath })).plan;
    } catch (error) {
      member.error = fleetError(error);
    }
  }
  const usage = await readUsage(clients);
  const plans = members.flatMap((member) => (member.plan ? [member.plan] : []));
  const quotas = checkFleetQuotas(plans, usage, options.parallel, {
    source: identities.source.Account,
    target: identities.target.Account,
  });
  const canStart = !quotas.findings.some((finding) => finding.severity === "blocker");
  const permissions = mergePermissions(plans.flatMap((plan) => (plan.permissions ? [plan.permissions] : [])));
  return {
    region: options.inputs.region,
    source: identities.source,
    target: identities.target,
    parallel: options.parallel,
    members,
    usage,
    newSnapshots: quotas.newSnapshots,
    copySlots: quotas.copySlots,
    ...(permissions ? { permissions } : {}),
    findings: quotas.findings,
    canStart,
    canProceed: canStart && members.every((member) => member.plan?.canProceed === true),
  };
}

/** `trident migrate plan` for a fleet: read-only. */
export function runFleetPlan(options: FleetOptions): Promise<FleetPlan> {
  return withClients(options, (clients) => planFleetWith(options, clients));
}

/** A cluster's blockers, or its planning error, as the lines a fleet prints for it. */
export function memberProblems(member: FleetMember): FleetError[] {
  if (member.error) return [member.error];
  return blockers(member.plan!).map((finding) => ({
    message: finding.message,
    ...(finding.fix ? { fix: finding.fix } : {}),
    exitCode: EXIT.blocked,
  }));
}
