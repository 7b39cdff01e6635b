import type { GrantConstraints, GrantOperation } from "../../generated/kms.js";
import {
  accessDeniedMessage,
  authorize,
  authorizeByIdentity,
  type AuthorizeResult,
  type ConditionContext,
} from "../../policy/index.js";
import { viaServiceEndpoint, type KmsCall } from "./env.js";
import { accessDeniedException } from "./errors.js";
import { AUTHORIZING_GRANT_OPERATIONS, CONSTRAINED_GRANT_OPERATIONS } from "./grant-operations.js";
import { accountRootArn } from "./identifiers.js";
import { grantTable, type GrantRecord, type KeyRecord } from "./records.js";

/**
 * Who may do what with a key, decided the way KMS decides it [aws-behaviour §6.5; KMS-EVAL]: the key policy (a
 * direct allow, or an allow of the caller's account that delegates to the caller's IAM policies), grants, and
 * explicit denies anywhere winning. The policy engine in src/policy does the evaluation; this module supplies the
 * KMS request context and grants, and words the refusal as KMS does.
 */

/** What the decision needs from a key; the lockout check asks about a key (or a policy) that does not exist yet. */
export type KeySubject = Pick<KeyRecord, "KeyId" | "Arn" | "AccountId" | "Region" | "Policy"> &
  Partial<Pick<KeyRecord, "KeySpec" | "KeyUsage" | "Origin">>;

export interface KeyAction {
  /** `kms:Decrypt`, `kms:CreateGrant` … */
  action: string;
  encryptionContext?: Record<string, string>;
  /** Operation-specific condition keys (kms:GrantOperations, kms:BypassPolicyLockoutSafetyCheck …). */
  context?: ConditionContext;
  /** For kms:CreateGrant: the grant the request would create, which a grant's own CreateGrant must cover. */
  childGrant?: { Operations: readonly GrantOperation[]; Constraints?: GrantConstraints };
}

/**
 * The operations that work on a key of another account, by its ARN; all others fail even when the key policy
 * allows them [aws-behaviour §6.5; KMS-XACCT].
 */
const CROSS_ACCOUNT_ACTIONS = new Set([
  "kms:Encrypt",
  "kms:Decrypt",
  "kms:ReEncryptFrom",
  "kms:ReEncryptTo",
  "kms:GenerateDataKey",
  "kms:GenerateDataKeyWithoutPlaintext",
  "kms:CreateGrant",
  "kms:DescribeKey",
  "kms:GetKeyRotationStatus",
  "kms:ListGrants",
  "kms:RetireGrant",
  "kms:RevokeGrant",
]);

/** kms:GrantIsForAWSResource is defined for these three [KMS-COND]. */
const GRANT_MANAGEMENT_ACTIONS = new Set(["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"]);

/** As sets, for the per-call lookups in grantCoverage. */
const CONSTRAINED_OPERATIONS: ReadonlySet<GrantOperation> = new Set(CONSTRAINED_GRANT_OPERATIONS);
const GRANTABLE: ReadonlySet<string> = new Set(AUTHORIZING_GRANT_OPERATIONS);

/** Decides one action on one key for the call's principal; nothing is thrown. */
export function decideKeyAction(call: KmsCall, key: KeySubject, request: KeyAction): AuthorizeResult {
  const { principal } = call;
  // *Decided*: a management operation on another account's key is refused as if no key policy allowed it.
  if (key.AccountId !== principal.accountId && !CROSS_ACCOUNT_ACTIONS.has(request.action)) {
    return { allowed: false, reason: "no-resource-policy-allows" };
  }
  const context = conditionContext(call, key, request);
  const grant = grantCoverage(call, key, request);
  const result = authorize({
    request: { principal, action: request.action, resource: key.Arn, context },
    resourceAccountId: key.AccountId,
    resourcePolicy: key.Policy,
    extraAllow: grant === "principal",
  });
  // A grant to an account works like a key policy naming the account: it delegates to that account's IAM.
  if (!result.allowed && result.reason !== "explicit-deny" && grant === "account") {
    const identity = authorizeByIdentity(principal, request.action, key.Arn, context);
    if (identity.allowed || identity.reason === "explicit-deny") return identity;
  }
  return result;
}

/** As decideKeyAction, throwing AccessDeniedException in KMS's words when refused. */
export function authorizeKeyAction(call: KmsCall, key: KeySubject, request: KeyAction): void {
  const result = decideKeyAction(call, key, request);
  if (!result.allowed)
    throw accessDeniedException(accessDeniedMessage(call.principal, request.action, key.Arn, result));
}

/**
 * Operations with no key (CreateKey, ListKeys, GenerateRandom …) and the alias side of alias operations are
 * decided by the caller's IAM policies alone [aws-behaviour §6.9].
 */
export function authorizeIdentityAction(call: KmsCall, action: string, resource = "*"): void {
  const context: ConditionContext = { "kms:CallerAccount": call.principal.accountId };
  if (call.viaService) context["kms:ViaService"] = viaServiceEndpoint(call.viaService, call.region);
  const result = authorizeByIdentity(call.principal, action, resource, context);
  if (result.allowed) return;
  throw accessDeniedException(accessDeniedMessage(call.principal, action, resource, result));
}

