import { runApply, type ApplyResult } from "./apply.js";
import { withClients, type MigrationClients } from "./clients.js";
import { readSnapshot } from "./discover.js";
import { EXIT } from "./errors.js";
import {
  fleetError,
  memberProblems,
  planFleetWith,
  type FleetError,
  type FleetMember,
  type FleetOptions,
  type FleetPlan,
} from "./fleet-plan.js";
import { COPY_STEPS } from "./fleet-quotas.js";
import { runBounded, Slots } from "./fleet-schedule.js";
import { pendingChanges } from "./plan.js";
import type { Reporter } from "./steps/context.js";
import type { Side, StepId } from "./types.js";
import type { WaitSettings } from "./waiters.js";

/**
 * `trident migrate apply` for a fleet: one plan for all (fleet-plan.ts), one confirmation, then each cluster's
 * single-cluster apply (its own journal, so a re-run resumes only what is left), at most `parallel` at once, with
 * the copy steps holding a slot of AWS's copies-in-progress quota per account. A blocked or failing cluster is
 * reported with its fix and the others go on; the exit code says the worst that happened.
 */

/** done: migrated and verified; blocked: its plan has blockers (nothing ran); failed: a step failed; stopped:
 * --stop-after (the test hook); skipped: nothing to do for it (cleanup without a journal). */
export type ClusterState = "done" | "blocked" | "failed" | "stopped" | "skipped";

export type DataCheck = "match" | "differ" | "not run";

export interface ClusterOutcome {
  sourceCluster: string;
  targetCluster: string;
  journalPath: string;
  state: ClusterState;
  durationMs: number;
  /** GiB, Neptune's AllocatedStorage of the snapshot moved (the target's copy, else the shared one). */
  snapshotGiB?: number;
  verification: DataCheck;
  /** Steps that changed something in this run. */
  changed: StepId[];
  /** The blockers, or the error, with their fixes. */
  problems: FleetError[];
}

export interface FleetApplyOptions extends FleetOptions {
  wait?: WaitSettings;
  /** Asked once, with the whole fleet's plan, before the first change; not asked when nothing is to change. */
  confirm?: (fleet: FleetPlan) => Promise<boolean>;
  /** The reporter of one cluster's run (the CLI prefixes its lines with the cluster). */
  reporterFor?: (member: FleetMember) => Reporter;
  /** Told when a cluster ends, as it ends (the CLI prints blockers and errors there). */
  finished?: (outcome: ClusterOutcome) => void;
  /** Told when a cluster's copy step waits for a copy slot. */
  queued?: (member: FleetMember, step: StepId) => void;
  stopAfter?: StepId;
  /** Milliseconds, for the durations (tests pass their manual clock). */
  now?: () => number;
}

export type FleetStatus = "finished" | "blocked" | "declined";

export interface FleetApplyResult {
  fleet: FleetPlan;
  /** blocked: a fleet blocker, nothing ran; declined: not confirmed; finished: every cluster had its turn. */
  status: FleetStatus;
  outcomes: ClusterOutcome[];
}

/** A cluster's outcome: nothing changed, nothing checked, no problem, unless `fields` says. */
export const outcomeOf = (
  member: FleetMember,
  fields: Partial<ClusterOutcome> & Pick<ClusterOutcome, "state">,
): ClusterOutcome => ({
  sourceCluster: member.sourceCluster,
  targetCluster: member.targetCluster,
  journalPath: member.journalPath,
  durationMs: 0,
  verification: "not run" as DataCheck,
  changed: [],
  problems: [],
  ...fields,
});

/** What apply does before any cluster runs: a blocked cluster is not run (and says why). */
function notRunnable(member: FleetMember): ClusterOutcome | undefined {
  if (member.plan?.canProceed) return undefined;
  return outcomeOf(member, { state: member.error ? "failed" : "blocked", problems: memberProblems(member) });
}

