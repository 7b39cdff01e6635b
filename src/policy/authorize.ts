import type { Principal } from "../auth/principal.js";
import { evaluatePolicy, type EvaluateOptions } from "./evaluate.js";
import {
  isExternalPrincipal,
  type AuthzRequest,
  type ConditionContext,
  type Decision,
  type PolicyDocument,
} from "./types.js";

export interface AuthorizeInput extends EvaluateOptions {
  request: AuthzRequest;
  /** The account that owns the resource (the key's account, the role's account). */
  resourceAccountId: string;
  /** The authoritative resource policy: a KMS key policy or a role trust policy. */
  resourcePolicy: PolicyDocument;
  /** Something outside the policy (a KMS grant) covers the request: a direct allow on the resource side. */
  extraAllow?: boolean;
}

export type DenyReason =
  | "explicit-deny"
  | "no-resource-policy-allows"
  | "no-identity-policy-allows"
  | "no-session-policy-allows"
  | "no-boundary-allows";
export type DenySource = "identity" | "resource" | "session" | "boundary";

export type AuthorizeResult = { allowed: true } | { allowed: false; reason: DenyReason; denySource?: DenySource };

interface IdentityResult {
  decision: Decision;
  /** Where an explicit Deny stands, or, for NotApplicable, which of the caller's policies lacks the allow. */
  denySource?: "identity" | "session" | "boundary";
}

/**
 * Decides a request against a resource whose resource policy is authoritative (KMS keys, IAM role trust
 * policies), the way KMS does [aws-behaviour §6.5; KMS-EVAL; IAM-XEVAL]. Order of checks:
 * 1. An explicit Deny anywhere denies. The resource policy is reported first: the resource account's evaluation
 *    comes first, as for the no-allow reasons below (decided, §6.5).
 * 2. Same account: a direct allow (the caller, its role, or everyone; or `extraAllow`) suffices; an allow of the
 *    account only delegates, so the caller's identity policies must allow too. IAM alone is never enough
 *    [KMS-DEFPOL "Without this permission, IAM policies that allow access to the key are ineffective"].
 * 3. Cross account: the resource policy must allow (either way) and the caller's identity policies must allow
 *    ("Neither the key policy nor the IAM policy alone is sufficient" [KMS-XACCT]).
 * Identity-based allows are intersected with the session policy of a role session, when it has one.
 */
export function authorize(input: AuthorizeInput): AuthorizeResult {
  const { request, resourceAccountId, resourcePolicy, extraAllow, ...options } = input;
  const resource = evaluatePolicy(resourcePolicy, request, "resource", options);
  if (resource.decision === "Deny") return denied("explicit-deny", "resource");
  const identity = evaluateIdentity(request);
  if (identity.decision === "Deny") return denied("explicit-deny", identity.denySource);

  const direct = extraAllow === true || (resource.decision === "Allow" && resource.allowedVia === "principal");
  const delegated = resource.decision === "Allow" && resource.allowedVia === "account";
  const identityAllows = identity.decision === "Allow";
  const { principal } = request;

  // A service acting as itself, or an identity provider's user, has no account or identity policies: only a direct
  // allow reaches it.
  if (isExternalPrincipal(principal)) return direct ? ALLOWED : denied("no-resource-policy-allows");
  if (principal.accountId === resourceAccountId) {
    if (direct) return ALLOWED;
    if (delegated) return identityAllows ? ALLOWED : notAllowedByCaller(identity);
    return denied("no-resource-policy-allows");
  }
  if (!direct && !delegated) return denied("no-resource-policy-allows");
  return identityAllows ? ALLOWED : notAllowedByCaller(identity);
}

/**
 * The caller's own policies alone: its identity policies (`undefined` = full access, `[]` = nothing) and, for a
 * role session with one, its session policy. Refused either by an explicit Deny (and where it stands) or because
 * nothing allows the action; the difference shows in AWS's AccessDenied wording.
 */
export function authorizeByIdentity(
  principal: Principal,
  action: string,
  resource: string,
  context: ConditionContext,
): AuthorizeResult {
  const identity = evaluateIdentity({ principal, action, resource, context });
  if (identity.decision === "Allow") return ALLOWED;
  if (identity.decision === "Deny") return denied("explicit-deny", identity.denySource);
  return notAllowedByCaller(identity);
}

