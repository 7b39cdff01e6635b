import { randomId, randomSecret } from "../../auth/ids.js";
import { IamErrors } from "./errors.js";
import type { AccessKeyRecord } from "./records.js";
import { userFor } from "./entities.js";
import type { IamState } from "./state.js";

/** "Access keys assigned to an IAM user: 2" [IAM and STS quotas]. */
export const MAX_ACCESS_KEYS_PER_USER = 2;

export function createAccessKey(
  iam: IamState,
  accountId: string,
  userName: string,
  /** A fixed key pair (config-seeded users); otherwise a fresh `AKIA…` pair. */
  fixed?: { AccessKeyId: string; SecretAccessKey: string },
): AccessKeyRecord {
  const user = userFor(iam, accountId, userName);
  if (user.accessKeys.length >= MAX_ACCESS_KEYS_PER_USER)
    throw IamErrors.limitExceeded(`Cannot exceed quota for AccessKeysPerUser: ${MAX_ACCESS_KEYS_PER_USER}`);
  const key: AccessKeyRecord = {
    AccessKeyId: fixed?.AccessKeyId ?? randomId("AKIA", 16),
    SecretAccessKey: fixed?.SecretAccessKey ?? randomSecret(),
    accountId,
    UserName: user.UserName,
    Status: "Active",
    CreateDate: iam.now(),
  };
  iam.accessKeys().put(key.AccessKeyId, key);
  iam.keyUse.delete(key.AccessKeyId); // a key made again (a config key after a reset) starts unused
  user.accessKeys.push(key.AccessKeyId);
  return key;
}

/** A key of the user (the caller's account only); AWS's words when there is none. */
export function accessKeyOf(iam: IamState, accountId: string, userName: string, id: string): AccessKeyRecord {
  const user = userFor(iam, accountId, userName);
  const key = user.accessKeys.includes(id) ? iam.accessKeys().get(id) : undefined;
  if (!key) throw IamErrors.noSuchEntity(`The Access Key with id ${id} cannot be found.`);
  return key;
}

export function deleteAccessKey(iam: IamState, accountId: string, userName: string, id: string): void {
  const key = accessKeyOf(iam, accountId, userName, id);
  const user = userFor(iam, accountId, key.UserName);
  user.accessKeys = user.accessKeys.filter((candidate) => candidate !== id);
  iam.accessKeys().delete(id);
}

/** A key of any account, by id alone (GetAccessKeyLastUsed takes no user name). */
export function accessKeyById(iam: IamState, accountId: string, id: string): AccessKeyRecord {
  const key = iam.accessKeys().peek(id);
  if (!key || key.accountId !== accountId)
    throw IamErrors.noSuchEntity(`The Access Key with id ${id} cannot be found.`);
  return key;
}

/**
 * Records a successful authentication with a key: when, for which service (its signing name) and region.
 * *Decided*: kept in memory beside the store, not in it, so that a read stays a read (no stored record changes
 * because a key was used, and a busy key costs no write per request); it does not survive a restart. AWS itself
 * updates it asynchronously, hours late at times [IAM API: GetAccessKeyLastUsed].
 */
export function recordKeyUse(
  iam: IamState,
  id: string,
  service: string,
  region: string,
  /** When, if the caller read the clock already (ms). */
  at?: number,
): void {
  if (!iam.accessKeys().has(id)) return;
  const date = at ?? iam.now();
  const use = iam.keyUse.get(id);
  // A key used again for the same service and region (the usual case) has its date moved on: no record per request.
  if (use !== undefined && use.service === service && use.region === region) use.date = date;
  else iam.keyUse.set(id, { date, service, region });
}