/** The size of the snapshot moved: the target's copy once it exists, else the snapshot shared by the source. */
async function snapshotGiB(member: FleetMember, clients: MigrationClients): Promise<number | undefined> {
  const names = member.plan!.names;
  try {
    const copy = await readSnapshot(clients.target.neptune, names.targetCopy, { withDetails: false });
    if (copy?.AllocatedStorage !== undefined) return copy.AllocatedStorage;
    const shared = await readSnapshot(clients.source.neptune, names.shareSnapshot, { withDetails: false });
    return shared?.AllocatedStorage;
  } catch {
    return undefined; // a size the caller may not read is not worth failing a finished migration over
  }
}

function dataCheck(member: FleetMember, result?: ApplyResult, error?: FleetError): DataCheck {
  if (!member.inputs.verifyData) return "not run";
  if (error?.exitCode === EXIT.verifyFailed) return "differ";
  if (!result?.dataVerification) return "not run";
  return result.dataVerification.differences.length === 0 ? "match" : "differ";
}

export function runFleetApply(options: FleetApplyOptions): Promise<FleetApplyResult> {
  return withClients(options, async (clients) => {
    const fleet = await planFleetWith(options, clients);
    if (!fleet.canStart)
      return {
        fleet,
        status: "blocked",
        outcomes: fleet.members.map((member) => notRunnable(member) ?? outcomeOf(member, { state: "blocked" })),
      };
    const runnable = fleet.members.filter((member) => member.plan?.canProceed);
    const pending = runnable.some((member) => pendingChanges(member.plan!).length > 0);
    if (pending && options.confirm && !(await options.confirm(fleet)))
      return { fleet, status: "declined", outcomes: [] };

    const now = options.now ?? Date.now;
    const slots: Record<Side, Slots> = {
      source: new Slots(fleet.copySlots.source),
      target: new Slots(fleet.copySlots.target),
    };
    const outcomes = new Map<FleetMember, ClusterOutcome>();
    const finish = (member: FleetMember, outcome: ClusterOutcome) => {
      outcomes.set(member, outcome);
      options.finished?.(outcome);
    };
    for (const member of fleet.members) {
      const blocked = notRunnable(member);
      if (blocked) finish(member, blocked);
    }
    await runBounded(runnable, fleet.parallel, async (member) => {
      const started = now();
      let result: ApplyResult | undefined;
      let error: FleetError | undefined;
      try {
        result = await runApply({
          inputs: member.inputs,
          clients,
          journalPath: member.journalPath,
          ...(options.wait ? { wait: options.wait } : {}),
          ...(options.reporterFor ? { reporter: options.reporterFor(member) } : {}),
          ...(options.stopAfter ? { stopAfter: options.stopAfter } : {}),
          aroundStep: (step, run) => {
            const side = COPY_STEPS[step];
            return side ? slots[side].hold(run, () => options.queued?.(member, step)) : run();
          },
        });
      } catch (caught) {
        error = fleetError(caught);
      }
      // A plan that changed since the fleet's (someone else's change in between) is blocked now.
      const state = error
        ? "failed"
        : result!.status === "stopped"
          ? "stopped"
          : result!.status === "done"
            ? "done"
            : "blocked";
      const size = await snapshotGiB(member, clients);
      finish(
        member,
        outcomeOf(member, {
          state,
          durationMs: now() - started,
          ...(size !== undefined ? { snapshotGiB: size } : {}),
          verification: dataCheck(member, result, error),
          changed: result?.changed ?? [],
          problems: error ? [error] : state === "blocked" ? memberProblems({ ...member, plan: result!.plan }) : [],
        }),
      );
    });
    return { fleet, status: "finished", outcomes: fleet.members.map((member) => outcomes.get(member)!) };
  });
}

/** The exit code of a fleet run: the worst that happened to a cluster (unexpected, then verify, then blocked). */
export function fleetExitCode(outcomes: ClusterOutcome[]): number {
  const codes = outcomes.flatMap((outcome) =>
    outcome.state === "blocked" ? [EXIT.blocked] : outcome.problems.map((problem) => problem.exitCode),
  );
  for (const code of [EXIT.failure, EXIT.verifyFailed, EXIT.blocked]) if (codes.includes(code)) return code;
  return EXIT.ok;
}
