import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetKeyPolicyCommand } from "@aws-sdk/client-kms";
import {
  CopyDBClusterSnapshotCommand,
  DeleteDBClusterCommand,
  DeleteDBClusterSnapshotCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  ListTagsForResourceCommand,
  RestoreDBClusterFromSnapshotCommand,
} from "@aws-sdk/client-neptune";
import { DEFAULT_CREDENTIALS, DEFAULT_REGION, SOURCE_ACCOUNT, TARGET_ACCOUNT } from "../config/defaults.js";
import { DEFAULT_DATA_PLANE, type DataPlaneConfig } from "../domain/neptune/data-plane/ports.js";
import { Emulator } from "../emulator.js";
import { startServer } from "../server/http.js";
import { DELAY_PROFILES, type Delays } from "../state/delays.js";
import { runApply, runPlan, type ApplyResult } from "../migrate/apply.js";
import { runCleanup } from "../migrate/cleanup.js";
import { createMigrationClients, destroyClients, type SideClients } from "../migrate/clients.js";
import { restoreAttribute } from "../migrate/discover.js";
import { EXIT, MigrateError } from "../migrate/errors.js";
import { DEFAULT_TARGET_KEY, formatTags } from "../migrate/plan.js";
import { TextReporter, elapsedStamp, renderPlan } from "../migrate/report.js";
import { buildSeed } from "../migrate/seed.js";
import type { Reporter, StepContext } from "../migrate/steps/context.js";
import { CONSOLE_PATH } from "../console/paths.js";
import type { MigrateInputs } from "../migrate/types.js";
import { progressFor, type Progress } from "../migrate/waiters.js";
import { clusterGraph, compareSides, refusalOf, showQueryBeforeInstance, type ClusterGraph } from "./demo-data.js";
import { DEMO_GRAPH_SEED, loadDemoGraph } from "./demo-graph.js";
import { demoCutover, enableStreams, startLiveWriter } from "./demo-live.js";
import { parseFlags } from "./flags.js";

export const DEMO_USAGE = `Usage: trident demo [--live] [--cleanup] [--fast] [--keep-serving] [--data-plane-ports FIRST-LAST] [--debug]

Starts the local AWS in-process, builds the seed's situation in account ${SOURCE_ACCOUNT} (a CMK, an encrypted
Neptune cluster with an instance, tags) and loads a graph into that cluster through openCypher (a small shop:
customers, orders, products, categories, suppliers, cities). Then runs \`trident migrate plan\` and
\`apply --verify-data\` into account ${TARGET_ACCOUNT} and prints the timeline: each step, each rule it meets
(docs/rules.md), the refusals the procedure is known for (among them a query on the restored cluster before it
has an instance), the graph in ${TARGET_ACCOUNT} next to the graph in ${SOURCE_ACCOUNT} (counts per label and the
answers to application queries) with a verdict, and the final state of both accounts.
  --live           move the cluster live: Neptune Streams on at the source, a seeded writer adding to its graph
                   all along, \`apply --live\` catching up, then \`cutover\` with the write pause measured
  --cleanup        also run \`trident migrate cleanup\` at the end
  --fast           instant lifecycle transitions (default: the demo profile, a few hundred ms each)
  --keep-serving   leave the local AWS running afterwards, to look around with the AWS CLI
  --data-plane-ports FIRST-LAST
                   ports for the clusters' and instances' endpoints (default ${DEFAULT_DATA_PLANE.firstPort}-${DEFAULT_DATA_PLANE.lastPort}, as trident serve)
  --debug          also show process warnings (the AWS SDK's notices, dependencies' deprecations)`;

export interface DemoOptions {
  write: (line: string) => void;
  /** Progress bars (a terminal) or lines. */
  progress?: Progress;
  delays?: Delays;
  pollMs?: number;
  cleanup?: boolean;
  /** Keep the server running and return its endpoint instead of closing it. */
  keepServing?: boolean;
  /** Where the clusters' data planes listen (tests give each run its own port range). */
  dataPlane?: Partial<DataPlaneConfig>;
  /** `--live`: a writer keeps writing to A's graph through the migration, then the cutover (demo-live.ts). */
  live?: boolean;
}

export interface DemoResult {
  ok: boolean;
  endpoint: string;
  walls: { rule: string; code: string }[];
  /** The graph loaded into A, and whether B answered every query of the comparison as A did. */
  data: { nodes: number; relationships: number; sameAnswers: number; differentAnswers: string[] };
  /** `--live`: the writes made while the migration ran, and the cutover's write pause. */
  live?: { writes: number; pauseMs: number; elementDifferences: number };
  close: () => Promise<void>;
}

