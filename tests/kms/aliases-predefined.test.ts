import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { CreateAliasCommand, CreateKeyCommand, DescribeKeyCommand, ListAliasesCommand } from "@aws-sdk/client-kms";
import { A, REGION, inProcess } from "../helpers/harness.js";

const PREDEFINED = [
  "alias/aws/acm",
  "alias/aws/dynamodb",
  "alias/aws/ebs",
  "alias/aws/elasticfilesystem",
  "alias/aws/es",
  "alias/aws/glue",
  "alias/aws/kinesisvideo",
  "alias/aws/lambda",
  "alias/aws/rds",
  "alias/aws/redshift",
  "alias/aws/s3",
  "alias/aws/secretsmanager",
  "alias/aws/ssm",
  "alias/aws/xray",
];

describe("KMS predefined AWS aliases", () => {
  test("a new account lists AWS's predefined aliases, without TargetKeyId, sorted with its own", async () => {
    const { a, raw } = inProcess();
    const { KeyMetadata: key } = await a.kms.send(new CreateKeyCommand({}));
    await a.kms.send(new CreateAliasCommand({ AliasName: "alias/orders", TargetKeyId: key!.KeyId }));
    const { Aliases, Truncated } = await a.kms.send(new ListAliasesCommand({}));
    assert.equal(Truncated, false);
    assert.deepEqual(
      Aliases!.map((alias) => alias.AliasName),
      [...PREDEFINED, "alias/orders"],
    );
    for (const alias of Aliases!.filter((entry) => entry.AliasName!.startsWith("alias/aws/"))) {
      assert.deepEqual(alias, {
        AliasName: alias.AliasName,
        AliasArn: `arn:aws:kms:${REGION}:${A}:${alias.AliasName}`,
      });
    }
    // On the wire: the member is absent, not null.
    const wire = await raw({ service: "kms", target: "ListAliases", json: { Limit: 1 } });
    assert.equal(wire.status, 200);
    assert.deepEqual(JSON.parse(wire.body).Aliases, [
      { AliasName: "alias/aws/acm", AliasArn: `arn:aws:kms:${REGION}:${A}:alias/aws/acm` },
    ]);
  });

  test("once its AWS managed key exists, the alias is listed with it, unfiltered and by KeyId", async () => {
    const { a } = inProcess();
    const { KeyMetadata: rds } = await a.kms.send(new DescribeKeyCommand({ KeyId: "alias/aws/rds" }));
    const { Aliases } = await a.kms.send(new ListAliasesCommand({}));
    assert.equal(Aliases!.length, PREDEFINED.length);
    const entry = Aliases!.find((alias) => alias.AliasName === "alias/aws/rds")!;
    assert.equal(entry.TargetKeyId, rds!.KeyId);
    assert.ok(entry.CreationDate instanceof Date);
    assert.equal(Aliases!.filter((alias) => alias.TargetKeyId !== undefined).length, 1);

    const byKey = await a.kms.send(new ListAliasesCommand({ KeyId: rds!.Arn }));
    assert.deepEqual(
      byKey.Aliases!.map((alias) => [alias.AliasName, alias.TargetKeyId]),
      [["alias/aws/rds", rds!.KeyId]],
    );
    const { KeyMetadata: own } = await a.kms.send(new CreateKeyCommand({}));
    assert.deepEqual((await a.kms.send(new ListAliasesCommand({ KeyId: own!.KeyId }))).Aliases, []);
  });

  test("the predefined aliases page like any other", async () => {
    const { a } = inProcess();
    const first = await a.kms.send(new ListAliasesCommand({ Limit: 10 }));
    assert.equal(first.Aliases!.length, 10);
    assert.equal(first.Truncated, true);
    const rest = await a.kms.send(new ListAliasesCommand({ Limit: 10, Marker: first.NextMarker }));
    assert.deepEqual(
      [...first.Aliases!, ...rest.Aliases!].map((alias) => alias.AliasName),
      PREDEFINED,
    );
    assert.equal(rest.Truncated, false);
  });
});
