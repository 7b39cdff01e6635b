import { MANUAL_SNAPSHOT_QUOTA, MAX_COPIES_IN_PROGRESS } from "../domain/neptune/quotas.js";
import type { Finding, Plan, Side, StepId } from "./types.js";

/**
 * The quotas a fleet meets that one cluster does not, planned for before anything runs (a pure function of the
 * plans and what the accounts hold now):
 *   - manual DB cluster snapshots per account and region (100 by default): each cluster adds its own snapshot in
 *     the source (two when it needs a copy under a CMK) and its copy in the target; past the quota AWS refuses the
 *     next one with SnapshotQuotaExceeded halfway through the fleet, so plan refuses the fleet first;
 *   - snapshot copies in progress per account and region (5): apply queues its copy steps for a free slot, and
 *     plan says so when the fleet runs more copies at once than there are slots.
 * The shared-snapshot quota (20 accounts per snapshot) does not grow with a fleet: each cluster shares a snapshot
 * of its own with the one target account; a given snapshot that is already full is the cluster planner's blocker.
 */

/** What one account holds now, from DescribeDBClusterSnapshots (manual). */
export interface SnapshotUsage {
  /** Manual cluster snapshots, copies in progress included (they count against the quota). */
  manual: number;
  /** Copies in progress (`copying`): they hold copy slots. */
  copying: number;
}

export type FleetUsage = Record<Side, SnapshotUsage>;

/** The steps that create a manual snapshot, and the side they create it on. */
const SNAPSHOT_STEPS: Partial<Record<StepId, Side>> = { snapshot: "source", "copy-to-cmk": "source", copy: "target" };
/** The steps that are a snapshot copy (CopyDBClusterSnapshot), and the account they copy into. */
export const COPY_STEPS: Partial<Record<StepId, Side>> = { "copy-to-cmk": "source", copy: "target" };

/** How many of `steps` a plan still has to start (in-progress ones already count in the usage), per side. */
function toStart(plan: Plan, steps: Partial<Record<StepId, Side>>): Record<Side, number> {
  const count = { source: 0, target: 0 };
  for (const step of plan.steps) {
    const side = steps[step.id];
    if (side && step.state === "todo") count[side] += 1;
  }
  return count;
}

export interface FleetQuotaCheck {
  findings: Finding[];
  /** Copy slots apply may use per account: the quota less the copies already in progress (at least 1). */
  copySlots: Record<Side, number>;
  /** Manual snapshots the fleet adds per account. */
  newSnapshots: Record<Side, number>;
}

export function checkFleetQuotas(
  plans: Plan[],
  usage: FleetUsage,
  parallel: number,
  accounts: Record<Side, string>,
): FleetQuotaCheck {
  const findings: Finding[] = [];
  const newSnapshots = { source: 0, target: 0 };
  const copiers = { source: 0, target: 0 };
  for (const plan of plans) {
    const made = toStart(plan, SNAPSHOT_STEPS);
    const copies = toStart(plan, COPY_STEPS);
    for (const side of ["source", "target"] as const) {
      newSnapshots[side] += made[side];
      if (copies[side] > 0) copiers[side] += 1;
    }
  }
  const copySlots = { source: 1, target: 1 };
  for (const side of ["source", "target"] as const) {
    const account = accounts[side];
    const total = usage[side].manual + newSnapshots[side];
    if (newSnapshots[side] > 0 && total > MANUAL_SNAPSHOT_QUOTA) {
      const over = total - MANUAL_SNAPSHOT_QUOTA;
      findings.push({
        code: "fleet-snapshot-quota",
        severity: "blocker",
        message: `the fleet would take ${side} ${account} to ${total} manual DB cluster snapshots, over its quota of ${MANUAL_SNAPSHOT_QUOTA} (it has ${usage[side].manual}, the fleet adds ${newSnapshots[side]}): AWS would refuse the rest with SnapshotQuotaExceeded`,
        fix: `delete ${over} manual snapshot${over === 1 ? "" : "s"} ${account} no longer needs, or ask AWS for a higher quota (Service Quotas), or move fewer clusters at a time and run \`trident migrate cleanup\` after each batch (it deletes the intermediate snapshots)`,
      });
    }
    const free = MAX_COPIES_IN_PROGRESS - usage[side].copying;
    copySlots[side] = Math.max(1, free);
    const atOnce = Math.min(parallel, copiers[side]);
    if (copiers[side] === 0) continue;
    if (free <= 0) {
      findings.push({
        code: "fleet-copy-slots-in-use",
        severity: "blocker",
        message: `${side} ${account} already has ${usage[side].copying} snapshot copies in progress, the most AWS allows at once per account and region (${MAX_COPIES_IN_PROGRESS})`,
        fix: "wait until those copies are available, then run again",
      });
    } else if (atOnce > free) {
      findings.push({
        code: "fleet-copies-queue",
        severity: "handled",
        message: `${copiers[side]} clusters copy a snapshot in ${side} ${account}, ${atOnce} at a time with --parallel ${parallel}, and AWS allows ${MAX_COPIES_IN_PROGRESS} copies in progress per account and region${usage[side].copying > 0 ? ` (${usage[side].copying} in progress now)` : ""}`,
        fix: `apply runs at most ${free} copies at once in ${account}; the other clusters' copy steps wait for a free slot`,
      });
    }
  }
  return { findings, copySlots, newSnapshots };
}
