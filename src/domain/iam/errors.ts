import { modelError } from "../../protocol/errors.js";
import { loadModel } from "../../protocol/model.js";
import type { EntityKind } from "./records.js";

/**
 * IAM's model, read on the first IAM error rather than when this module loads: `serve` imports it at start (the
 * identities' seeding), where the model's 200 KB would cost start time and idle memory (bench/scale.ts).
 */
const model = () => loadModel("iam");

/** IAM's errors, from its model's error shapes (code and HTTP status), in AWS's words. */
export const IamErrors = {
  noSuchEntity: (message: string) => modelError(model(), "NoSuchEntityException", message),
  /** "The user with name X cannot be found." (also group and role). */
  noSuch: (kind: EntityKind, name: string) =>
    modelError(model(), "NoSuchEntityException", `The ${kind} with name ${name} cannot be found.`),
  /** "The user policy with name X cannot be found." (also group and role policies). */
  noSuchInline: (kind: EntityKind, name: string) =>
    modelError(model(), "NoSuchEntityException", `The ${kind} policy with name ${name} cannot be found.`),
  noSuchPolicy: (arn: string) =>
    modelError(model(), "NoSuchEntityException", `Policy ${arn} does not exist or is not attachable.`),
  alreadyExists: (message: string) => modelError(model(), "EntityAlreadyExistsException", message),
  deleteConflict: (message: string) => modelError(model(), "DeleteConflictException", message),
  limitExceeded: (message: string) => modelError(model(), "LimitExceededException", message),
  malformedPolicy: (message: string) => modelError(model(), "MalformedPolicyDocumentException", message),
  invalidInput: (message: string) => modelError(model(), "InvalidInputException", message),
  notAttachable: (message: string) => modelError(model(), "PolicyNotAttachableException", message),
};
