import type {
  GetKeyPolicyRequest,
  GetKeyPolicyResponse,
  ListKeyPoliciesRequest,
  ListKeyPoliciesResponse,
  PutKeyPolicyRequest,
} from "../../generated/kms.js";
import { authorizeKeyAction } from "./access.js";
import type { KmsCall } from "./env.js";
import { kmsFault } from "./errors.js";
import { checkLockoutSafety, parseKeyPolicy, POLICY_NAME } from "./key-policy.js";
import { paginate, PAGE_LIMITS } from "./pagination.js";
import { saveKey } from "./records.js";
import { resolveKey } from "./resolve.js";

/** *Decided*: a PolicyName other than `default` names no policy. */
function requireDefaultPolicyName(name: string | undefined): void {
  if (name !== undefined && name !== POLICY_NAME) {
    throw kmsFault(
      "NotFoundException",
      `Policy '${name}' does not exist; the only key policy name is '${POLICY_NAME}'.`,
    );
  }
}

/** The policy as stored: the default one pretty-printed as AWS prints it, a put one exactly as it was put. */
export function getKeyPolicy(call: KmsCall, input: GetKeyPolicyRequest): GetKeyPolicyResponse {
  requireDefaultPolicyName(input.PolicyName);
  const { key } = resolveKey(call, input.KeyId, "key");
  authorizeKeyAction(call, key, { action: "kms:GetKeyPolicy" });
  return { Policy: key.PolicyText, PolicyName: POLICY_NAME };
}

/**
 * PutKeyPolicy. Order of checks: the current policy must allow the caller kms:PutKeyPolicy (an AWS-managed key's
 * allows no one, so its policy can't be changed: K4); then the new policy's size, grammar and principals (K2, K3);
 * then, unless bypassed, the lockout check against the new policy (K1).
 */
export function putKeyPolicy(call: KmsCall, input: PutKeyPolicyRequest): void {
  requireDefaultPolicyName(input.PolicyName);
  const bypass = input.BypassPolicyLockoutSafetyCheck === true;
  const { key } = resolveKey(call, input.KeyId, "key");
  authorizeKeyAction(call, key, {
    action: "kms:PutKeyPolicy",
    context: { "kms:BypassPolicyLockoutSafetyCheck": bypass },
  });
  const policy = parseKeyPolicy(call, input.Policy);
  if (!bypass) checkLockoutSafety(call, key, policy);
  saveKey(call.env, { ...key, PolicyText: input.Policy, Policy: policy });
}

export function listKeyPolicies(call: KmsCall, input: ListKeyPoliciesRequest): ListKeyPoliciesResponse {
  const { key } = resolveKey(call, input.KeyId, "key");
  authorizeKeyAction(call, key, { action: "kms:ListKeyPolicies" });
  const page = paginate([POLICY_NAME], (name) => name, input, PAGE_LIMITS.ListKeyPolicies, key.Arn);
  return { PolicyNames: page.items, NextMarker: page.NextMarker, Truncated: page.Truncated };
}
