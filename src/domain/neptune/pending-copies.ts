import type { Store } from "../../state/store.js";
import { clusterSnapshotArn } from "./arn.js";

/**
 * The cross-account copies in progress, in every account and region, as an index kept in the store (so it is
 * exported, reset and made durable with the rest). A copy gives back its KMS grants when it ends; finding the ones
 * that have ended must not mean reading every (account, region) on every request, so each copy in progress has a
 * row here with when it is due, and one more row holds the earliest due time: a request reads that one row and
 * touches the copies only once one is due. The snapshot record stays the truth: a row is a reminder to look.
 */

const PENDING_TABLE = "neptune.pendingCopies";
const SCHEDULE_TABLE = "neptune.copySchedule";
const GLOBAL_SCOPE = "aws-global";
const NEXT = "next";

export interface PendingCopy {
  accountId: string;
  region: string;
  snapshotId: string;
  dueAt: number;
}

const pendingTable = (store: Store) => store.table<PendingCopy>(PENDING_TABLE, GLOBAL_SCOPE, GLOBAL_SCOPE);
const scheduleTable = (store: Store) => store.table<{ dueAt: number }>(SCHEDULE_TABLE, GLOBAL_SCOPE, GLOBAL_SCOPE);

/** Rows are keyed by the copy's snapshot ARN. */
const keyOf = (copy: Omit<PendingCopy, "dueAt">) => clusterSnapshotArn(copy.region, copy.accountId, copy.snapshotId);

/** Remembers a copy in progress until `copy.dueAt`. */
export function trackCopy(store: Store, copy: PendingCopy): void {
  pendingTable(store).put(keyOf(copy), copy);
  const next = scheduleTable(store).get(NEXT);
  if (!next || copy.dueAt < next.dueAt) scheduleTable(store).put(NEXT, { dueAt: copy.dueAt });
}

/** Forgets a copy that ended or was deleted. The earliest due time may now be early; that only costs a look. */
export function untrackCopy(store: Store, copy: Omit<PendingCopy, "dueAt">): void {
  pendingTable(store).delete(keyOf(copy));
}

/**
 * The copies due by `now`, taken out of the index. One read when nothing is due; otherwise the copies in progress
 * are read once and the earliest due time of the rest is written back.
 */
export function takeDueCopies(store: Store, now: number): PendingCopy[] {
  const next = scheduleTable(store).get(NEXT);
  if (!next || now < next.dueAt) return [];
  const pending = pendingTable(store);
  const due: PendingCopy[] = [];
  let earliest = Infinity;
  for (const copy of pending.values()) {
    if (copy.dueAt <= now) {
      due.push(copy);
      pending.delete(keyOf(copy));
    } else earliest = Math.min(earliest, copy.dueAt);
  }
  if (earliest === Infinity) scheduleTable(store).delete(NEXT);
  else scheduleTable(store).put(NEXT, { dueAt: earliest });
  return due;
}
