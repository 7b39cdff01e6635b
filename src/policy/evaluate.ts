import { BlockList, isIP } from "node:net";
import type { Principal } from "../auth/principal.js";
import { requireConditionOperator, type BaseConditionOperator, type ConditionOperator } from "./parse.js";
import {
  isFederatedPrincipal,
  isServicePrincipal,
  type AllowedVia,
  type AuthzRequest,
  type ConditionBlock,
  type ConditionContext,
  type ConditionValue,
  type PolicyDocument,
  type PolicyPrincipal,
  type PolicyResult,
  type RequestPrincipal,
  type Statement,
} from "./types.js";
import { compileWildcard, wildcardMatch } from "./wildcard.js";

export interface EvaluateOptions {
  /**
   * Whether a statement with neither Resource nor NotResource applies to the request's resource. Role trust
   * policies have no Resource element and apply to their role, so STS sets this. Elsewhere such a statement is
   * "ineffective" [KMS-POLOV], the default.
   */
  statementsWithoutResourceApply?: boolean;
}

/** Lower-cased condition key → request values; a key that is absent, `undefined` or an empty list is not here. */
type RequestValues = Map<string, string[]>;

/**
 * Evaluates one policy for one request. "Deny" when an applicable statement denies (an explicit deny beats any
 * allow [IAM-EVAL]); "Allow" when one allows; otherwise "NotApplicable". For a resource policy, `allowedVia` says
 * whether an Allow named the caller ("principal") or only its account ("account"); a direct one is preferred.
 *
 * The request context is laid over `baseContext(principal)`, so the global `aws:Principal*` keys are always set.
 */
export function evaluatePolicy(
  policy: PolicyDocument,
  request: AuthzRequest,
  kind: "identity" | "resource",
  options: EvaluateOptions = {},
): PolicyResult {
  // The request's condition values are indexed only when a statement asks for them (a condition or a variable).
  let values: RequestValues | undefined;
  const requestValuesOnce = () => (values ??= requestValues({ ...baseContext(request.principal), ...request.context }));
  const variablesEnabled = policy.Version === "2012-10-17"; // policy variables need this version [IAM: variables]
  const substitute = (text: string) => (variablesEnabled ? substituteVariables(text, requestValuesOnce()) : text);

  let allowedVia: AllowedVia | undefined;
  for (const statement of policy.Statement) {
    // An identity policy names no principal: it applies to the identity it is attached to [IAM].
    const via = kind === "resource" ? matchStatementPrincipal(statement, request.principal) : "principal";
    if (via === undefined) continue;
    const compiled = compiledStatement(statement, variablesEnabled);
    if (!compiled.action(request.action)) continue;
    if (!matchesResource(compiled, request.resource, substitute, options)) continue;
    if (statement.Condition && !conditionsHold(statement.Condition, requestValuesOnce(), substitute)) continue;
    if (statement.Effect === "Deny") return DENY;
    if (allowedVia !== "principal") allowedVia = via;
  }
  if (allowedVia === undefined) return NOT_APPLICABLE;
  return kind === "resource" ? { decision: "Allow", allowedVia } : ALLOW;
}

// The results that carry nothing else, made once: a decision is made for every request.
const DENY: PolicyResult = Object.freeze({ decision: "Deny" });
const NOT_APPLICABLE: PolicyResult = Object.freeze({ decision: "NotApplicable" });
const ALLOW: PolicyResult = Object.freeze({ decision: "Allow" });

/**
 * The global condition keys AWS sets from the caller [IAM: global condition context keys]. For a role session,
 * `aws:PrincipalArn` is the ROLE's ARN, not the session's; `aws:username` exists for IAM users only.
 */