/**
 * The main job, on the embedded AWS. The migration itself is the same library code `trident migrate` runs,
 * through the SDK over a real socket to the local AWS; the seed, the graph's load, the walls and the comparison of
 * the two graphs are the demo's own calls.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const write = options.write;
  const started = Date.now();
  const elapsedMs = () => Date.now() - started;
  const stamp = () => elapsedStamp(elapsedMs());
  const journalDir = mkdtempSync(join(tmpdir(), "trident-demo-"));
  const emulator = new Emulator({
    delays: options.delays ?? DELAY_PROFILES.demo,
    ...(options.dataPlane ? { dataPlane: options.dataPlane } : {}),
    // The console shows this run's journal as it is written, and watches the run for its rules and walls.
    console: { journalDirs: [journalDir] },
  });
  const server = await startServer(emulator, { port: 0 });
  const consoleUrl = `${server.endpoint}${CONSOLE_PATH}`;
  const region = DEFAULT_REGION;
  const inputs: MigrateInputs = {
    source: { ...DEFAULT_CREDENTIALS[SOURCE_ACCOUNT], endpoint: server.endpoint },
    target: { ...DEFAULT_CREDENTIALS[TARGET_ACCOUNT], endpoint: server.endpoint },
    region,
    sourceCluster: "orders-graph",
    targetCluster: "orders-graph",
    targetKmsKey: DEFAULT_TARGET_KEY,
    // The demo proves that the graph arrived: `apply --verify-data`; live, the cutover compares the graphs.
    ...(options.live ? { live: true, parameterGroup: "default.neptune1.4" } : { verifyData: true }),
  };
  const applyFlags = options.live ? "--live" : "--verify-data";
  const clients = createMigrationClients(inputs.source, inputs.target, { region, maxAttempts: 1 });
  const journalPath = join(journalDir, "journal.json");
  const pollMs = options.pollMs ?? 150;
  const walls: DemoResult["walls"] = [];
  const graphs: ClusterGraph[] = [];
  const close = async () => {
    for (const graph of graphs) graph.client.destroy();
    destroyClients(clients);
    await server.close();
    rmSync(journalDir, { recursive: true, force: true });
  };
  try {
    write(
      `Trident demo: the local AWS is listening on ${server.endpoint} (accounts ${SOURCE_ACCOUNT} and ${TARGET_ACCOUNT}, region ${region})`,
    );
    write(`Console: ${consoleUrl} (the accounts, who may use which key, and this run as it happens)`);
    write("");
    write(`${stamp()} Seed: account ${SOURCE_ACCOUNT} gets a customer-managed key and an encrypted Neptune cluster`);
    await buildSeed(clients.source, SOURCE_ACCOUNT, { pollMs, onStep: (text) => write(`    ${text}`) });
    const graphA = await clusterGraph(clients.source, inputs.source, inputs.sourceCluster!, region);
    graphs.push(graphA);
    const checkEndpoint = (url: string) => checkOwnPort(server.dataPlane.listening(), url);
    checkEndpoint(graphA.url);
    write(`${stamp()} Data: ${SOURCE_ACCOUNT} loads a graph into orders-graph through its endpoint ${graphA.url}`);
    const loaded = await loadDemoGraph(graphA.client);
    write(
      `    ExecuteOpenCypherQuery × ${loaded.requests} (parameterized UNWIND batches, seed ${DEMO_GRAPH_SEED}): ` +
        `${count(loaded.nodes)} nodes (${loaded.labels.join(", ")}) and ${count(loaded.relationships)} ` +
        `relationships (${loaded.types.join(", ")})`,
    );

    if (options.live) {
      write(`${stamp()} Streams: ${SOURCE_ACCOUNT} turns Neptune Streams on at orders-graph (apply --live reads them)`);
      await enableStreams(clients.source.neptune, "orders-graph", {
        wait: { intervalMs: pollMs },
        say: (text) => write(`    ${text}`),
      });
    }

    write("");
    write(
      `${stamp()} trident migrate plan --source-cluster orders-graph --target-cluster orders-graph (target key ${DEFAULT_TARGET_KEY})${options.live ? " --live" : ""}`,
    );
    const { plan } = await runPlan({ inputs, clients, journalPath });
    for (const line of renderPlan(plan).trimEnd().split("\n")) write(`    ${line}`);
    if (!plan.canProceed)
      throw new MigrateError("the demo's plan is blocked", "this is a bug in the demo or the local AWS");

    const writer = options.live ? startLiveWriter(graphA.client, write) : undefined;
    write("");
    write(`${stamp()} trident migrate apply --yes ${applyFlags}`);
    const reporter = emulator.console!.recordings.reporter(
      journalPath,
      new TextReporter({ write, progress: options.progress, elapsedMs, explainRules: true }),
    );
    const result = await applyOrVerifyFailure(write, () =>
      runApply({
        inputs,
        clients,
        journalPath,
        reporter,
        wait: { intervalMs: pollMs },
        beforeStep: async (step, ctx) => {
          if (step === "copy") walls.push(...(await showWalls(ctx, reporter)));
          if (step === "instances") walls.push(...(await showQueryBeforeInstance(ctx, reporter, checkEndpoint)));
        },
      }),
    );
    write(`${stamp()} apply: ${result.status}`);
    const live = writer ? await demoCutover({ inputs, clients, journalPath, writer, write, stamp }) : undefined;

    write("");
    write(
      `${stamp()} trident migrate apply --yes ${applyFlags} (again: everything is done, so it only ${options.live ? "replays what is new: nothing" : "verifies"})`,
    );
    const again = await applyOrVerifyFailure(write, () =>
      runApply({
        inputs,
        clients,
        journalPath,
        reporter: new TextReporter({ write: (line) => write(`  ${line}`) }),
        wait: { intervalMs: pollMs },
      }),
    );
    write(`    changed: ${again.changed.length === 0 ? "nothing" : again.changed.join(", ")}`);

    write("");
    write(
      `${stamp()} The graph in ${TARGET_ACCOUNT} next to the graph in ${SOURCE_ACCOUNT} (openCypher on each cluster's endpoint)`,
    );
    const graphB = await clusterGraph(clients.target, inputs.target, inputs.targetCluster, region);
    graphs.push(graphB);
    checkEndpoint(graphB.url);
    const compared = await compareSides(
      graphA,
      graphB,
      [`${SOURCE_ACCOUNT} ${graphA.url}`, `${TARGET_ACCOUNT} ${graphB.url}`],
      write,
    );
    const sameGraph = compared.different.length === 0;
    write(
      sameGraph
        ? `    Verdict: the same graph. ${TARGET_ACCOUNT} answers all ${compared.same} queries exactly as ${SOURCE_ACCOUNT} does ` +
            `(${count(loaded.nodes)} nodes, ${count(loaded.relationships)} relationships).`
        : `    Verdict: DIFFERENT. ${TARGET_ACCOUNT} answers ${compared.different.length} of ${compared.same + compared.different.length} ` +
            `queries otherwise than ${SOURCE_ACCOUNT}: ${compared.different.join("; ")}.`,
    );
    const data: DemoResult["data"] = {
      nodes: loaded.nodes,
      relationships: loaded.relationships,
      sameAnswers: compared.same,
      differentAnswers: compared.different,
    };

    if (options.cleanup) {
      write("");
      write(`${stamp()} trident migrate cleanup --yes`);
      await runCleanup({ inputs, clients, journalPath, write: (line) => write(`    ${line}`) });
    }

    write("");
    write(`${stamp()} Final state`);
    await describeSource(clients.source, SOURCE_ACCOUNT, write);
    await describeTarget(clients.target, TARGET_ACCOUNT, write);
    write("");
    write(
      `Done in ${(elapsedMs() / 1000).toFixed(1)} s. Walls met: ${walls.map((wall) => `${wall.rule} (${wall.code})`).join(", ") || "none"}. ` +
        `The graph: ${sameGraph ? "the same in both accounts" : "DIFFERENT in the target"}.`,
    );
    if (options.keepServing) {
      write("");
      write(`The local AWS keeps running at ${server.endpoint}. Its console: ${consoleUrl}`);
      write("Try, for example:");
      write(
        `  AWS_ACCESS_KEY_ID=${DEFAULT_CREDENTIALS[TARGET_ACCOUNT].accessKeyId} AWS_SECRET_ACCESS_KEY=${DEFAULT_CREDENTIALS[TARGET_ACCOUNT].secretAccessKey} \\`,
      );
      write(`    aws neptune describe-db-clusters --endpoint-url ${server.endpoint} --region ${region}`);
      write(
        `    aws neptunedata execute-open-cypher-query --open-cypher-query "MATCH (n) RETURN labels(n), count(*)" --endpoint-url ${graphB.url} --region ${region}`,
      );
      return {
        ok: result.status === "done" && sameGraph,
        endpoint: server.endpoint,
        walls,
        data,
        ...(live ? { live } : {}),
        close,
      };
    }
    await close();
    return {
      ok: result.status === "done" && again.changed.length === 0 && sameGraph,
      endpoint: server.endpoint,
      walls,
      data,
      ...(live ? { live } : {}),
      close: async () => {},
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * The endpoint is this demo's own listener, not another process's: a cluster keeps a port that another process
 * holds (the listener only logs that it can't open it), and the demo would read that process's graph.
 */
