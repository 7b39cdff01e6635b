import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  ListAliasesCommand,
  ScheduleKeyDeletionCommand,
  UpdateAliasCommand,
} from "@aws-sdk/client-kms";
import { A, B, REGION, inProcess, rejection } from "../helpers/harness.js";
import { KMS_CONFIG, USERS } from "./fixtures.js";

const DAY = 86_400_000;

describe("KMS aliases", () => {
  test("CreateAlias by key id or key ARN; DescribeKey by alias name and alias ARN; ListAliases shows them", async () => {
    const { a, clock } = inProcess();
    const { KeyMetadata: key } = await a.kms.send(new CreateKeyCommand({}));
    await a.kms.send(new CreateAliasCommand({ AliasName: "alias/graph", TargetKeyId: key!.KeyId }));
    await a.kms.send(new CreateAliasCommand({ AliasName: "alias/graph-arn", TargetKeyId: key!.Arn }));
    for (const KeyId of ["alias/graph", `arn:aws:kms:${REGION}:${A}:alias/graph`, "alias/graph-arn"]) {
      assert.equal((await a.kms.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata!.Arn, key!.Arn);
    }
    const listed = await a.kms.send(new ListAliasesCommand({ KeyId: key!.KeyId }));
    assert.deepEqual(
      listed.Aliases!.map(({ AliasName, AliasArn, TargetKeyId }) => ({ AliasName, AliasArn, TargetKeyId })),
      [
        { AliasName: "alias/graph", AliasArn: `arn:aws:kms:${REGION}:${A}:alias/graph`, TargetKeyId: key!.KeyId },
        {
          AliasName: "alias/graph-arn",
          AliasArn: `arn:aws:kms:${REGION}:${A}:alias/graph-arn`,
          TargetKeyId: key!.KeyId,
        },
      ],
    );
    assert.equal(listed.Aliases![0]!.CreationDate!.getTime(), clock.now().getTime());
    assert.equal(listed.Truncated, false);
  });

  test("an unknown alias is NotFoundException with the alias ARN", async () => {
    const { a } = inProcess();
    const error = await rejection(() => a.kms.send(new DescribeKeyCommand({ KeyId: "alias/nope" })));
    assert.equal(error.name, "NotFoundException");
    assert.equal(error.$metadata?.httpStatusCode, 400);
    assert.equal(error.message, `Alias arn:aws:kms:${REGION}:${A}:alias/nope is not found.`);
  });

  test("alias names: the alias/ prefix, no duplicates, alias/aws/ reserved", async () => {
    const { a, raw } = inProcess();
    const { KeyMetadata: key } = await a.kms.send(new CreateKeyCommand({}));
    const prefix = await rejection(() =>
      a.kms.send(new CreateAliasCommand({ AliasName: "graph", TargetKeyId: key!.KeyId })),
    );
    assert.equal(prefix.name, "ValidationException");
    assert.equal(
      prefix.message,
      'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html',
    );
    await a.kms.send(new CreateAliasCommand({ AliasName: "alias/graph", TargetKeyId: key!.KeyId }));
    const duplicate = await rejection(() =>
      a.kms.send(new CreateAliasCommand({ AliasName: "alias/graph", TargetKeyId: key!.KeyId })),
    );
    assert.equal(duplicate.name, "AlreadyExistsException");
    assert.equal(duplicate.message, `An alias with the name arn:aws:kms:${REGION}:${A}:alias/graph already exists`);
    const reserved = await raw({
      service: "kms",
      target: "CreateAlias",
      json: { AliasName: "alias/aws/mine", TargetKeyId: key!.KeyId },
    });
    assert.equal(reserved.status, 400);
    assert.equal(reserved.code, "NotAuthorizedException");
    const pattern = await raw({
      service: "kms",
      target: "CreateAlias",
      json: { AliasName: "alias/with space", TargetKeyId: key!.KeyId },
    });
    assert.equal(pattern.code, "ValidationException");
  });

  test("aliases are not key ids for the operations that take only key ids", async () => {
    const { a } = inProcess();
    const { KeyMetadata: key } = await a.kms.send(new CreateKeyCommand({}));
    const error = await rejection(() =>
      a.kms.send(new CreateAliasCommand({ AliasName: "alias/x", TargetKeyId: "alias/y" })),
    );
    assert.equal(error.name, "InvalidArnException");
    assert.equal(error.message, "Key Aliases are not supported for this operation.");
    assert.ok(key);
  });

  test("UpdateAlias points the alias at another key; DeleteAlias removes it", async () => {
    const { a, clock } = inProcess();
    const { KeyMetadata: first } = await a.kms.send(new CreateKeyCommand({}));
    const { KeyMetadata: second } = await a.kms.send(new CreateKeyCommand({}));
    await a.kms.send(new CreateAliasCommand({ AliasName: "alias/current", TargetKeyId: first!.KeyId }));
    clock.advance(5000);
    await a.kms.send(new UpdateAliasCommand({ AliasName: "alias/current", TargetKeyId: second!.KeyId }));
    assert.equal(
      (await a.kms.send(new DescribeKeyCommand({ KeyId: "alias/current" }))).KeyMetadata!.KeyId,
      second!.KeyId,
    );
    const entry = (await a.kms.send(new ListAliasesCommand({ KeyId: second!.KeyId }))).Aliases!;
    assert.equal(entry.length, 1);
    assert.equal(entry[0]!.LastUpdatedDate!.getTime() - entry[0]!.CreationDate!.getTime(), 5000);
    assert.deepEqual((await a.kms.send(new ListAliasesCommand({ KeyId: first!.KeyId }))).Aliases, []);
    await a.kms.send(new DeleteAliasCommand({ AliasName: "alias/current" }));
    const gone = await rejection(() => a.kms.send(new DeleteAliasCommand({ AliasName: "alias/current" })));
    assert.equal(gone.name, "NotFoundException");
    assert.equal(gone.message, `Alias arn:aws:kms:${REGION}:${A}:alias/current is not found.`);
  });

  test("a key pending deletion can't get a new alias; its aliases go when it is deleted", async () => {
    const { a, clock } = inProcess();
    const { KeyMetadata: key } = await a.kms.send(new CreateKeyCommand({}));
    await a.kms.send(new CreateAliasCommand({ AliasName: "alias/old", TargetKeyId: key!.KeyId }));
    await a.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key!.KeyId, PendingWindowInDays: 7 }));
    const error = await rejection(() =>
      a.kms.send(new CreateAliasCommand({ AliasName: "alias/new", TargetKeyId: key!.KeyId })),
    );
    assert.equal(error.name, "KMSInvalidStateException");
    assert.equal(error.message, `${key!.Arn} is pending deletion.`);
    clock.advance(7 * DAY);
    const left = (await a.kms.send(new ListAliasesCommand({}))).Aliases!;
    assert.deepEqual(
      left.filter((alias) => !alias.AliasName!.startsWith("alias/aws/")),
      [],
    );
  });

  test("ListAliases paginates by name", async () => {
    const { a } = inProcess();
    const { KeyMetadata: key } = await a.kms.send(new CreateKeyCommand({}));
    for (const name of ["c", "a", "b"])
      await a.kms.send(new CreateAliasCommand({ AliasName: `alias/${name}`, TargetKeyId: key!.KeyId }));
    const first = await a.kms.send(new ListAliasesCommand({ KeyId: key!.KeyId, Limit: 2 }));
    assert.deepEqual(
      first.Aliases!.map((x) => x.AliasName),
      ["alias/a", "alias/b"],
    );
    assert.equal(first.Truncated, true);
    const rest = await a.kms.send(new ListAliasesCommand({ KeyId: key!.KeyId, Limit: 2, Marker: first.NextMarker }));
    assert.deepEqual(
      rest.Aliases!.map((x) => x.AliasName),
      ["alias/c"],
    );
    const tooMany = await rejection(() => a.kms.send(new ListAliasesCommand({ Limit: 101 })));
    assert.equal(tooMany.name, "ValidationException");
  });

  test("CreateAlias needs kms:CreateAlias on the alias ARN in the caller's IAM policy", async () => {
    const { a, clientsFor } = inProcess({ config: KMS_CONFIG });
    const { KeyMetadata: key } = await a.kms.send(new CreateKeyCommand({}));
    const error = await rejection(() =>
      clientsFor(USERS.aReader).kms.send(new CreateAliasCommand({ AliasName: "alias/r", TargetKeyId: key!.KeyId })),
    );
    assert.equal(error.name, "AccessDeniedException");
    assert.equal(
      error.message,
      `User: arn:aws:iam::${A}:user/reader is not authorized to perform: kms:CreateAlias on resource: arn:aws:kms:${REGION}:${A}:alias/r because no identity-based policy allows the kms:CreateAlias action`,
    );
  });

  test("another account's alias is reachable only by its alias ARN", async () => {
    const { a, b } = inProcess();
    const { KeyMetadata: key } = await a.kms.send(new CreateKeyCommand({}));
    await a.kms.send(new CreateAliasCommand({ AliasName: "alias/shared", TargetKeyId: key!.KeyId }));
    const byName = await rejection(() => b.kms.send(new DescribeKeyCommand({ KeyId: "alias/shared" })));
    assert.equal(byName.message, `Alias arn:aws:kms:${REGION}:${B}:alias/shared is not found.`);
    // By ARN the key is found in A, and A's (default) key policy decides: B is not in it.
    const byArn = await rejection(() =>
      b.kms.send(new DescribeKeyCommand({ KeyId: `arn:aws:kms:${REGION}:${A}:alias/shared` })),
    );
    assert.equal(byArn.name, "AccessDeniedException");
  });
});
