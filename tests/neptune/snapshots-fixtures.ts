import { CreateKeyCommand, DecryptCommand, PutKeyPolicyCommand, type KeyMetadata } from "@aws-sdk/client-kms";
import {
  CopyDBClusterSnapshotCommand,
  CreateDBClusterSnapshotCommand,
  DescribeDBClusterSnapshotsCommand,
  ModifyDBClusterSnapshotAttributeCommand,
  RestoreDBClusterFromSnapshotCommand,
  type CopyDBClusterSnapshotCommandInput,
  type NeptuneClient,
  type RestoreDBClusterFromSnapshotCommandInput,
} from "@aws-sdk/client-neptune";
import { clusterSnapshotTable, clusterTable } from "../../src/domain/neptune/records.js";
import type { EmulatorOptions } from "../../src/emulator.js";
import { A, B, inProcess, REGION, type Clients } from "../helpers/harness.js";
import { denyKeysOfA, identityPolicy, KEYS_OF_A, seedConfig, sharedKeyPolicy } from "../helpers/seed.js";
import { createCluster } from "./resources.js";

/** Shared by the snapshot tests: a third account, users of B with narrow IAM policies, and the seed's setup. */

export const C = "333333333333";

export const USERS = {
  cAdmin: { accessKeyId: "AKIA3333333333ADMIN3", secretAccessKey: "c-admin-secret" },
  /** B: every action, but an explicit deny of every KMS key of A (B's IAM half of R10 fails). */
  bDenied: { accessKeyId: "AKIABSNAPDENIED00001", secretAccessKey: "b-snap-denied-secret" },
  /** B: KMS only on A's keys (so B's own key is refused: "no identity-based policy allows"). */
  bOnlyA: { accessKeyId: "AKIABSNAPONLYA000001", secretAccessKey: "b-snap-only-a-secret" },
} as const;

export const SNAPSHOT_CONFIG = seedConfig({
  [B]: [
    { name: "denied", ...USERS.bDenied, policy: denyKeysOfA() },
    {
      name: "only-a",
      ...USERS.bOnlyA,
      policy: identityPolicy(
        { Effect: "Allow", Action: "rds:*", Resource: "*" },
        { Effect: "Allow", Action: "kms:*", Resource: KEYS_OF_A },
      ),
    },
  ],
  [C]: [{ name: "admin", ...USERS.cAdmin }],
});

/** The emulator with the three accounts; `c` is account C's admin. */
export function world(options: EmulatorOptions = {}) {
  const env = inProcess({ config: SNAPSHOT_CONFIG, ...options });
  return { ...env, c: env.clientsFor(USERS.cAdmin) as Clients };
}

export type World = ReturnType<typeof world>;

export const snapshotArn = (account: string, id: string) => `arn:aws:rds:${REGION}:${account}:cluster-snapshot:${id}`;

export async function createSnapshot(neptune: NeptuneClient, cluster: string, id: string) {
  return (
    await neptune.send(
      new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: cluster, DBClusterSnapshotIdentifier: id }),
    )
  ).DBClusterSnapshot!;
}

export async function share(neptune: NeptuneClient, id: string, add: string[], remove: string[] = []) {
  return (
    await neptune.send(
      new ModifyDBClusterSnapshotAttributeCommand({
        DBClusterSnapshotIdentifier: id,
        AttributeName: "restore",
        ValuesToAdd: add,
        ValuesToRemove: remove,
      }),
    )
  ).DBClusterSnapshotAttributesResult!;
}

export async function describeSnapshot(neptune: NeptuneClient, id: string, extra: { SnapshotType?: string } = {}) {
  return (await neptune.send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: id, ...extra })))
    .DBClusterSnapshots![0]!;
}

/** The cluster's first automated backup (taken when it became available), of the client's account. */
export async function automatedSnapshot(neptune: NeptuneClient) {
  return (await neptune.send(new DescribeDBClusterSnapshotsCommand({ SnapshotType: "automated" })))
    .DBClusterSnapshots![0]!;
}

