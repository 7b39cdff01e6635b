import { blockers, isCheck, pendingChanges } from "./plan.js";
import { ruleText } from "./rules.js";
import type { Reporter } from "./steps/context.js";
import type { PermissionReport } from "./permissions.js";
import type { Finding, Plan, PlannedStep, Side } from "./types.js";
import { silentProgress, type Progress } from "./waiters.js";

/**
 * Rendering for people and for machines. The plan's text is stable (golden-tested): no times, no colours.
 * `--output json` prints one JSON document on stdout at the end; progress goes to stderr either way.
 */

const STATE_LABEL: Record<PlannedStep["state"], string> = { todo: "todo", "in-progress": "wait", done: "done" };
const SEVERITY_MARK: Record<Finding["severity"], string> = { blocker: "✗", handled: "•", warning: "!" };

/** "source 111111111111": a side and its account, from a plan or a journal. */
export function sideLabel(accounts: { source: { account: string }; target: { account: string } }, side: Side): string {
  return `${side} ${accounts[side].account}`;
}

/** The demo's timeline stamp: time since the start, `[+  1.5s]`. */
export function elapsedStamp(ms: number): string {
  return `[+${(ms / 1000).toFixed(1).padStart(5)}s]`;
}

export function indent(text: string, prefix: string): string[] {
  return text.split("\n").map((line) => `${prefix}${line}`);
}

/** The changed lines of a diff with `context` unchanged lines around each run of changes; "…" marks a gap. */
export function compactDiff(lines: string[], context = 2): string[] {
  const changed = lines.map((line) => !line.startsWith("  "));
  const keep = lines.map((_, index) => changed.slice(Math.max(0, index - context), index + context + 1).some(Boolean));
  const out: string[] = [];
  lines.forEach((line, index) => {
    if (keep[index]) out.push(line);
    else if (keep[index - 1] || index === 0) out.push("  …");
  });
  return out;
}

const KEY_POLICY_FINDINGS = ["key-policy-missing-target", "key-policy-missing-actions"];

/** Findings grouped by severity (blockers first), each with its fix, appended to `lines`. */
export function renderFindings(
  findings: Finding[],
  lines: string[],
  fixOf: (finding: Finding) => string | undefined = (finding) => finding.fix,
): void {
  const groups: [Finding["severity"], string][] = [
    ["blocker", "Blockers (fix these first):"],
    ["handled", "Handled by apply:"],
    ["warning", "Warnings:"],
  ];
  for (const [severity, heading] of groups) {
    const group = findings.filter((finding) => finding.severity === severity);
    if (group.length === 0) continue;
    lines.push("");
    lines.push(heading);
    for (const finding of group) {
      lines.push(`  ${SEVERITY_MARK[severity]} ${finding.rule ? `[${finding.rule}] ` : ""}${finding.message}`);
      const fix = fixOf(finding);
      if (fix) lines.push(...indent(`fix: ${fix}`, "    "));
    }
  }
}

/**
 * The permission preflight's section: per side, every action its caller misses on its resource, then the policy
 * to attach (IAM JSON, ready to paste). Key-policy gaps are not here: they are the source key's (the findings).
 */
export function renderPermissions(
  report: PermissionReport,
  accounts: { source: { account: string }; target: { account: string } },
  lines: string[],
): void {
  for (const side of ["source", "target"] as const) {
    const permissions = report[side];
    if (!permissions) continue;
    lines.push("");
    lines.push(`Missing permissions (${sideLabel(accounts, side)}, as ${permissions.caller}):`);
    for (const need of permissions.missing) lines.push(`  ✗ ${need.action} on ${need.resource}`);
    lines.push(
      permissions.checkedBy === "simulation"
        ? `  Policy to attach to ${permissions.caller} (exactly the missing actions; checked with iam:SimulatePrincipalPolicy):`
        : `  Policy to attach to ${permissions.caller} (every action the ${side} needs for this migration: without iam:SimulatePrincipalPolicy, apply's writes could not be checked):`,
    );
    lines.push(...indent(JSON.stringify(permissions.policy, null, 2), "    "));
  }
}

/** The changes apply will make, one line each (`prefix`: a fleet's cluster). */
export function describeChanges(plan: Plan, prefix = ""): string {
  return pendingChanges(plan)
    .map((step) => `  - ${prefix}${sideLabel(plan, step.side)}: ${step.title}`)
    .join("\n");
}

