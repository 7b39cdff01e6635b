import type { RequestContext } from "../../services/service.js";
import type { KmsServiceAccess } from "../kms/service-access.js";
import { pruneExpiredBackups, takeDueBackups } from "./backups.js";
import { finishCopies } from "./copy.js";
import { anythingDue, reindex } from "./due-index.js";
import { applyDuePendingChanges, autoStart, autoStartTime, sweepDeleted, type NeptuneScope } from "./lifecycle.js";
import { applyDueInstanceChanges } from "./instances.js";
import { applyDueUpgrades } from "./pending-maintenance.js";
import { clusterTable } from "./records.js";

/**
 * What happens in Neptune by itself as time passes, applied lazily (DESIGN §5: no timers): before every Neptune
 * request the caller's state is brought up to the request's time. Every Neptune handler starts from
 * `currentScope`; this module sits above the domain modules it drives, so none of them imports it.
 */

/**
 * Brings the (account, region)'s Neptune state up to the clock: finished deletions are removed, changes pending
 * until a maintenance window (and upgrades opted in for it) are applied, clusters stopped for seven days start,
 * automated backups due by now are taken and expired ones pruned, and finished copies (in any account) give back
 * their KMS grants. The scope's records are walked only when its due-time index (due-index.ts) says something is
 * due; the copies have an index of their own (pending-copies.ts), and opted-in upgrades a table of their own
 * (pending-maintenance.ts). So a request costs one look at each until then.
 */
export function catchUp(scope: NeptuneScope): void {
  applyDueUpgrades(scope);
  if (anythingDue(scope)) {
    catchUpScope(scope);
    reindex(scope);
  }
  finishCopies(scope);
}

/** The transitions of one scope that are due by its time (each step skips what is not due). */
function catchUpScope(scope: NeptuneScope): void {
  sweepDeleted(scope);
  applyDuePendingChanges(scope);
  applyDueInstanceChanges(scope);
  const clusters = clusterTable(scope.store, scope.accountId, scope.region).values();
  for (const cluster of clusters) {
    const startsAt = autoStartTime(cluster);
    if (startsAt !== undefined && startsAt <= scope.now) {
      takeDueBackups(scope, cluster, startsAt);
      autoStart(scope, cluster, startsAt);
    }
    takeDueBackups(scope, cluster, scope.now);
  }
  pruneExpiredBackups(scope, clusters);
}

/** A request's view of Neptune (the caller's account and region, the delays, the time), caught up to its time. */
export function currentScope(ctx: RequestContext): NeptuneScope {
  const scope: NeptuneScope = {
    store: ctx.emulator.store,
    delays: ctx.emulator.delays,
    ports: ctx.emulator.dataPlane.ports,
    graphs: ctx.emulator.dataPlane.graphs,
    kms: ctx.emulator.kms as KmsServiceAccess | undefined,
    principal: ctx.principal,
    accountId: ctx.principal.accountId,
    region: ctx.region,
    now: ctx.now.getTime(),
  };
  catchUp(scope);
  return scope;
}
