import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateGrantCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  ListGrantsCommand,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
} from "@aws-sdk/client-kms";
import type { Principal } from "../../src/auth/principal.js";
import { KeyAccessError } from "../../src/domain/kms/service-access.js";
import { A, ADMIN, B, REGION, inProcess, rejection, type Credentials } from "../helpers/harness.js";
import { grantStatement, ownerStatement, policyOf, sharedKeyPolicy } from "../helpers/seed.js";
import { KMS_CONFIG, USERS } from "./fixtures.js";
import { loadEmulatorParts } from "../../src/emulator-parts.js";

// These tests call emulator.kms directly, before any Neptune request would have loaded it.
await loadEmulatorParts();

type Env = ReturnType<typeof inProcess>;

function principalOf(env: Env, credentials: Credentials): Principal {
  return env.emulator.identities.resolveAccessKey(credentials.accessKeyId)!.principal;
}

function keyAccessError(fn: () => unknown): KeyAccessError {
  try {
    fn();
  } catch (error) {
    if (error instanceof KeyAccessError) return error;
    throw error;
  }
  throw new Error("expected a KeyAccessError");
}

/** What Neptune's copy asks of the source key [aws-behaviour §6.6]. */
const COPY_ACTIONS = ["kms:DescribeKey", "kms:CreateGrant"];

async function aKeyWith(env: Env, policy?: string) {
  const { KeyMetadata } = await env.a.kms.send(new CreateKeyCommand(policy ? { Policy: policy } : {}));
  return KeyMetadata!;
}

/** emulator.kms as Neptune calls it on `principal`'s behalf: in REGION, via rds. */
function viaRds(env: Env, principal: Principal) {
  const on = { principal, region: REGION, viaService: "rds" as const };
  return {
    resolveKey: (keyId: string, actions = COPY_ACTIONS) => env.emulator.kms.resolveKey({ ...on, keyId, actions }),
    generateDataKey: (keyArn: string) => env.emulator.kms.generateDataKey({ ...on, keyArn }),
    decrypt: (keyArn: string, ciphertextBlob: Buffer) => env.emulator.kms.decrypt({ ...on, keyArn, ciphertextBlob }),
  };
}

