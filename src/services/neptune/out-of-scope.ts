import type { NeptuneOperations } from "../../generated/neptune.js";
import { CommonErrors } from "../../protocol/errors.js";
import { refusingHandlers, type HandlerMap } from "../service.js";

/**
 * Neptune operations Trident leaves out on purpose, with why: answered NotImplemented (501) naming what is not
 * emulated, where an operation merely not done yet gets the pipeline's "not … yet". docs/coverage.md lists them
 * from this table.
 */
export const OUT_OF_SCOPE: { [K in keyof NeptuneOperations]?: string } = {};

export const outOfScopeHandlers: HandlerMap<NeptuneOperations> = refusingHandlers(OUT_OF_SCOPE, (_operation, what) =>
  CommonErrors.notEmulated(what),
);
