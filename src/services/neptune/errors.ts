import type { NeptuneErrorShape } from "../../generated/neptune.js";
import { AwsError, modelError } from "../../protocol/errors.js";
import { loadModel } from "../../protocol/model.js";

const model = loadModel("neptune");

/** A Neptune error by its model shape; the model gives the wire code and status (DBInstanceNotFoundFault → DBInstanceNotFound, 404). */
export function neptuneFault(shape: NeptuneErrorShape, message: string): AwsError {
  return modelError(model, shape, message);
}
