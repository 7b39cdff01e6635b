import { EXIT } from "../migrate/errors.js";
import { fleetExitCode, runFleetApply, type ClusterOutcome } from "../migrate/fleet-apply.js";
import { runFleetCleanup } from "../migrate/fleet-cleanup.js";
import { runFleetPlan, type FleetMember, type FleetOptions, type FleetPlan } from "../migrate/fleet-plan.js";
import { clusterPrefix, problemLines, renderFleetPlan, renderFleetSummary } from "../migrate/fleet-report.js";
import { cleanupNotes, type CleanupChoices } from "../migrate/cleanup.js";
import { JsonReporter, TextReporter, describeChanges } from "../migrate/report.js";
import type { Reporter } from "../migrate/steps/context.js";
import type { StepId } from "../migrate/types.js";
import { lineProgress, type WaitSettings } from "../migrate/waiters.js";
import { confirmation, type MigrateIo } from "./migrate-io.js";

/**
 * `trident migrate plan|apply|cleanup` for a fleet: the output side (migrate.ts parses and dispatches). Lines of
 * clusters that run at once are prefixed with their cluster, and progress is lines, never bars (bars of parallel
 * clusters would overwrite each other); `--output json` prints one document at the end instead.
 */

/** Two clusters at once by default: twice as fast as one after another, and well inside AWS's 5 copies at once. */
export const DEFAULT_PARALLEL = 2;

export type FleetCommand = "plan" | "apply" | "cleanup";

export interface FleetSettings {
  json: boolean;
  debug: boolean;
  yes: boolean;
  wait: WaitSettings;
  stopAfter?: StepId;
  cleanup: CleanupChoices;
}

/** Writes each line of `text` with the cluster's prefix. */
function prefixedWriter(write: (text: string) => void, cluster: string): (line: string) => void {
  const prefix = clusterPrefix(cluster);
  return (line) =>
    write(
      `${line
        .split("\n")
        .map((part) => `${prefix}${part}`)
        .join("\n")}\n`,
    );
}

/** The fleet's own facts as data: accounts, quotas, findings (no cluster). */
const fleetFacts = ({ members: _members, ...facts }: FleetPlan) => facts;

/** The fleet's plan as data, without the inputs (they hold the credentials). */
function fleetDocument(fleet: FleetPlan) {
  return {
    ...fleetFacts(fleet),
    clusters: fleet.members.map((member) => ({
      sourceCluster: member.sourceCluster,
      targetCluster: member.targetCluster,
      journal: member.journalPath,
      ...(member.plan ? { plan: member.plan } : {}),
      ...(member.error ? { error: member.error } : {}),
    })),
  };
}

/** A cluster's blockers or error, with their fixes, on stderr; an unexpected error's stack with --debug. */
function printProblems(io: MigrateIo, outcome: ClusterOutcome, debug: boolean): void {
  if (outcome.problems.length === 0) return;
  const write = prefixedWriter(io.stderr, outcome.sourceCluster);
  write(`${outcome.state}:`);
  for (const problem of outcome.problems) {
    for (const line of problemLines(problem)) write(`  ${line}`);
    if (problem.stack) write(debug ? problem.stack : "  (run with --debug for the stack)");
  }
}

export async function fleetCommand(
  command: FleetCommand,
  options: FleetOptions,
  io: MigrateIo,
  settings: FleetSettings,
): Promise<number> {
  if (command === "plan") return planFleet(options, io, settings);
  if (command === "apply") return applyFleet(options, io, settings);
  return cleanupFleet(options, io, settings);
}

async function planFleet(options: FleetOptions, io: MigrateIo, settings: FleetSettings): Promise<number> {
  const fleet = await runFleetPlan(options);
  if (settings.json) io.stdout(`${JSON.stringify({ command: "plan", fleet: fleetDocument(fleet) }, null, 2)}\n`);
  else io.stdout(renderFleetPlan(fleet));
  if (fleet.canProceed) return EXIT.ok;
  return fleet.members.some((member) => member.error?.exitCode === EXIT.failure) ? EXIT.failure : EXIT.blocked;
}

