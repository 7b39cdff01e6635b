import { createInterface } from "node:readline/promises";
import { MAX_COPIES_IN_PROGRESS } from "../domain/neptune/quotas.js";
import { runApply, runPlan, blockedError, type ApplyResult } from "../migrate/apply.js";
import { runCutover, type CutoverOptions } from "../migrate/live-cutover.js";
import { cleanupNotes, runCleanup, type CleanupAction } from "../migrate/cleanup.js";
import { EXIT, MigrateError } from "../migrate/errors.js";
import { DEFAULT_TARGET_KEY } from "../migrate/plan.js";
import { JsonReporter, TextReporter, describeChanges, renderPlan } from "../migrate/report.js";
import { STEPS } from "../migrate/steps/index.js";
import { lineProgress, progressFor } from "../migrate/waiters.js";
import type { MigrateInputs, SideConfig, StepId } from "../migrate/types.js";
import type { FleetSelection } from "../migrate/fleet-plan.js";
import { parseFlags, UsageError, type FlagTable, type FlagValues } from "./flags.js";
import { DEFAULT_PARALLEL, fleetCommand, type FleetCommand } from "./migrate-fleet.js";
import { confirmation, type MigrateIo } from "./migrate-io.js";
import { CLUSTER_OPTIONS, readManifest, type ClusterValues } from "./migrate-manifest.js";
import { profileRegion } from "./migrate-region.js";

export const MIGRATE_USAGE = `Usage: trident migrate <plan|apply|cutover|cleanup> [options]

Moves a Neptune cluster to another AWS account through a shared encrypted snapshot.
  plan      read-only: the steps apply would take, and every blocker with its fix (exit 0: ready, 3: blocked)
  apply     does the steps; safe to run again: it resumes after a crash, and does nothing once done
  cutover   after apply --live: drains the source's last changes once its writers stop, compares both graphs,
            and says when the target is authoritative, with the write pause (docs/migrate-live.md)
  cleanup   stops sharing, takes the target out of the key policy, deletes intermediate snapshots

Accounts (each side: a profile, or access keys, or the SDK's default chain):
  --source-profile NAME | --source-access-key-id ID --source-secret-access-key KEY [--source-session-token T]
  --target-profile NAME | --target-access-key-id ID --target-secret-access-key KEY [--target-session-token T]
  --endpoint-url URL          both sides (the local AWS: trident serve); or --source-endpoint-url / --target-endpoint-url
  --region REGION             the source's Region, and the target's (default: as the SDK resolves it: AWS_REGION,
                              then the source profile's region in ~/.aws/config, then AWS_DEFAULT_REGION)
  --target-region REGION      move into another Region too (default: --region): the target copies the shared
                              snapshot in the source's Region, then its copy across (docs/migrate-regions.md)
  --source-data-endpoint-url URL / --target-data-endpoint-url URL
                              where a cluster's graph answers, for --verify-data (default: its Endpoint:Port)

What to move:
  --source-cluster ID         the cluster to move; or --source-snapshot ID|ARN (an existing snapshot of it)
A fleet (one plan for all, each cluster with its own journal, a summary at the end):
  --source-cluster ID ...     repeated: these clusters, each keeping its id in the target
  --all-clusters              every Neptune cluster of the source account in the region
  --manifest FILE             JSON: {"clusters": {"<source cluster>": {"target-cluster": ID, "instance-class": …}}}:
                              the options below and --verify-data, per cluster (docs/migrate-fleets.md)
  --parallel N                clusters apply moves at once (default ${DEFAULT_PARALLEL}); copies queue for AWS's ${MAX_COPIES_IN_PROGRESS} per account
Each cluster (given here, for every cluster of a fleet):
  --target-cluster ID         the cluster to create in the target (default: the source cluster's id; one cluster only)
  --target-kms-key KEY        a key of the target account (default: ${DEFAULT_TARGET_KEY}, as the console does), in
                              --target-region when it is another
  --transit-kms-key KEY       across Regions: a key of the target account in the source's Region for its copy there
                              (default: ${DEFAULT_TARGET_KEY})
  --source-kms-key KEY        a CMK of the source to share the snapshot under (needed for aws/rds snapshots)
  --create-source-key         create that CMK when the source uses aws/rds and none is given
  --subnet-group NAME  --security-group-ids ID[,ID]  --parameter-group NAME
  --instance-class CLASS  --instance-count N          default: like the source's instances

Checking the data (apply):
  --verify-data               after verify, compare both clusters' graph summaries (GetPropertygraphSummary,
                              detailed): needs network reach to both clusters' endpoints, an instance in the
                              source cluster, and neptune-db:GetGraphSummary on each side; a difference is exit 4

Moving a live cluster (one cluster; Neptune Streams on at the source; docs/migrate-live.md):
  --live                      apply: read the source's stream position before its snapshot, then replay the changes
                              made since onto the target until caught up, showing the lag
  --follow                    apply --live: keep following the source once caught up, until stopped (Ctrl-C)
  --quiet-seconds SECONDS     cutover: how long the source must stay unwritten before the switch (default 2)
  --compare-elements          cutover: also compare every node and relationship of both graphs (reads both fully)

Running:
  --journal FILE              one cluster's journal (default: <source>-to-<target>-<cluster>.json in --journal-dir)
  --journal-dir DIR           where the journals are, one per cluster (default: .trident/migrations)
  --output text|json          json: one document on stdout, for automation
  --yes                       don't ask before changing live resources
  --poll-interval SECONDS     between status checks (default 15 for snapshots, 30 for clusters and instances)
  --wait-timeout SECONDS      give up waiting after this long (default 21600); apply resumes the wait
  --keep-share --keep-key-policy --keep-snapshots   (cleanup) leave that part as it is
  --debug                     show the stack of unexpected errors, and process warnings (the SDK's notices)

Exit codes: 0 done/ready, 1 unexpected error, 2 bad options, 3 blocked (a fix is printed), 4 verify failed,
5 not confirmed. IAM permissions each side needs: docs/migrate-permissions.md.`;