export async function copySnapshot(neptune: NeptuneClient, input: CopyDBClusterSnapshotCommandInput) {
  return (await neptune.send(new CopyDBClusterSnapshotCommand(input))).DBClusterSnapshot!;
}

/** Step 4: B's copy of A's shared snapshot (given by ARN) as `local`, under a key of B (R7–R10). */
export function copyToLocal(
  neptune: NeptuneClient,
  source: string,
  KmsKeyId: string | undefined,
  extra: Partial<CopyDBClusterSnapshotCommandInput> = {},
) {
  return copySnapshot(neptune, {
    SourceDBClusterSnapshotIdentifier: source,
    TargetDBClusterSnapshotIdentifier: "local",
    KmsKeyId,
    ...extra,
  });
}

export async function restoreFromSnapshot(
  neptune: NeptuneClient,
  input: Omit<RestoreDBClusterFromSnapshotCommandInput, "Engine"> & { Engine?: string },
) {
  return (await neptune.send(new RestoreDBClusterFromSnapshotCommand({ Engine: "neptune", ...input }))).DBCluster!;
}

/** The owner's clients of `account`, for the accounts of the world. */
const clientsOf = (w: World, account: string) => (account === A ? w.a : account === B ? w.b : w.c);

/** A wrapped data key of `account`'s, unwrapped through the KMS API by the account itself. */
async function unwrap(w: World, account: string, wrappedDataKey: Uint8Array | undefined): Promise<Buffer> {
  const out = await clientsOf(w, account).kms.send(new DecryptCommand({ CiphertextBlob: wrappedDataKey }));
  return Buffer.from(out.Plaintext!);
}

/** The plaintext data key behind a stored snapshot. */
export const snapshotDataKey = (w: World, account: string, id: string) =>
  unwrap(w, account, clusterSnapshotTable(w.emulator.store, account, REGION).get(id)!.wrappedDataKey);

/** The plaintext data key of a cluster's storage. */
export const clusterDataKey = (w: World, account: string, id: string) =>
  unwrap(w, account, clusterTable(w.emulator.store, account, REGION).get(id)!.wrappedDataKey);

/** A customer managed key of the clients' account; with `policy`, under that key policy. */
export async function createKey(clients: Clients, options: { policy?: string } = {}): Promise<KeyMetadata> {
  const { KeyMetadata } = await clients.kms.send(new CreateKeyCommand({ Description: "snapshot test key" }));
  if (options.policy)
    await clients.kms.send(new PutKeyPolicyCommand({ KeyId: KeyMetadata!.KeyId, Policy: options.policy }));
  return KeyMetadata!;
}

/**
 * The seed's situation in A (steps 1–3): a CMK whose policy lets B use it (R10), a cluster encrypted with it, a
 * manual snapshot `snap1` (available: the clock is moved past each transition), shared with B.
 */
export async function seedSnapshot(w: World, options: { keyPolicy?: string; shareWith?: string[] } = {}) {
  const keyA = await createKey(w.a, { policy: options.keyPolicy ?? sharedKeyPolicy() });
  await createCluster(w.a.neptune, "src", { StorageEncrypted: true, KmsKeyId: keyA.Arn });
  w.clock.advance(w.emulator.delays.clusterCreateMs);
  const snapshot = await createSnapshot(w.a.neptune, "src", "snap1");
  w.clock.advance(w.emulator.delays.snapshotMs);
  await share(w.a.neptune, "snap1", options.shareWith ?? [B]);
  return { keyA, snapshot, arn: snapshotArn(A, "snap1") };
}

export const sourceKeyMessage = (arn: string) =>
  `The source snapshot KMS key [${arn}] does not exist, is not enabled or you do not have permissions to access it.`;
export const specifiedKeyMessage = (given: string) =>
  `Specified KMS key [${given}] does not exist, is not enabled or you do not have permissions to access it.`;