export function baseContext(principal: RequestPrincipal): ConditionContext {
  if (isServicePrincipal(principal)) return { "aws:PrincipalServiceName": principal.service };
  // An identity provider's claims are the caller's context (`<provider>:sub` …), given by STS with the request.
  if (isFederatedPrincipal(principal)) return {};
  const context: ConditionContext = {
    "aws:PrincipalArn": principal.kind === "assumed-role" ? (principal.roleArn ?? principal.arn) : principal.arn,
    "aws:PrincipalAccount": principal.accountId,
    "aws:PrincipalType": PRINCIPAL_TYPES[principal.kind],
    "aws:userid": principal.userId,
  };
  if (principal.kind === "user") context["aws:username"] = principal.arn.slice(principal.arn.lastIndexOf("/") + 1);
  return context;
}

const PRINCIPAL_TYPES: Record<Principal["kind"], string> = {
  root: "Account",
  user: "User",
  "assumed-role": "AssumedRole",
  "federated-user": "FederatedUser",
  anonymous: "Anonymous",
};

// ── Principal ────────────────────────────────────────────────────────────────────────────────────────────────

/** How a resource-policy statement reaches the caller, or `undefined` when it does not apply to the caller. */
function matchStatementPrincipal(statement: Statement, principal: RequestPrincipal): AllowedVia | undefined {
  if (statement.Principal) return matchPrincipal(statement.Principal, principal);
  // NotPrincipal: everyone the list does not exclude; that is a direct naming, not a delegation to an account.
  if (statement.NotPrincipal) return excludes(statement.NotPrincipal, principal) ? undefined : "principal";
  return undefined; // a resource-policy statement without a principal applies to no one (KMS refuses it anyway)
}

function matchPrincipal(policyPrincipal: PolicyPrincipal, principal: RequestPrincipal): AllowedVia | undefined {
  // "*" and {"AWS": "*"} are equivalent: everyone [IAM-PRIN].
  if (policyPrincipal === "*" || policyPrincipal.AWS?.includes("*")) return "principal";
  if (isServicePrincipal(principal)) {
    return policyPrincipal.Service?.includes(principal.service) ? "principal" : undefined;
  }
  if (isFederatedPrincipal(principal)) {
    return policyPrincipal.Federated?.includes(principal.federated) ? "principal" : undefined;
  }
  const named = new Set((policyPrincipal.AWS ?? []).map(canonicalAwsPrincipal));
  const { account, direct } = callerIdentities(principal);
  if (direct.some((arn) => named.has(arn))) return "principal";
  // The account principal "does not limit permissions to only the root user": it delegates to IAM [IAM-PRIN].
  return named.has(account) ? "account" : undefined;
}

/**
 * NotPrincipal excludes a caller only when EVERY identity it acts as is listed: AWS documents that a Deny with
 * NotPrincipal naming a user must also name the user's account, and for a role session the session, the role
 * and the account [IAM: NotPrincipal].
 */
function excludes(notPrincipal: PolicyPrincipal, principal: RequestPrincipal): boolean {
  if (notPrincipal === "*" || notPrincipal.AWS?.includes("*")) return true;
  if (isServicePrincipal(principal)) return notPrincipal.Service?.includes(principal.service) ?? false;
  if (isFederatedPrincipal(principal)) return notPrincipal.Federated?.includes(principal.federated) ?? false;
  const named = new Set((notPrincipal.AWS ?? []).map(canonicalAwsPrincipal));
  const { account, direct } = callerIdentities(principal);
  return [account, ...direct].every((arn) => named.has(arn));
}

/** The account principal ARN, and the more specific ARNs (user; or role and session) the caller also acts as. */
function callerIdentities(principal: Principal): { account: string; direct: string[] } {
  const account = `arn:aws:iam::${principal.accountId}:root`;
  if (principal.kind === "root") return { account, direct: [] };
  if (principal.kind === "assumed-role" && principal.roleArn)
    return { account, direct: [principal.roleArn, principal.arn] };
  return { account, direct: [principal.arn] };
}