describe("KMS via a service (emulator.kms, as Neptune uses it)", () => {
  test("B's admin, via rds, resolves and uses A's CMK by ARN when A's policy has the seed's statements for B", async () => {
    const env = inProcess({ config: KMS_CONFIG });
    const key = await aKeyWith(env, sharedKeyPolicy());
    const bAdmin = principalOf(env, ADMIN[B]!);
    const resolved = viaRds(env, bAdmin).resolveKey(key.Arn!);
    assert.deepEqual(resolved, { keyArn: key.Arn, keyId: key.KeyId, accountId: A, region: REGION, awsManaged: false });

    const call = {
      principal: bAdmin,
      region: REGION,
      keyArn: key.Arn!,
      viaService: "rds" as const,
      encryptionContext: { snapshot: "snap1" },
    };
    const dataKey = env.emulator.kms.generateDataKey(call);
    assert.equal(dataKey.plaintext.length, 32);
    assert.deepEqual(env.emulator.kms.decrypt({ ...call, ciphertextBlob: dataKey.ciphertextBlob }), dataKey.plaintext);

    // Re-wrap under B's own CMK (the copy's key), then B can unwrap it through its own API.
    const { KeyMetadata: own } = await env.b.kms.send(new CreateKeyCommand({}));
    const rewrapped = env.emulator.kms.reEncrypt({
      principal: bAdmin,
      region: REGION,
      viaService: "rds",
      ciphertextBlob: dataKey.ciphertextBlob,
      sourceKeyArn: key.Arn!,
      destinationKeyArn: own!.Arn!,
      encryptionContext: { snapshot: "snap1" },
    });
    const unwrapped = await env.b.kms.send(
      new DecryptCommand({ CiphertextBlob: rewrapped, EncryptionContext: { snapshot: "snap1" } }),
    );
    assert.deepEqual(Buffer.from(unwrapped.Plaintext!), dataKey.plaintext);

    // The grant the service creates is for an AWS resource: it shows in A's ListGrants and can be retired.
    const { grantId } = env.emulator.kms.createGrant({
      ...call,
      granteePrincipal: bAdmin.arn,
      operations: ["Decrypt", "RetireGrant"],
      name: "rds-copy",
    });
    const grants = (await env.a.kms.send(new ListGrantsCommand({ KeyId: key.KeyId }))).Grants!;
    assert.deepEqual(
      grants.map((g) => [g.GrantId, g.Name, g.IssuingAccount]),
      [[grantId, "rds-copy", `arn:aws:iam::${B}:root`]],
    );
    env.emulator.kms.retireGrant(key.Arn!, grantId);
    assert.deepEqual((await env.a.kms.send(new ListGrantsCommand({ KeyId: key.KeyId }))).Grants, []);
  });

  test("without the seed's statements B can't: access-denied, in KMS's words", async () => {
    const env = inProcess({ config: KMS_CONFIG });
    const key = await aKeyWith(env);
    const bAdmin = principalOf(env, ADMIN[B]!);
    const error = keyAccessError(() => viaRds(env, bAdmin).resolveKey(key.Arn!));
    assert.equal(error.reason, "access-denied");
    assert.equal(
      error.message,
      `User: ${bAdmin.arn} is not authorized to perform: kms:DescribeKey on resource: ${key.Arn} because no resource-based policy allows the kms:DescribeKey action`,
    );
    const generate = keyAccessError(() => viaRds(env, bAdmin).generateDataKey(key.Arn!));
    assert.equal(generate.reason, "access-denied");
  });

  test("B's identity policy still decides via the service", async () => {
    const env = inProcess({ config: KMS_CONFIG });
    const key = await aKeyWith(env, sharedKeyPolicy());
    const denied = principalOf(env, USERS.bDenied);
    const error = keyAccessError(() => viaRds(env, denied).resolveKey(key.Arn!));
    assert.equal(error.reason, "access-denied");
    assert.match(error.message, /with an explicit deny in an identity-based policy$/);
  });

  test("grant operations via the service carry kms:GrantIsForAWSResource = true; B's direct call does not", async () => {
    const env = inProcess({ config: KMS_CONFIG });
    // Only the grant statement for B (plus A's own access): CreateGrant is allowed for AWS resources only.
    const key = await aKeyWith(env, policyOf(ownerStatement(), grantStatement()));
    const bAdmin = principalOf(env, ADMIN[B]!);
    const direct = await rejection(() =>
      env.b.kms.send(new CreateGrantCommand({ KeyId: key.Arn, GranteePrincipal: bAdmin.arn, Operations: ["Decrypt"] })),
    );
    assert.equal(direct.name, "AccessDeniedException");
    const { grantId } = env.emulator.kms.createGrant({
      principal: bAdmin,
      region: REGION,
      keyArn: key.Arn!,
      viaService: "rds",
      granteePrincipal: bAdmin.arn,
      operations: ["Decrypt"],
    });
    assert.match(grantId, /^[0-9a-f]{64}$/);
    const resolved = viaRds(env, bAdmin).resolveKey(key.Arn!, ["kms:CreateGrant", "kms:ListGrants"]);
    assert.equal(resolved.keyArn, key.Arn);
  });

  test("nobody else can use A's alias/aws/rds key at all; A can, only via rds", async () => {
    const env = inProcess({ config: KMS_CONFIG });
    const byA = viaRds(env, principalOf(env, ADMIN[A]!));
    const byB = viaRds(env, principalOf(env, ADMIN[B]!));
    const managed = env.emulator.kms.awsManagedKey(A, REGION, "rds");
    assert.equal(managed.awsManaged, true);
    assert.equal(managed.accountId, A);
    assert.deepEqual(env.emulator.kms.awsManagedKey(A, REGION, "rds"), managed);
    assert.equal(
      (await env.a.kms.send(new DescribeKeyCommand({ KeyId: "alias/aws/rds" }))).KeyMetadata!.Arn,
      managed.keyArn,
    );

    // A, through RDS: its own account, via rds.REGION.amazonaws.com, so the aws/rds policy allows it.
    assert.equal(byA.resolveKey("alias/aws/rds").keyArn, managed.keyArn);
    const dataKey = byA.generateDataKey(managed.keyArn);
    assert.equal(dataKey.plaintext.length, 32);
    // B, by the key's ARN, via rds: kms:CallerAccount is B, so no statement applies.
    for (const actions of [COPY_ACTIONS, ["kms:Decrypt"], ["kms:DescribeKey"]]) {
      assert.equal(keyAccessError(() => byB.resolveKey(managed.keyArn, actions)).reason, "access-denied");
    }
    const decrypt = keyAccessError(() => byB.decrypt(managed.keyArn, dataKey.ciphertextBlob));
    assert.equal(decrypt.reason, "access-denied");
    // B's "alias/aws/rds" is B's own AWS-managed key, created on first use.
    const own = byB.resolveKey("alias/aws/rds");
    assert.equal(own.accountId, B);
    assert.notEqual(own.keyArn, managed.keyArn);
  });

  test("KeyAccessError reasons: not-found, disabled, pending-deletion, invalid-ciphertext; keyState", async () => {
    const env = inProcess({ config: KMS_CONFIG });
    const byA = viaRds(env, principalOf(env, ADMIN[A]!));
    const key = await aKeyWith(env);
    const resolve = (keyId: string) => () => byA.resolveKey(keyId);
    assert.equal(keyAccessError(resolve("alias/missing")).reason, "not-found");
    assert.equal(keyAccessError(resolve("None")).reason, "not-found");
    assert.equal(
      keyAccessError(resolve(`arn:aws:kms:${REGION}:${B}:key/0b2ad402-1111-46ac-8888-123456789abc`)).reason,
      "not-found",
    );
    assert.equal(env.emulator.kms.keyState(key.Arn!), "Enabled");

    const other = await aKeyWith(env);
    const blob = byA.generateDataKey(other.Arn!).ciphertextBlob;
    const wrongKey = keyAccessError(() => byA.decrypt(key.Arn!, blob));
    assert.equal(wrongKey.reason, "invalid-ciphertext");

    await env.a.kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    assert.equal(keyAccessError(resolve(key.Arn!)).reason, "disabled");
    assert.equal(env.emulator.kms.keyState(key.Arn!), "Disabled");
    await env.a.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
    assert.equal(keyAccessError(resolve(key.KeyId!)).reason, "pending-deletion");
    assert.equal(env.emulator.kms.keyState(key.Arn!), "PendingDeletion");
    env.clock.advance(7 * 86_400_000);
    assert.equal(env.emulator.kms.keyState(key.Arn!), "Missing");
    assert.equal(keyAccessError(resolve(key.Arn!)).reason, "not-found");
  });

  test("removing B from the key policy (step 6) closes the door again", async () => {
    const env = inProcess({ config: KMS_CONFIG });
    const key = await aKeyWith(env, sharedKeyPolicy());
    const byB = viaRds(env, principalOf(env, ADMIN[B]!));
    const resolve = () => byB.resolveKey(key.Arn!);
    assert.equal(resolve().keyArn, key.Arn);
    await env.a.kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: policyOf(ownerStatement()) }));
    assert.equal(keyAccessError(resolve).reason, "access-denied");
  });
});