function checkOwnPort(listening: string[], url: string): void {
  if (!listening.includes(new URL(url).host))
    throw new MigrateError(
      `the cluster's endpoint ${url} is held by another process (another trident serve?)`,
      "stop it, or give the demo other ports with --data-plane-ports FIRST-LAST",
    );
}

const count = (n: number) => n.toLocaleString("en-US");

/**
 * An apply whose result did not verify (exit 4 on the command line) is part of the story, not the end of the
 * demo: it says so, and the demo goes on to show both graphs, then fails.
 */
async function applyOrVerifyFailure(
  write: (line: string) => void,
  apply: () => Promise<ApplyResult>,
): Promise<Pick<ApplyResult, "changed"> & { status: ApplyResult["status"] | "verify failed" }> {
  try {
    return await apply();
  } catch (error) {
    if (!(error instanceof MigrateError) || error.exitCode !== EXIT.verifyFailed) throw error;
    write(`    apply FAILED: ${error.message}`);
    write(`    fix: ${error.fix}`);
    return { status: "verify failed", changed: [] };
  }
}

/**
 * The two refusals the seed's author hit, tried for real before the copy, once the snapshot is shared and the
 * key policy lets the target in: a direct restore of the shared encrypted snapshot (R6) and a copy with
 * CopyTags=true (R8). Should AWS accept either, the demo says so and removes what it made.
 */
