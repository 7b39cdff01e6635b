import type { Principal } from "../auth/principal.js";
import {
  PolicyGrammarError,
  authorize,
  evaluatePolicy,
  parsePolicy,
  validateResourcePolicyPrincipals,
  type ConditionContext,
  type PolicyDocument,
} from "../policy/index.js";
import type { CallerIdentity } from "./types.js";

/**
 * The source key's policy, as the migration changes it: find what the target account lacks (R10), add the two
 * documented statements without touching the others, show the change as a diff, check it locally the way KMS
 * will (K1–K3) before calling PutKeyPolicy, and take the statements out again on cleanup. Pure functions over
 * policy text; the policy engine of src/policy (pure as well) does the evaluating.
 */

/** Sids of the statements this tool adds; cleanup removes exactly these. */
export const USE_SID_PREFIX = "trident-migrate: allow use of the key by account ";
export const GRANTS_SID_PREFIX = "trident-migrate: allow grants for AWS resources by account ";

/** K3: "Key policy document size 32 KB (32,768 bytes), not adjustable" [aws-behaviour §6.1]. */
export const KEY_POLICY_MAX_BYTES = 32_768;

/**
 * What RDS does with the source key for the target when it copies a shared snapshot (R10, aws-behaviour §6.6):
 * each concrete action, the name the documented statements use for it, and which of the two statements allows
 * it: "use" (using the key) and "grants" (grant operations RDS makes on the caller's behalf, so evaluated with
 * `kms:GrantIsForAWSResource` true).
 */
const REQUIRED_ACTIONS: { action: string; shown: string; statements: ("use" | "grants")[] }[] = [
  { action: "kms:CreateGrant", shown: "kms:CreateGrant", statements: ["use", "grants"] },
  { action: "kms:Encrypt", shown: "kms:Encrypt", statements: ["use"] },
  { action: "kms:Decrypt", shown: "kms:Decrypt", statements: ["use"] },
  { action: "kms:ReEncryptFrom", shown: "kms:ReEncrypt*", statements: ["use"] },
  { action: "kms:ReEncryptTo", shown: "kms:ReEncrypt*", statements: ["use"] },
  { action: "kms:GenerateDataKey", shown: "kms:GenerateDataKey*", statements: ["use"] },
  { action: "kms:GenerateDataKeyWithoutPlaintext", shown: "kms:GenerateDataKey*", statements: ["use"] },
  { action: "kms:DescribeKey", shown: "kms:DescribeKey", statements: ["use"] },
  { action: "kms:ListGrants", shown: "kms:ListGrants", statements: ["grants"] },
  { action: "kms:RevokeGrant", shown: "kms:RevokeGrant", statements: ["grants"] },
];

function shownActions(statement?: "use" | "grants"): string[] {
  const allowed = REQUIRED_ACTIONS.filter((required) => !statement || required.statements.includes(statement));
  return [...new Set(allowed.map((required) => required.shown))];
}

/** The R10 actions as the documented statements name them. */
export const TARGET_ACTION_NAMES = shownActions();

/** The two statements of the Neptune user guide's cross-account example (NEP-SHARE), for one target account. */
export function targetKeyStatements(partition: string, targetAccount: string): Record<string, unknown>[] {
  const principal = { AWS: `arn:${partition}:iam::${targetAccount}:root` };
  return [
    {
      Sid: `${USE_SID_PREFIX}${targetAccount}`,
      Effect: "Allow",
      Principal: principal,
      Action: shownActions("use"),
      Resource: "*",
    },
    {
      Sid: `${GRANTS_SID_PREFIX}${targetAccount}`,
      Effect: "Allow",
      Principal: principal,
      Action: shownActions("grants"),
      Resource: "*",
      Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
    },
  ];
}

/** The caller as the policy engine sees it, from GetCallerIdentity. IAM policies are unknown: assumed to allow. */
export function principalOf(identity: CallerIdentity): Principal {
  const { Account: accountId, Arn: arn, UserId: userId } = identity;
  if (/:root$/.test(arn)) return { accountId, arn, userId, kind: "root" };
  const session = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\//.exec(arn);
  if (session) {
    return {
      accountId,
      arn,
      userId,
      kind: "assumed-role",
      roleArn: `arn:${session[1]}:iam::${session[2]}:role/${session[3]}`,
    };
  }
  return { accountId, arn, userId, kind: "user" };
}

export interface TargetAccess {
  /** Actions (as the documented statement names them) the key policy does not allow the target. */
  missing: string[];
  /** An explicit Deny reaches the target: merging Allow statements can't fix that. */
  denied: string[];
}

/**
 * Which of the R10 permissions the key policy gives the target's caller, as RDS would use them on its behalf
 * (`kms:ViaService` rds, `kms:CallerAccount` the target). An allow of the target's account only delegates to its
 * IAM policies, which can't be read from here; docs/migrate-permissions.md lists what they must allow.
 */
