import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { DisableKeyCommand, ListGrantsCommand } from "@aws-sdk/client-kms";
import {
  DeleteDBClusterCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
} from "@aws-sdk/client-neptune";
import { clusterView } from "../../src/domain/neptune/cluster-view.js";
import type { DBCluster } from "../../src/generated/neptune.js";
import type { NeptuneScope } from "../../src/domain/neptune/lifecycle.js";
import { listPage } from "../../src/domain/neptune/listing.js";
import { clusterSnapshotTable, clusterTable } from "../../src/domain/neptune/records.js";
import { loadModel } from "../../src/protocol/model.js";
import { isSettled, overlayBase } from "../../src/protocol/settled.js";
import { serializeQueryResponse } from "../../src/protocol/query.js";
import { DELAY_PROFILES } from "../../src/state/delays.js";
import { MemoryStore, type Table } from "../../src/state/store.js";
import { A, B, REGION } from "../helpers/harness.js";
import { sameHiddenClass } from "../helpers/hidden-class.js";
import { createCluster, createInstance, instantExcept, MINUTE, modifyCluster } from "./resources.js";
import { copyToLocal, createKey, seedSnapshot, snapshotArn, world, type World } from "./snapshots-fixtures.js";

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

/**
 * The store, counting the rows of Neptune's record tables handed out for writing (get, values): each such row is
 * tracked by the unit of work and re-encoded when it commits, which is what a read must not pay for.
 */