const STEP_IDS = Object.keys(STEPS) as StepId[];

const OPTIONS = {
  ...CLUSTER_OPTIONS,
  region: { kind: "text" },
  "target-region": { kind: "text" },
  "transit-kms-key": { kind: "text" },
  "source-profile": { kind: "text" },
  "target-profile": { kind: "text" },
  "source-access-key-id": { kind: "text" },
  "source-secret-access-key": { kind: "text" },
  "source-session-token": { kind: "text" },
  "target-access-key-id": { kind: "text" },
  "target-secret-access-key": { kind: "text" },
  "target-session-token": { kind: "text" },
  "endpoint-url": { kind: "url" },
  "source-endpoint-url": { kind: "url" },
  "target-endpoint-url": { kind: "url" },
  "source-data-endpoint-url": { kind: "url" },
  "target-data-endpoint-url": { kind: "url" },
  "source-cluster": { kind: "text", multiple: true },
  "all-clusters": { kind: "boolean" },
  manifest: { kind: "text" },
  parallel: { kind: "count" },
  "source-snapshot": { kind: "text" },
  journal: { kind: "text" },
  "journal-dir": { kind: "text" },
  output: { kind: "choice", choices: ["text", "json"] },
  yes: { kind: "boolean", short: "y" },
  "poll-interval": { kind: "seconds" },
  "wait-timeout": { kind: "seconds" },
  "keep-share": { kind: "boolean" },
  "keep-key-policy": { kind: "boolean" },
  "keep-snapshots": { kind: "boolean" },
  live: { kind: "boolean" },
  follow: { kind: "boolean" },
  "quiet-seconds": { kind: "seconds" },
  "compare-elements": { kind: "boolean" },
  debug: { kind: "boolean" },
  help: { kind: "boolean", short: "h" },
  // Test hook, not in the usage: stop as if killed right after this step.
  "stop-after": { kind: "choice", choices: STEP_IDS },
} as const satisfies FlagTable;

