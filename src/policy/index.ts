export * from "./types.js";
export {
  PolicyGrammarError,
  parsePolicy,
  parsePolicyValue,
  parseConditionOperator,
  requireConditionOperator,
  NO_PRINCIPAL_MESSAGE,
  INVALID_PRINCIPALS_MESSAGE,
  INVALID_JSON_MESSAGE,
  type ConditionOperator,
  type BaseConditionOperator,
} from "./parse.js";
export { validateResourcePolicyPrincipals, validateIdentityPolicy } from "./principals.js";
export { evaluatePolicy, baseContext, type EvaluateOptions } from "./evaluate.js";
export { wildcardMatch } from "./wildcard.js";
export {
  accessDeniedMessage,
  authorize,
  authorizeByIdentity,
  type AuthorizeInput,
  type AuthorizeResult,
  type DenyReason,
  type DenySource,
} from "./authorize.js";
