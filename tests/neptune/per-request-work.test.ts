import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ListGrantsCommand } from "@aws-sdk/client-kms";
import { DescribeDBClusterSnapshotsCommand, DescribeDBClustersCommand } from "@aws-sdk/client-neptune";
import { clusterSnapshotTable } from "../../src/domain/neptune/records.js";
import { MemoryStore, type Table } from "../../src/state/store.js";
import { A, B, REGION } from "../helpers/harness.js";
import { createCluster, instantExcept, MINUTE } from "./resources.js";
import { copyToLocal, createKey, seedSnapshot, snapshotArn, world } from "./snapshots-fixtures.js";

/** The store, with a record of which (account, region) scopes were opened since the last `reset()`. */
class ScopeCountingStore extends MemoryStore {
  readonly touched = new Set<string>();
  override table<T>(name: string, accountId: string, region: string): Table<T> {
    this.touched.add(`${accountId}/${region}`);
    return super.table<T>(name, accountId, region);
  }
  override scopes(name: string) {
    this.touched.add(`every scope of ${name}`);
    return super.scopes(name);
  }
  reset() {
    this.touched.clear();
  }
}

const OTHER_ACCOUNTS = Array.from({ length: 60 }, (_, i) => String(100000000001 + i));
const OTHER_REGIONS = [REGION, "eu-west-1"];
const COPY_MS = 20 * MINUTE;

/**
 * Many accounts and regions holding Neptune state, and a copy of A's snapshot in progress in B. Other accounts are
 * named by 12-digit access key ids (relaxed auth).
 */
async function crowdedWorld() {
  const store = new ScopeCountingStore();
  const w = world({ store, relaxedAuth: true, delays: instantExcept({ snapshotMs: COPY_MS }) });
  const { keyA, arn } = await seedSnapshot(w);
  for (const account of OTHER_ACCOUNTS) {
    for (const region of OTHER_REGIONS) {
      const other = w.clientsFor({ accessKeyId: account, secretAccessKey: "unchecked" }, region);
      await createCluster(other.neptune, "crowd");
      await other.neptune.send(new DescribeDBClusterSnapshotsCommand({}));
    }
  }
  const keyB = await createKey(w.b);
  await copyToLocal(w.b.neptune, arn, keyB.Arn);
  return { w, store, keyA, keyB };
}

describe("per-request work does not grow with the accounts and regions that hold state", () => {
  test("a Neptune request opens only its own scope and the global index while no copy is due", async () => {
    const { w, store } = await crowdedWorld();
    // The caller's own scope, its IAM scope (its current policies) and the global index.
    const own = new Set([`${B}/${REGION}`, `${B}/aws-global`, "aws-global/aws-global"]);
    store.reset();
    await w.b.neptune.send(new DescribeDBClustersCommand({}));
    assert.deepEqual(
      [...store.touched].filter((scope) => !own.has(scope)),
      [],
    );

    const third = w.clientsFor({ accessKeyId: OTHER_ACCOUNTS[7]!, secretAccessKey: "unchecked" }, "eu-west-1");
    store.reset();
    await third.neptune.send(new DescribeDBClustersCommand({}));
    assert.deepEqual([...store.touched].sort(), [`${OTHER_ACCOUNTS[7]}/eu-west-1`, "aws-global/aws-global"]);
  });

  test("listing shared snapshots reads the caller's share index and the owners it names, not every scope", async () => {
    const { w, store } = await crowdedWorld();
    store.reset();
    const listed = await w.b.neptune.send(new DescribeDBClusterSnapshotsCommand({ IncludeShared: true }));
    assert.deepEqual(
      listed.DBClusterSnapshots!.map((s) => s.DBClusterSnapshotArn),
      [snapshotArn(A, "snap1"), snapshotArn(B, "local")],
    );
    assert.deepEqual(
      [...store.touched].sort(),
      ["aws-global/aws-global", `${A}/${REGION}`, `${B}/${REGION}`, `${B}/aws-global`, `all/${REGION}`].sort(),
    );
  });

  test("a copy finishes on time whichever account's request comes next, and only its owner's scope is opened", async () => {
    const { w, store, keyA, keyB } = await crowdedWorld();
    const workGrants = () => clusterSnapshotTable(w.emulator.store, B, REGION).get("local")!.workGrants;
    const grantsFor = async (clients: typeof w.a, keyArn: string) =>
      (await clients.kms.send(new ListGrantsCommand({ KeyId: keyArn }))).Grants!.filter(
        (grant) => grant.Name === snapshotArn(B, "local"),
      ).length;
    const stranger = w.clientsFor({ accessKeyId: OTHER_ACCOUNTS[3]!, secretAccessKey: "unchecked" });

    w.clock.advance(COPY_MS - 1);
    await stranger.neptune.send(new DescribeDBClustersCommand({}));
    assert.equal(workGrants()?.length, 2, "not due yet: the copy still holds its grants");

    w.clock.advance(1);
    store.reset();
    await stranger.neptune.send(new DescribeDBClustersCommand({}));
    assert.equal(workGrants(), undefined, "due: finished by the next Neptune request, whoever sends it");
    assert.equal(await grantsFor(w.a, keyA.Arn!), 0);
    assert.equal(await grantsFor(w.b, keyB.Arn!), 0);
    // Besides the global index and the stranger's own scope: A's and B's IAM scopes are their ListGrants callers'.
    const opened = [...store.touched].filter(
      (scope) =>
        scope !== "aws-global/aws-global" &&
        scope !== `${OTHER_ACCOUNTS[3]}/${REGION}` &&
        scope !== `${A}/aws-global` &&
        scope !== `${B}/aws-global`,
    );
    assert.deepEqual(opened.sort(), [`${A}/${REGION}`, `${B}/${REGION}`], "the copy's scope and its keys' owners");
  });
});