export type { MigrateIo };

type Values = FlagValues<typeof OPTIONS>;

function side(values: Values, name: "source" | "target"): SideConfig {
  const config: SideConfig = {};
  const profile = values[`${name}-profile`];
  const keyId = values[`${name}-access-key-id`];
  const secret = values[`${name}-secret-access-key`];
  const token = values[`${name}-session-token`];
  const endpoint = values[`${name}-endpoint-url`] ?? values["endpoint-url"];
  if ((keyId === undefined) !== (secret === undefined))
    throw new UsageError(`give both --${name}-access-key-id and --${name}-secret-access-key`);
  if (profile && keyId) throw new UsageError(`give --${name}-profile or --${name}-access-key-id, not both`);
  if (profile) config.profile = profile;
  if (keyId && secret)
    Object.assign(config, { accessKeyId: keyId, secretAccessKey: secret, ...(token ? { sessionToken: token } : {}) });
  if (endpoint) config.endpoint = endpoint;
  const dataEndpoint = values[`${name}-data-endpoint-url`];
  if (dataEndpoint) config.dataEndpoint = dataEndpoint;
  return config;
}

type Accounts = Pick<MigrateInputs, "source" | "target" | "region" | "targetRegion">;

/** Both accounts and the Regions. */
async function accountsFrom(values: Values, env: NodeJS.ProcessEnv): Promise<Accounts> {
  const source = side(values, "source");
  const target = side(values, "target");
  // Never guessed: an endpoint (the local AWS, a VPC or FIPS endpoint) does not say a Region; a profile may.
  const region =
    values.region ??
    (await profileRegion(source.profile, env)) ??
    (target.profile ? await profileRegion(target.profile, env) : undefined);
  if (!region) throw new UsageError("give --region (or set AWS_REGION) or a region in the profile's config");
  const targetRegion = values["target-region"];
  return { source, target, region, ...(targetRegion && targetRegion !== region ? { targetRegion } : {}) };
}

/** One cluster's inputs: the accounts, the source cluster (or --source-snapshot), and the per-cluster options. */
function inputsFrom(values: Values, accounts: Accounts, sourceCluster: string | undefined): MigrateInputs {
  if (!sourceCluster && !values["source-snapshot"]) throw new UsageError("give --source-cluster or --source-snapshot");
  if (sourceCluster && values["source-snapshot"])
    throw new UsageError("give --source-cluster or --source-snapshot, not both");
  const targetCluster = values["target-cluster"] ?? sourceCluster;
  if (!targetCluster) throw new UsageError("give --target-cluster");
  if (values["transit-kms-key"] && !accounts.targetRegion)
    throw new UsageError("--transit-kms-key is for a move into another Region: give --target-region too");
  const count = values["instance-count"];
  const groups = (values["security-group-ids"] ?? [])
    .flatMap((item) => item.split(","))
    .map((item) => item.trim())
    .filter(Boolean);
  return {
    ...accounts,
    ...(sourceCluster ? { sourceCluster } : {}),
    ...(values["source-snapshot"] ? { sourceSnapshot: values["source-snapshot"] } : {}),
    targetCluster,
    targetKmsKey: values["target-kms-key"] ?? DEFAULT_TARGET_KEY,
    ...(values["transit-kms-key"] ? { transitKmsKey: values["transit-kms-key"] } : {}),
    ...(values["source-kms-key"] ? { sourceKmsKey: values["source-kms-key"] } : {}),
    ...(values["create-source-key"] ? { createSourceKey: true } : {}),
    ...(values["subnet-group"] ? { subnetGroup: values["subnet-group"] } : {}),
    ...(groups.length > 0 ? { securityGroupIds: groups } : {}),
    ...(values["parameter-group"] ? { parameterGroup: values["parameter-group"] } : {}),
    ...(values["instance-class"] ? { instanceClass: values["instance-class"] } : {}),
    ...(count !== undefined ? { instanceCount: count } : {}),
    ...(values["verify-data"] ? { verifyData: true } : {}),
    ...(values.live ? { live: true } : {}),
  };
}