/** `123456789012` ≡ `arn:aws:iam::123456789012:root` [IAM-PRIN]. */
function canonicalAwsPrincipal(name: string): string {
  return /^\d{12}$/.test(name) ? `arn:aws:iam::${name}:root` : name;
}

// ── Action and Resource ──────────────────────────────────────────────────────────────────────────────────────

/**
 * A statement's Action and Resource patterns as matchers, compiled once per statement: policies are values, parsed
 * once per document version (src/domain/iam/documents.ts) and never changed in place, so a statement's matchers
 * hold for as long as it does. Rebuilt if its lists are replaced.
 */
interface CompiledStatement {
  source: Pick<Statement, "Action" | "NotAction" | "Resource" | "NotResource">;
  variablesEnabled: boolean;
  action: (action: string) => boolean;
  /** Resource, or NotResource (`negated`); absent when the statement has neither. */
  resource?: { negated: boolean; patterns: ResourcePattern[] };
}

/** A pattern without variables is compiled; one with `${…}` is substituted per request first. */
type ResourcePattern = { matches: (resource: string) => boolean } | { withVariables: string };

const compiledStatements = new WeakMap<Statement, CompiledStatement>();

function compiledStatement(statement: Statement, variablesEnabled: boolean): CompiledStatement {
  const known = compiledStatements.get(statement);
  if (
    known &&
    known.variablesEnabled === variablesEnabled &&
    known.source.Action === statement.Action &&
    known.source.NotAction === statement.NotAction &&
    known.source.Resource === statement.Resource &&
    known.source.NotResource === statement.NotResource
  )
    return known;
  const { Action, NotAction, Resource, NotResource } = statement;
  const compiled: CompiledStatement = {
    source: { Action, NotAction, Resource, NotResource },
    variablesEnabled,
    action: actionMatcher(statement),
  };
  const resources = Resource ?? NotResource;
  if (resources) {
    compiled.resource = {
      negated: !Resource,
      patterns: resources.map((pattern) =>
        variablesEnabled && pattern.includes("${")
          ? { withVariables: pattern }
          : { matches: compileWildcard(pattern, false) },
      ),
    };
  }
  compiledStatements.set(statement, compiled);
  return compiled;
}

/** Action names are case-insensitive; `*` and `?` may appear anywhere [IAM-ACT]. */
function actionMatcher(statement: Statement): (action: string) => boolean {
  const any = (patterns: string[]) => {
    const matchers = patterns.map((pattern) => compileWildcard(pattern, true));
    return (action: string) => matchers.some((matches) => matches(action));
  };
  if (statement.Action) return any(statement.Action);
  const excluded = any(statement.NotAction ?? []);
  return (action) => !excluded(action);
}

/** Resource ARNs are case-sensitive with `*` and `?` wildcards; policy variables are substituted first. */
function matchesResource(
  statement: CompiledStatement,
  resource: string,
  substitute: (text: string) => string | undefined,
  options: EvaluateOptions,
): boolean {
  if (!statement.resource) return options.statementsWithoutResourceApply ?? false;
  const matched = statement.resource.patterns.some((pattern) => {
    if ("matches" in pattern) return pattern.matches(resource);
    const resolved = substitute(pattern.withVariables);
    return resolved !== undefined && wildcardMatch(resolved, resource, false);
  });
  return matched !== statement.resource.negated;
}

// ── Conditions ───────────────────────────────────────────────────────────────────────────────────────────────

/** Condition keys are case-insensitive [IAM-COND]: index the request's values by lower-cased name. */
function requestValues(context: ConditionContext): RequestValues {
  const values: RequestValues = new Map();
  for (const [key, value] of Object.entries(context)) {
    const list = asList(value);
    if (list) values.set(key.toLowerCase(), list);
  }
  return values;
}

function asList(value: ConditionValue): string[] | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value.length > 0 ? value : undefined;
  return [String(value)];
}

