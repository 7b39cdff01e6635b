import { GetKeyPolicyCommand, PutKeyPolicyCommand } from "@aws-sdk/client-kms";
import { DeleteDBClusterSnapshotCommand, ModifyDBClusterSnapshotAttributeCommand } from "@aws-sdk/client-neptune";
import { targetInSourceRegion, withClients, type MigrationClients, type SideClients } from "./clients.js";
import { callerIdentities, readSnapshot, restoreAttribute } from "./discover.js";
import { EXIT, MigrateError, explainError, NOT_FOUND, unlessNotFound } from "./errors.js";
import { Journal, journalFileFor, readJournal, type JournalData } from "./journal.js";
import { policyDiff, removeTargetStatements, samePolicy, validateKeyPolicy } from "./key-policy.js";
import { migrationId } from "./names.js";
import { compactDiff, sideLabel } from "./report.js";
import type { RunOptions } from "./apply.js";
import type { CallerIdentity, Side } from "./types.js";

/**
 * `trident migrate cleanup`: undo what the migration needed only while it ran, from the journal, each change
 * shown before it is made and each optional:
 *   - stop sharing the snapshot with the target (only if this migration added the share);
 *   - take the target out of the source key's policy: the original policy goes back when nothing else changed
 *     since, otherwise only this tool's statements are removed;
 *   - delete the intermediate snapshots this migration created (the target's copy, the source's snapshots).
 * The restored cluster and its instances are the result, never touched.
 */

export interface CleanupChoices {
  keepShare?: boolean;
  keepKeyPolicy?: boolean;
  keepSnapshots?: boolean;
}

export interface CleanupAction {
  id: "unshare" | "key-policy" | "delete-snapshot";
  side: Side;
  title: string;
  /** The key-policy diff, for that action. */
  diff?: string[];
  status: "pending" | "done" | "skipped" | "declined";
  run: () => Promise<void>;
}

export interface CleanupOptions extends RunOptions, CleanupChoices {
  /** Asked per action before it is made; without it every action runs (the CLI passes --yes that way). */
  confirm?: (action: CleanupAction) => Promise<boolean>;
  write?: (line: string) => void;
}

export interface CleanupResult {
  journalPath: string;
  /** apply had not finished: the migration is not complete. */
  unfinished: boolean;
  actions: Omit<CleanupAction, "run">[];
  /** A key made by --create-source-key: never deleted here (it may encrypt other snapshots by now). */
  keptKey?: { arn: string; alias: string };
}

/** What a cleanup's user should know, in the single-cluster form's order: unfinished, nothing done, a kept key. */
export function cleanupNotes(result: CleanupResult): string[] {
  return [
    ...(result.unfinished ? ["note: apply had not finished this migration."] : []),
    ...(result.actions.every((action) => action.status === "skipped") ? ["Nothing to clean up."] : []),
    ...(result.keptKey
      ? [
          `note: the key ${result.keptKey.alias} (${result.keptKey.arn}) created for this migration is kept; schedule its deletion when nothing uses it.`,
        ]
      : []),
  ];
}

export function runCleanup(options: CleanupOptions): Promise<CleanupResult> {
  return withClients(options, async (clients) => {
    const { source, target } = await callerIdentities(clients);
    const journalPath =
      options.journalPath ??
      journalFileFor(options.journalDir, migrationId(source.Account, target.Account, options.inputs.targetCluster));
    const data = readJournal(journalPath);
    if (!data)
      throw new MigrateError(
        `no journal at ${journalPath}: nothing this tool did is known`,
        "pass --journal with the file apply wrote (or the same options apply had)",
        EXIT.blocked,
      );
    const journal = Journal.open(
      journalPath,
      {
        migrationId: data.migrationId,
        region: data.region,
        ...(data.targetRegion ? { targetRegion: data.targetRegion } : {}),
        source: data.source,
        target: data.target,
      },
      options.now,
    );
    const actions = await planCleanup(clients, data, source, options);
    const write = options.write ?? (() => {});
    const unfinished = !data.completed.includes("verify");
    for (const action of actions) {
      if (action.status === "skipped") continue;
      write(`${sideLabel(data, action.side)}: ${action.title}`);
      for (const line of compactDiff(action.diff ?? [])) write(`    ${line}`);
      if (options.confirm && !(await options.confirm(action))) {
        action.status = "declined";
        continue;
      }
      try {
        await action.run();
      } catch (error) {
        throw explainError(error, action.side, clients[action.side]);
      }
      action.status = "done";
      journal.record("cleanup", action.id, action.title);
      write("    done");
    }
    journal.data.cleanedUp = (options.now ?? (() => new Date()))().toISOString();
    journal.record("cleanup", "finished");
    return {
      journalPath,
      unfinished,
      actions: actions.map(({ run: _run, ...rest }) => rest),
      ...(data.created.sourceKey ? { keptKey: data.created.sourceKey } : {}),
    };
  });
}