class RowCountingStore extends MemoryStore {
  handedOut = 0;
  override table<T>(name: string, accountId: string, region: string): Table<T> {
    const table = super.table<T>(name, accountId, region);
    if (!["neptune.clusters", "neptune.instances", "neptune.clusterSnapshots"].includes(name)) return table;
    const count = (rows: number) => (this.handedOut += rows);
    return new Proxy(table, {
      get(target, property) {
        if (property === "get") return (id: string) => (count(target.has(id) ? 1 : 0), target.get(id));
        if (property === "values") return () => (count(target.size), target.values());
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
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
    // The caller's IAM scope is opened or not: its key's owner and policies are kept while IAM's tables are
    // unchanged (src/auth/derived-cache.ts).
    assert.deepEqual(
      [...store.touched].filter((scope) => scope !== `${B}/aws-global`).sort(),
      ["aws-global/aws-global", `${A}/${REGION}`, `${B}/${REGION}`, `all/${REGION}`].sort(),
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

describe("per-request work is proportional to what is due", () => {
  const CLUSTERS = 30;

  async function describedWorld() {
    const store = new RowCountingStore();
    const w = world({ store, delays: instantExcept({ deleteMs: 5 * MINUTE }) });
    for (let i = 0; i < CLUSTERS; i++) await createCluster(w.a.neptune, `c-${String(i).padStart(2, "0")}`);
    // The first read takes each cluster's first automated backup (due when it became available).
    await w.a.neptune.send(new DescribeDBClustersCommand({}));
    return { w, store };
  }

  test("a page of DescribeDBClusters with nothing due hands out no record for writing", async () => {
    const { w, store } = await describedWorld();
    store.handedOut = 0;
    const page = await w.a.neptune.send(new DescribeDBClustersCommand({ MaxRecords: 20 }));
    assert.equal(page.DBClusters!.length, 20);
    assert.equal(page.DBClusters![0]!.Status, "available");
    assert.equal(store.handedOut, 0, "neither the catch-up nor the listing takes rows to change");
  });

  test("a transition that comes due is applied by the next request, then reads are free again", async () => {
    const { w, store } = await describedWorld();
    await w.a.neptune.send(new DeleteDBClusterCommand({ DBClusterIdentifier: "c-07", SkipFinalSnapshot: true }));
    const ids = async () =>
      (await w.a.neptune.send(new DescribeDBClustersCommand({}))).DBClusters!.map((c) => c.DBClusterIdentifier);

    w.clock.advance(5 * MINUTE - 1);
    assert.ok((await ids()).includes("c-07"), "still deleting a millisecond before its deletion ends");
    w.clock.advance(1);
    assert.ok(!(await ids()).includes("c-07"), "gone once due");
    assert.equal((await ids()).length, CLUSTERS - 1);
    store.handedOut = 0;
    await ids();
    assert.equal(store.handedOut, 0);
  });

  test("automated backups still come at each backup window and expire after the retention period", async () => {
    const w = world({ delays: DELAY_PROFILES.instant });
    for (let i = 0; i < CLUSTERS; i++) await createCluster(w.a.neptune, `c-${String(i).padStart(2, "0")}`);
    const automated = async () =>
      (await w.a.neptune.send(new DescribeDBClusterSnapshotsCommand({ SnapshotType: "automated" }))).DBClusterSnapshots!
        .length;
    assert.equal(await automated(), CLUSTERS);
    w.clock.advance(24 * 60 * MINUTE);
    assert.equal(await automated(), 2 * CLUSTERS, "one more backup per cluster after a day (retention 1 day)");
    w.clock.advance(24 * 60 * MINUTE);
    // The day-one backups (taken at their windows, over a day before now) expired as the day-two ones were taken.
    assert.equal(await automated(), CLUSTERS, "with a retention of one day, only the newest day's are kept");
  });
});

describe("records that live as long as their resource cost no memory per record beyond their members", () => {
  test("clusters created one after another share one hidden class", async () => {
    // A map per record was ~1.2 KB of old-generation memory per cluster, walked by every scavenge.
    const w = world({ delays: DELAY_PROFILES.instant });
    for (let i = 0; i < 24; i++) await createCluster(w.a.neptune, `c-${String(i).padStart(2, "0")}`);
    await w.a.neptune.send(new DescribeDBClustersCommand({}));
    const records = clusterTable(w.emulator.store, A, REGION).peekValues();
    assert.equal(records.length, 24);
    const others = records.filter((record) => !sameHiddenClass(record, records[0]!)).map((r) => r.DBClusterIdentifier);
    assert.deepEqual(others, [], "every record has the first one's hidden class");
    assert.deepEqual(Object.keys(records[0]!).slice(0, 3), ["DBClusterIdentifier", "EngineVersion", "Port"]);
  });

  test("pages of a describe call, with and without a Marker, share their hidden classes", () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const pages = [0, 20].map((start) =>
      listPage(
        "DBClusters",
        items,
        { MaxRecords: 20, Marker: Buffer.from(String(start)).toString("base64url") },
        String,
      ),
    );
    assert.deepEqual(Object.keys(pages[0]!), ["DBClusters", "Marker"]);
    assert.ok(sameHiddenClass(pages[0]!, pages[1]!), "each page with a Marker is made the same way");
    const last = listPage("DBClusters", items, { MaxRecords: 20, Marker: pages[1]!.Marker }, String);
    assert.deepEqual(Object.keys(last), ["DBClusters"]);
    assert.deepEqual(last.DBClusters, ["40", "41", "42", "43", "44", "45", "46", "47", "48", "49"]);
  });
});

/** Account A's Neptune scope at the world's time, as a view reads it (with its KMS, for encrypted clusters). */
function viewScope(w: World): NeptuneScope {
  return {
    store: w.emulator.store,
    delays: w.emulator.delays,
    ports: w.emulator.dataPlane.ports,
    graphs: w.emulator.dataPlane.graphs,
    kms: w.emulator.kms,
    principal: undefined as never, // a view reads no principal
    accountId: A,
    region: REGION,
    now: w.clock.now().getTime(),
  };
}

describe("views of unchanged clusters are reused", () => {
  test("a cluster's settled view is built once while nothing changes, and anew once it does", async () => {
    const w = world({ delays: DELAY_PROFILES.instant });
    await createCluster(w.a.neptune, "kept");
    await w.a.neptune.send(new DescribeDBClustersCommand({}));
    const scope = viewScope(w);
    const record = () => clusterTable(w.emulator.store, A, REGION).peek("kept")!;
    const first = clusterView(scope, record(), []);
    const second = clusterView({ ...scope, now: scope.now + 1 }, record(), []);
    assert.notEqual(first, second, "each call has its own object for the restorable window, which follows the clock");
    assert.equal(second.LatestRestorableTime?.getTime(), scope.now + 1);
    assert.equal(first.LatestRestorableTime?.getTime(), scope.now, "the view shown before is unchanged");
    const withStatus = Object.getPrototypeOf(first) as DBCluster;
    assert.equal(Object.getPrototypeOf(second), withStatus, "the status layer is kept while the status stays");
    assert.ok(Object.isFrozen(withStatus) && Object.hasOwn(withStatus, "Status"), "and settled, since it is shared");
    assert.equal(first.Status, "available");
    assert.equal(first.VpcSecurityGroups, second.VpcSecurityGroups, "the settled part is shared");
    assert.ok(Object.isFrozen(first.VpcSecurityGroups), "and frozen, since it is shared");

    await modifyCluster(w.a.neptune, "kept", { BackupRetentionPeriod: 5, ApplyImmediately: true });
    const after = clusterView(scope, record(), []);
    assert.equal(after.BackupRetentionPeriod, 5, "a change shows at once");
    assert.notEqual(after.VpcSecurityGroups, first.VpcSecurityGroups);
  });
});

describe("a view made once registers nothing", () => {
  test("a cluster's first view is a plain value; from its second on, an overlay of a settled one", async () => {
    const w = world({ delays: DELAY_PROFILES.instant });
    await createCluster(w.a.neptune, "model");
    const clusters = clusterTable(w.emulator.store, A, REGION);
    // A record never described yet (its CreateDBCluster answer was the model's): a copy under another name.
    clusters.put("fresh", { ...structuredClone(clusters.peek("model")!), DBClusterIdentifier: "fresh" });
    const scope = viewScope(w);
    const first = clusterView(scope, clusters.peek("fresh")!, []);
    // Settled values and their serializer templates live in weak tables that V8 never shrinks: a view registered
    // there for each cluster's one description left them sized by every cluster ever created.
    assert.equal(Object.getPrototypeOf(first), Object.prototype, "the first view lies over nothing shared");
    assert.ok(!isSettled(first) && overlayBase(first) === undefined);
    assert.equal(first.DBClusterIdentifier, "fresh");
    assert.equal(first.Status, "available");
    const second = clusterView(scope, clusters.peek("fresh")!, []);
    assert.ok(overlayBase(second) !== undefined, "the second view is kept: an overlay of a settled one");
    const bytes = (view: DBCluster) =>
      serializeQueryResponse(loadModel("neptune"), "DescribeDBClusters", { DBClusters: [view] }, "r").toString();
    assert.equal(bytes(second), bytes(first), "both show the same");
  });
});

describe("DescribeDBClusters' listing, kept per table generation, follows every change", () => {
  test("clusters created, renamed and deleted, and instances added, show in the next page", async () => {
    const w = world({ delays: DELAY_PROFILES.instant });
    const listed = async () =>
      (await w.a.neptune.send(new DescribeDBClustersCommand({}))).DBClusters!.map(
        (c) => `${c.DBClusterIdentifier}[${c.DBClusterMembers!.map((m) => m.DBInstanceIdentifier).join(",")}]`,
      );
    await createCluster(w.a.neptune, "b");
    await createCluster(w.a.neptune, "a");
    assert.deepEqual(await listed(), ["a[]", "b[]"]);
    assert.deepEqual(await listed(), ["a[]", "b[]"], "the same page again, from what was kept");
    await createCluster(w.a.neptune, "c");
    assert.deepEqual(await listed(), ["a[]", "b[]", "c[]"]);
    await modifyCluster(w.a.neptune, "a", { NewDBClusterIdentifier: "z", ApplyImmediately: true });
    assert.deepEqual(await listed(), ["b[]", "c[]", "z[]"], "a rename moves the cluster in the order");
    await createInstance(w.a.neptune, "c", "c-2");
    await createInstance(w.a.neptune, "c", "c-1");
    assert.deepEqual(await listed(), ["b[]", "c[c-1,c-2]", "z[]"], "instances show, in identifier order");
    await w.a.neptune.send(new DeleteDBClusterCommand({ DBClusterIdentifier: "b", SkipFinalSnapshot: true }));
    w.clock.advance(MINUTE);
    assert.deepEqual(await listed(), ["c[c-1,c-2]", "z[]"], "a deleted cluster leaves the listing");
  });
});

describe("DescribeDBClusters on the wire: settled bytes reused, never stale", () => {
  /** Each cluster's element in a raw DescribeDBClusters answer, by identifier. */
  async function describedOnTheWire(w: ReturnType<typeof world>): Promise<Map<string, string>> {
    const answer = await w.raw({ service: "rds", params: { Action: "DescribeDBClusters", Version: "2014-10-31" } });
    assert.equal(answer.status, 200);
    const clusters = new Map<string, string>();
    for (const [element] of answer.body.matchAll(/<DBCluster>.*?<\/DBCluster>/gs)) {
      clusters.set(/<DBClusterIdentifier>([^<]*)</.exec(element)![1]!, element);
    }
    return clusters;
  }

  test("a kept cluster's bytes, written from its kept template, are its plain value's", async () => {
    const w = world({ delays: DELAY_PROFILES.instant });
    const key = await createKey(w.a);
    await createCluster(w.a.neptune, "plain");
    await createCluster(w.a.neptune, "sealed", { StorageEncrypted: true, KmsKeyId: key.Arn });
    // The first describe keeps the views (their second description); the later ones write them from their templates.
    const answers = [await describedOnTheWire(w), await describedOnTheWire(w), await describedOnTheWire(w)];
    assert.deepEqual(answers[1], answers[0]);
    assert.deepEqual(answers[2], answers[0]);

    // The same bytes as the views' plain values (every member, the base's and the overlay's, copied) written anew.
    const scope = viewScope(w);
    const plainViews = ["plain", "sealed"].map((id) => {
      const view = clusterView(scope, clusterTable(w.emulator.store, A, REGION).peek(id)!, []);
      const copy: Record<string, unknown> = {};
      for (const name in view) copy[name] = structuredClone((view as Record<string, unknown>)[name]);
      assert.equal(Object.getPrototypeOf(copy), Object.prototype);
      return copy;
    });
    const plain = serializeQueryResponse(loadModel("neptune"), "DescribeDBClusters", { DBClusters: plainViews }, "r");
    const elements = [...plain.toString("utf8").matchAll(/<DBCluster>.*?<\/DBCluster>/gs)].map(([e]) => e);
    assert.deepEqual(elements, [answers[0].get("plain"), answers[0].get("sealed")]);

    // A status that changes while the clock stands still (the key disabled: no row of Neptune's changes) shows.
    await w.a.kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    const disabled = await describedOnTheWire(w);
    assert.match(disabled.get("sealed")!, /<Status>inaccessible-encryption-credentials<\/Status>/);
    assert.doesNotMatch(disabled.get("sealed")!, /<Status>available</);
    assert.equal(disabled.get("plain"), answers[0].get("plain"));
  });

  test("the status and restorable window follow the clock, and a change shows at once, in the bytes", async () => {
    const w = world({ delays: instantExcept({ clusterCreateMs: MINUTE }) });
    await createCluster(w.a.neptune, "steady");
    await createCluster(w.a.neptune, "changed");
    const creating = await describedOnTheWire(w);
    assert.match(creating.get("steady")!, /<Status>creating<\/Status>/);
    assert.doesNotMatch(creating.get("steady")!, /RestorableTime/);

    w.clock.advance(MINUTE + 5000); // past the creation, so the window's start is not the time of this answer
    const available = await describedOnTheWire(w);
    const now = w.clock.now().toISOString();
    assert.match(available.get("steady")!, /<Status>available<\/Status>/);
    assert.match(available.get("steady")!, new RegExp(`<LatestRestorableTime>${now}</LatestRestorableTime>`));

    await modifyCluster(w.a.neptune, "changed", { DeletionProtection: true, ApplyImmediately: true });
    w.clock.advance(1000);
    const after = await describedOnTheWire(w);
    assert.match(after.get("changed")!, /<DeletionProtection>true<\/DeletionProtection>/);
    assert.match(after.get("steady")!, /<DeletionProtection>false<\/DeletionProtection>/);
    // Only the clock moved for `steady`: its bytes are those of the last answer with the new time in them.
    const later = w.clock.now().toISOString();
    assert.equal(after.get("steady"), available.get("steady")!.replaceAll(now, later));
  });
});