/**
 * Nothing of the caller's allows: its identity policies, or, when they do, its permissions boundary or session
 * policy. AWS names the one that lacks the allow: "because no session policy allows the s3:PutObject action",
 * "because no permissions boundary allows the …" [IAM-AD; real captures].
 */
function notAllowedByCaller(identity: IdentityResult): AuthorizeResult {
  if (identity.denySource === "session") return denied("no-session-policy-allows");
  if (identity.denySource === "boundary") return denied("no-boundary-allows");
  return denied("no-identity-policy-allows");
}

/**
 * The caller's identity policies, then the limits on them: a permissions boundary and a session policy each
 * "can only narrow" what the identity policies allow, so an action is allowed only where every one of them allows
 * it, and an explicit Deny in any of them denies [IAM-EVAL: permissions boundaries and session policies].
 */
function evaluateIdentity(request: AuthzRequest): IdentityResult {
  const { principal } = request;
  if (isExternalPrincipal(principal)) return { decision: "NotApplicable" };
  // A federated user "cannot call any IAM operations" nor "any STS operations except GetCallerIdentity" (which
  // asks no permission), whatever its policies allow [STS API Reference: GetFederationToken]. *Decided*: refused as
  // a deny in its session policy, since that is what the limit is: the deny also stops a role's trust policy that
  // names the federated user from letting it assume the role.
  if (principal.kind === "federated-user" && /^(iam|sts):/i.test(request.action)) {
    return { decision: "Deny", denySource: "session" };
  }
  const identity =
    principal.identityPolicies === undefined
      ? "Allow"
      : combine(principal.identityPolicies.map((policy) => evaluatePolicy(policy, request, "identity").decision));
  if (identity === "Deny") return { decision: "Deny", denySource: "identity" };
  let result: IdentityResult = { decision: identity };
  for (const [limit, source] of [
    [principal.permissionsBoundary, "boundary"],
    [principal.sessionPolicy, "session"],
  ] as const) {
    if (limit === undefined) continue;
    const decision = evaluatePolicy(limit, request, "identity").decision;
    if (decision === "Deny") return { decision: "Deny", denySource: source };
    if (decision !== "Allow" && result.decision === "Allow") result = { decision: "NotApplicable", denySource: source };
  }
  return result;
}

/** Several policies of one kind: any Deny wins, then any Allow [IAM-EVAL]. */
function combine(decisions: Decision[]): Decision {
  if (decisions.includes("Deny")) return "Deny";
  return decisions.includes("Allow") ? "Allow" : "NotApplicable";
}

const ALLOWED: AuthorizeResult = Object.freeze({ allowed: true });

function denied(reason: DenyReason, denySource?: DenySource): AuthorizeResult {
  return denySource ? { allowed: false, reason, denySource } : { allowed: false, reason };
}

const DENY_SOURCES: Record<DenySource, string> = {
  resource: "a resource-based",
  identity: "an identity-based",
  session: "a session",
  boundary: "a permissions boundary",
};

/** IAM's current wording of a refusal [aws-behaviour §6.5; IAM-AD]. */
export function accessDeniedMessage(
  principal: Principal,
  action: string,
  resource: string,
  result: Exclude<AuthorizeResult, { allowed: true }>,
): string {
  // Without a resource (CreateKey, ListKeys …) AWS leaves out "on resource".
  const head = `User: ${principal.arn} is not authorized to perform: ${action}${resource === "*" ? "" : ` on resource: ${resource}`}`;
  switch (result.reason) {
    case "explicit-deny":
      // "with an explicit deny in a permissions boundary" has no "policy" after it [IAM-AD].
      return `${head} with an explicit deny in ${DENY_SOURCES[result.denySource ?? "resource"]}${result.denySource === "boundary" ? "" : " policy"}`;
    case "no-resource-policy-allows":
      return `${head} because no resource-based policy allows the ${action} action`;
    case "no-identity-policy-allows":
      return `${head} because no identity-based policy allows the ${action} action`;
    case "no-session-policy-allows":
      return `${head} because no session policy allows the ${action} action`;
    case "no-boundary-allows":
      return `${head} because no permissions boundary allows the ${action} action`;
  }
}
