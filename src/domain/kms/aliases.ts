import type {
  AliasListEntry,
  CreateAliasRequest,
  DeleteAliasRequest,
  ListAliasesRequest,
  ListAliasesResponse,
  UpdateAliasRequest,
} from "../../generated/kms.js";
import { isReservedAliasName } from "./aws-managed.js";
import { authorizeIdentityAction, authorizeKeyAction } from "./access.js";
import type { KmsCall } from "./env.js";
import { kmsFault, KmsMessages, notAuthorizedException, validationException } from "./errors.js";
import { aliasArn } from "./identifiers.js";
import { requireNotPendingDeletion } from "./key-states.js";
import { paginate, PAGE_LIMITS } from "./pagination.js";
import { aliasTable, liveKeys, type AliasRecord } from "./records.js";
import { resolveKey } from "./resolve.js";

/** "Aliases per KMS key: 50" [aws-behaviour §6.1]. */
const MAX_ALIASES_PER_KEY = 50;

/**
 * The name rules [aws-behaviour §6.9]: the `alias/` prefix (ValidationException, text seen from KMS [I-ACK1878]),
 * something after it, and not `alias/aws/…`, which is AWS's (*decided*: NotAuthorizedException, as moto answers).
 */
function checkCustomerAliasName(aliasName: string): void {
  if (!aliasName.startsWith("alias/")) {
    throw validationException(
      'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html',
    );
  }
  if (aliasName === "alias/")
    throw kmsFault("InvalidAliasNameException", 'Alias name must have a name after the prefix "alias/".');
  if (isReservedAliasName(aliasName)) {
    throw notAuthorizedException(
      `${aliasName}: alias names beginning with alias/aws/ are reserved for AWS managed keys.`,
    );
  }
}

/**
 * CreateAlias needs kms:CreateAlias on the alias (IAM) and on the key (key policy) [aws-behaviour §6.9]; the key
 * is the caller's own, by key id or key ARN, and not pending deletion [KMS-STATE].
 */
export function createAlias(call: KmsCall, input: CreateAliasRequest): void {
  checkCustomerAliasName(input.AliasName);
  const arn = aliasArn(call.region, call.principal.accountId, input.AliasName);
  authorizeIdentityAction(call, "kms:CreateAlias", arn);
  const { key } = resolveKey(call, input.TargetKeyId, "key");
  authorizeKeyAction(call, key, { action: "kms:CreateAlias" });
  requireNotPendingDeletion(key);
  const aliases = aliasTable(call.env, call.principal.accountId, call.region);
  if (aliases.has(input.AliasName)) {
    throw kmsFault("AlreadyExistsException", `An alias with the name ${arn} already exists`);
  }
  if (aliases.values().filter((alias) => alias.TargetKeyId === key.KeyId).length >= MAX_ALIASES_PER_KEY) {
    throw kmsFault("LimitExceededException", `The KMS key ${key.Arn} already has ${MAX_ALIASES_PER_KEY} aliases.`);
  }
  const now = call.env.clock.now().getTime();
  aliases.put(input.AliasName, {
    AliasName: input.AliasName,
    AliasArn: arn,
    TargetKeyId: key.KeyId,
    CreationDate: now,
    LastUpdatedDate: now,
  });
}

/**
 * UpdateAlias: kms:UpdateAlias on the alias (IAM) and on both keys (key policies). The current key may be pending
 * deletion; the new one may not [aws-behaviour §6.8].
 */
export function updateAlias(call: KmsCall, input: UpdateAliasRequest): void {
  checkCustomerAliasName(input.AliasName);
  const alias = existingAlias(call, input.AliasName, "kms:UpdateAlias");
  const { key: current } = resolveKey(call, alias.TargetKeyId, "key");
  authorizeKeyAction(call, current, { action: "kms:UpdateAlias" });
  const { key: target } = resolveKey(call, input.TargetKeyId, "key");
  authorizeKeyAction(call, target, { action: "kms:UpdateAlias" });
  requireNotPendingDeletion(target);
  aliasTable(call.env, call.principal.accountId, call.region).put(alias.AliasName, {
    ...alias,
    TargetKeyId: target.KeyId,
    LastUpdatedDate: call.env.clock.now().getTime(),
  });
}

/** DeleteAlias: kms:DeleteAlias on the alias (IAM) and on its key (key policy), whatever the key's state. */
export function deleteAlias(call: KmsCall, input: DeleteAliasRequest): void {
  checkCustomerAliasName(input.AliasName);
  const alias = existingAlias(call, input.AliasName, "kms:DeleteAlias");
  const { key } = resolveKey(call, alias.TargetKeyId, "key");
  authorizeKeyAction(call, key, { action: "kms:DeleteAlias" });
  aliasTable(call.env, call.principal.accountId, call.region).delete(alias.AliasName);
}

function existingAlias(call: KmsCall, aliasName: string, action: string): AliasRecord {
  const arn = aliasArn(call.region, call.principal.accountId, aliasName);
  authorizeIdentityAction(call, action, arn);
  const alias = aliasTable(call.env, call.principal.accountId, call.region).get(aliasName);
  if (!alias) throw kmsFault("NotFoundException", KmsMessages.aliasNotFound(arn));
  return alias;
}

/**
 * The predefined AWS aliases every account and Region lists, as AWS lists them before their AWS managed key exists
 * [M-KMS ListAliases: "The response might also include aliases that have no TargetKeyId field. These are predefined
 * aliases that AWS has created but has not yet associated with a KMS key"]. The names are those a new account lists
 * (as moto and LocalStack reproduce them from captures). Once a key exists behind one (aws-managed.ts), the stored
 * alias is listed instead.
 */
export const PREDEFINED_AWS_ALIASES = [
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
] as const;

/**
 * The caller's aliases in the region, by name, with the predefined AWS aliases not yet associated with a key (no
 * TargetKeyId and, *decided*, no dates); with KeyId, only the aliases of that key.
 */
export function listAliases(call: KmsCall, input: ListAliasesRequest): ListAliasesResponse {
  authorizeIdentityAction(call, "kms:ListAliases");
  const { accountId } = call.principal;
  liveKeys(call.env, accountId, call.region); // purges keys past their deletion date, and their aliases
  const stored = aliasTable(call.env, accountId, call.region).values();
  let aliases: AliasListEntry[] = stored.map((alias) => ({
    AliasName: alias.AliasName,
    AliasArn: alias.AliasArn,
    TargetKeyId: alias.TargetKeyId,
    CreationDate: new Date(alias.CreationDate),
    LastUpdatedDate: new Date(alias.LastUpdatedDate),
  }));
  if (input.KeyId !== undefined) {
    const { key } = resolveKey(call, input.KeyId, "key");
    aliases = aliases.filter((alias) => key.AccountId === accountId && alias.TargetKeyId === key.KeyId);
  } else {
    const names = new Set(stored.map((alias) => alias.AliasName));
    for (const name of PREDEFINED_AWS_ALIASES) {
      if (!names.has(name)) aliases.push({ AliasName: name, AliasArn: aliasArn(call.region, accountId, name) });
    }
  }
  const page = paginate(
    aliases,
    (alias) => alias.AliasName!,
    input,
    PAGE_LIMITS.ListAliases,
    `${accountId}:${call.region}`,
  );
  return { Aliases: page.items, NextMarker: page.NextMarker, Truncated: page.Truncated };
}
