import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateGrantCommand,
  CreateKeyCommand,
  DecryptCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  DisableKeyRotationCommand,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  ListAliasesCommand,
  ListGrantsCommand,
  ListKeyPoliciesCommand,
  ListResourceTagsCommand,
  PutKeyPolicyCommand,
  ReEncryptCommand,
  RevokeGrantCommand,
  ScheduleKeyDeletionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateAliasCommand,
  UpdateKeyDescriptionCommand,
} from "@aws-sdk/client-kms";
import { B, inProcess, rejection } from "../helpers/harness.js";
import { ownerStatement, policyOf } from "../helpers/seed.js";

/**
 * AWS's key-state table [aws-behaviour §6.8; KMS-STATE], row by row for the two states a symmetric AWS_KMS key can
 * leave Enabled for: each operation on a Disabled key and on a key PendingDeletion either works or fails with the
 * table's exception and message (`<key ARN> is disabled.` / `is pending deletion.` / `is not pending deletion.`).
 */

type State = "Disabled" | "PendingDeletion";
type Expected = "ok" | "DisabledException" | "KMSInvalidStateException";

interface Subject {
  kms: KMSClient;
  keyId: string;
  arn: string;
  /** A ciphertext under the key, made while it was enabled. */
  blob: Uint8Array;
  /** An alias of the key, and an enabled key of the same account (for UpdateAlias). */
  alias: string;
  otherKeyId: string;
  grantId: string;
}

const row = (disabled: Expected, pendingDeletion: Expected) => ({
  Disabled: disabled,
  PendingDeletion: pendingDeletion,
});

/** The table's three kinds of rows: using the key, reading or managing its policy and grants, changing the key. */
const USE = row("DisabledException", "KMSInvalidStateException");
const ANY_STATE = row("ok", "ok");
const NOT_PENDING_DELETION = row("ok", "KMSInvalidStateException");

const TABLE: [string, Record<State, Expected>, (s: Subject) => Promise<unknown>][] = [
  ["Encrypt", USE, (s) => s.kms.send(new EncryptCommand({ KeyId: s.keyId, Plaintext: Buffer.from("x") }))],
  ["Decrypt", USE, (s) => s.kms.send(new DecryptCommand({ CiphertextBlob: s.blob }))],
  [
    "ReEncrypt (source)",
    USE,
    (s) => s.kms.send(new ReEncryptCommand({ CiphertextBlob: s.blob, DestinationKeyId: s.otherKeyId })),
  ],
  ["GenerateDataKey", USE, (s) => s.kms.send(new GenerateDataKeyCommand({ KeyId: s.keyId, KeySpec: "AES_256" }))],
  [
    "GenerateDataKeyWithoutPlaintext",
    USE,
    (s) => s.kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: s.keyId, KeySpec: "AES_256" })),
  ],
  [
    "CreateGrant",
    USE,
    (s) =>
      s.kms.send(
        new CreateGrantCommand({ KeyId: s.keyId, GranteePrincipal: `arn:aws:iam::${B}:root`, Operations: ["Decrypt"] }),
      ),
  ],
  ["EnableKeyRotation", USE, (s) => s.kms.send(new EnableKeyRotationCommand({ KeyId: s.keyId }))],
  ["DisableKeyRotation", USE, (s) => s.kms.send(new DisableKeyRotationCommand({ KeyId: s.keyId }))],
  ["DescribeKey", ANY_STATE, (s) => s.kms.send(new DescribeKeyCommand({ KeyId: s.keyId }))],
  ["GetKeyPolicy", ANY_STATE, (s) => s.kms.send(new GetKeyPolicyCommand({ KeyId: s.keyId }))],
  [
    "PutKeyPolicy",
    ANY_STATE,
    (s) => s.kms.send(new PutKeyPolicyCommand({ KeyId: s.keyId, Policy: policyOf(ownerStatement()) })),
  ],
  ["ListKeyPolicies", ANY_STATE, (s) => s.kms.send(new ListKeyPoliciesCommand({ KeyId: s.keyId }))],
  ["GetKeyRotationStatus", ANY_STATE, (s) => s.kms.send(new GetKeyRotationStatusCommand({ KeyId: s.keyId }))],
  ["ListGrants", ANY_STATE, (s) => s.kms.send(new ListGrantsCommand({ KeyId: s.keyId }))],
  ["RevokeGrant", ANY_STATE, (s) => s.kms.send(new RevokeGrantCommand({ KeyId: s.keyId, GrantId: s.grantId }))],
  ["ListResourceTags", ANY_STATE, (s) => s.kms.send(new ListResourceTagsCommand({ KeyId: s.keyId }))],
  ["ListAliases", ANY_STATE, (s) => s.kms.send(new ListAliasesCommand({ KeyId: s.keyId }))],
  ["DeleteAlias", ANY_STATE, (s) => s.kms.send(new DeleteAliasCommand({ AliasName: s.alias }))],
  [
    "UpdateAlias (away from the key)",
    ANY_STATE,
    (s) => s.kms.send(new UpdateAliasCommand({ AliasName: s.alias, TargetKeyId: s.otherKeyId })),
  ],
  [
    "CreateAlias",
    NOT_PENDING_DELETION,
    (s) => s.kms.send(new CreateAliasCommand({ AliasName: "alias/another", TargetKeyId: s.keyId })),
  ],
  ["EnableKey", NOT_PENDING_DELETION, (s) => s.kms.send(new EnableKeyCommand({ KeyId: s.keyId }))],
  ["DisableKey", NOT_PENDING_DELETION, (s) => s.kms.send(new DisableKeyCommand({ KeyId: s.keyId }))],
  ["ScheduleKeyDeletion", NOT_PENDING_DELETION, (s) => s.kms.send(new ScheduleKeyDeletionCommand({ KeyId: s.keyId }))],
  [
    "TagResource",
    NOT_PENDING_DELETION,
    (s) => s.kms.send(new TagResourceCommand({ KeyId: s.keyId, Tags: [{ TagKey: "k", TagValue: "v" }] })),
  ],
  [
    "UntagResource",
    NOT_PENDING_DELETION,
    (s) => s.kms.send(new UntagResourceCommand({ KeyId: s.keyId, TagKeys: ["k"] })),
  ],
  [
    "UpdateKeyDescription",
    NOT_PENDING_DELETION,
    (s) => s.kms.send(new UpdateKeyDescriptionCommand({ KeyId: s.keyId, Description: "d" })),
  ],
];

