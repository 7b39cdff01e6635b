import { INVALID_PRINCIPALS_MESSAGE, NO_PRINCIPAL_MESSAGE, PolicyGrammarError } from "./parse.js";
import type { PolicyDocument, PolicyPrincipal } from "./types.js";

/** IAM user, role and session names, and path segments [IAM: name and path quotas]. No wildcards. */
const NAME = "[\\w+=,.@-]+";
const PATH_AND_NAME = `(?:${NAME}/)*${NAME}`;
const ACCOUNT_ID = /^\d{12}$/;
const ACCOUNT_ROOT = /^arn:aws:iam::\d{12}:root$/;
const USER_OR_ROLE = new RegExp(`^arn:aws:iam::\\d{12}:(?:user|role)/${PATH_AND_NAME}$`);
const ASSUMED_ROLE_SESSION = new RegExp(`^arn:aws:sts::\\d{12}:assumed-role/${NAME}/${NAME}$`);
/** `rds.amazonaws.com`, `logs.eu-west-1.amazonaws.com` … */
const SERVICE = /^[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.amazonaws\.com(?:\.cn)?$/;
/** An identity provider: an IAM SAML/OIDC provider ARN or a host name such as `cognito-identity.amazonaws.com`. */
const FEDERATED = /^(?:arn:aws:iam::\d{12}:(?:saml-provider|oidc-provider)\/.+|[a-z0-9-]+(?:\.[a-z0-9-]+)+)$/i;

/**
 * The principal checks KMS makes on CreateKey/PutKeyPolicy [aws-behaviour §6.4 (2, 3)], also fit for role trust
 * policies. Statements are checked in order, so the first bad statement decides the message.
 *
 * `principalExists` is asked about IAM user and role ARNs only: "principals must exist and be visible to KMS".
 * Accounts and role sessions are never looked up.
 */
export function validateResourcePolicyPrincipals(
  policy: PolicyDocument,
  principalExists: (arn: string) => boolean,
): void {
  for (const statement of policy.Statement) {
    const principal = statement.Principal ?? statement.NotPrincipal;
    if (principal === undefined) throw new PolicyGrammarError(NO_PRINCIPAL_MESSAGE);
    if (!isValidPrincipal(principal, principalExists)) throw new PolicyGrammarError(INVALID_PRINCIPALS_MESSAGE);
  }
}

/** Identity policies (and STS session policies) name no principal: the identity they are attached to is it [IAM]. */
export function validateIdentityPolicy(policy: PolicyDocument): void {
  if (policy.Statement.some((statement) => statement.Principal ?? statement.NotPrincipal)) {
    throw new PolicyGrammarError("Policy document should not specify a principal.");
  }
}

function isValidPrincipal(principal: PolicyPrincipal, principalExists: (arn: string) => boolean): boolean {
  if (principal === "*") return true;
  return (
    (principal.AWS ?? []).every((name) => isValidAwsPrincipal(name, principalExists)) &&
    (principal.Service ?? []).every((name) => SERVICE.test(name)) &&
    (principal.Federated ?? []).every((name) => FEDERATED.test(name))
  );
}

function isValidAwsPrincipal(name: string, principalExists: (arn: string) => boolean): boolean {
  if (name === "*" || ACCOUNT_ID.test(name) || ACCOUNT_ROOT.test(name) || ASSUMED_ROLE_SESSION.test(name)) return true;
  return USER_OR_ROLE.test(name) && principalExists(name);
}
