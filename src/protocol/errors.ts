import { shapeOf, type ServiceModel } from "./model.js";

/**
 * An error answered to the client in AWS's terms: the wire code, the HTTP status and who is at fault. Thrown
 * anywhere below the pipeline; the protocol serializer turns it into the service's error envelope.
 */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly sender = status < 500,
  ) {
    super(message);
    this.name = code;
  }
}

/** The errors every AWS Query and JSON service answers, outside the model's error shapes. */
export const CommonErrors = {
  invalidParameterValue: (message: string) => new AwsError("InvalidParameterValue", message, 400),
  invalidParameterCombination: (message: string) => new AwsError("InvalidParameterCombination", message, 400),
  missingParameter: (name: string) =>
    new AwsError("MissingParameter", `The request must contain the parameter ${name}`, 400),
  invalidAction: (action: string) =>
    new AwsError("InvalidAction", `The action ${action} is not valid for this web service.`, 400),
  internalFailure: () =>
    new AwsError(
      "InternalFailure",
      "The request processing has failed because of an unknown error, exception or failure.",
      500,
    ),
  notImplemented: (service: string, operation: string) =>
    new AwsError("NotImplemented", `Trident does not implement ${service} operation ${operation} yet.`, 501),
  /** A feature Trident leaves out on purpose (not "yet"): `what` says which. */
  notEmulated: (what: string) => new AwsError("NotImplemented", `Trident does not emulate ${what}.`, 501),
  accessDenied: (message: string) => new AwsError("AccessDenied", message, 403),
} as const;

/**
 * An error from the service model: the shape gives the wire code (which is not always the shape name: Neptune's
 * `DBInstanceNotFoundFault` is sent as `DBInstanceNotFound`) and the HTTP status.
 */
export function modelError(model: ServiceModel, shapeName: string, message: string, defaultStatus = 400): AwsError {
  const shape = shapeOf(model, shapeName);
  if (!shape.exception) throw new Error(`${shapeName} is not an error shape`);
  const status = shape.error?.httpStatusCode ?? defaultStatus;
  return new AwsError(shape.error?.code ?? shapeName, message, status, shape.error?.senderFault ?? status < 500);
}
