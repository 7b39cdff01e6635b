import { withClients, type ClientSource, type MigrationClients } from "./clients.js";
import { discover } from "./discover.js";
import { EXIT, MigrateError, explainError } from "./errors.js";
import type { LiveRunOptions } from "./live-session.js";
import { Journal, checkJournalMatches, journalFileFor, readJournal, type JournalIdentity } from "./journal.js";
import { requiredPermissions } from "./permissions-table.js";
import { simulatePermissions } from "./permissions-simulate.js";
import { blockers, buildPlan, pendingChanges } from "./plan.js";
import { silentProgress } from "./waiters.js";
import type { DataVerification, Reporter, RunState, StepContext, StepOutcome, VerifyCheck } from "./steps/context.js";
import { STEPS } from "./steps/index.js";
import type { Discovered, MigrateInputs, Plan, StepId } from "./types.js";
import type { WaitSettings } from "./waiters.js";

/**
 * plan and apply, as library calls (the CLI and the demo are thin layers over these). Both discover first and
 * plan from what they found; apply then runs each step that is not done, in order, each checking the live state
 * before it acts, and records everything in the journal, so that running it again resumes or does nothing.
 */

export interface RunOptions extends ClientSource {
  inputs: MigrateInputs;
  /** Default: <migration id>.json in `journalDir`. */
  journalPath?: string;
  /** Default: .trident/migrations under the working directory. */
  journalDir?: string;
  now?: () => Date;
}

export interface PlanResult {
  plan: Plan;
  found: Discovered;
  journalPath: string;
}

export function journalIdentity(inputs: MigrateInputs, found: Discovered, plan: Plan): JournalIdentity {
  return {
    migrationId: plan.migrationId,
    region: inputs.region,
    ...(plan.targetRegion !== inputs.region ? { targetRegion: plan.targetRegion } : {}),
    source: {
      account: found.source.Account,
      ...(inputs.sourceCluster ? { cluster: inputs.sourceCluster } : {}),
      ...(inputs.sourceSnapshot ? { snapshot: inputs.sourceSnapshot } : {}),
    },
    target: { account: found.target.Account, cluster: inputs.targetCluster },
  };
}

async function planWith(options: RunOptions, clients: MigrationClients): Promise<PlanResult> {
  const found = await discover(options.inputs, clients);
  const draft = buildPlan(options.inputs, found);
  const journalPath = options.journalPath ?? journalFileFor(options.journalDir, draft.migrationId);
  const journal = readJournal(journalPath);
  if (journal) checkJournalMatches(journal, journalIdentity(options.inputs, found, draft), journalPath);
  // The permission preflight asks IAM about the steps still to run, then the plan is made again with its answers.
  const steps = journal ? buildPlan(options.inputs, found, journal) : draft;
  found.simulated = await simulatePermissions(clients, found, requiredPermissions(options.inputs, found, steps));
  return { plan: buildPlan(options.inputs, found, journal), found, journalPath };
}

/** `trident migrate plan`: read-only. */
export function runPlan(options: RunOptions): Promise<PlanResult> {
  return withClients(options, (clients) => planWith(options, clients));
}

export interface ApplyOptions extends RunOptions {
  reporter?: Reporter;
  wait?: WaitSettings;
  /** Asked once before the first change, with the plan; not asked when nothing is to change. */
  confirm?: (plan: Plan) => Promise<boolean>;
  /** Test hook: stop (as if killed) right after this step. */
  stopAfter?: StepId;
  /** Called before each step runs (the demo shows AWS's refusals there). */
  beforeStep?: (step: StepId, ctx: StepContext) => Promise<void>;
  /** Runs each step that is not done (a fleet holds a copy slot around the copy steps); default: just runs it. */
  aroundStep?: (step: StepId, run: () => Promise<StepOutcome>) => Promise<StepOutcome>;
  /** `--live`: how the replay step runs (page size, --follow, test hooks). */
  live?: LiveRunOptions;
}

export type ApplyStatus = "done" | "blocked" | "declined" | "stopped";

export interface ApplyResult extends PlanResult {
  status: ApplyStatus;
  /** Steps that changed something in this run. */
  changed: StepId[];
  verification?: VerifyCheck[];
  /** `--verify-data`: both graphs as read, and how they differ. */
  dataVerification?: DataVerification;
}

const NULL_REPORTER: Reporter = {
  planned() {},
  stepStarted() {},
  stepFinished() {},
  stepSkipped() {},
  note() {},
  diff() {},
  wall() {},
  progress: silentProgress,
};

/** `trident migrate apply`. */
export function runApply(options: ApplyOptions): Promise<ApplyResult> {
  return withClients(options, async (clients) => {
    const planned = await planWith(options, clients);
    const { plan, found, journalPath } = planned;
    const reporter = options.reporter ?? NULL_REPORTER;
    reporter.planned(plan);
    if (!plan.canProceed) return { ...planned, status: "blocked", changed: [] };
    const pending = pendingChanges(plan);
    if (pending.length > 0 && options.confirm && !(await options.confirm(plan)))
      return { ...planned, status: "declined", changed: [] };

    const journal = Journal.open(journalPath, journalIdentity(options.inputs, found, plan), options.now);
    journal.record("apply", "started", `${pending.length} step(s) to run`);
    const state: RunState = {
      ...(plan.names.shareKeyArn ? { shareKeyArn: plan.names.shareKeyArn } : {}),
      ...(plan.spec.KmsKeyArn ? { targetKeyArn: plan.spec.KmsKeyArn } : {}),
    };
    const ctx: StepContext = {
      inputs: options.inputs,
      clients,
      found,
      plan,
      journal,
      reporter,
      wait: options.wait ?? {},
      state,
      ...(options.live ? { live: options.live } : {}),
    };
    const changed: StepId[] = [];
    for (const step of plan.steps) {
      if (step.state === "done") {
        reporter.stepSkipped(step);
      } else {
        await options.beforeStep?.(step.id, ctx);
        reporter.stepStarted(step);
        let outcome;
        try {
          const run = () => STEPS[step.id].run(ctx);
          outcome = await (options.aroundStep ? options.aroundStep(step.id, run) : run());
        } catch (error) {
          journal.record(step.id, "failed", (error as Error)?.message ?? String(error));
          const side = step.side;
          throw explainError(error, side, clients[side]);
        }
        if (outcome.changed) changed.push(step.id);
        journal.complete(step.id, outcome.detail);
        reporter.stepFinished(step, outcome);
      }
      if (options.stopAfter === step.id) {
        journal.record("apply", "stopped", `after ${step.id} (--stop-after)`);
        return { ...planned, status: "stopped", changed };
      }
    }
    journal.record("apply", "finished");
    return {
      ...planned,
      status: "done",
      changed,
      ...(state.verification ? { verification: state.verification } : {}),
      ...(state.dataVerification ? { dataVerification: state.dataVerification } : {}),
    };
  });
}

/** The one error a blocked plan turns into on the command line. */
export function blockedError(plan: Plan): MigrateError {
  const count = blockers(plan).length;
  return new MigrateError(
    `the plan has ${count} blocker${count === 1 ? "" : "s"}`,
    "fix each as its line says, then run again",
    EXIT.blocked,
  );
}
