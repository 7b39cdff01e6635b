import { existsSync } from "node:fs";
import { withClients } from "./clients.js";
import { runCleanup, type CleanupAction, type CleanupChoices, type CleanupResult } from "./cleanup.js";
import { callerIdentities } from "./discover.js";
import { outcomeOf, type ClusterOutcome } from "./fleet-apply.js";
import { fleetError, fleetMember, selectedInputs, type FleetMember, type FleetOptions } from "./fleet-plan.js";

/**
 * `trident migrate cleanup` for a fleet: each cluster's single-cluster cleanup, from its own journal, one cluster
 * after the other (cleanup only makes a few quick calls, and may ask about each). A cluster this tool never
 * migrated (no journal) is skipped; one that fails is reported with its fix and the others are cleaned up.
 */

export interface FleetCleanupOptions extends Omit<FleetOptions, "parallel">, CleanupChoices {
  confirm?: (member: FleetMember, action: CleanupAction) => Promise<boolean>;
  /** The lines of one cluster's cleanup (the CLI prefixes them with the cluster). */
  writerFor?: (member: FleetMember) => (line: string) => void;
  now?: () => number;
}

export interface FleetCleanupOutcome extends ClusterOutcome {
  cleanup?: CleanupResult;
}

export function runFleetCleanup(options: FleetCleanupOptions): Promise<FleetCleanupOutcome[]> {
  return withClients(options, async (clients) => {
    const identities = await callerIdentities(clients);
    const members = (await selectedInputs(options.selection, clients)).map((inputs) =>
      fleetMember(inputs, identities, options.journalDir),
    );
    const now = options.now ?? Date.now;
    const outcomes: FleetCleanupOutcome[] = [];
    for (const member of members) {
      if (!existsSync(member.journalPath)) {
        outcomes.push(outcomeOf(member, { state: "skipped" }));
        continue;
      }
      const started = now();
      try {
        const cleanup = await runCleanup({
          inputs: member.inputs,
          clients,
          journalPath: member.journalPath,
          keepShare: options.keepShare,
          keepKeyPolicy: options.keepKeyPolicy,
          keepSnapshots: options.keepSnapshots,
          ...(options.writerFor ? { write: options.writerFor(member) } : {}),
          ...(options.confirm ? { confirm: (action: CleanupAction) => options.confirm!(member, action) } : {}),
        });
        outcomes.push({ ...outcomeOf(member, { state: "done", durationMs: now() - started }), cleanup });
      } catch (error) {
        outcomes.push(
          outcomeOf(member, { state: "failed", durationMs: now() - started, problems: [fleetError(error)] }),
        );
      }
    }
    return outcomes;
  });
}
