import { BRANCH_STEPS } from "./branch.js";
import { FILTER_STEPS } from "./filter.js";
import { FLATMAP_STEPS } from "./flatmap.js";
import { MAP_STEPS } from "./map.js";
import { MATH_STEPS } from "./math.js";
import { MERGE_STEPS } from "./merge.js";
import { MUTATION_STEPS } from "./mutation.js";
import { ORDER_STEPS } from "./order.js";
import { REDUCE_STEPS } from "./reduce.js";
import { SACK_STEPS } from "./sack.js";
import type { StepRunner } from "./run.js";
import { SIDE_EFFECT_STEPS } from "./side-effect.js";
import { START_STEPS } from "./start.js";

/** Every step Trident runs, by its bytecode name, from the module of its kind. */
export const STEPS = new Map<string, StepRunner>(
  Object.entries({
    ...START_STEPS,
    ...MUTATION_STEPS,
    ...MERGE_STEPS,
    ...FILTER_STEPS,
    ...MAP_STEPS,
    ...FLATMAP_STEPS,
    ...ORDER_STEPS,
    ...REDUCE_STEPS,
    ...BRANCH_STEPS,
    ...SIDE_EFFECT_STEPS,
    ...SACK_STEPS,
    ...MATH_STEPS,
  }),
);
