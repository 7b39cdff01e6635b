import type { StepId } from "../types.js";
import type { Step } from "./context.js";
import { copyToCmk } from "./copy-to-cmk.js";
import { copy } from "./copy.js";
import { copyRegion } from "./copy-region.js";
import { instances } from "./instances.js";
import { keyPolicy } from "./key-policy.js";
import { replayPosition } from "./replay-position.js";
import { replay } from "./replay.js";
import { restore } from "./restore.js";
import { share } from "./share.js";
import { snapshot } from "./snapshot.js";
import { createSourceKey } from "./source-key.js";
import { verifyData } from "./verify-data.js";
import { verify } from "./verify.js";

/** Every step by id; the plan decides which run and in which order. */
export const STEPS: Record<StepId, Step> = {
  "create-source-key": createSourceKey,
  snapshot,
  "copy-to-cmk": copyToCmk,
  share,
  "key-policy": keyPolicy,
  copy,
  "copy-region": copyRegion,
  restore,
  instances,
  verify,
  "verify-data": verifyData,
  "stream-position": replayPosition,
  replay,
};