async function showWalls(ctx: StepContext, reporter: Reporter): Promise<{ rule: string; code: string }[]> {
  const b = ctx.clients.target.neptune;
  const shareArn = ctx.plan.names.shareSnapshotArn;
  const met: { rule: string; code: string }[] = [];
  const attempt = async (rule: string, title: string, call: () => Promise<unknown>, undo: () => Promise<unknown>) => {
    try {
      await call();
    } catch (error) {
      const refused = refusalOf(error);
      if (!refused) throw error;
      reporter.wall(rule, title, refused);
      met.push({ rule, code: refused.code });
      return;
    }
    reporter.note(`${rule}: ${title} was ACCEPTED, unlike AWS; removing what it made`);
    await undo().catch(() => undefined);
  };
  const directCluster = `${ctx.plan.names.targetCluster}-direct`;
  await attempt(
    "R6",
    `${ctx.found.target.Account} restores the shared snapshot directly: RestoreDBClusterFromSnapshot SnapshotIdentifier=${shareArn}`,
    () =>
      b.send(
        new RestoreDBClusterFromSnapshotCommand({
          DBClusterIdentifier: directCluster,
          SnapshotIdentifier: shareArn,
          Engine: "neptune",
        }),
      ),
    () => b.send(new DeleteDBClusterCommand({ DBClusterIdentifier: directCluster, SkipFinalSnapshot: true })),
  );
  const taggedCopy = `${ctx.plan.names.targetCopy}-tags`.slice(0, 63);
  await attempt(
    "R8",
    `${ctx.found.target.Account} copies it with CopyTags=true: CopyDBClusterSnapshot SourceDBClusterSnapshotIdentifier=${shareArn} CopyTags=true`,
    () =>
      b.send(
        new CopyDBClusterSnapshotCommand({
          SourceDBClusterSnapshotIdentifier: shareArn,
          TargetDBClusterSnapshotIdentifier: taggedCopy,
          KmsKeyId: ctx.inputs.targetKmsKey,
          CopyTags: true,
        }),
      ),
    () => b.send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: taggedCopy })),
  );
  return met;
}