async function applyFleet(options: FleetOptions, io: MigrateIo, settings: FleetSettings): Promise<number> {
  const { json } = settings;
  const events = new Map<string, JsonReporter>();
  const reporterFor = (member: FleetMember): Reporter => {
    if (json) {
      const reporter = new JsonReporter();
      events.set(member.sourceCluster, reporter);
      return reporter;
    }
    const write = prefixedWriter(io.stdout, member.sourceCluster);
    // Progress lines go to stderr, as the single-cluster form's do.
    return new TextReporter({ write, progress: lineProgress(prefixedWriter(io.stderr, member.sourceCluster)) });
  };
  const result = await runFleetApply({
    ...options,
    wait: settings.wait,
    ...(settings.stopAfter ? { stopAfter: settings.stopAfter } : {}),
    ...(io.now ? { now: io.now } : {}),
    reporterFor,
    finished: (outcome) => {
      if (!json) printProblems(io, outcome, settings.debug);
    },
    queued: (member, step) => {
      if (!json)
        prefixedWriter(
          io.stdout,
          member.sourceCluster,
        )(`    ${step} waits for a free copy slot (AWS's copies in progress)`);
    },
    confirm: async (fleet) => {
      if (!json) io.stdout(`${renderFleetPlan(fleet)}\n`);
      const changes = fleet.members
        .filter((member) => member.plan?.canProceed)
        .map((member) => describeChanges(member.plan!, clusterPrefix(member.sourceCluster)))
        .filter(Boolean)
        .join("\n");
      return confirmation(io, settings.yes, `apply will change these live resources:\n${changes}\nContinue?`);
    },
  });
  if (result.status === "declined") return EXIT.declined;
  const code = result.status === "blocked" ? EXIT.blocked : fleetExitCode(result.outcomes);
  if (json) {
    const plans = new Map(result.fleet.members.map((member) => [member.sourceCluster, member.plan]));
    const document = {
      command: "apply",
      status: result.status,
      exitCode: code,
      fleet: fleetFacts(result.fleet),
      clusters: result.outcomes.map((outcome) => ({
        ...outcome,
        plan: plans.get(outcome.sourceCluster),
        events: events.get(outcome.sourceCluster)?.events ?? [],
      })),
    };
    io.stdout(`${JSON.stringify(document, null, 2)}\n`);
    return code;
  }
  if (result.status === "blocked") {
    io.stdout(renderFleetPlan(result.fleet));
    io.stderr(
      "trident migrate: the fleet plan has blockers; no cluster was changed\n  fix: fix each as its line says, then run again\n",
    );
    return code;
  }
  io.stdout(`\n${renderFleetSummary(result.outcomes, { command: "apply" })}`);
  return code;
}

async function cleanupFleet(options: FleetOptions, io: MigrateIo, settings: FleetSettings): Promise<number> {
  const { json } = settings;
  const outcomes = await runFleetCleanup({
    ...options,
    ...settings.cleanup,
    ...(io.now ? { now: io.now } : {}),
    writerFor: (member) => (json ? () => {} : prefixedWriter(io.stdout, member.sourceCluster)),
    confirm: (member, action) =>
      confirmation(io, settings.yes, `${clusterPrefix(member.sourceCluster)}${action.title}?`),
  });
  const declined = outcomes.some((outcome) => outcome.cleanup?.actions.some((action) => action.status === "declined"));
  const code = declined ? EXIT.declined : fleetExitCode(outcomes);
  if (json) {
    io.stdout(`${JSON.stringify({ command: "cleanup", exitCode: code, clusters: outcomes }, null, 2)}\n`);
    return code;
  }
  for (const outcome of outcomes) {
    printProblems(io, outcome, settings.debug);
    const write = prefixedWriter(io.stdout, outcome.sourceCluster);
    if (outcome.state === "skipped") write("no journal: this tool did nothing to clean up for it");
    if (outcome.cleanup) for (const note of cleanupNotes(outcome.cleanup)) write(note);
  }
  io.stdout(`\n${renderFleetSummary(outcomes, { command: "cleanup" })}`);
  return code;
}
