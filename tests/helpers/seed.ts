import type { TridentConfig, UserConfig } from "../../src/config/config.js";
import { DEFAULT_CREDENTIALS, SOURCE_ACCOUNT, TARGET_ACCOUNT } from "../../src/config/defaults.js";

/**
 * The seed's key policy and identities, written once for every suite: A's CMK keeps A's full access (K1) and
 * gives B the statements of R10; B's callers can be narrowed by identity policies of their own (R10's IAM half).
 */

const A = SOURCE_ACCOUNT;
const B = TARGET_ACCOUNT;

/** A key policy of these statements, as the JSON text KMS takes. */
export function policyOf(...statements: object[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/** The six key-use actions R10 gives the target account (and its callers' IAM policies must allow on A's key). */
export const KEY_USE_ACTIONS = [
  "kms:CreateGrant",
  "kms:Encrypt",
  "kms:Decrypt",
  "kms:ReEncrypt*",
  "kms:GenerateDataKey*",
  "kms:DescribeKey",
];

const rootOf = (account: string) => ({ AWS: `arn:aws:iam::${account}:root` });

/** A's full access (kept, so the lockout check passes: K1). */
export function ownerStatement(account = A) {
  return {
    Sid: "Enable IAM User Permissions",
    Effect: "Allow",
    Principal: rootOf(account),
    Action: "kms:*",
    Resource: "*",
  };
}

/** R10's first statement: the target may use the key. */
export function keyUseStatement(target = B, actions = KEY_USE_ACTIONS) {
  return { Sid: "Allow use of the key", Effect: "Allow", Principal: rootOf(target), Action: actions, Resource: "*" };
}

/** The key-use statement without kms:CreateGrant: the I-AST29 trap, where RDS can't take its grant for the copy. */
export function keyUseWithoutCreateGrant(target = B) {
  return keyUseStatement(
    target,
    KEY_USE_ACTIONS.filter((action) => action !== "kms:CreateGrant"),
  );
}

/** R10's second statement: grants, but only for AWS resources (`kms:GrantIsForAWSResource`). */
export function grantStatement(target = B) {
  return {
    Sid: "Allow attachment of persistent resources",
    Effect: "Allow",
    Principal: rootOf(target),
    Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
    Resource: "*",
    Condition: { Bool: { "kms:GrantIsForAWSResource": true } },
  };
}

/** The statements the seed gives B (R10), with B's account id as given (the seed prints it with 11 digits). */
export function targetStatements(target = B) {
  return [keyUseStatement(target), grantStatement(target)];
}

/** The seed's key policy after step 3: A keeps kms:*, the target gets the key-use and the grant statement. */
export function sharedKeyPolicy(target = B): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Id: "key-consolepolicy-3",
    Statement: [ownerStatement(), ...targetStatements(target)],
  });
}

/** The AWS docs' sample, pasted as it is: only the target's statements (it fails the lockout check, K1). */
export function docsSamplePolicy(): string {
  return policyOf(...targetStatements());
}

/** An identity-based policy, in the object form a config user's `policy` takes. */
export function identityPolicy(...statements: object[]) {
  return { Version: "2012-10-17", Statement: statements };
}

/** Every KMS key of A, as an IAM policy's Resource names them. */
export const KEYS_OF_A = `arn:aws:kms:*:${A}:key/*`;

/** `allowed` on everything, but an explicit deny of every KMS key of A: B's IAM half of R10 fails. */
export function denyKeysOfA(allowed = "*") {
  return identityPolicy(
    { Effect: "Allow", Action: allowed, Resource: "*" },
    { Effect: "Deny", Action: "kms:*", Resource: KEYS_OF_A },
  );
}

/** The demo admin of one of the seed's accounts, as a config user. */
export function adminUser(account: typeof A | typeof B): UserConfig {
  return { name: "admin", ...DEFAULT_CREDENTIALS[account] };
}

/**
 * The seed's accounts A and B with their admins, plus the given users of each account; an account other than A
 * or B is added with exactly the users given.
 */
export function seedConfig(users: Record<string, UserConfig[]> = {}): TridentConfig {
  const accounts: TridentConfig["accounts"] = {};
  for (const account of [A, B] as const) accounts[account] = { users: [adminUser(account), ...(users[account] ?? [])] };
  for (const [account, others] of Object.entries(users)) accounts[account] ??= { users: others };
  return { accounts };
}