/** Operators and keys are ANDed; the values listed for one key are ORed [IAM-COND]. */
function conditionsHold(
  block: ConditionBlock,
  values: RequestValues,
  substitute: (text: string) => string | undefined,
): boolean {
  return Object.entries(block).every(([name, keys]) => {
    // Parsed documents hold known operators only. A hand-built one is refused rather than guessed at: ignoring
    // it would widen an Allow, treating it as false would silently disable a Deny.
    const operator = requireConditionOperator(name);
    return Object.entries(keys).every(([key, policyValues]) => {
      const resolved =
        operator.base !== "Null" && OPERATORS[operator.base].variables
          ? policyValues.map(substitute).filter((value): value is string => value !== undefined)
          : policyValues;
      return conditionHolds(operator, resolved, values.get(key.toLowerCase()));
    });
  });
}

/**
 * One operator on one key [IAM-COND, IAM-MV]:
 * - absent key: `…IfExists` → true; `ForAllValues:` → true; `ForAnyValue:` → false; negated operators → true;
 *   positive operators → false. `Null` is about presence itself.
 * - `ForAnyValue:` holds when some request value satisfies the operator, `ForAllValues:` when every one does.
 * - without a set operator a positive operator needs some request value to match some policy value, and a
 *   negated one needs no request value to match any (negated operators with several values behave as AND).
 */
function conditionHolds(operator: ConditionOperator, policyValues: string[], request: string[] | undefined): boolean {
  if (operator.base === "Null") {
    // "true": the key must be absent; "false": it must be present.
    return policyValues.some((value) => (value.toLowerCase() === "true") === (request === undefined));
  }
  const { matches, negated } = OPERATORS[operator.base];
  if (request === undefined) {
    if (operator.ifExists) return true;
    if (operator.set) return operator.set === "ForAllValues";
    return negated;
  }
  const satisfiedBy = (value: string) => negated !== policyValues.some((policyValue) => matches(value, policyValue));
  if (operator.set === "ForAllValues") return request.every(satisfiedBy);
  if (operator.set === "ForAnyValue") return request.some(satisfiedBy);
  return negated ? request.every(satisfiedBy) : request.some(satisfiedBy);
}

interface OperatorSemantics {
  /** Does one request value match one policy value (for a negated operator: the positive test it negates)? */
  matches: (requestValue: string, policyValue: string) => boolean;
  negated: boolean;
  /** Policy variables are allowed with string and ARN operators only [IAM: policy variables]. */
  variables: boolean;
}

const equalsExactly = (a: string, b: string) => a === b;
const equalsIgnoringCase = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const stringLike = (value: string, pattern: string) => wildcardMatch(pattern, value, false);
const numeric = (test: (a: number, b: number) => boolean) => (a: string, b: string) =>
  compareAs(parseNumber, test, a, b);
const date = (test: (a: number, b: number) => boolean) => (a: string, b: string) => compareAs(parseDate, test, a, b);

function semantics(matches: OperatorSemantics["matches"], negated = false, variables = false): OperatorSemantics {
  return { matches, negated, variables };
}

