import type { Reporter } from "../migrate/steps/context.js";
import type { PlannedStep } from "../migrate/types.js";

/**
 * Runs of `trident migrate apply` that the console watches as they happen (the demo's): what a journal file does
 * not hold, the plan's titles and rules per step, the step in progress and the walls met, recorded by a Reporter
 * that forwards every call to the one that prints. The journal stays the record of what was done; this adds the
 * why. Kept in memory, by journal path.
 */

export interface RecordedStep {
  id: string;
  title: string;
  side: string;
  rules: string[];
  /** Set while the step runs and after; absent for a step skipped as already done. */
  startedAt?: string;
  finishedAt?: string;
  state: "todo" | "in-progress" | "done" | "skipped";
}

export interface RecordedWall {
  rule: string;
  attempt: string;
  code: string;
  message: string;
  status?: number;
  at: string;
  /** The step that ran next: the way the procedure went around the wall. */
  beforeStep?: string;
}

export interface Recording {
  steps: RecordedStep[];
  walls: RecordedWall[];
}

export class RunRecordings {
  readonly #byJournal = new Map<string, Recording>();

  constructor(private readonly changed: () => void) {}

  get(journalPath: string): Recording | undefined {
    return this.#byJournal.get(journalPath);
  }

  /** A Reporter that records the run whose journal is `journalPath` and forwards everything to `inner`. */
  reporter(journalPath: string, inner: Reporter, now: () => Date = () => new Date()): Reporter {
    const recording: Recording = this.#byJournal.get(journalPath) ?? { steps: [], walls: [] };
    this.#byJournal.set(journalPath, recording);
    const changed = this.changed;
    const stepOf = (step: PlannedStep): RecordedStep => {
      let found = recording.steps.find((s) => s.id === step.id);
      if (!found) {
        found = { id: step.id, title: step.title, side: step.side, rules: [...step.rules], state: "todo" };
        recording.steps.push(found);
      }
      return found;
    };
    let wallsWaiting: RecordedWall[] = [];
    return {
      get progress() {
        return inner.progress;
      },
      planned(plan) {
        for (const step of plan.steps) stepOf(step);
        changed();
        inner.planned(plan);
      },
      stepStarted(step) {
        const recorded = stepOf(step);
        recorded.state = "in-progress";
        recorded.startedAt = now().toISOString();
        delete recorded.finishedAt;
        for (const wall of wallsWaiting) wall.beforeStep = step.id;
        wallsWaiting = [];
        changed();
        inner.stepStarted(step);
      },
      stepFinished(step, outcome) {
        const recorded = stepOf(step);
        recorded.state = "done";
        recorded.finishedAt = now().toISOString();
        changed();
        inner.stepFinished(step, outcome);
      },
      stepSkipped(step) {
        const recorded = stepOf(step);
        if (recorded.state === "todo") recorded.state = "skipped";
        changed();
        inner.stepSkipped(step);
      },
      note: (text) => inner.note(text),
      diff: (lines) => inner.diff(lines),
      wall(rule, attempt, error) {
        const wall: RecordedWall = {
          rule,
          attempt,
          code: error.code,
          message: error.message,
          ...(error.status !== undefined ? { status: error.status } : {}),
          at: now().toISOString(),
        };
        recording.walls.push(wall);
        wallsWaiting.push(wall);
        changed();
        inner.wall(rule, attempt, error);
      },
    };
  }
}
