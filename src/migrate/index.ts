/**
 * `trident migrate` as a library: the CLI (src/cli/migrate.ts), the demo and the tests use these. Everything
 * talks to AWS through the SDK v3 clients only, so the same code runs against real AWS and the local one.
 */
export {
  runPlan,
  runApply,
  blockedError,
  type RunOptions,
  type ApplyOptions,
  type ApplyResult,
  type PlanResult,
} from "./apply.js";
export { runCleanup, type CleanupOptions, type CleanupResult, type CleanupAction } from "./cleanup.js";
export { buildPlan, DEFAULT_TARGET_KEY } from "./plan.js";
export { discover } from "./discover.js";
export { createSideClients, createMigrationClients, type SideClients, type MigrationClients } from "./clients.js";
export { renderPlan, TextReporter, JsonReporter } from "./report.js";
export { MigrateError, EXIT } from "./errors.js";
export { readJournal, defaultJournalPath, type JournalData } from "./journal.js";
export type * from "./types.js";
