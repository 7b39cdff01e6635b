import type { NeptuneOperations } from "../../generated/neptune.js";
import { currentScope } from "../../domain/neptune/backups.js";
import { copyClusterSnapshot, finishCopies } from "../../domain/neptune/copy.js";
import type { NeptuneScope } from "../../domain/neptune/lifecycle.js";
import { restoreFromSnapshot, restoreToPointInTime } from "../../domain/neptune/restore.js";
import { describeSnapshotAttributes, modifySnapshotAttribute } from "../../domain/neptune/sharing.js";
import {
  createClusterSnapshot,
  deleteClusterSnapshot,
  describeClusterSnapshots,
} from "../../domain/neptune/snapshots.js";
import type { HandlerMap, RequestContext } from "../service.js";

/**
 * DB cluster snapshots: create, describe, delete, share, copy, and restore into a new cluster. The rules are in
 * src/domain/neptune/{snapshots,snapshot-access,sharing,copy,restore,storage}.ts.
 */

/** The caught-up scope, with finished copies' KMS grants given back (copy.ts). */
function scopeOf(ctx: RequestContext): NeptuneScope {
  const scope = currentScope(ctx);
  finishCopies(scope);
  return scope;
}

export const snapshotHandlers: HandlerMap<NeptuneOperations> = {
  CreateDBClusterSnapshot: (input, ctx) => ({ DBClusterSnapshot: createClusterSnapshot(scopeOf(ctx), input) }),
  DescribeDBClusterSnapshots: (input, ctx) => describeClusterSnapshots(scopeOf(ctx), input),
  DeleteDBClusterSnapshot: (input, ctx) => ({
    DBClusterSnapshot: deleteClusterSnapshot(scopeOf(ctx), input.DBClusterSnapshotIdentifier),
  }),
  ModifyDBClusterSnapshotAttribute: (input, ctx) => ({
    DBClusterSnapshotAttributesResult: modifySnapshotAttribute(scopeOf(ctx), input),
  }),
  DescribeDBClusterSnapshotAttributes: (input, ctx) => ({
    DBClusterSnapshotAttributesResult: describeSnapshotAttributes(scopeOf(ctx), input.DBClusterSnapshotIdentifier),
  }),
  CopyDBClusterSnapshot: (input, ctx) => ({ DBClusterSnapshot: copyClusterSnapshot(scopeOf(ctx), input) }),
  RestoreDBClusterFromSnapshot: (input, ctx) => ({ DBCluster: restoreFromSnapshot(scopeOf(ctx), input) }),
  RestoreDBClusterToPointInTime: (input, ctx) => ({ DBCluster: restoreToPointInTime(scopeOf(ctx), input) }),
};
