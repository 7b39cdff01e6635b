import { parsePolicy, PolicyGrammarError, INVALID_JSON_MESSAGE, validateIdentityPolicy } from "../../policy/index.js";
import type { PolicyDocument } from "../../policy/types.js";
import { IamErrors } from "./errors.js";

/**
 * IAM policy documents: checked when they are stored (grammar, no principal in an identity policy, the size
 * quota) and parsed when a request is evaluated. Stored as the text given, since IAM returns that text.
 */

/**
 * The size of a policy as IAM counts it against its quotas: "IAM doesn't count white space when calculating the
 * size of a policy against these quotas" [IAM User Guide, IAM and STS quotas: character limits].
 */
export function policySize(text: string): number {
  return text.replace(/\s/g, "").length;
}

/**
 * An identity-based policy (inline, managed version, permissions boundary) as IAM accepts it: valid grammar and no
 * Principal. IAM's wording for a document that is not JSON is "Syntax errors in policy."; the other refusals keep
 * the policy parser's wording, where no capture gives IAM's own.
 */
export function checkIdentityPolicy(text: string): PolicyDocument {
  return asMalformedPolicy(() => {
    const document = parsePolicy(text);
    validateIdentityPolicy(document);
    return remember(text, document);
  });
}

/** A resource policy (a role's trust policy): grammar only here; its principals are checked by the caller. */
export function checkTrustPolicy(text: string): PolicyDocument {
  return asMalformedPolicy(() => remember(text, parsePolicy(text)));
}

/** A grammar refusal as IAM's MalformedPolicyDocument. */
export function asMalformedPolicy<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof PolicyGrammarError)
      throw IamErrors.malformedPolicy(
        error.message === INVALID_JSON_MESSAGE ? "Syntax errors in policy." : error.message,
      );
    throw error;
  }
}

/**
 * Parsed documents by their text: every request evaluates its caller's current policies, and parsing each one
 * each time would cost more than evaluating it. Stored texts were checked when stored, so parsing cannot fail.
 * Bounded: past MAX_PARSED entries it starts over (the texts are all still in the store).
 */
const parsed = new Map<string, PolicyDocument>();
const MAX_PARSED = 10_000;

function remember(text: string, document: PolicyDocument): PolicyDocument {
  if (parsed.size >= MAX_PARSED) parsed.clear();
  parsed.set(text, document);
  return document;
}

export function parsedPolicy(text: string): PolicyDocument {
  return parsed.get(text) ?? remember(text, parsePolicy(text));
}
