import { authenticate } from "../../auth/authenticate.js";
import { parseSigV4 } from "../../auth/sigv4.js";
import type { NeptuneOperations } from "../../generated/neptune.js";
import type { RequestAuthenticator } from "../../domain/neptune/presigned-url.js";
import { AwsError } from "../../protocol/errors.js";
import { currentScope } from "../../domain/neptune/catch-up.js";
import { copyClusterSnapshot } from "../../domain/neptune/copy.js";
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
 * src/domain/neptune/{snapshots,snapshot-making,snapshot-access,sharing,copy,restore,storage}.ts.
 */
export const snapshotHandlers: HandlerMap<NeptuneOperations> = {
  CreateDBClusterSnapshot: (input, ctx) => ({ DBClusterSnapshot: createClusterSnapshot(currentScope(ctx), input) }),
  DescribeDBClusterSnapshots: (input, ctx) => describeClusterSnapshots(currentScope(ctx), input),
  DeleteDBClusterSnapshot: (input, ctx) => ({
    DBClusterSnapshot: deleteClusterSnapshot(currentScope(ctx), input.DBClusterSnapshotIdentifier),
  }),
  ModifyDBClusterSnapshotAttribute: (input, ctx) => ({
    DBClusterSnapshotAttributesResult: modifySnapshotAttribute(currentScope(ctx), input),
  }),
  DescribeDBClusterSnapshotAttributes: (input, ctx) => ({
    DBClusterSnapshotAttributesResult: describeSnapshotAttributes(currentScope(ctx), input.DBClusterSnapshotIdentifier),
  }),
  CopyDBClusterSnapshot: (input, ctx) => ({
    DBClusterSnapshot: copyClusterSnapshot(currentScope(ctx), input, urlAuthenticator(ctx)),
  }),
  RestoreDBClusterFromSnapshot: (input, ctx) => ({ DBCluster: restoreFromSnapshot(currentScope(ctx), input) }),
  RestoreDBClusterToPointInTime: (input, ctx) => ({ DBCluster: restoreToPointInTime(currentScope(ctx), input) }),
};

/**
 * A cross-Region copy's PreSignedUrl is authenticated by the auth stage itself, exactly as a request to the source
 * Region would be (credential scope, key, session token, presigned expiry, signature; relaxed auth as configured).
 */
function urlAuthenticator(ctx: RequestContext): RequestAuthenticator {
  const signingName = "rds";
  return (request) => {
    try {
      const { principal, region } = authenticate(ctx.emulator, request, parseSigV4(request), "query", signingName);
      return { accountId: principal.accountId, region };
    } catch (error) {
      if (error instanceof AwsError) return undefined;
      throw error;
    }
  };
}
