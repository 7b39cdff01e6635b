import type { ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateGrantCommand,
  DecryptCommand,
  EncryptCommand,
  GetKeyPolicyCommand,
  KMSClient,
  ListGrantsCommand,
  PutKeyPolicyCommand,
} from "@aws-sdk/client-kms";
import {
  DeleteDBClusterCommand,
  DeleteDBClusterSnapshotCommand,
  DescribeDBClustersCommand,
  DescribeDBClusterSnapshotAttributesCommand,
  DescribeDBClusterSnapshotsCommand,
  NeptuneClient,
} from "@aws-sdk/client-neptune";
import { STSClient } from "@aws-sdk/client-sts";
import { startChildServer } from "../../bench/lib/load.js";
import { DEFAULT_CREDENTIALS } from "../../src/config/defaults.js";
import { A, B, REGION, type Clients } from "../helpers/harness.js";
import { sharedKeyPolicy } from "../helpers/seed.js";
import {
  copyToLocal,
  createKey,
  createSnapshot,
  restoreFromSnapshot,
  share,
  snapshotArn,
} from "../neptune/snapshots-fixtures.js";
import { createCluster, modifyCluster } from "../neptune/resources.js";
import { seededRandom } from "../helpers/random.js";

/**
 * The crash load: a mixed write load against `trident serve --data-dir` in a child process, SIGKILLed at seeded
 * random points with requests in flight, restarted on the same directory, and checked after each restart.
 *
 * Every resource the load touches has a set of states it may be in: one state once its last request was
 * answered, two (before and after) while a request on it was in flight at the kill. After a restart each is
 * observed through the API and must be one of its allowed states (an acknowledged write is there; an
 * unacknowledged one is entirely there or not at all); nothing the load never asked for may exist; every
 * acknowledged ciphertext must decrypt, and every acknowledged snapshot copy must restore.
 */
export interface CrashOptions {
  seed: number;
  rounds: number;
  /** Acknowledged writes per round before the kill, at most. */
  writesPerRound: number;
  /** Requests in flight at once. */
  concurrency: number;
  log?: (line: string) => void;
}

export interface CrashReport {
  kills: number;
  acknowledged: number;
  inFlightAtKills: number;
  ciphertextsChecked: number;
  copiesRestored: number;
}

const ABSENT = "absent";