export function renderPlan(plan: Plan): string {
  const lines: string[] = [];
  const from = plan.source.cluster ? `cluster ${plan.source.cluster}` : `snapshot ${plan.source.snapshot}`;
  const regions = plan.targetRegion === plan.region ? plan.region : `${plan.region} to ${plan.targetRegion}`;
  lines.push(`Migration ${plan.migrationId} (${regions})`);
  lines.push(`  source  ${plan.source.account}  as ${plan.source.arn}  ${from}`);
  lines.push(`  target  ${plan.target.account}  as ${plan.target.arn}  cluster ${plan.names.targetCluster}`);
  lines.push("");
  lines.push("Steps:");
  plan.steps.forEach((step, index) => {
    const rules = step.rules.length > 0 ? `  [${step.rules.join(" ")}]` : "";
    lines.push(`  ${index + 1}. [${STATE_LABEL[step.state]}] ${sideLabel(plan, step.side)}: ${step.title}${rules}`);
    if (step.state === "done" && step.reason) lines.push(`       (${step.reason})`);
    else for (const detail of step.details) lines.push(`       ${detail}`);
  });
  if (plan.keyPolicyDiff.length > 0) {
    lines.push("");
    lines.push(`Key policy change${plan.names.shareKeyArn ? ` (${plan.names.shareKeyArn})` : ""}:`);
    for (const line of compactDiff(plan.keyPolicyDiff)) lines.push(`  ${line}`);
  }
  // The statements to add are the key policy change shown above; the JSON output keeps them in the fix.
  renderFindings(plan.findings, lines, (finding) =>
    KEY_POLICY_FINDINGS.includes(finding.code) && plan.keyPolicyDiff.length > 0
      ? 'run `trident migrate apply` to add it, or add the statements marked + under "Key policy change" above'
      : finding.fix,
  );
  if (plan.permissions) renderPermissions(plan.permissions, plan, lines);
  const rules = [
    ...new Set([
      ...plan.steps.flatMap((step) => step.rules),
      ...plan.findings.flatMap((finding) => (finding.rule ? [finding.rule] : [])),
    ]),
  ].sort(ruleOrder);
  if (rules.length > 0) {
    lines.push("");
    lines.push("Rules met (docs/rules.md):");
    for (const rule of rules) lines.push(`  ${rule.padEnd(3)}  ${ruleText(rule)}`);
  }
  lines.push("");
  const blocked = blockers(plan).length;
  const pending = pendingChanges(plan).length;
  if (blocked > 0)
    lines.push(`Result: blocked: ${blocked} blocker${blocked === 1 ? "" : "s"} to fix, then run plan again.`);
  else if (pending === 0) lines.push("Result: nothing to do: the migration is complete (apply only verifies).");
  else
    lines.push(
      `Result: ready: ${pending} step${pending === 1 ? "" : "s"} to run; run \`trident migrate apply\` with the same options.`,
    );
  return `${lines.join("\n")}\n`;
}

/** R1…R11 before K1…K4, numerically. */
function ruleOrder(x: string, y: string): number {
  return x[0] === y[0] ? Number(x.slice(1)) - Number(y.slice(1)) : x[0] === "R" ? -1 : 1;
}

export interface TextReporterOptions {
  write: (line: string) => void;
  progress?: Progress;
  /** Prefix each step with the time since start (the demo's timeline). */
  elapsedMs?: () => number;
  /** Print each rule's text under the step (the demo); otherwise just the numbers. */
  explainRules?: boolean;
}

export class TextReporter implements Reporter {
  readonly progress: Progress;
  #plan?: Plan;
  constructor(private readonly options: TextReporterOptions) {
    this.progress = options.progress ?? silentProgress;
  }

  #stamp(): string {
    const ms = this.options.elapsedMs?.();
    return ms === undefined ? "==>" : elapsedStamp(ms);
  }

  planned(plan: Plan): void {
    this.#plan = plan;
  }

  stepStarted(step: PlannedStep): void {
    const plan = this.#plan;
    const where = plan ? ` (${sideLabel(plan, step.side)})` : "";
    const rules = step.rules.length > 0 && !this.options.explainRules ? `  [${step.rules.join(" ")}]` : "";
    this.options.write(`${this.#stamp()} ${step.title}${where}${rules}`);
    if (this.options.explainRules)
      for (const rule of step.rules) this.options.write(`      ${rule.padEnd(3)} ${ruleText(rule)}`);
  }

  stepFinished(step: PlannedStep, outcome: { changed: boolean; detail?: string }): void {
    const verb = isCheck(step.id) ? "verified" : outcome.changed ? "done" : "already done";
    this.options.write(`    ${verb}${outcome.detail ? `: ${outcome.detail}` : ""}`);
  }

  stepSkipped(step: PlannedStep): void {
    this.options.write(`${this.#stamp()} ${step.title}: already done${step.reason ? ` (${step.reason})` : ""}`);
  }

  note(text: string): void {
    this.options.write(`    ${text}`);
  }

  diff(lines: string[]): void {
    for (const line of compactDiff(lines)) this.options.write(`      ${line}`);
  }

  wall(rule: string, attempt: string, error: { code: string; message: string; status?: number }): void {
    this.options.write(`${this.#stamp()} wall ${rule}: ${attempt}`);
    this.options.write(`      ${rule.padEnd(3)} ${ruleText(rule)}`);
    this.options.write(
      `    refused as expected: ${error.code}${error.status ? ` (HTTP ${error.status})` : ""}: ${error.message}`,
    );
  }
}

export interface JsonEvent {
  step?: string;
  event: string;
  detail?: string;
  changed?: boolean;
  rule?: string;
  code?: string;
  lines?: string[];
}

/** Collects what happened for the final JSON document; prints nothing itself. */
export class JsonReporter implements Reporter {
  readonly events: JsonEvent[] = [];
  #step?: string;
  constructor(readonly progress: Progress = silentProgress) {}

  planned(): void {}

  stepStarted(step: PlannedStep): void {
    this.#step = step.id;
    this.events.push({ step: step.id, event: "started", detail: step.title });
  }

  stepFinished(step: PlannedStep, outcome: { changed: boolean; detail?: string }): void {
    this.events.push({
      step: step.id,
      event: "finished",
      changed: outcome.changed,
      ...(outcome.detail ? { detail: outcome.detail } : {}),
    });
  }

  stepSkipped(step: PlannedStep): void {
    this.events.push({ step: step.id, event: "skipped", ...(step.reason ? { detail: step.reason } : {}) });
  }

  note(text: string): void {
    this.events.push({ ...(this.#step ? { step: this.#step } : {}), event: "note", detail: text });
  }

  diff(lines: string[]): void {
    this.events.push({ ...(this.#step ? { step: this.#step } : {}), event: "key-policy-diff", lines });
  }

  wall(rule: string, attempt: string, error: { code: string; message: string }): void {
    this.events.push({ event: "wall", rule, detail: `${attempt}: ${error.message}`, code: error.code });
  }
}
