import {
  parsePolicy,
  parsePolicyValue,
  PolicyGrammarError,
  validateResourcePolicyPrincipals,
  type PolicyDocument,
} from "../../policy/index.js";
import { decideKeyAction, type KeySubject } from "./access.js";
import type { KmsCall } from "./env.js";
import { kmsFault } from "./errors.js";
import { defaultKeyPolicy, prettyPolicy } from "./policy-text.js";

/** "Key policy document size: 32 KB (32,768 bytes)", not adjustable [aws-behaviour §6.1; KMS-LIMITS]. */
export const MAX_KEY_POLICY_BYTES = 32_768;

/** Seen verbatim from KMS [aws-behaviour §6.4 (1): I-ASE8, I-WID259]. */
export const LOCKOUT_MESSAGE = "The new key policy will not allow you to update the key policy in the future.";

/** The only policy name a key has [M-KMS PolicyName]. */
export const POLICY_NAME = "default";

/**
 * A key policy as CreateKey and PutKeyPolicy check it, in this order [aws-behaviour §6.4]: size (K3), then JSON
 * and grammar, then principals (K2: malformed, or an IAM user/role that does not exist in an account the emulator
 * knows; a statement without one). The lockout check (K1) comes after, in checkLockoutSafety.
 */
export function parseKeyPolicy(call: KmsCall, text: string): PolicyDocument {
  const size = Buffer.byteLength(text, "utf8");
  if (size > MAX_KEY_POLICY_BYTES) {
    // *Decided*: AWS documents the exception but not its text [aws-behaviour §10 (11)].
    throw kmsFault(
      "LimitExceededException",
      `The key policy is ${size} bytes; a key policy can be at most ${MAX_KEY_POLICY_BYTES} bytes.`,
    );
  }
  try {
    const policy = parsePolicy(text);
    validateResourcePolicyPrincipals(policy, (arn) => call.env.identities.principalExists(arn));
    return policy;
  } catch (error) {
    if (error instanceof PolicyGrammarError) throw kmsFault("MalformedPolicyDocumentException", error.message);
    throw error;
  }
}

/**
 * K1: unless bypassed, the new policy must still let the caller call kms:PutKeyPolicy on the key, judged exactly
 * as that call would be (the new key policy together with the caller's IAM policies, in the current request's
 * context) [aws-behaviour §6.4 (1)].
 */
export function checkLockoutSafety(call: KmsCall, key: Omit<KeySubject, "Policy">, policy: PolicyDocument): void {
  const result = decideKeyAction(
    call,
    { ...key, Policy: policy },
    {
      action: "kms:PutKeyPolicy",
      context: { "kms:BypassPolicyLockoutSafetyCheck": false },
    },
  );
  if (!result.allowed) throw kmsFault("MalformedPolicyDocumentException", LOCKOUT_MESSAGE);
}

/**
 * A new key's policy (CreateKey, ReplicateKey): the one given, checked (and the lockout check unless bypassed), or
 * the default key policy, not checked [aws-behaviour §6.4 (1)].
 */
export function keyPolicyFor(
  call: KmsCall,
  subject: Omit<KeySubject, "Policy">,
  input: { Policy?: string; BypassPolicyLockoutSafetyCheck?: boolean },
): { text: string; document: PolicyDocument } {
  if (input.Policy === undefined) {
    const document = defaultKeyPolicy(subject.AccountId);
    return { text: prettyPolicy(document), document: parsePolicyValue(document) };
  }
  const document = parseKeyPolicy(call, input.Policy);
  if (input.BypassPolicyLockoutSafetyCheck !== true) checkLockoutSafety(call, subject, document);
  return { text: input.Policy, document };
}
