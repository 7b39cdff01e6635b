import { ensureAwsManagedKey, isPredefinedAwsAlias } from "./aws-managed.js";
import type { KmsCall } from "./env.js";
import { kmsFault, KmsMessages } from "./errors.js";
import { aliasArn, keyArn, parseKeyReference } from "./identifiers.js";
import { aliasTable, findKey, type KeyRecord } from "./records.js";

/**
 * Which forms a `KeyId` parameter accepts: "any" (key id, key ARN, alias name, alias ARN: DescribeKey and the
 * cryptographic operations) or "key" (key id or key ARN: management and grant operations) [M-KMS KeyId docs].
 */
export type KeyIdForms = "any" | "key";

export interface ResolvedKey {
  key: KeyRecord;
  /** The alias the request named, for kms:RequestAlias. */
  alias?: string;
}

/**
 * Finds the key a `KeyId` names. Ids and alias names are looked up in the caller's (account, region); another
 * account's key is reachable only by key ARN or alias ARN, and is looked up in the owner's store, whose policy then
 * decides [DESIGN §4]. A predefined AWS alias of the caller's own account creates its AWS-managed key on first use.
 */
export function resolveKey(call: KmsCall, value: string, forms: KeyIdForms): ResolvedKey {
  const { principal, region } = call;
  const reference = parseKeyReference(value);
  switch (reference.kind) {
    case "invalid-key-id":
      throw kmsFault("NotFoundException", KmsMessages.invalidKeyId(value));
    case "invalid-arn":
      throw kmsFault("NotFoundException", KmsMessages.invalidArn);
    case "key-id":
      return { key: keyIn(call, principal.accountId, region, reference.keyId) };
    case "key-arn":
      if (reference.region !== region) throw kmsFault("NotFoundException", KmsMessages.invalidArn);
      return { key: keyIn(call, reference.accountId, region, reference.keyId) };
    case "alias-name":
    case "alias-arn": {
      // *Decided* for the operations that take no alias: the error KMS gives CreateGrant an alias.
      if (forms === "key") throw kmsFault("InvalidArnException", KmsMessages.aliasesNotSupported);
      const accountId = reference.kind === "alias-arn" ? reference.accountId : principal.accountId;
      if (reference.kind === "alias-arn" && reference.region !== region) {
        throw kmsFault("NotFoundException", KmsMessages.invalidArn);
      }
      return { key: keyByAlias(call, accountId, reference.aliasName), alias: reference.aliasName };
    }
  }
}

function keyIn(call: KmsCall, accountId: string, region: string, keyId: string): KeyRecord {
  const key = findKey(call.env, accountId, region, keyId);
  if (!key) throw kmsFault("NotFoundException", KmsMessages.keyNotFound(keyArn(region, accountId, keyId)));
  return key;
}

function keyByAlias(call: KmsCall, accountId: string, aliasName: string): KeyRecord {
  const { env, region } = call;
  const alias = aliasTable(env, accountId, region).peek(aliasName);
  if (!alias || !findKey(env, accountId, region, alias.TargetKeyId)) {
    // Only the owning account's own use creates its AWS-managed key; another account can't conjure it.
    if (accountId === call.principal.accountId && isPredefinedAwsAlias(aliasName)) {
      return ensureAwsManagedKey(env, accountId, region, aliasName);
    }
    throw kmsFault("NotFoundException", KmsMessages.aliasNotFound(aliasArn(region, accountId, aliasName)));
  }
  return keyIn(call, accountId, region, alias.TargetKeyId);
}
