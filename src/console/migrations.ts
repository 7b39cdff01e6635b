import { readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { readJournal, type Claimable, type JournalData, type JournalEvent } from "../migrate/journal.js";
import { ruleText } from "../migrate/rules.js";
import { plannedSteps } from "./journal-plan.js";
import type { Recording, RecordedWall } from "./run-recorder.js";

/**
 * The migration view's documents: the journals `trident migrate apply` writes (src/migrate/journal.ts) found in
 * the console's journal directories, each turned into a timeline of runs and steps (state, start, end, duration),
 * with the rules each step meets and the walls met when the console watched the run (run-recorder.ts).
 *
 * A journal records when each step was done, not when it started: a step starts when the one before it ended (or
 * when its run started), which is when apply moved on to it.
 */

export interface JournalFile {
  /** `<directory index>.<file name without .json>`: only files found in a journal directory can be named. */
  id: string;
  path: string;
}

/** The `.json` files of the journal directories (a missing directory has none). */
export function journalFiles(dirs: readonly string[]): JournalFile[] {
  const files: JournalFile[] = [];
  dirs.forEach((dir, index) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names.sort())
      if (name.endsWith(".json")) files.push({ id: `${index}.${name.slice(0, -5)}`, path: join(dir, name) });
  });
  return files;
}

export interface RuleView {
  id: string;
  text: string;
}

export interface StepView {
  id: string;
  title: string;
  state: "done" | "failed" | "in-progress" | "skipped";
  startedAt?: string;
  endedAt?: string;
  durationMs?: number;
  rules: RuleView[];
  events: { at: string; event: string; detail?: string }[];
}

export interface RunView {
  startedAt: string;
  endedAt?: string;
  outcome: "finished" | "stopped" | "failed" | "running";
  steps: StepView[];
}

export interface WallView {
  rule: RuleView;
  attempt: string;
  code: string;
  status?: number;
  message: string;
  at: string;
  /** How the procedure went around it: the step that ran next, and that rule's way. */
  passedBy?: string;
}

export interface MigrationSummary {
  id: string;
  file: string;
  region?: string;
  source?: { account: string; cluster?: string; snapshot?: string };
  target?: { account: string; cluster: string };
  updatedAt?: string;
  stepsDone?: number;
  /** The console watched this run (the demo's): rules and walls are known. */
  watched: boolean;
  /** Why the file could not be read, instead of the fields above. */
  error?: string;
}

export interface MigrationView extends MigrationSummary {
  runs: RunView[];
  walls: WallView[];
  cleanup: { at: string; action: string; detail?: string }[];
  cleanedUp?: string;
}

