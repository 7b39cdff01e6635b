import { MANUAL_SNAPSHOT_QUOTA, MAX_COPIES_IN_PROGRESS } from "../domain/neptune/quotas.js";
import type { ClusterOutcome } from "./fleet-apply.js";
import type { FleetError, FleetMember, FleetPlan } from "./fleet-plan.js";
import { blockers, pendingChanges } from "./plan.js";
import { indent, renderFindings, renderPermissions, renderPlan } from "./report.js";

/**
 * A fleet for people: the combined plan (each cluster's plan as the single-cluster form prints it, then the
 * fleet's quotas and findings, then one line per cluster), the lines of parallel runs prefixed by their cluster,
 * and the summary table at the end. Stable text: durations are the only figures that vary from run to run.
 */

/** `[orders-graph] `: what prefixes every line of one cluster's run. */
export function clusterPrefix(cluster: string): string {
  return `[${cluster}] `;
}

/** Columns padded to their widest cell, two spaces apart; no trailing spaces. */
export function renderTable(headers: string[], rows: string[][]): string[] {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => row[column]!.length)));
  return [headers, ...rows].map((row) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join("  ")
      .trimEnd(),
  );
}

/** `0.4s`, `12.0s`, `4m 05s`, `2h 03m`. */
export function formatDuration(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(Math.floor(seconds % 60)).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, "0")}m`;
}

/** An error (or blocker) and its fix, as lines. */
export function problemLines(problem: FleetError): string[] {
  return [problem.message, ...(problem.fix ? indent(`fix: ${problem.fix}`, "  ") : [])];
}

function memberResult(member: FleetMember): string {
  if (member.error) return "can't be planned";
  const count = blockers(member.plan!).length;
  if (count > 0) return `blocked: ${count} blocker${count === 1 ? "" : "s"}`;
  return pendingChanges(member.plan!).length === 0 ? "complete" : "ready";
}

function accountsOf(fleet: FleetPlan) {
  return { source: { account: fleet.source.Account }, target: { account: fleet.target.Account } };
}

export function renderFleetPlan(fleet: FleetPlan): string {
  const lines: string[] = [];
  const count = fleet.members.length;
  lines.push(
    `Fleet of ${count} cluster${count === 1 ? "" : "s"}: ${fleet.source.Account} → ${fleet.target.Account} (${fleet.region}), ${fleet.parallel} at a time`,
  );
  fleet.members.forEach((member, index) => {
    lines.push("");
    lines.push(`━━ ${index + 1}/${count} ${member.sourceCluster} → ${member.targetCluster} ━━`);
    if (member.plan) lines.push(...renderPlan(member.plan).trimEnd().split("\n"));
    else lines.push(...problemLines({ ...member.error!, message: `can't be planned: ${member.error!.message}` }));
  });
  lines.push("");
  lines.push("━━ the fleet ━━");
  lines.push("Quotas (per account and region):");
  for (const side of ["source", "target"] as const)
    lines.push(
      `  manual DB cluster snapshots in ${side} ${fleet[side].Account}: ${fleet.usage[side].manual} now, ${fleet.newSnapshots[side]} to add, quota ${MANUAL_SNAPSHOT_QUOTA}`,
    );
  lines.push(
    `  snapshot copies in progress: at most ${MAX_COPIES_IN_PROGRESS}; apply runs up to ${fleet.copySlots.source} at once in ${fleet.source.Account}, ${fleet.copySlots.target} in ${fleet.target.Account}`,
  );
  renderFindings(fleet.findings, lines);
  if (fleet.permissions) renderPermissions(fleet.permissions, accountsOf(fleet), lines);
  lines.push("");
  lines.push(
    ...renderTable(
      ["SOURCE", "TARGET", "STEPS TO RUN", "PLAN"],
      fleet.members.map((member) => [
        member.sourceCluster,
        member.targetCluster,
        member.plan ? String(pendingChanges(member.plan).length) : "-",
        memberResult(member),
      ]),
    ).map((line) => `  ${line}`),
  );
  lines.push("");
  const stuck = fleet.members.filter((member) => !member.plan?.canProceed).length;
  const fleetBlockers = fleet.findings.filter((finding) => finding.severity === "blocker").length;
  if (fleetBlockers > 0)
    lines.push(
      `Result: blocked: the fleet has ${fleetBlockers} blocker${fleetBlockers === 1 ? "" : "s"}; apply moves no cluster until ${fleetBlockers === 1 ? "it is" : "they are"} fixed.`,
    );
  else if (stuck > 0)
    lines.push(
      `Result: blocked: ${stuck} of ${count} clusters need you first; apply moves the other ${count - stuck} and reports ${stuck === 1 ? "it" : "them"}.`,
    );
  else {
    const steps = fleet.members.reduce((sum, member) => sum + pendingChanges(member.plan!).length, 0);
    lines.push(
      steps === 0
        ? "Result: nothing to do: every migration is complete (apply only verifies)."
        : `Result: ready: ${steps} step${steps === 1 ? "" : "s"} to run in ${count} clusters; run \`trident migrate apply\` with the same options.`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** The table at the end of a fleet's apply or cleanup, and one line that counts the states. */
export function renderFleetSummary(outcomes: ClusterOutcome[], options: { command: "apply" | "cleanup" }): string {
  const apply = options.command === "apply";
  const headers = ["CLUSTER", "TARGET", "STATE", "DURATION", ...(apply ? ["SNAPSHOT", "VERIFICATION"] : [])];
  const rows = outcomes.map((outcome) => [
    outcome.sourceCluster,
    outcome.targetCluster,
    outcome.state,
    formatDuration(outcome.durationMs),
    ...(apply ? [outcome.snapshotGiB === undefined ? "-" : `${outcome.snapshotGiB} GiB`, outcome.verification] : []),
  ]);
  const counts = new Map<string, number>();
  for (const outcome of outcomes) counts.set(outcome.state, (counts.get(outcome.state) ?? 0) + 1);
  const tally = [...counts].map(([state, n]) => `${n} ${state}`).join(", ");
  const troubled = outcomes.some((outcome) => outcome.state === "blocked" || outcome.state === "failed");
  return `${[
    "Summary:",
    ...renderTable(headers, rows).map((line) => `  ${line}`),
    `Result: ${tally}.${troubled ? " Fix what is printed for each, then run the same command again: it resumes only what is left." : ""}`,
  ].join("\n")}\n`;
}
