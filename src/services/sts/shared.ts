import type { Principal } from "../../auth/principal.js";
import type { TemporaryCredentials } from "../../auth/identities.js";
import { findManagedPolicy } from "../../domain/iam/effective.js";
import type { Emulator } from "../../emulator.js";
import type { Credentials, PolicyDescriptorType } from "../../generated/sts.js";
import { parsePolicy, PolicyGrammarError, validateIdentityPolicy } from "../../policy/index.js";
import type { PolicyDocument } from "../../policy/types.js";
import { AwsError, CommonErrors, modelError } from "../../protocol/errors.js";
import { loadModel } from "../../protocol/model.js";

export const stsModel = loadModel("sts");

/** The wire shape of temporary credentials. */
export function credentialsShape(credentials: TemporaryCredentials): Credentials {
  return {
    AccessKeyId: credentials.accessKeyId,
    SecretAccessKey: credentials.secretAccessKey,
    SessionToken: credentials.sessionToken,
    Expiration: credentials.expiration,
  };
}

export function notAuthorized(principal: Principal, action: string, resource: string): AwsError {
  return CommonErrors.accessDenied(
    `User: ${principal.arn} is not authorized to perform: ${action} on resource: ${resource}`,
  );
}

function malformed(message: string): AwsError {
  return modelError(stsModel, "MalformedPolicyDocumentException", message);
}

/** What a caller asked to narrow a session to: an inline `Policy` and managed `PolicyArns`. */
export interface SessionPolicyInput {
  Policy?: string;
  PolicyArns?: PolicyDescriptorType[];
}

/**
 * The session policies of a new session as one document: their statements together, since the session may do
 * what any of them allows (and the identity policies allow) [IAM-EVAL: session policies]. `undefined` when none
 * were passed. The managed ones must be policies of `accountId` (the role's, or the federating user's) or AWS
 * managed ones. *Decided*: an ARN naming no such policy is MalformedPolicyDocument, with IAM's wording for it.
 */
export function sessionPolicy(
  emulator: Emulator,
  accountId: string,
  input: SessionPolicyInput,
): PolicyDocument | undefined {
  const documents: PolicyDocument[] = [];
  if (input.Policy !== undefined) {
    try {
      const parsed = parsePolicy(input.Policy);
      validateIdentityPolicy(parsed);
      documents.push(parsed);
    } catch (error) {
      if (error instanceof PolicyGrammarError) throw malformed(error.message);
      throw error;
    }
  }
  for (const { arn } of input.PolicyArns ?? []) {
    const found = arn === undefined ? undefined : findManagedPolicy(emulator.identities.seeded(), accountId, arn);
    if (!found) throw malformed(`Policy ${arn ?? ""} does not exist or is not attachable.`);
    documents.push(parsePolicy(found.document));
  }
  if (documents.length === 0) return undefined;
  return { Version: "2012-10-17", Statement: documents.flatMap((document) => document.Statement) };
}

/**
 * PackedPolicySize: the percentage of the packed session policy quota the policies use. *Decided*: the
 * characters of the inline policy against the 2,048-character plain-text quota, at least 1 for managed ARNs.
 */
export function packedPolicySize(input: SessionPolicyInput): number | undefined {
  if (input.Policy === undefined && !input.PolicyArns?.length) return undefined;
  const inline = input.Policy === undefined ? 0 : Math.ceil((input.Policy.length / 2048) * 100);
  return Math.min(100, Math.max(inline, input.PolicyArns?.length ? 1 : 0));
}
