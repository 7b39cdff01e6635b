import type { StepId } from "./types.js";

/** What about the source decides which rules a step meets. */
export interface RulePath {
  encrypted: boolean;
  /** The source is an automated snapshot (R1: copy it to a manual one first). */
  automated: boolean;
  /** The source is under the AWS managed key aws/rds (R3: re-encrypt under a CMK). */
  awsManagedKey: boolean;
}

/**
 * The rules (docs/rules.md) each step of a migration meets: the plan shows them with its steps, and the console's
 * timeline with the steps of a journal, from this one table.
 */
const STEP_RULES: Record<StepId, (path: RulePath) => string[]> = {
  "create-source-key": (path) => (path.awsManagedKey ? ["R3"] : []),
  snapshot: () => [],
  "copy-to-cmk": (path) => [...(path.automated ? ["R1"] : []), ...(path.awsManagedKey ? ["R3"] : [])],
  share: (path) => [path.encrypted ? "R4" : "R2", "R5"],
  "key-policy": () => ["R10", "K1", "K2", "K3"],
  copy: (path) => (path.encrypted ? ["R5", "R6", "R7", "R8", "R9", "R10"] : ["R5", "R7", "R8"]),
  "copy-region": (path) => (path.encrypted ? ["R12", "R13"] : ["R12"]),
  restore: () => ["R11"],
  instances: () => ["R11"],
  verify: () => [],
  "verify-data": () => ["R11"],
  "stream-position": () => [],
  replay: () => ["R11"],
};

/** The steps whose rules are the same whatever the source. */
type PathFreeStep = "snapshot" | "restore" | "instances" | "verify" | "verify-data" | "stream-position" | "replay";

export function stepRules(step: PathFreeStep): string[];
export function stepRules(step: StepId, path: RulePath): string[];
export function stepRules(step: StepId, path?: RulePath): string[] {
  // Only the path-free steps are called without a path (the overloads say so); their rules ignore it.
  return STEP_RULES[step](path!);
}

export const isStepId = (id: string): id is StepId => Object.hasOwn(STEP_RULES, id);
