import type { Store } from "../../state/store.js";
import type { ClusterSnapshotRecord } from "./records.js";

/**
 * Who can see which manual snapshot of another account: the values of each snapshot's `restore` attribute,
 * indexed by grantee (an account id, or `all` for public snapshots) in the grantee's (account, region), so that
 * listing the snapshots shared with a caller reads the caller's index rows and the snapshots they name, never
 * every (account, region). The owner's record stays the truth (snapshot-access.ts checks it); the index only
 * says where to look, so a row left behind is harmless.
 */

const TABLE = "neptune.snapshotShares";

interface ShareRow {
  ownerAccountId: string;
  snapshotId: string;
}

const shareTable = (store: Store, grantee: string, region: string) => store.table<ShareRow>(TABLE, grantee, region);

/** Keeps the index in step with a snapshot's `restore` attribute, from `before` to the record's values now. */
export function indexShares(
  store: Store,
  region: string,
  snapshot: ClusterSnapshotRecord,
  ownerAccountId: string,
  before: readonly string[],
): void {
  const now = snapshot.sharedWith ?? [];
  const key = snapshot.DBClusterSnapshotArn;
  for (const grantee of before) if (!now.includes(grantee)) shareTable(store, grantee, region).delete(key);
  for (const grantee of now)
    shareTable(store, grantee, region).put(key, { ownerAccountId, snapshotId: snapshot.DBClusterSnapshotIdentifier });
}

/** Where the snapshots shared with `grantee` (an account id or `all`) in `region` live. */
export function sharesWith(store: Store, grantee: string, region: string): ShareRow[] {
  return shareTable(store, grantee, region).values();
}
