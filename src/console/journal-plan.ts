import type { JournalData } from "../migrate/journal.js";
import { isStepId, stepRules, type RulePath } from "../migrate/step-rules.js";

/**
 * The rules (docs/rules.md) of each step of a journal the console did not watch, from the migrate plan's own table
 * (src/migrate/step-rules.ts), with the source's path as far as the journal tells it:
 * - encrypted: only an encrypted source has a `key-policy` step (R10), or a key this migration created;
 * - automated: the given snapshot is an automated one (`rds:` names are AWS's for those, R1);
 * - under aws/rds: the migration created a source key for it (--create-source-key, R3). *Decided*: an aws/rds
 *   source re-encrypted under --source-kms-key leaves no such trace, so its copy-to-cmk step shows no R3.
 */
export function plannedSteps(data: JournalData): Map<string, { rules: string[] }> {
  const path: RulePath = {
    encrypted:
      data.keyPolicy !== undefined ||
      data.created.sourceKey !== undefined ||
      data.events.some((event) => event.step === "key-policy"),
    automated: data.source.snapshot?.startsWith("rds:") ?? false,
    awsManagedKey: data.created.sourceKey !== undefined,
  };
  const steps = new Map<string, { rules: string[] }>();
  for (const { step } of data.events) {
    if (isStepId(step) && !steps.has(step)) steps.set(step, { rules: stepRules(step, path) });
  }
  return steps;
}