/** A fresh key of A, with a ciphertext, an alias and a grant, then put in the state. */
async function subjectIn(state: State): Promise<Subject> {
  const { a } = inProcess();
  const kms = a.kms;
  const { KeyMetadata: key } = await kms.send(new CreateKeyCommand({}));
  const { KeyMetadata: other } = await kms.send(new CreateKeyCommand({}));
  const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: key!.KeyId, Plaintext: Buffer.from("x") }));
  const alias = "alias/subject";
  await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: key!.KeyId }));
  const { GrantId } = await kms.send(
    new CreateGrantCommand({ KeyId: key!.KeyId, GranteePrincipal: `arn:aws:iam::${B}:root`, Operations: ["Decrypt"] }),
  );
  if (state === "Disabled") await kms.send(new DisableKeyCommand({ KeyId: key!.KeyId }));
  else await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key!.KeyId }));
  return {
    kms,
    keyId: key!.KeyId!,
    arn: key!.Arn!,
    blob: CiphertextBlob!,
    alias,
    otherKeyId: other!.KeyId!,
    grantId: GrantId!,
  };
}

const MESSAGES: Record<State, (arn: string) => string> = {
  Disabled: (arn) => `${arn} is disabled.`,
  PendingDeletion: (arn) => `${arn} is pending deletion.`,
};

describe("KMS key-state table", () => {
  for (const state of ["Disabled", "PendingDeletion"] as const) {
    for (const [operation, expected, call] of TABLE) {
      test(`${operation} on a ${state} key: ${expected[state]}`, async () => {
        const subject = await subjectIn(state);
        if (expected[state] === "ok") {
          await call(subject);
          return;
        }
        const error = await rejection(() => call(subject));
        assert.equal(error.name, expected[state]);
        assert.equal(error.$metadata?.httpStatusCode, 400);
        assert.equal(error.message, MESSAGES[state](subject.arn));
      });
    }
  }

  test("CancelKeyDeletion: only on a key pending deletion", async () => {
    const disabled = await subjectIn("Disabled");
    const error = await rejection(() => disabled.kms.send(new CancelKeyDeletionCommand({ KeyId: disabled.keyId })));
    assert.equal(error.name, "KMSInvalidStateException");
    assert.equal(error.message, `${disabled.arn} is not pending deletion.`);
    const pending = await subjectIn("PendingDeletion");
    await pending.kms.send(new CancelKeyDeletionCommand({ KeyId: pending.keyId }));
  });

  test("UpdateAlias onto a key pending deletion is KMSInvalidStateException", async () => {
    const pending = await subjectIn("PendingDeletion");
    await pending.kms.send(new CreateAliasCommand({ AliasName: "alias/elsewhere", TargetKeyId: pending.otherKeyId }));
    const error = await rejection(() =>
      pending.kms.send(new UpdateAliasCommand({ AliasName: "alias/elsewhere", TargetKeyId: pending.keyId })),
    );
    assert.equal(error.name, "KMSInvalidStateException");
    assert.equal(error.message, `${pending.arn} is pending deletion.`);
  });
});