export function targetAccess(policyText: string, keyArn: string, target: CallerIdentity, region: string): TargetAccess {
  const policy = parsePolicy(policyText);
  const principal = principalOf(target);
  const missing = new Set<string>();
  const denied = new Set<string>();
  for (const { action, shown, statements } of REQUIRED_ACTIONS) {
    const context: ConditionContext = {
      "kms:CallerAccount": target.Account,
      "kms:ViaService": `rds.${region}.amazonaws.com`,
      ...(statements.includes("grants") ? { "kms:GrantIsForAWSResource": "true" } : {}),
    };
    const { decision } = evaluatePolicy(policy, { principal, action, resource: keyArn, context }, "resource");
    if (decision === "Deny") denied.add(shown);
    else if (decision !== "Allow") missing.add(shown);
  }
  return { missing: [...missing], denied: [...denied] };
}

/** The policy as JSON (for statements we add and for diffs): two-space indentation, members in their order. */
export function prettyPolicy(policy: unknown): string {
  return JSON.stringify(policy, null, 2);
}

function parseRaw(policyText: string): { Statement: unknown[]; [key: string]: unknown } {
  const raw = JSON.parse(policyText) as Record<string, unknown>;
  const statements = Array.isArray(raw.Statement) ? raw.Statement : raw.Statement === undefined ? [] : [raw.Statement];
  return { ...raw, Statement: statements };
}

function isOurs(statement: unknown, targetAccount: string): boolean {
  const sid = (statement as { Sid?: unknown })?.Sid;
  return sid === `${USE_SID_PREFIX}${targetAccount}` || sid === `${GRANTS_SID_PREFIX}${targetAccount}`;
}

/**
 * The policy with the target's statements added at the end. Merge, never replace: every existing statement is
 * kept as it is; only an earlier copy of our own statements (same Sid) is replaced.
 */
export function mergeTargetStatements(policyText: string, partition: string, targetAccount: string): string {
  const raw = parseRaw(policyText);
  const kept = raw.Statement.filter((statement) => !isOurs(statement, targetAccount));
  return prettyPolicy({ ...raw, Statement: [...kept, ...targetKeyStatements(partition, targetAccount)] });
}

/** The policy without this tool's statements for the target; `undefined` when there were none. */
export function removeTargetStatements(policyText: string, targetAccount: string): string | undefined {
  const raw = parseRaw(policyText);
  const kept = raw.Statement.filter((statement) => !isOurs(statement, targetAccount));
  if (kept.length === raw.Statement.length) return undefined;
  return prettyPolicy({ ...raw, Statement: kept });
}

/** Same JSON document, whatever the formatting. */
export function samePolicy(a: string, b: string): boolean {
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return a === b;
  }
}

export interface PolicyProblem {
  rule: "K1" | "K2" | "K3";
  message: string;
}

/**
 * The checks KMS makes on PutKeyPolicy, made here first so a bad policy never reaches AWS [aws-behaviour §6.4]:
 * size (K3), grammar and principals (K2), then the lockout check (K1): the author must still be able to call
 * kms:PutKeyPolicy under the new policy. IAM ARNs can't be looked up from here, so only their form is checked;
 * the author's IAM policies are assumed to allow what the account delegates to them.
 */
export function validateKeyPolicy(policyText: string, keyArn: string, author: CallerIdentity): PolicyProblem[] {
  if (Buffer.byteLength(policyText, "utf8") > KEY_POLICY_MAX_BYTES) {
    return [{ rule: "K3", message: `the key policy is over ${KEY_POLICY_MAX_BYTES} bytes` }];
  }
  let policy: PolicyDocument;
  try {
    policy = parsePolicy(policyText);
    validateResourcePolicyPrincipals(policy, () => true);
  } catch (error) {
    if (error instanceof PolicyGrammarError) return [{ rule: "K2", message: error.message }];
    throw error;
  }
  const result = authorize({
    request: {
      principal: principalOf(author),
      action: "kms:PutKeyPolicy",
      resource: keyArn,
      context: { "kms:CallerAccount": author.Account },
    },
    resourceAccountId: author.Account,
    resourcePolicy: policy,
  });
  if (!result.allowed) {
    return [{ rule: "K1", message: "The new key policy will not allow you to update the key policy in the future." }];
  }
  return [];
}

/** Whether the author may change the key policy at all under the current policy (same check as K1). */
export function mayUpdatePolicy(policyText: string, keyArn: string, author: CallerIdentity): boolean {
  return validateKeyPolicy(policyText, keyArn, author).every((problem) => problem.rule !== "K1");
}

/**
 * A line diff (longest common subsequence) of two policies, both pretty-printed: unchanged lines start with
 * two spaces, removed ones with "- ", added ones with "+ ".
 */
export function policyDiff(before: string, after: string): string[] {
  const a = prettyOrSame(before).split("\n");
  const b = prettyOrSame(after).split("\n");
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const lines: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      lines.push(`  ${a[i++]}`);
      j++;
    } else if (j < b.length && (i === a.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      lines.push(`+ ${b[j++]}`);
    } else {
      lines.push(`- ${a[i++]}`);
    }
  }
  return lines;
}

function prettyOrSame(text: string): string {
  try {
    return prettyPolicy(JSON.parse(text));
  } catch {
    return text;
  }
}
