import type { ConditionBlock, Effect, PolicyDocument, PolicyPrincipal, PrincipalBlock, Statement } from "./types.js";

/**
 * A policy document that breaks the grammar. Callers map it to their service's error: KMS
 * `MalformedPolicyDocumentException`, STS `MalformedPolicyDocument`.
 */
export class PolicyGrammarError extends Error {
  override name = "PolicyGrammarError";
}

/** Messages seen verbatim from KMS [aws-behaviour §6.4: I-EKS2163, I-MVD6]; the others are this product's wording. */
export const NO_PRINCIPAL_MESSAGE = "Policy contains a statement with no principal.";
export const INVALID_PRINCIPALS_MESSAGE = "Policy contains a statement with one or more invalid principals.";
export const INVALID_JSON_MESSAGE = "Policy contains invalid JSON.";

/** The two published policy-language versions [IAM: Version element]. */
const VERSIONS = ["2012-10-17", "2008-10-17"];
const DOCUMENT_ELEMENTS = ["Version", "Id", "Statement"];
const STATEMENT_ELEMENTS = [
  "Sid",
  "Effect",
  "Principal",
  "NotPrincipal",
  "Action",
  "NotAction",
  "Resource",
  "NotResource",
  "Condition",
];
const PRINCIPAL_TYPES: (keyof PrincipalBlock)[] = ["AWS", "Service", "Federated"];

/** Condition operators without their `ForAnyValue:`/`ForAllValues:` prefix and `IfExists` suffix [IAM: condition operators]. */
export const BASE_CONDITION_OPERATORS = [
  "StringEquals",
  "StringNotEquals",
  "StringEqualsIgnoreCase",
  "StringNotEqualsIgnoreCase",
  "StringLike",
  "StringNotLike",
  "NumericEquals",
  "NumericNotEquals",
  "NumericLessThan",
  "NumericLessThanEquals",
  "NumericGreaterThan",
  "NumericGreaterThanEquals",
  "DateEquals",
  "DateNotEquals",
  "DateLessThan",
  "DateLessThanEquals",
  "DateGreaterThan",
  "DateGreaterThanEquals",
  "Bool",
  "BinaryEquals",
  "IpAddress",
  "NotIpAddress",
  "ArnEquals",
  "ArnLike",
  "ArnNotEquals",
  "ArnNotLike",
  "Null",
] as const;

export type BaseConditionOperator = (typeof BASE_CONDITION_OPERATORS)[number];

export interface ConditionOperator {
  base: BaseConditionOperator;
  /** `…IfExists`: an absent key satisfies the condition. */
  ifExists: boolean;
  /** Set operator for multi-valued keys. */
  set?: "ForAnyValue" | "ForAllValues";
}

/** Splits `ForAnyValue:StringLikeIfExists` into its parts; `undefined` when it is not a valid operator name. */
export function parseConditionOperator(name: string): ConditionOperator | undefined {
  const prefixed = /^(ForAnyValue|ForAllValues):(.+)$/.exec(name);
  const set = prefixed ? (prefixed[1] as ConditionOperator["set"]) : undefined;
  let base = prefixed ? prefixed[2] : name;
  const ifExists = base.endsWith("IfExists");
  if (ifExists) base = base.slice(0, -"IfExists".length);
  if (!(BASE_CONDITION_OPERATORS as readonly string[]).includes(base)) return undefined;
  // "You can use any condition operator except the Null condition with ...IfExists" [IAM: condition operators].
  if (base === "Null" && (ifExists || set)) return undefined;
  return { base: base as BaseConditionOperator, ifExists, ...(set ? { set } : {}) };
}

/** As `parseConditionOperator`, but an unknown name is a grammar error. */
export function requireConditionOperator(name: string): ConditionOperator {
  const operator = parseConditionOperator(name);
  if (!operator) throw new PolicyGrammarError(`Policy contains an unsupported condition operator: ${name}.`);
  return operator;
}

export function parsePolicy(text: string): PolicyDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new PolicyGrammarError(INVALID_JSON_MESSAGE);
  }
  return parsePolicyValue(value);
}

/** Validates and normalizes an already-parsed policy document. */
export function parsePolicyValue(value: unknown): PolicyDocument {
  if (!isObject(value)) throw new PolicyGrammarError("Policy must be a JSON object.");
  rejectUnknownElements(value, DOCUMENT_ELEMENTS, "Policy contains an unknown element");

  const document: PolicyDocument = { Statement: parseStatements(value.Statement) };
  if (value.Version !== undefined) {
    if (typeof value.Version !== "string" || !VERSIONS.includes(value.Version)) {
      throw new PolicyGrammarError(`Policy has an unsupported Version: ${JSON.stringify(value.Version)}.`);
    }
    document.Version = value.Version;
  }
  if (value.Id !== undefined) document.Id = requireString(value.Id, "Id");
  return document;
}

function parseStatements(value: unknown): Statement[] {
  // A single statement object is accepted in place of a list [IAM: Statement element].
  const list = isObject(value) ? [value] : value;
  if (!Array.isArray(list) || list.length === 0) {
    throw new PolicyGrammarError("Policy must contain a Statement with at least one statement.");
  }
  return list.map(parseStatement);
}

