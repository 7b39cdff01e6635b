import type { MigrationClients } from "../clients.js";
import type { GraphReading } from "../data-plane.js";
import type { GraphDifference } from "../graph-summary.js";
import type { Journal } from "../journal.js";
import type { LiveRunOptions } from "../live-session.js";
import type { Progress, WaitSettings } from "../waiters.js";
import type { Discovered, MigrateInputs, Plan, PlannedStep, StepId } from "../types.js";

/** What a running migration tells its user; report.ts renders it as text or JSON, the demo as a timeline. */
export interface Reporter {
  planned(plan: Plan): void;
  stepStarted(step: PlannedStep): void;
  /** `changed` false: the step found its work already done. */
  stepFinished(step: PlannedStep, outcome: { changed: boolean; detail?: string }): void;
  stepSkipped(step: PlannedStep): void;
  /** A line of detail under the current step. */
  note(text: string): void;
  /** A key-policy change, before it is made. */
  diff(lines: string[]): void;
  /** A refusal AWS is expected to give (the demo's walls), with the rule behind it. */
  wall(rule: string, attempt: string, error: { code: string; message: string; status?: number }): void;
  progress: Progress;
}

/** Values learned while running, that later steps need. */
export interface RunState {
  /** The CMK of the source that encrypts the shared snapshot (known after create-source-key at the latest). */
  shareKeyArn?: string;
  /** The target key's ARN, as the copy reports it. */
  targetKeyArn?: string;
  /** What verify found, check by check. */
  verification?: VerifyCheck[];
  /** What verify-data read on each side, and how the graphs differ (none: they match). */
  dataVerification?: DataVerification;
}

export interface DataVerification {
  source: GraphReading;
  target: GraphReading;
  differences: GraphDifference[];
}

export interface VerifyCheck {
  check: string;
  ok: boolean;
  expected: string;
  actual: string;
}

export interface StepContext {
  inputs: MigrateInputs;
  clients: MigrationClients;
  found: Discovered;
  plan: Plan;
  journal: Journal;
  reporter: Reporter;
  wait: WaitSettings;
  state: RunState;
  /** `apply --live`: how the replay step runs. */
  live?: LiveRunOptions;
}

export interface StepOutcome {
  changed: boolean;
  detail?: string;
}

export interface Step {
  id: StepId;
  /** Checks the live state first and acts only when the work is not done yet, so a re-run resumes. */
  run(ctx: StepContext): Promise<StepOutcome>;
}