async function describeSource(a: SideClients, account: string, write: (line: string) => void): Promise<void> {
  write(`  account ${account} (source)`);
  for (const cluster of (await a.neptune.send(new DescribeDBClustersCommand({}))).DBClusters ?? []) {
    write(
      `    cluster ${cluster.DBClusterIdentifier}: ${cluster.Status}, ${cluster.DBClusterMembers?.length ?? 0} instance(s), key ${cluster.KmsKeyId}`,
    );
    if (cluster.KmsKeyId) {
      const policy = JSON.parse(
        (await a.kms.send(new GetKeyPolicyCommand({ KeyId: cluster.KmsKeyId, PolicyName: "default" }))).Policy ?? "{}",
      ) as { Statement?: { Sid?: string }[] };
      write(`    key policy: ${(policy.Statement ?? []).map((statement) => statement.Sid ?? "(no Sid)").join(" | ")}`);
    }
  }
  for (const snapshot of (await a.neptune.send(new DescribeDBClusterSnapshotsCommand({ SnapshotType: "manual" })))
    .DBClusterSnapshots ?? []) {
    const shared = await restoreAttribute(a.neptune, snapshot.DBClusterSnapshotIdentifier!);
    write(
      `    snapshot ${snapshot.DBClusterSnapshotIdentifier}: ${snapshot.Status}, shared with ${shared.join(", ") || "nobody"}`,
    );
  }
}

async function describeTarget(b: SideClients, account: string, write: (line: string) => void): Promise<void> {
  write(`  account ${account} (target)`);
  for (const cluster of (await b.neptune.send(new DescribeDBClustersCommand({}))).DBClusters ?? []) {
    write(
      `    cluster ${cluster.DBClusterIdentifier}: ${cluster.Status}, engine ${cluster.EngineVersion}, encrypted ${cluster.StorageEncrypted} with ${cluster.KmsKeyId}`,
    );
    const tags =
      (await b.neptune.send(new ListTagsForResourceCommand({ ResourceName: cluster.DBClusterArn! }))).TagList ?? [];
    write(
      `      parameter group ${cluster.DBClusterParameterGroup}, tags ${formatTags(tags.map((tag) => ({ Key: tag.Key ?? "", Value: tag.Value ?? "" })))}`,
    );
  }
  for (const instance of (await b.neptune.send(new DescribeDBInstancesCommand({}))).DBInstances ?? []) {
    write(
      `    instance ${instance.DBInstanceIdentifier}: ${instance.DBInstanceStatus}, ${instance.DBInstanceClass}, in ${instance.DBClusterIdentifier}`,
    );
  }
  const snapshots =
    (await b.neptune.send(new DescribeDBClusterSnapshotsCommand({ SnapshotType: "manual" }))).DBClusterSnapshots ?? [];
  for (const snapshot of snapshots)
    write(
      `    snapshot ${snapshot.DBClusterSnapshotIdentifier}: ${snapshot.Status}, copied from ${snapshot.SourceDBClusterSnapshotArn ?? "-"}`,
    );
}

export async function demoCommand(argv: string[]): Promise<void> {
  const { values } = parseFlags(argv, {
    cleanup: { kind: "boolean" },
    fast: { kind: "boolean" },
    "keep-serving": { kind: "boolean" },
    live: { kind: "boolean" },
    "data-plane-ports": { kind: "port-range" },
    // Read by main.ts, before any command runs (routeProcessWarnings).
    debug: { kind: "boolean" },
    help: { kind: "boolean", short: "h" },
  });
  const ports = values["data-plane-ports"];
  if (values.help) {
    console.log(DEMO_USAGE);
    return;
  }
  let result: DemoResult;
  try {
    result = await runDemo({
      write: (line) => console.log(line),
      progress: progressFor(process.stderr),
      ...(values.fast ? { delays: DELAY_PROFILES.instant, pollMs: 10 } : {}),
      cleanup: values.cleanup,
      keepServing: values["keep-serving"],
      live: values.live,
      ...(ports ? { dataPlane: { firstPort: ports[0], lastPort: ports[1] } } : {}),
    });
  } catch (error) {
    // What the user can fix (a port held by another process): what and the fix, no stack.
    if (!(error instanceof MigrateError)) throw error;
    console.error(`trident demo: ${error.message}\n  fix: ${error.fix}`);
    process.exitCode = error.exitCode;
    return;
  }
  if (values["keep-serving"]) {
    const stop = () => void result.close().then(() => process.exit(0));
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    return;
  }
  if (!result.ok) process.exitCode = 1;
}