function parseStatement(value: unknown): Statement {
  if (!isObject(value)) throw new PolicyGrammarError("Policy contains a statement that is not a JSON object.");
  rejectUnknownElements(value, STATEMENT_ELEMENTS, "Policy contains a statement with an unknown element");

  const statement: Statement = { Effect: parseEffect(value.Effect) };
  if (value.Sid !== undefined) statement.Sid = requireString(value.Sid, "Sid");

  requireAtMostOne(value, "Principal", "NotPrincipal");
  if (value.Principal !== undefined) statement.Principal = parsePrincipal(value.Principal);
  if (value.NotPrincipal !== undefined) statement.NotPrincipal = parsePrincipal(value.NotPrincipal);

  requireAtMostOne(value, "Action", "NotAction");
  if (value.Action === undefined && value.NotAction === undefined) {
    throw new PolicyGrammarError("Policy contains a statement with no Action or NotAction.");
  }
  if (value.Action !== undefined) statement.Action = parseActions(value.Action, "Action");
  if (value.NotAction !== undefined) statement.NotAction = parseActions(value.NotAction, "NotAction");

  // A statement without Resource is accepted: KMS documents that CreateKey/PutKeyPolicy "succeed, even though
  // the policy statement is ineffective" [KMS-POLOV], and role trust policies have no Resource at all.
  requireAtMostOne(value, "Resource", "NotResource");
  if (value.Resource !== undefined) statement.Resource = parseStringList(value.Resource, "Resource");
  if (value.NotResource !== undefined) statement.NotResource = parseStringList(value.NotResource, "NotResource");

  if (value.Condition !== undefined) statement.Condition = parseCondition(value.Condition);
  return statement;
}

function parseEffect(value: unknown): Effect {
  if (value === "Allow" || value === "Deny") return value;
  throw new PolicyGrammarError(
    `Policy contains a statement with an invalid Effect: ${JSON.stringify(value) ?? "none"}. Use "Allow" or "Deny".`,
  );
}

/** `"*"` or an object of AWS/Service/Federated lists; anything else is an invalid principal, as KMS reports it. */
function parsePrincipal(value: unknown): PolicyPrincipal {
  if (value === "*") return "*";
  if (!isObject(value) || Object.keys(value).length === 0) throw new PolicyGrammarError(INVALID_PRINCIPALS_MESSAGE);
  const block: PrincipalBlock = {};
  for (const [type, names] of Object.entries(value)) {
    if (!PRINCIPAL_TYPES.includes(type as keyof PrincipalBlock))
      throw new PolicyGrammarError(INVALID_PRINCIPALS_MESSAGE);
    const list = stringList(names);
    if (!list) throw new PolicyGrammarError(INVALID_PRINCIPALS_MESSAGE);
    block[type as keyof PrincipalBlock] = list;
  }
  return block;
}

/** Actions are `*` or `vendor:Operation` [IAM: "Actions/Conditions must be prefaced by a vendor"]. */
function parseActions(value: unknown, element: string): string[] {
  const actions = parseStringList(value, element);
  const invalid = actions.find((action) => action !== "*" && !/^[A-Za-z0-9-]+:[^:]+$/.test(action));
  if (invalid !== undefined) {
    throw new PolicyGrammarError(`Policy contains a statement with an invalid ${element}: ${JSON.stringify(invalid)}.`);
  }
  return actions;
}

function parseCondition(value: unknown): ConditionBlock {
  if (!isObject(value))
    throw new PolicyGrammarError("Policy contains a statement whose Condition is not a JSON object.");
  // Keys are the policy author's: null-prototype objects, so a condition key such as `__proto__` is a key like
  // any other (on a plain object, assigning it would set the prototype and silently drop the condition).
  const block: ConditionBlock = Object.create(null) as ConditionBlock;
  for (const [operator, keys] of Object.entries(value)) {
    requireConditionOperator(operator);
    if (!isObject(keys)) {
      throw new PolicyGrammarError(`Policy contains a condition whose ${operator} block is not a JSON object.`);
    }
    block[operator] = Object.create(null) as Record<string, string[]>;
    for (const [key, values] of Object.entries(keys)) {
      const list = conditionValues(values);
      if (!list) {
        throw new PolicyGrammarError(
          `Policy contains a condition ${operator} on ${key} whose values are not strings, numbers or booleans.`,
        );
      }
      block[operator][key] = list;
    }
  }
  return block;
}

/** Condition values may be JSON numbers or booleans (`"kms:GrantIsForAWSResource": true`) [KMS-COND]; kept as strings. */
function conditionValues(value: unknown): string[] | undefined {
  const items = Array.isArray(value) ? value : [value];
  if (items.length === 0) return undefined;
  const scalars = items.filter((item) => ["string", "number", "boolean"].includes(typeof item));
  return scalars.length === items.length ? scalars.map(String) : undefined;
}

function parseStringList(value: unknown, element: string): string[] {
  const list = stringList(value);
  if (!list) {
    throw new PolicyGrammarError(
      `Policy contains a statement whose ${element} is not a string or a non-empty list of strings.`,
    );
  }
  return list;
}

/** "A string or a list of strings" as the policy grammar allows it, normalized to a list. */
function stringList(value: unknown): string[] | undefined {
  if (typeof value === "string") return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === "string")) return [...value];
  return undefined;
}

function requireString(value: unknown, element: string): string {
  if (typeof value === "string") return value;
  throw new PolicyGrammarError(`Policy element ${element} must be a string.`);
}

function requireAtMostOne(value: Record<string, unknown>, element: string, negated: string): void {
  if (value[element] !== undefined && value[negated] !== undefined) {
    throw new PolicyGrammarError(`Policy contains a statement with both ${element} and ${negated}.`);
  }
}

function rejectUnknownElements(value: Record<string, unknown>, known: string[], message: string): void {
  const unknown = Object.keys(value).find((key) => !known.includes(key));
  if (unknown !== undefined) throw new PolicyGrammarError(`${message}: ${unknown}.`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
