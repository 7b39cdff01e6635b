import { AwsError, modelError } from "../protocol/errors.js";
import { loadModel } from "../protocol/model.js";
import type { NeptunedataErrorShape } from "../generated/neptunedata.js";

/** The neptunedata model: the data plane's operations and error shapes. */
export const NEPTUNEDATA = loadModel("neptunedata");

/** An error of the neptunedata model: its shape name is its wire code, its status the model's. */
export const dataPlaneError = (shape: NeptunedataErrorShape, message: string): AwsError =>
  modelError(NEPTUNEDATA, shape, message);

/** What the data plane answers for a failure of its own (a bug or a store that could not write). */
export const internalFailure = () =>
  dataPlaneError("InternalFailureException", "The request processing has failed because of an unknown error.");

/**
 * Neptune's error body on every REST endpoint (reference §0, §2.3): `{"requestId","code","detailedMessage"}`,
 * the code also in `x-amzn-errortype` (SDKs read that header first), the status from the model's error shape.
 * The docs show these errors with `Content-Type: application/x-amz-json-1.0`.
 */
export function errorBody(error: AwsError, requestId: string): string {
  return JSON.stringify({ requestId, code: error.code, detailedMessage: error.message });
}

export const ERROR_CONTENT_TYPE = "application/x-amz-json-1.0";

/** A write-class request on a reader instance (reference §1.1). */
export const readOnly = () =>
  dataPlaneError(
    "ReadOnlyViolationException",
    "The request is rejected because it violates some read-only restriction, such as a designation of a replica " +
      "as read-only.",
  );

/** The query endpoints (`/openCypher`, `/gremlin`) take GET and POST only (reference §1.2; the model's 405). */
export function queryMethod(method: string, path: string): "GET" | "POST" {
  const verb = method.toUpperCase();
  if (verb !== "GET" && verb !== "POST")
    throw dataPlaneError("MethodNotAllowedException", `The HTTP method ${method} is not allowed on ${path}.`);
  return verb;
}