async function planCleanup(
  clients: MigrationClients,
  data: JournalData,
  source: CallerIdentity,
  choices: CleanupChoices,
): Promise<CleanupAction[]> {
  const actions: CleanupAction[] = [];
  const a = clients.source;
  const b = clients.target;
  const B = data.target.account;

  const share = data.share;
  if (share?.addedByUs && !choices.keepShare) {
    const sharedWith =
      (await unlessNotFound(NOT_FOUND.snapshot, () => restoreAttribute(a.neptune, share.snapshot))) ?? [];
    actions.push({
      id: "unshare",
      side: "source",
      title: `stop sharing ${share.snapshot} with ${B}`,
      status: sharedWith.includes(B) ? "pending" : "skipped",
      run: async () => {
        await a.neptune.send(
          new ModifyDBClusterSnapshotAttributeCommand({
            DBClusterSnapshotIdentifier: share.snapshot,
            AttributeName: "restore",
            ValuesToRemove: [B],
          }),
        );
      },
    });
  }

  const keyPolicy = data.keyPolicy;
  if (keyPolicy && !choices.keepKeyPolicy) {
    const current = (await a.kms.send(new GetKeyPolicyCommand({ KeyId: keyPolicy.keyArn, PolicyName: "default" })))
      .Policy!;
    const without = removeTargetStatements(current, B);
    // Put the original text back when only our statements differ; otherwise keep the others' later edits.
    const next =
      without === undefined ? undefined : samePolicy(without, keyPolicy.original) ? keyPolicy.original : without;
    if (next !== undefined) {
      const problems = validateKeyPolicy(next, keyPolicy.keyArn, source);
      if (problems.length > 0)
        throw new MigrateError(
          `the key policy without the target's statements would be refused (${problems[0]!.rule}): ${problems[0]!.message}`,
          "edit the key policy by hand",
        );
    }
    actions.push({
      id: "key-policy",
      side: "source",
      title:
        next === keyPolicy.original
          ? `restore the original key policy of ${keyPolicy.keyArn}`
          : `remove ${B}'s statements from the key policy of ${keyPolicy.keyArn}`,
      ...(next !== undefined ? { diff: policyDiff(current, next) } : {}),
      status: next === undefined ? "skipped" : "pending",
      run: async () => {
        await a.kms.send(new PutKeyPolicyCommand({ KeyId: keyPolicy.keyArn, PolicyName: "default", Policy: next! }));
      },
    });
  }

  if (!choices.keepSnapshots) {
    const created = data.created;
    const candidates: [SideClients, Side, string | undefined][] = [
      // The target's copy of the shared snapshot (across Regions, in the source's Region), then its copy across.
      [targetInSourceRegion(clients), "target", created.targetCopy],
      [b, "target", created.regionCopy],
      [a, "source", created.sourceCmkSnapshot],
      [a, "source", created.sourceManualSnapshot],
    ];
    for (const [side, label, name] of candidates) {
      if (!name) continue;
      const snapshot = await readSnapshot(side.neptune, name, { withDetails: false });
      actions.push({
        id: "delete-snapshot",
        side: label,
        title: `delete the intermediate snapshot ${name}`,
        status: snapshot ? "pending" : "skipped",
        run: async () => {
          await side.neptune.send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: name }));
        },
      });
    }
  }
  return actions;
}