function read(file: JournalFile): { data?: JournalData; error?: string } {
  try {
    const data = readJournal(file.path);
    return data ? { data } : { error: "the file is gone" };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function summaryOf(file: JournalFile, data: JournalData | undefined, watched: boolean, error?: string) {
  const summary: MigrationSummary = { id: file.id, file: basename(file.path), watched };
  if (!data) return { ...summary, error: error ?? "unreadable" };
  return {
    ...summary,
    region: data.region,
    source: { ...data.source },
    target: { ...data.target },
    updatedAt: data.updatedAt,
    stepsDone: data.completed.length,
  };
}

export function migrationSummary(file: JournalFile, recording: Recording | undefined): MigrationSummary {
  const { data, error } = read(file);
  return summaryOf(file, data, recording !== undefined, error);
}

export function migrationView(file: JournalFile, recording: Recording | undefined): MigrationView {
  const { data, error } = read(file);
  const summary = summaryOf(file, data, recording !== undefined, error);
  if (!data) return { ...summary, runs: [], walls: [], cleanup: [] };
  return {
    ...summary,
    // A watched run knows its plan's rules; an unwatched journal asks the plan (journal-plan.ts).
    runs: timeline(data.events, recording, recording ? undefined : plannedSteps(data)),
    walls: (recording?.walls ?? []).map((wall) => wallView(wall, recording!)),
    cleanup: data.events
      .filter((e) => e.step === "cleanup")
      .map((e) => ({ at: e.at, action: e.event, ...(e.detail !== undefined ? { detail: e.detail } : {}) })),
    ...(data.cleanedUp ? { cleanedUp: data.cleanedUp } : {}),
  };
}

/**
 * A claim (journal.ts: written before the call that creates a resource) is recorded under the resource's kind:
 * the step that makes that resource is the one it belongs to (src/migrate/steps: create-once callers).
 */
const CLAIM_STEPS: Record<Claimable, string> = {
  sourceManualSnapshot: "snapshot",
  sourceCmkSnapshot: "copy-to-cmk",
  targetCopy: "copy",
  regionCopy: "copy-region",
  targetCluster: "restore",
};

const stepOfEvent = (step: string) => (Object.hasOwn(CLAIM_STEPS, step) ? CLAIM_STEPS[step as Claimable] : step);

const rulesOf = (ids: readonly string[]): RuleView[] => ids.map((id) => ({ id, text: ruleText(id) }));

/**
 * The journal's events as apply runs (each from its `apply started`), each a list of the steps it worked on, with
 * the rules the watched run's plan (`recording`) or else the `planned` steps give each.
 */
export function timeline(
  events: readonly JournalEvent[],
  recording?: Recording,
  planned?: ReadonlyMap<string, { rules: readonly string[] }>,
): RunView[] {
  const runs: RunView[] = [];
  let run: RunView | undefined;
  let boundary = "";
  const plannedStep = (id: string) => recording?.steps.find((step) => step.id === id);
  for (const event of events) {
    if (event.step === "cleanup") continue;
    if (event.step === "apply") {
      if (event.event === "started") {
        run = { startedAt: event.at, outcome: "running", steps: [] };
        runs.push(run);
        boundary = event.at;
      } else if (run && (event.event === "finished" || event.event === "stopped")) {
        run.outcome = event.event;
        run.endedAt = event.at;
      }
      continue;
    }
    if (!run) continue;
    const id = stepOfEvent(event.step);
    let step = run.steps.find((s) => s.id === id);
    if (!step) {
      const recorded = plannedStep(id);
      step = {
        id,
        title: recorded?.title ?? id,
        state: "in-progress",
        startedAt: boundary,
        rules: rulesOf(recorded?.rules ?? planned?.get(id)?.rules ?? []),
        events: [],
      };
      run.steps.push(step);
    }
    step.events.push({
      at: event.at,
      event: event.event,
      ...(event.detail !== undefined ? { detail: event.detail } : {}),
    });
    if (event.event === "done" || event.event === "failed") {
      step.state = event.event === "done" ? "done" : "failed";
      step.endedAt = event.at;
      step.durationMs = Date.parse(event.at) - Date.parse(step.startedAt ?? event.at);
      boundary = event.at;
      if (event.event === "failed") {
        run.outcome = "failed";
        run.endedAt = event.at;
      }
    }
  }
  const last = runs.at(-1);
  if (last && recording) addWatchedSteps(last, recording);
  return runs;
}

/**
 * What only a watched run knows: the step running now (it has no journal event until it is done, unless it claims
 * a resource first), and the steps skipped as already done.
 */
function addWatchedSteps(run: RunView, recording: Recording): void {
  for (const planned of recording.steps) {
    if (run.steps.some((step) => step.id === planned.id)) continue;
    if (planned.state === "in-progress" && run.outcome === "running")
      run.steps.push({
        id: planned.id,
        title: planned.title,
        state: "in-progress",
        ...(planned.startedAt ? { startedAt: planned.startedAt } : {}),
        rules: rulesOf(planned.rules),
        events: [],
      });
    else if (planned.state === "skipped")
      run.steps.push({
        id: planned.id,
        title: planned.title,
        state: "skipped",
        rules: rulesOf(planned.rules),
        events: [],
      });
  }
}

function wallView(wall: RecordedWall, recording: Recording): WallView {
  const next = wall.beforeStep ? recording.steps.find((step) => step.id === wall.beforeStep) : undefined;
  return {
    rule: { id: wall.rule, text: ruleText(wall.rule) },
    attempt: wall.attempt,
    code: wall.code,
    ...(wall.status !== undefined ? { status: wall.status } : {}),
    message: wall.message,
    at: wall.at,
    ...(next ? { passedBy: next.title } : {}),
  };
}