/** Runs `trident migrate …` and returns the exit code. */
export async function migrateMain(argv: string[], io: MigrateIo): Promise<number> {
  let values: Values;
  let command: string | undefined;
  try {
    const parsed = parseFlags(argv, OPTIONS, 1);
    values = parsed.values;
    command = parsed.positionals[0];
  } catch (error) {
    io.stderr(`trident migrate: ${(error as Error).message} (see 'trident migrate --help')\n`);
    return EXIT.usage;
  }
  if (values.help || !command) {
    (values.help ? io.stdout : io.stderr)(`${MIGRATE_USAGE}\n`);
    return values.help ? EXIT.ok : EXIT.usage;
  }
  const json = values.output === "json";
  try {
    if (!["plan", "apply", "cutover", "cleanup"].includes(command))
      throw new UsageError(`unknown subcommand '${command}' (plan, apply, cutover or cleanup)`);
    if (values.follow && !(command === "apply" && values.live)) throw new UsageError("--follow goes with apply --live");
    const stopAfter = values["stop-after"] as StepId | undefined;
    const env = io.env ?? process.env;
    const pollSeconds = values["poll-interval"];
    const timeoutSeconds = values["wait-timeout"];
    const wait = {
      ...(pollSeconds ? { intervalMs: pollSeconds * 1000 } : {}),
      ...(timeoutSeconds ? { timeoutMs: timeoutSeconds * 1000 } : {}),
    };
    const shared = {
      ...(values["journal-dir"] ? { journalDir: values["journal-dir"] } : {}),
      ...(io.requestHandler ? { clientOptions: { requestHandler: io.requestHandler } } : {}),
    };
    const accounts = await accountsFrom(values, env);
    const selection = fleetSelection(values, accounts);
    if (selection && (values.live || command === "cutover"))
      throw new UsageError("--live and cutover move one cluster: give one --source-cluster");
    if (selection) {
      const fleet = {
        ...shared,
        inputs: accounts,
        selection,
        parallel: values.parallel ?? DEFAULT_PARALLEL,
      };
      return await fleetCommand(command as FleetCommand, fleet, io, {
        json,
        debug: values.debug,
        yes: values.yes,
        wait,
        ...(stopAfter ? { stopAfter } : {}),
        cleanup: {
          keepShare: values["keep-share"],
          keepKeyPolicy: values["keep-key-policy"],
          keepSnapshots: values["keep-snapshots"],
        },
      });
    }
    const inputs = inputsFrom(values, accounts, values["source-cluster"]?.[0]);
    const common = { ...shared, inputs, ...(values.journal ? { journalPath: values.journal } : {}) };
    if (command === "plan") return await planCommand(common, io, json);
    if (command === "apply")
      return await applyCommand(
        { ...common, wait, ...(stopAfter ? { stopAfter } : {}), ...(values.follow ? { live: { follow: true } } : {}) },
        io,
        json,
        values.yes,
      );
    if (command === "cutover") {
      const quiet = values["quiet-seconds"];
      return await cutoverCommand(
        {
          ...common,
          ...(quiet !== undefined ? { quietMs: quiet * 1000 } : {}),
          compareElements: values["compare-elements"],
        },
        io,
        json,
      );
    }
    return await cleanupCommand(common, io, json, values);
  } catch (error) {
    return reportError(error, io, json, values.debug);
  }
}

/**
 * The clusters of a fleet (several --source-cluster, --all-clusters or --manifest), or undefined for the
 * single-cluster form, whose behaviour and output stay as they were. Mixed or one-cluster-only options are refused.
 */