/**
 * The KMS condition keys of a request [KMS-COND]. kms:KeyOrigin, kms:KeySpec and kms:KeyUsage are "the … property of
 * the KMS key that is created by or used in the operation" (a record without them is a symmetric key of AWS_KMS
 * origin). kms:ViaService is present only when a service calls on the caller's behalf; kms:GrantIsForAWSResource is
 * true only then (a direct CreateGrant has it false).
 */
function conditionContext(call: KmsCall, key: KeySubject, request: KeyAction): ConditionContext {
  const context: ConditionContext = {
    "kms:CallerAccount": call.principal.accountId,
    "kms:KeyOrigin": key.Origin ?? "AWS_KMS",
    "kms:KeySpec": key.KeySpec ?? "SYMMETRIC_DEFAULT",
    "kms:KeyUsage": key.KeyUsage ?? "ENCRYPT_DECRYPT",
  };
  if (call.viaService) context["kms:ViaService"] = viaServiceEndpoint(call.viaService, call.region);
  if (GRANT_MANAGEMENT_ACTIONS.has(request.action))
    context["kms:GrantIsForAWSResource"] = call.viaService !== undefined;
  if (request.encryptionContext) {
    context["kms:EncryptionContextKeys"] = Object.keys(request.encryptionContext);
    for (const [key, value] of Object.entries(request.encryptionContext))
      context[`kms:EncryptionContext:${key}`] = value;
  }
  return Object.assign(context, request.context); // the operation's keys win, without another copy
}

/**
 * Whether a grant on the key covers the request: "principal" when it names the caller (its user or role ARN, or
 * its session), "account" when it names the caller's account [KMS-GRANTS].
 */
function grantCoverage(call: KmsCall, key: KeySubject, request: KeyAction): "principal" | "account" | undefined {
  const operation = request.action.slice("kms:".length) as GrantOperation;
  if (!GRANTABLE.has(operation)) return undefined;
  const table = grantTable(call.env, key.AccountId, key.Region);
  if (table.size === 0) return undefined; // most keys' accounts hold no grant: no copy of the rows per request
  const { principal } = call;
  const root = accountRootArn(principal.accountId);
  let coverage: "account" | undefined;
  for (const grant of table.peekValues()) {
    if (grant.KeyId !== key.KeyId || !grantAllows(grant, operation, request)) continue;
    const grantee = grant.GranteePrincipal;
    if (grantee === principal.arn || (principal.roleArn !== undefined && grantee === principal.roleArn)) {
      return "principal";
    }
    if (grantee === root) coverage = "account";
  }
  return coverage;
}

/**
 * A grant allows its operations, within its constraints [KMS-GRANTS]: the encryption context of a constrained
 * operation must satisfy them, and CreateGrant only creates a grant that is equally or more restrictive (a subset
 * of the operations, constraints at least as strict) [KMS developer guide, "Granting CreateGrant permission"].
 */
function grantAllows(grant: GrantRecord, operation: GrantOperation, request: KeyAction): boolean {
  if (!grant.Operations.includes(operation)) return false;
  if (CONSTRAINED_OPERATIONS.has(operation)) return constraintsHold(grant.Constraints, request.encryptionContext ?? {});
  if (operation === "CreateGrant" && request.childGrant) {
    const { Operations, Constraints } = request.childGrant;
    return Operations.every((op) => grant.Operations.includes(op)) && atLeastAsStrict(Constraints, grant.Constraints);
  }
  return true;
}

/** EncryptionContextEquals: exactly this context; EncryptionContextSubset: at least these pairs [KMS-GRANTS]. */
function constraintsHold(
  constraints: GrantConstraints | undefined,
  encryptionContext: Record<string, string>,
): boolean {
  const { EncryptionContextEquals: equals, EncryptionContextSubset: subset } = constraints ?? {};
  if (equals) {
    if (Object.keys(equals).length !== Object.keys(encryptionContext).length) return false;
    if (!includesPairs(encryptionContext, equals)) return false;
  }
  return subset === undefined || includesPairs(encryptionContext, subset);
}

/**
 * Whether every context the child's constraints let through also passes the parent's: a child
 * EncryptionContextEquals lets one context through, which the parent must accept; a child subset (or none) lets
 * through any context that includes it, which only a parent subset it includes can accept.
 */
function atLeastAsStrict(child: GrantConstraints | undefined, parent: GrantConstraints | undefined): boolean {
  const { EncryptionContextEquals: parentEquals, EncryptionContextSubset: parentSubset } = parent ?? {};
  if (parentEquals === undefined && parentSubset === undefined) return true;
  const { EncryptionContextEquals: childEquals, EncryptionContextSubset: childSubset } = child ?? {};
  if (childEquals) return constraintsHold(parent, childEquals);
  return parentEquals === undefined && includesPairs(childSubset ?? {}, parentSubset ?? {});
}

function includesPairs(map: Record<string, string>, pairs: Record<string, string>): boolean {
  return Object.entries(pairs).every(([k, v]) => map[k] === v);
}
