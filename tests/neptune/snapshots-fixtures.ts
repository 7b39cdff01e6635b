import assert from "node:assert/strict";
import { CreateKeyCommand, PutKeyPolicyCommand, type KeyMetadata } from "@aws-sdk/client-kms";
import {
  CreateDBClusterCommand,
  CreateDBClusterSnapshotCommand,
  ModifyDBClusterSnapshotAttributeCommand,
  type CreateDBClusterCommandInput,
  type NeptuneClient,
} from "@aws-sdk/client-neptune";
import type { TridentConfig } from "../../src/config/config.js";
import { DEFAULT_CREDENTIALS } from "../../src/config/defaults.js";
import type { EmulatorOptions } from "../../src/emulator.js";
import { A, B, inProcess, REGION, rejection, type Clients, type RawResult } from "../helpers/harness.js";
import { seedPolicy } from "../kms/fixtures.js";

/** Shared by the snapshot tests: a third account, users of B with narrow IAM policies, and the seed's setup. */

export const C = "333333333333";
export const VERSION = "2014-10-31";

export const USERS = {
  cAdmin: { accessKeyId: "AKIA3333333333ADMIN3", secretAccessKey: "c-admin-secret" },
  /** B: every action, but an explicit deny of every KMS key of A (B's IAM half of R10 fails). */
  bDenied: { accessKeyId: "AKIABSNAPDENIED00001", secretAccessKey: "b-snap-denied-secret" },
  /** B: KMS only on A's keys (so B's own key is refused: "no identity-based policy allows"). */
  bOnlyA: { accessKeyId: "AKIABSNAPONLYA000001", secretAccessKey: "b-snap-only-a-secret" },
} as const;

export const SNAPSHOT_CONFIG: TridentConfig = {
  accounts: {
    [A]: { users: [{ name: "admin", ...DEFAULT_CREDENTIALS[A] }] },
    [B]: {
      users: [
        { name: "admin", ...DEFAULT_CREDENTIALS[B] },
        {
          name: "denied",
          ...USERS.bDenied,
          policy: {
            Version: "2012-10-17",
            Statement: [
              { Effect: "Allow", Action: "*", Resource: "*" },
              { Effect: "Deny", Action: "kms:*", Resource: `arn:aws:kms:*:${A}:key/*` },
            ],
          },
        },
        {
          name: "only-a",
          ...USERS.bOnlyA,
          policy: {
            Version: "2012-10-17",
            Statement: [
              { Effect: "Allow", Action: "rds:*", Resource: "*" },
              { Effect: "Allow", Action: "kms:*", Resource: `arn:aws:kms:*:${A}:key/*` },
            ],
          },
        },
      ],
    },
    [C]: { users: [{ name: "admin", ...USERS.cAdmin }] },
  },
};

/** The emulator with the three accounts; `c` is account C's admin. */
export function world(options: EmulatorOptions = {}) {
  const env = inProcess({ config: SNAPSHOT_CONFIG, ...options });
  return { ...env, c: env.clientsFor(USERS.cAdmin) as Clients };
}

export type World = ReturnType<typeof world>;

export const snapshotArn = (account: string, id: string) => `arn:aws:rds:${REGION}:${account}:cluster-snapshot:${id}`;

export async function createCluster(
  neptune: NeptuneClient,
  id: string,
  extra: Partial<CreateDBClusterCommandInput> = {},
) {
  return (await neptune.send(new CreateDBClusterCommand({ DBClusterIdentifier: id, Engine: "neptune", ...extra })))
    .DBCluster!;
}

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

/** A customer managed key; with `policy`, that key policy (the seed's, R10, by default when `shareWith` is given). */
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
  const keyA = await createKey(w.a, { policy: options.keyPolicy ?? seedPolicy() });
  await createCluster(w.a.neptune, "src", { StorageEncrypted: true, KmsKeyId: keyA.Arn });
  w.clock.advance(w.emulator.delays.clusterCreateMs);
  const snapshot = await createSnapshot(w.a.neptune, "src", "snap1");
  w.clock.advance(w.emulator.delays.snapshotMs);
  await share(w.a.neptune, "snap1", options.shareWith ?? [B]);
  return { keyA, snapshot, arn: snapshotArn(A, "snap1") };
}

/** The SDK's error name, HTTP status and message of a refused call. */
export async function assertFault(
  call: () => Promise<unknown>,
  expected: { name: string; status: number; message: string | RegExp },
) {
  const error = await rejection(call);
  assert.equal(error.name, expected.name, error.message);
  assert.equal(error.$metadata?.httpStatusCode, expected.status);
  if (typeof expected.message === "string") assert.equal(error.message, expected.message);
  else assert.match(error.message, expected.message);
}

/** The raw wire answer: `<Code>`, HTTP status and message, as the CLI and boto3 waiters see them. */
export function assertWire(result: RawResult, expected: { code: string; status: number; message?: string }) {
  assert.equal(result.code, expected.code, result.body);
  assert.equal(result.status, expected.status);
  assert.match(result.body, /<Type>Sender<\/Type>/);
  if (expected.message !== undefined) assert.equal(result.message, expected.message);
}

export const INVALID_SNAPSHOT_ID =
  "The parameter DBClusterSnapshotIdentifier is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.";

export const sourceKeyMessage = (arn: string) =>
  `The source snapshot KMS key [${arn}] does not exist, is not enabled or you do not have permissions to access it.`;
export const specifiedKeyMessage = (given: string) =>
  `Specified KMS key [${given}] does not exist, is not enabled or you do not have permissions to access it.`;