const OPERATORS: Record<Exclude<BaseConditionOperator, "Null">, OperatorSemantics> = {
  StringEquals: semantics(equalsExactly, false, true),
  StringNotEquals: semantics(equalsExactly, true, true),
  StringEqualsIgnoreCase: semantics(equalsIgnoringCase, false, true),
  StringNotEqualsIgnoreCase: semantics(equalsIgnoringCase, true, true),
  StringLike: semantics(stringLike, false, true),
  StringNotLike: semantics(stringLike, true, true),
  NumericEquals: semantics(numeric((a, b) => a === b)),
  NumericNotEquals: semantics(
    numeric((a, b) => a === b),
    true,
  ),
  NumericLessThan: semantics(numeric((a, b) => a < b)),
  NumericLessThanEquals: semantics(numeric((a, b) => a <= b)),
  NumericGreaterThan: semantics(numeric((a, b) => a > b)),
  NumericGreaterThanEquals: semantics(numeric((a, b) => a >= b)),
  DateEquals: semantics(date((a, b) => a === b)),
  DateNotEquals: semantics(
    date((a, b) => a === b),
    true,
  ),
  DateLessThan: semantics(date((a, b) => a < b)),
  DateLessThanEquals: semantics(date((a, b) => a <= b)),
  DateGreaterThan: semantics(date((a, b) => a > b)),
  DateGreaterThanEquals: semantics(date((a, b) => a >= b)),
  // "true"/"false" in any case; JSON booleans were turned into these strings by the parser.
  Bool: semantics(equalsIgnoringCase),
  BinaryEquals: semantics(equalsExactly),
  IpAddress: semantics(ipInRange),
  NotIpAddress: semantics(ipInRange, true),
  // ArnEquals and ArnLike behave identically [IAM-COND].
  ArnEquals: semantics(arnLike, false, true),
  ArnLike: semantics(arnLike, false, true),
  ArnNotEquals: semantics(arnLike, true, true),
  ArnNotLike: semantics(arnLike, true, true),
};

function compareAs(
  parse: (text: string) => number | undefined,
  test: (a: number, b: number) => boolean,
  requestValue: string,
  policyValue: string,
): boolean {
  const a = parse(requestValue);
  const b = parse(policyValue);
  return a !== undefined && b !== undefined && test(a, b);
}

function parseNumber(text: string): number | undefined {
  const value = Number(text);
  return text.trim() !== "" && Number.isFinite(value) ? value : undefined;
}

/** ISO 8601 dates, or epoch seconds as IAM also accepts them. */
function parseDate(text: string): number | undefined {
  if (/^-?\d+(?:\.\d+)?$/.test(text.trim())) return Number(text) * 1000;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Each of the six colon-separated ARN parts is matched on its own, case-sensitively [IAM-COND]. */
function arnLike(value: string, pattern: string): boolean {
  const valueParts = splitArn(value);
  const patternParts = splitArn(pattern);
  // A pattern that is not a full ARN (a bare "*") is matched as a whole.
  if (!valueParts || !patternParts) return wildcardMatch(pattern, value, false);
  return patternParts.every((part, index) => wildcardMatch(part, valueParts[index], false));
}

/** `arn:partition:service:region:account:resource`; the resource part may itself contain colons. */
function splitArn(arn: string): string[] | undefined {
  const parts = arn.split(":");
  if (parts.length < 6) return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(":")];
}

/** `IpAddress` takes an address or a CIDR block, IPv4 or IPv6 [IAM-COND]. */
function ipInRange(address: string, range: string): boolean {
  const [network, prefixText] = range.split("/");
  const family = isIP(network);
  if (family === 0 || isIP(address) !== family) return false;
  const type = family === 4 ? "ipv4" : "ipv6";
  const prefix = prefixText === undefined ? (family === 4 ? 32 : 128) : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) return false;
  const block = new BlockList();
  block.addSubnet(network, prefix, type);
  return block.check(address, type);
}

/**
 * `${aws:username}` → the request's single value for that key; `${key, 'default'}` falls back to the default;
 * `${*}`, `${?}`, `${$}` are the literal characters [IAM: policy variables]. `undefined` when a variable has no
 * value, so that policy value matches nothing. (A substituted `*` still acts as a wildcard: a known simplification.)
 */
function substituteVariables(text: string, values: RequestValues): string | undefined {
  let missing = false;
  const result = text.replace(/\$\{([^}]*)\}/g, (_whole, inner: string) => {
    const [key, fallback] = inner.split(/,(.*)/s).map((part) => part.trim());
    if (key === "*" || key === "?" || key === "$") return key;
    const value = values.get(key.toLowerCase());
    if (value?.length === 1) return value[0];
    const quoted = fallback ? /^'(.*)'$/s.exec(fallback) : null;
    if (quoted) return quoted[1];
    missing = true;
    return "";
  });
  return missing ? undefined : result;
}
