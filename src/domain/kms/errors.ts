import type { KmsErrorShape } from "../../generated/kms.js";
import { AwsError, modelError } from "../../protocol/errors.js";
import { loadModel } from "../../protocol/model.js";

const model = loadModel("kms");

/**
 * A KMS error by its model shape. The KMS model has no HTTP statuses, so modelled errors are 400, as real captures
 * show [aws-behaviour §1.2].
 */
/**
 * The KMS model carries no HTTP statuses, so SDKs take every modelled error as a client error (400); these few
 * are AWS's server faults (DESIGN §3).
 */
const SERVER_FAULT_STATUS: Partial<Record<KmsErrorShape, number>> = {
  KMSInternalException: 500,
  KeyUnavailableException: 500,
  DependencyTimeoutException: 503,
};

export function kmsFault(shape: KmsErrorShape, message: string): AwsError {
  return modelError(model, shape, message, SERVER_FAULT_STATUS[shape] ?? 400);
}

/** Not a model shape (KMS authorization failures): `{"__type":"AccessDeniedException"}`, 400 [aws-behaviour §6.5]. */
export function accessDeniedException(message: string): AwsError {
  return new AwsError("AccessDeniedException", message, 400);
}

/** Generic input validation, in Coral's wording when it is a constraint. */
export function validationException(message: string): AwsError {
  return new AwsError("ValidationException", message, 400);
}

/** `alias/aws/…` is reserved for AWS. *Decided*: the code moto reports (NotAuthorizedException), with a message. */
export function notAuthorizedException(message: string): AwsError {
  return new AwsError("NotAuthorizedException", message, 400);
}

/** Coral's wording for a range constraint, as the model validator words the others. */
export function rangeViolation(member: string, value: number, min: number, max: number): AwsError {
  const constraint = value < min ? `greater than or equal to ${min}` : `less than or equal to ${max}`;
  return validationException(
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must have value ${constraint}`,
  );
}

/** The texts KMS answers with, in one place [aws-behaviour §6.8, §6.9]. */
export const KmsMessages = {
  keyNotFound: (keyArn: string) => `Key '${keyArn}' does not exist`,
  // Real captures show the alias ARN unquoted: "Alias arn:aws:kms:us-west-2:…:alias/x is not found." [§6.8]
  aliasNotFound: (aliasArn: string) => `Alias ${aliasArn} is not found.`,
  invalidKeyId: (value: string) => `Invalid keyId ${value}`,
  // Seen as "NotFoundException: Invalid arn" [issues: coreos/coreos-kubernetes#688]; *decided* for another region's ARN too.
  invalidArn: "Invalid arn",
  disabled: (keyArn: string) => `${keyArn} is disabled.`,
  pendingDeletion: (keyArn: string) => `${keyArn} is pending deletion.`,
  notPendingDeletion: (keyArn: string) => `${keyArn} is not pending deletion.`,
  // The same form for the other waiting states [KMS key-state]; *decided* wording for PendingReplicaDeletion.
  pendingReplicaDeletion: (keyArn: string) => `${keyArn} is pending replica deletion.`,
  pendingImport: (keyArn: string) => `${keyArn} is pending import.`,
  // Seen verbatim from KMS (through Lambda's CreateGrant) [issues: ministryofjustice/modernisation-platform#8298].
  aliasesNotSupported: "Key Aliases are not supported for this operation.",
  dryRun: "The request would have succeeded, but the DryRun option is set.",
} as const;

/** DryRun, checked once every other check has passed and before the work. */
export function checkDryRun(flag: boolean | undefined): void {
  if (flag === true) throw kmsFault("DryRunOperationException", KmsMessages.dryRun);
}