function fleetSelection(values: Values, accounts: Accounts): FleetSelection | undefined {
  const listed = values["source-cluster"] ?? [];
  const forms = [
    ...(listed.length > 0 ? ["--source-cluster"] : []),
    ...(values["all-clusters"] ? ["--all-clusters"] : []),
    ...(values.manifest ? ["--manifest"] : []),
  ];
  if (forms.length > 1)
    throw new UsageError(`give --source-cluster, --all-clusters or --manifest, not ${forms.join(" and ")}`);
  if (listed.length <= 1 && forms[0] !== "--all-clusters" && forms[0] !== "--manifest") return undefined;
  if (values["source-snapshot"])
    throw new UsageError(
      "--source-snapshot moves one snapshot: give it without --all-clusters, --manifest or several --source-cluster",
    );
  if (values["target-cluster"])
    throw new UsageError(
      "--target-cluster names one cluster's target: with several clusters each keeps its id, or give a --manifest that maps each",
    );
  if (values.journal)
    throw new UsageError("--journal is one cluster's journal: with several clusters give --journal-dir");
  // Identifiers are not case-sensitive (Neptune stores them in lowercase): `Orders` and `orders` are one cluster.
  const lower = listed.map((id) => id.toLowerCase());
  const twice = listed.find((id, index) => lower.indexOf(id.toLowerCase()) !== index);
  if (twice) throw new UsageError(`--source-cluster ${twice} is given twice`);
  const one = (sourceCluster: string, own: ClusterValues = {}) =>
    inputsFrom({ ...values, ...own }, accounts, sourceCluster);
  if (values["all-clusters"]) {
    return { allClusters: (sourceCluster) => one(sourceCluster) };
  }
  const members = values.manifest
    ? readManifest(values.manifest).map((entry) => one(entry.sourceCluster, entry.values))
    : listed.map((id) => one(id));
  const targets = new Map<string, string>();
  for (const member of members) {
    const other = targets.get(member.targetCluster.toLowerCase());
    if (other !== undefined)
      throw new UsageError(
        `--manifest: clusters ${other} and ${member.sourceCluster} both move to ${member.targetCluster}`,
      );
    targets.set(member.targetCluster.toLowerCase(), member.sourceCluster!);
  }
  return { members };
}

function reportError(error: unknown, io: MigrateIo, json: boolean, debug: boolean): number {
  if (error instanceof UsageError) {
    io.stderr(`trident migrate: ${error.message}\n`);
    return EXIT.usage;
  }
  if (error instanceof MigrateError) {
    if (json)
      io.stdout(`${JSON.stringify({ status: "error", error: { message: error.message, fix: error.fix } }, null, 2)}\n`);
    io.stderr(`trident migrate: ${error.message}\n  fix: ${error.fix.split("\n").join("\n  ")}\n`);
    if (debug && error.cause) io.stderr(`${(error.cause as Error)?.stack ?? String(error.cause)}\n`);
    return error.exitCode;
  }
  const message = (error as Error)?.message ?? String(error);
  if (json)
    io.stdout(`${JSON.stringify({ status: "error", error: { message, code: (error as Error)?.name } }, null, 2)}\n`);
  io.stderr(
    debug
      ? `${(error as Error)?.stack ?? message}\n`
      : `trident migrate: ${(error as Error)?.name ?? "Error"}: ${message}\n  (run with --debug for the stack)\n`,
  );
  return EXIT.failure;
}

type Common = Parameters<typeof runPlan>[0];

async function planCommand(options: Common, io: MigrateIo, json: boolean): Promise<number> {
  const { plan, journalPath } = await runPlan(options);
  if (json) io.stdout(`${JSON.stringify({ command: "plan", journal: journalPath, plan }, null, 2)}\n`);
  else io.stdout(renderPlan(plan));
  return plan.canProceed ? EXIT.ok : EXIT.blocked;
}

