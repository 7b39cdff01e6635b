import { CreateAliasCommand, CreateKeyCommand } from "@aws-sdk/client-kms";
import { readKey } from "../discover.js";
import { MigrateError } from "../errors.js";
import type { Step } from "./context.js";

/**
 * --create-source-key: a customer-managed key of the source account to copy an `aws/rds` snapshot under (R3:
 * the AWS-managed key's policy can't be changed, K4). Created with KMS's default policy (the account's full
 * access), so the lockout check (K1) can't bite; the key-policy step then adds the target. Found again by alias.
 */
export const createSourceKey: Step = {
  id: "create-source-key",
  async run(ctx) {
    const alias = ctx.plan.names.createdKeyAlias!;
    const kms = ctx.clients.source.kms;
    const existing = await readKey(kms, alias);
    if (existing.Arn) {
      ctx.state.shareKeyArn = existing.Arn;
      return { changed: false, detail: `${alias} is ${existing.Arn}` };
    }
    if (existing.Error && existing.Error.code !== "NotFoundException") {
      throw new MigrateError(
        `can't look up ${alias}: ${existing.Error.code}: ${existing.Error.message}`,
        "let the source caller call kms:DescribeKey (see docs/migrate-permissions.md)",
      );
    }
    const created = await kms.send(
      new CreateKeyCommand({
        Description: `trident migrate: shares ${ctx.inputs.sourceCluster ?? ctx.inputs.sourceSnapshot} with ${ctx.found.target.Account}`,
      }),
    );
    const arn = created.KeyMetadata!.Arn!;
    ctx.journal.data.created.sourceKey = { arn, alias };
    ctx.journal.record("create-source-key", "created", arn);
    await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: created.KeyMetadata!.KeyId! }));
    ctx.state.shareKeyArn = arn;
    return { changed: true, detail: `created ${arn} as ${alias}` };
  },
};
