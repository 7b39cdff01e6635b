import type { PlacedCluster } from "./global-clusters-graphs.js";
import { announce, clusterSource } from "./lifecycle.js";

/**
 * The events of a global database's operations, recorded on its member clusters (source type db-cluster), each in
 * its own Region's event log, so DescribeEvents and event subscriptions see them there. A switchover and a failover
 * send RDS's `global-failover` events, in AWS's words (Aurora User Guide, "Amazon RDS event categories and event
 * messages for Aurora", DB cluster events; Neptune uses RDS's event definitions). *Decided*: which member gets which:
 * the switchover's start and end, and the failover's end, on every member; the old primary's shutdown on it, the
 * promotion on the new primary; an end is dated when the global database's transition ends (the one clock, no
 * timer). Joining and leaving a global database have no RDS event: *decided*, a "configuration change" event on the
 * cluster, in RDS's style.
 */

const GLOBAL_FAILOVER = ["global-failover"];
const MEMBERSHIP = ["configuration change"];

const named = ({ place, cluster }: PlacedCluster) =>
  `DB cluster ${cluster.DBClusterIdentifier} in Region ${place.region}`;

function tell({ place, cluster }: PlacedCluster, message: string, categories: string[], at = place.now): void {
  announce(place, clusterSource(place, cluster.DBClusterIdentifier), message, categories, at);
}

/** SwitchoverGlobalCluster (or FailoverGlobalCluster without AllowDataLoss) and FailoverGlobalCluster's events. */
export function announcePrimaryChange(
  members: PlacedCluster[],
  change: { from: PlacedCluster; to: PlacedCluster; allowDataLoss: boolean; endsAt: number },
): void {
  const { from, to, endsAt } = change;
  if (change.allowDataLoss) {
    // RDS-EVENT-0238.
    for (const member of members) tell(member, `Global failover to ${named(to)} completed.`, GLOBAL_FAILOVER, endsAt);
    return;
  }
  // RDS-EVENT-0181, 0182, 0184, 0185.
  for (const member of members) tell(member, `Global switchover to ${named(to)} started.`, GLOBAL_FAILOVER);
  tell(from, `Old primary ${named(from)} successfully shut down.`, GLOBAL_FAILOVER);
  tell(to, `New primary ${named(to)} was successfully promoted.`, GLOBAL_FAILOVER, endsAt);
  for (const member of members) tell(member, `Global switchover to ${named(to)} finished.`, GLOBAL_FAILOVER, endsAt);
}

/** A cluster joined a global database (CreateGlobalCluster from it, CreateDBCluster into it). *Decided* text. */
export function announceJoined(member: PlacedCluster, global: string, primary: boolean): void {
  const role = primary ? "its primary DB cluster" : "a secondary DB cluster";
  tell(
    member,
    `DB cluster ${member.cluster.DBClusterIdentifier} joined global cluster ${global} as ${role}.`,
    MEMBERSHIP,
  );
}

/** A cluster left a global database (RemoveFromGlobalCluster). *Decided* text. */
export function announceRemoved(member: PlacedCluster, global: string): void {
  tell(
    member,
    `DB cluster ${member.cluster.DBClusterIdentifier} was removed from global cluster ${global}: it is a standalone DB cluster now.`,
    MEMBERSHIP,
  );
}