async function applyCommand(
  options: Parameters<typeof runApply>[0],
  io: MigrateIo,
  json: boolean,
  yes: boolean,
): Promise<number> {
  const progress = json
    ? lineProgress(() => {})
    : io.stderrStream
      ? progressFor(io.stderrStream)
      : lineProgress((line) => io.stderr(`${line}\n`));
  const reporter = json ? new JsonReporter() : new TextReporter({ write: (line) => io.stdout(`${line}\n`), progress });
  let result: ApplyResult;
  try {
    result = await runApply({
      ...options,
      reporter,
      confirm: async (plan) => {
        if (!json) io.stdout(`${renderPlan(plan)}\n`);
        return confirmation(io, yes, `apply will change these live resources:\n${describeChanges(plan)}\nContinue?`);
      },
    });
  } catch (error) {
    if (json && reporter instanceof JsonReporter && error instanceof MigrateError) {
      io.stdout(
        `${JSON.stringify({ command: "apply", status: "error", error: { message: error.message, fix: error.fix }, events: reporter.events }, null, 2)}\n`,
      );
      io.stderr(`trident migrate: ${error.message}\n  fix: ${error.fix}\n`);
      return error.exitCode;
    }
    throw error;
  }
  if (json) {
    const events = reporter instanceof JsonReporter ? reporter.events : [];
    io.stdout(
      `${JSON.stringify({ command: "apply", status: result.status, journal: result.journalPath, changed: result.changed, verification: result.verification, dataVerification: result.dataVerification, plan: result.plan, events }, null, 2)}\n`,
    );
  }
  if (result.status === "blocked") {
    if (!json) io.stdout(renderPlan(result.plan));
    return reportError(blockedError(result.plan), io, false, false);
  }
  if (result.status === "declined") return EXIT.declined;
  if (!json) {
    if (result.status === "stopped")
      io.stdout(
        `stopped after ${options.stopAfter} (--stop-after); run apply again to resume. Journal: ${result.journalPath}\n`,
      );
    else
      io.stdout(
        `${result.changed.length === 0 ? "Nothing to change: the migration was already complete." : `Migrated: ${result.plan.source.account} → ${result.plan.target.account} cluster ${result.plan.names.targetCluster}.`} Journal: ${result.journalPath}\n`,
      );
  }
  return EXIT.ok;
}

async function cutoverCommand(options: Omit<CutoverOptions, "write">, io: MigrateIo, json: boolean): Promise<number> {
  const result = await runCutover({ ...options, write: json ? () => {} : (line) => io.stdout(`${line}\n`) });
  if (json) io.stdout(`${JSON.stringify({ command: "cutover", status: "done", ...result }, null, 2)}\n`);
  return EXIT.ok;
}

async function cleanupCommand(options: Common, io: MigrateIo, json: boolean, values: Values): Promise<number> {
  const write = json ? () => {} : (line: string) => io.stdout(`${line}\n`);
  const result = await runCleanup({
    ...options,
    keepShare: values["keep-share"],
    keepKeyPolicy: values["keep-key-policy"],
    keepSnapshots: values["keep-snapshots"],
    write,
    confirm: (action: CleanupAction) => confirmation(io, values.yes, `${action.title}?`),
  });
  if (json) io.stdout(`${JSON.stringify({ command: "cleanup", ...result }, null, 2)}\n`);
  else {
    for (const note of cleanupNotes(result)) io.stdout(`${note}\n`);
  }
  return result.actions.some((action) => action.status === "declined") ? EXIT.declined : EXIT.ok;
}

/** The `migrate` entry of src/cli/main.ts. */
export async function migrateCommand(argv: string[]): Promise<void> {
  const interactive = process.stdin.isTTY === true;
  const readline = interactive ? createInterface({ input: process.stdin, output: process.stdout }) : undefined;
  // Ctrl-C: every step checks before it acts and the journal is written atomically, so a re-run resumes.
  const interrupted = () => {
    process.stderr.write("\ntrident migrate: interrupted; run the same command again to resume where it stopped.\n");
    process.exit(130);
  };
  process.once("SIGINT", interrupted);
  try {
    process.exitCode = await migrateMain(argv, {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
      stderrStream: process.stderr,
      ...(readline ? { ask: (question: string) => readline.question(question) } : {}),
    });
  } finally {
    process.off("SIGINT", interrupted);
    readline?.close();
  }
}
