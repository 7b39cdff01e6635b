import type { Principal } from "../../src/auth/principal.js";
import { parsePolicyValue } from "../../src/policy/parse.js";
import type { AuthzRequest, ConditionContext, PolicyDocument, RequestPrincipal } from "../../src/policy/types.js";
import { grantStatement, keyUseWithoutCreateGrant, ownerStatement } from "../helpers/seed.js";

export const A = "111111111111";
export const B = "222222222222";
export const KEY_ARN = `arn:aws:kms:us-east-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

export function user(account: string, name: string, identityPolicies?: PolicyDocument[]): Principal {
  return {
    accountId: account,
    arn: `arn:aws:iam::${account}:user/${name}`,
    userId: `AIDA${name.toUpperCase()}`,
    kind: "user",
    ...(identityPolicies ? { identityPolicies } : {}),
  };
}

export function session(
  account: string,
  role: string,
  name: string,
  extra: Pick<Principal, "identityPolicies" | "sessionPolicy"> = {},
): Principal {
  return {
    accountId: account,
    arn: `arn:aws:sts::${account}:assumed-role/${role}/${name}`,
    userId: `AROA${role.toUpperCase()}:${name}`,
    kind: "assumed-role",
    roleArn: `arn:aws:iam::${account}:role/${role}`,
    ...extra,
  };
}

export function root(account: string): Principal {
  return { accountId: account, arn: `arn:aws:iam::${account}:root`, userId: account, kind: "root" };
}

export function request(
  principal: RequestPrincipal,
  action: string,
  context: ConditionContext = {},
  resource = KEY_ARN,
): AuthzRequest {
  return { principal, action, resource, context };
}

/** A policy from statements written as in JSON, through the real parser. */
export function policy(...statements: Record<string, unknown>[]): PolicyDocument {
  return parsePolicyValue({ Version: "2012-10-17", Statement: statements });
}

/** An identity policy allowing `actions` on `resources`. */
export function allowPolicy(actions: string | string[], resources: string | string[] = "*"): PolicyDocument {
  return policy({ Effect: "Allow", Action: actions, Resource: resources });
}

/**
 * The seed's key policy on A's key in the variant where B's kms:CreateGrant comes only through the grant statement:
 * A keeps kms:*, B may use the key, and manage grants only for AWS resources (a direct CreateGrant is refused).
 */
export const SEED_KEY_POLICY: PolicyDocument = parsePolicyValue({
  Version: "2012-10-17",
  Id: "key-seed",
  Statement: [ownerStatement(A), keyUseWithoutCreateGrant(B), grantStatement(B)],
});