interface Server {
  endpoint: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

async function start(dir: string): Promise<Server> {
  const { endpoint, child } = await startChildServer("trident", ["--data-dir", dir, "--delays", "instant"]);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { endpoint, child, exited };
}

function clientsAt(endpoint: string, account: typeof A | typeof B): Clients {
  const config = { region: REGION, endpoint, credentials: DEFAULT_CREDENTIALS[account], maxAttempts: 1 };
  return { sts: new STSClient(config), kms: new KMSClient(config), neptune: new NeptuneClient(config) };
}

/** A key policy that keeps B's use of the key (for copies) and carries its version as a statement id. */
function policyVersion(version: number): string {
  const policy = JSON.parse(sharedKeyPolicy()) as { Statement: object[] };
  policy.Statement.push({
    Sid: `crash-v${version}`,
    Effect: "Allow",
    Principal: { AWS: `arn:aws:iam::${A}:root` },
    Action: "kms:DescribeKey",
    Resource: "*",
  });
  return JSON.stringify(policy);
}

/** The server answered (an AWS error), as opposed to a request lost with the connection. */
const answered = (error: unknown) => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

export async function runCrashLoad(options: CrashOptions): Promise<CrashReport> {
  const rng = seededRandom(options.seed);
  const dir = mkdtempSync(join(tmpdir(), "trident-crash-"));
  const log = options.log ?? (() => undefined);
  /** resource → the states it may be in. */
  const states = new Map<string, Set<string>>();
  const ciphertexts: { blob: Uint8Array; plaintext: string }[] = [];
  const copies: string[] = [];
  const report: CrashReport = {
    kills: 0,
    acknowledged: 0,
    inFlightAtKills: 0,
    ciphertextsChecked: 0,
    copiesRestored: 0,
  };
  let counter = 0;

  let server = await start(dir);
  let a = clientsAt(server.endpoint, A);
  let b = clientsAt(server.endpoint, B);
  const keyA = (await createKey(a, { policy: policyVersion(0) })).Arn!;
  const keyB = (await createKey(b)).Arn!;
  states.set("policy", new Set(["v0"]));
  // One copy acknowledged before the first kill, so that every run (however early its kills land) proves that an
  // acknowledged cross-account copy restores after the crashes; the load makes more.
  await createCluster(a.neptune, "c0", { StorageEncrypted: true, KmsKeyId: keyA });
  await createSnapshot(a.neptune, "c0", "s0");
  await share(a.neptune, "s0", [B]);
  await copyToLocal(b.neptune, snapshotArn(A, "s0"), keyB, { TargetDBClusterSnapshotIdentifier: "copy-s0" });
  states.set("cluster:c0", new Set(["retention 1"]));
  states.set("snapshot:s0", new Set(["shared"]));
  states.set("copy:s0", new Set(["present"]));
  copies.push("s0");

  const now = (key: string) => [...(states.get(key) ?? [ABSENT])][0]!;
  const keysWith = (prefix: string, test: (state: string) => boolean) =>
    [...states.keys()].filter((key) => key.startsWith(prefix) && states.get(key)!.size === 1 && test(now(key)));

  interface Write {
    /** Every resource it changes, each with the state it leaves it in. */
    after: [string, string][];
    send: () => Promise<unknown>;
    /** What to keep once acknowledged. */
    acknowledged?: (output: unknown) => void;
  }

  /** One write the current states allow, on resources no other write in flight holds. */
  const nextWrite = (busy: Set<string>): Write | undefined => {
    const free = (key: string) => !busy.has(key);
    const clusters = keysWith("cluster:", (s) => s !== ABSENT).filter(free);
    const snapshots = keysWith("snapshot:", (s) => s !== ABSENT).filter(free);
    const n = ++counter;
    switch (rng.int(9)) {
      case 0: {
        const id = `c${n}`;
        return {
          after: [[`cluster:${id}`, "retention 1"]],
          send: () => createCluster(a.neptune, id, { StorageEncrypted: true, KmsKeyId: keyA }),
        };
      }
      case 1: {
        const key = rng.pick(clusters);
        if (!key) return undefined;
        const days = 2 + rng.int(20);
        return {
          after: [[key, `retention ${days}`]],
          send: () => modifyCluster(a.neptune, key.slice(8), { BackupRetentionPeriod: days, ApplyImmediately: true }),
        };
      }
      case 2: {
        const key = rng.pick(clusters);
        if (!key) return undefined;
        return {
          after: [[key, ABSENT]],
          send: () =>
            a.neptune.send(new DeleteDBClusterCommand({ DBClusterIdentifier: key.slice(8), SkipFinalSnapshot: true })),
        };
      }
      case 3: {
        const key = rng.pick(clusters);
        if (!key) return undefined;
        const id = `s${n}`;
        return {
          after: [
            [key, now(key)],
            [`snapshot:${id}`, "private"],
          ],
          send: () => createSnapshot(a.neptune, key.slice(8), id),
        };
      }
      case 4: {
        const key = rng.pick(snapshots.filter((s) => now(s) === "private"));
        if (!key) return undefined;
        return { after: [[key, "shared"]], send: () => share(a.neptune, key.slice(9), [B]) };
      }
      case 5: {
        const key = rng.pick(snapshots.filter((s) => now(s) === "shared" && now(`copy:${s.slice(9)}`) === ABSENT));
        if (!key) return undefined;
        const id = key.slice(9);
        return {
          after: [
            [key, "shared"],
            [`copy:${id}`, "present"],
          ],
          send: () =>
            copyToLocal(b.neptune, snapshotArn(A, id), keyB, { TargetDBClusterSnapshotIdentifier: `copy-${id}` }),
          acknowledged: () => copies.push(id),
        };
      }
      case 6: {
        const key = rng.pick(snapshots);
        if (!key) return undefined;
        return {
          after: [[key, ABSENT]],
          send: () => a.neptune.send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: key.slice(9) })),
        };
      }
      case 7: {
        if (busy.has("policy") || states.get("policy")!.size > 1) return undefined;
        return {
          after: [["policy", `v${n}`]],
          send: () =>
            a.kms.send(new PutKeyPolicyCommand({ KeyId: keyA, PolicyName: "default", Policy: policyVersion(n) })),
        };
      }
      default: {
        if (rng.next() < 0.5) {
          const plaintext = `plaintext ${n}`;
          return {
            after: [],
            send: () => a.kms.send(new EncryptCommand({ KeyId: keyA, Plaintext: Buffer.from(plaintext) })),
            acknowledged: (output) =>
              ciphertexts.push({ blob: (output as { CiphertextBlob: Uint8Array }).CiphertextBlob, plaintext }),
          };
        }
        const name = `g${n}`;
        return {
          after: [[`grant:${name}`, "present"]],
          send: () =>
            a.kms.send(
              new CreateGrantCommand({
                KeyId: keyA,
                GranteePrincipal: `arn:aws:iam::${B}:root`,
                Operations: ["Decrypt"],
                Name: name,
              }),
            ),
        };
      }
    }
  };

  try {
    await rounds();
  } finally {
    server.child.kill("SIGKILL");
  }
  return report;

  async function rounds(): Promise<void> {
    for (let round = 1; round <= options.rounds; round++) {
      const killAfter = 1 + rng.int(options.writesPerRound);
      let acknowledged = 0;
      let killed = false;
      const busy = new Set<string>();
      const inFlight = new Map<number, Write>();
      let ids = 0;
      const worker = async () => {
        while (!killed) {
          const write = nextWrite(busy);
          if (!write) continue;
          const id = ids++;
          for (const [key] of write.after) busy.add(key);
          inFlight.set(id, write);
          try {
            const output = await write.send();
            if (killed) continue; // answered as the kill landed: treated as unacknowledged, and checked as such
            inFlight.delete(id);
            for (const [key, state] of write.after) states.set(key, new Set([state]));
            write.acknowledged?.(output);
            acknowledged++;
            if (acknowledged >= killAfter && !killed) {
              killed = true;
              server.child.kill("SIGKILL");
            }
          } catch (error) {
            if (answered(error) !== undefined)
              throw new Error(`the load sent a write the server refused: ${String(error)}`, { cause: error });
          } finally {
            if (!killed) {
              inFlight.delete(id);
              for (const [key] of write.after) busy.delete(key);
            }
          }
        }
      };
      await Promise.all(Array.from({ length: options.concurrency }, worker));
      await server.exited;
      for (const write of inFlight.values())
        for (const [key, state] of write.after) {
          const allowed = states.get(key) ?? states.set(key, new Set([ABSENT])).get(key)!;
          allowed.add(state);
        }
      report.kills++;
      report.acknowledged += acknowledged;
      report.inFlightAtKills += inFlight.size;

      server = await start(dir);
      a = clientsAt(server.endpoint, A);
      b = clientsAt(server.endpoint, B);
      await check();
      log(
        `round ${round}: killed after ${acknowledged} acknowledged writes with ${inFlight.size} in flight; restart checked`,
      );
    }
    server.child.kill("SIGTERM");
    if ((await server.exited) !== 0) throw new Error("the server did not stop cleanly");
  }

  /** Observes every resource, checks it against its allowed states, and settles it to what was observed. */
  async function check(): Promise<void> {
    const observed = new Map<string, string>();
    for (const cluster of await all(
      (Marker) => a.neptune.send(new DescribeDBClustersCommand({ Marker })),
      "DBClusters",
    ))
      observed.set(`cluster:${cluster.DBClusterIdentifier}`, `retention ${cluster.BackupRetentionPeriod}`);
    const manual = await all(
      (Marker) => a.neptune.send(new DescribeDBClusterSnapshotsCommand({ SnapshotType: "manual", Marker })),
      "DBClusterSnapshots",
    );
    for (const snapshot of manual) {
      const id = snapshot.DBClusterSnapshotIdentifier!;
      const attributes = await a.neptune.send(
        new DescribeDBClusterSnapshotAttributesCommand({ DBClusterSnapshotIdentifier: id }),
      );
      const restore = attributes.DBClusterSnapshotAttributesResult!.DBClusterSnapshotAttributes!.find(
        (attribute) => attribute.AttributeName === "restore",
      );
      observed.set(`snapshot:${id}`, restore?.AttributeValues?.includes(B) ? "shared" : "private");
    }
    const copied = await all(
      (Marker) => b.neptune.send(new DescribeDBClusterSnapshotsCommand({ SnapshotType: "manual", Marker })),
      "DBClusterSnapshots",
    );
    for (const copy of copied) observed.set(`copy:${copy.DBClusterSnapshotIdentifier!.slice(5)}`, "present");
    const policy = await a.kms.send(new GetKeyPolicyCommand({ KeyId: keyA, PolicyName: "default" }));
    const statements = (JSON.parse(policy.Policy!) as { Statement: { Sid?: string }[] }).Statement;
    const version = statements.find((s) => s.Sid?.startsWith("crash-"))?.Sid?.slice("crash-".length);
    observed.set("policy", version ?? "a policy without a version");
    let marker: string | undefined;
    do {
      const grants = await a.kms.send(new ListGrantsCommand({ KeyId: keyA, Marker: marker }));
      // Only the load's own grants: Neptune makes grants of its own for encrypted clusters.
      for (const grant of grants.Grants!)
        if (/^g\d+$/.test(grant.Name ?? "")) observed.set(`grant:${grant.Name}`, "present");
      marker = grants.Truncated ? grants.NextMarker : undefined;
    } while (marker);

    for (const key of observed.keys())
      if (!states.has(key)) throw new Error(`after a restart, ${key} exists though no request made it`);
    for (const [key, allowed] of states) {
      const state = observed.get(key) ?? ABSENT;
      if (!allowed.has(state))
        throw new Error(`after a restart, ${key} is ${state}; it may only be ${[...allowed].join(" or ")}`);
      states.set(key, new Set([state]));
    }
    for (const { blob, plaintext } of ciphertexts) {
      const out = await a.kms.send(new DecryptCommand({ CiphertextBlob: blob }));
      if (Buffer.from(out.Plaintext!).toString() !== plaintext)
        throw new Error("an acknowledged ciphertext decrypts wrong");
      report.ciphertextsChecked++;
    }
    for (const id of copies.splice(0)) {
      await restoreFromSnapshot(b.neptune, { DBClusterIdentifier: `restored-${id}`, SnapshotIdentifier: `copy-${id}` });
      report.copiesRestored++;
    }
  }
}

/** Every item of a paged Describe call. */
async function all<K extends string, T>(
  page: (marker: string | undefined) => Promise<{ Marker?: string } & { [key in K]?: T[] }>,
  field: K,
): Promise<T[]> {
  const items: T[] = [];
  let marker: string | undefined;
  do {
    const out = await page(marker);
    items.push(...(out[field] ?? []));
    marker = out.Marker;
  } while (marker);
  return items;
}
