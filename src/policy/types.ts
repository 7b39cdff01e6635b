import type { Principal } from "../auth/principal.js";

/**
 * The IAM policy language, normalized: every element that AWS accepts as "a string or a list of strings" is a
 * list here, and `Statement` is always an array, so evaluation never has to ask which form it was given.
 */
export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: Statement[];
}

export type Effect = "Allow" | "Deny";

/** `"*"` (everyone) or a block of principal lists; `{"AWS": "*"}` stays as `{ AWS: ["*"] }`. */
export type PolicyPrincipal = "*" | PrincipalBlock;

export interface PrincipalBlock {
  AWS?: string[];
  Service?: string[];
  Federated?: string[];
}

/** `{ operator: { key: values } }`, e.g. `{ Bool: { "kms:GrantIsForAWSResource": ["true"] } }`. */
export type ConditionBlock = Record<string, Record<string, string[]>>;

export interface Statement {
  Sid?: string;
  Effect: Effect;
  Principal?: PolicyPrincipal;
  NotPrincipal?: PolicyPrincipal;
  Action?: string[];
  NotAction?: string[];
  Resource?: string[];
  NotResource?: string[];
  Condition?: ConditionBlock;
}

/** One request value of a condition key; `undefined` means the key is absent from the request. */
export type ConditionValue = string | string[] | boolean | number | undefined;

/** Request context keyed by condition-key name (`aws:PrincipalArn`, `kms:ViaService` …); names are case-insensitive. */
export type ConditionContext = Record<string, ConditionValue>;

/** An AWS service acting as itself (`{"Service": "rds.amazonaws.com"}` in a policy). */
export interface ServicePrincipal {
  service: string;
}

/**
 * An identity provider's user calling AssumeRoleWithWebIdentity or AssumeRoleWithSAML: a trust policy names it as
 * `{"Federated": "arn:aws:iam::A:oidc-provider/HOST"}` (or a SAML provider's ARN).
 */
export interface FederatedPrincipal {
  federated: string;
}

export type RequestPrincipal = Principal | ServicePrincipal | FederatedPrincipal;

export interface AuthzRequest {
  principal: RequestPrincipal;
  /** `service:Operation`, e.g. `kms:Decrypt`. */
  action: string;
  /** The ARN of the resource acted on. */
  resource: string;
  context: ConditionContext;
}

export type Decision = "Allow" | "Deny" | "NotApplicable";

/**
 * How a resource policy's Allow reached the caller: "principal" names the caller (or everyone) directly;
 * "account" names the caller's account, which only delegates to that account's IAM policies.
 */
export type AllowedVia = "principal" | "account";

export interface PolicyResult {
  decision: Decision;
  allowedVia?: AllowedVia;
}

export function isServicePrincipal(principal: RequestPrincipal): principal is ServicePrincipal {
  return "service" in principal;
}

export function isFederatedPrincipal(principal: RequestPrincipal): principal is FederatedPrincipal {
  return "federated" in principal;
}

/** A caller that is no AWS identity (a service, an identity provider's user): it has no account or policies. */
export function isExternalPrincipal(principal: RequestPrincipal): principal is ServicePrincipal | FederatedPrincipal {
  return isServicePrincipal(principal) || isFederatedPrincipal(principal);
}
