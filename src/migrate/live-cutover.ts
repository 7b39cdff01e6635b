import { withClients, type ClientSource } from "./clients.js";
import { readGraphFacts } from "./data-plane.js";
import { callerIdentities } from "./discover.js";
import { EXIT, MigrateError } from "./errors.js";
import { compareGraphs, describeDifference, describeGraph, type GraphDifference } from "./graph-summary.js";
import { Journal, journalFileFor, readJournal } from "./journal.js";
import { compareElements, describeElementDifference, readElements, type ElementDifference } from "./live-compare.js";
import {
  DEFAULT_POLL_MS,
  describeLag,
  openLiveSession,
  type LiveRunOptions,
  type LiveSession,
} from "./live-session.js";
import { migrationId } from "./names.js";
import { compareEvents, formatEvent, type EventId } from "./stream-records.js";
import type { MigrateInputs } from "./types.js";
import { realSleep, type WaitSettings } from "./waiters.js";

/**
 * `trident migrate cutover`: the moment the target takes over. Catches up, asks the user to stop the writers,
 * waits until the source has been quiet for `quietMs` with nothing left to apply, drains the last records,
 * compares both graphs (their summaries, as --verify-data does, and with `compareElements` element by element),
 * then prints the moment the target is authoritative and the write pause: from the later of the source's last
 * write and the request to stop writing, to that moment.
 */

export const DEFAULT_QUIET_MS = 2000;
const DIFFERENCES_SHOWN = 20;

export interface CutoverOptions extends ClientSource {
  inputs: MigrateInputs;
  journalPath?: string;
  journalDir?: string;
  write: (line: string) => void;
  live?: LiveRunOptions;
  /** How long the source must stay without a new write before the cutover (default DEFAULT_QUIET_MS). */
  quietMs?: number;
  /** Compare every node and relationship too (a full read of both graphs). */
  compareElements?: boolean;
  /** The clock and sleep (tests: a manual clock). */
  wait?: WaitSettings;
  /** Called once, when the writers are asked to stop (the demo stops its writer there). */
  onStopWriters?: () => void | Promise<void>;
}

export interface CutoverResult {
  journalPath: string;
  /** The last source event the target holds. */
  position: EventId;
  /** When the target became authoritative (ISO). */
  authoritativeAt: string;
  /** The write pause, in ms. */
  pauseMs: number;
  /** True when this run found the cutover already done (and changed nothing). */
  alreadyDone: boolean;
  summaryDifferences: GraphDifference[];
  elementDifferences?: ElementDifference[];
}

export function runCutover(options: CutoverOptions): Promise<CutoverResult> {
  return withClients(options, async (clients) => {
    const now = options.wait?.now ?? Date.now;
    const sleep = options.wait?.sleep ?? realSleep;
    const { write, inputs } = options;
    const accounts = await callerIdentities(clients);
    const id = migrationId(accounts.source.Account, accounts.target.Account, inputs.targetCluster);
    const journalPath = options.journalPath ?? journalFileFor(options.journalDir, id);
    const data = readJournal(journalPath);
    if (!data?.live?.snapshotPosition || !data.completed.includes("replay"))
      throw new MigrateError(
        `no live migration of ${inputs.sourceCluster ?? "the source"} to ${inputs.targetCluster} has caught up yet (journal ${journalPath})`,
        "run trident migrate apply --live with the same options first: it restores the target and replays the source's changes",
      );
    const journal = Journal.open(
      journalPath,
      {
        migrationId: id,
        region: inputs.region,
        source: {
          account: accounts.source.Account,
          ...(inputs.sourceCluster ? { cluster: inputs.sourceCluster } : {}),
        },
        target: { account: accounts.target.Account, cluster: inputs.targetCluster },
      },
      () => new Date(now()),
    );
    const done = journal.data.live?.cutover;
    if (done) {
      write(
        `the target ${inputs.targetCluster} has been authoritative since ${done.at} (write pause ${seconds(done.pauseMs)})`,
      );
      return { journalPath, ...done, authoritativeAt: done.at, alreadyDone: true, summaryDifferences: [] };
    }
    const session = await openLiveSession(
      clients,
      inputs,
      { source: accounts.source.Account, target: accounts.target.Account },
      journal,
      { ...options.live, now },
    );
    try {
      return await cutOver(session, options, journal, journalPath, now, sleep);
    } finally {
      session.close();
    }
  });
}

async function cutOver(
  session: LiveSession,
  options: CutoverOptions,
  journal: Journal,
  journalPath: string,
  now: () => number,
  sleep: (ms: number) => Promise<void>,
): Promise<CutoverResult> {
  const { write, inputs } = options;
  const { replayer, reader } = session;
  const showLag = (lag: Parameters<typeof describeLag>[0]) => write(`  ${describeLag(lag)}`);
  write(`catching up with ${inputs.sourceCluster}'s stream from ${formatEvent(replayer.position)}`);
  await replayer.catchUp(showLag);
  const stopAsked = now();
  write(
    `caught up. Stop your writers now: the source must stay quiet for ${seconds(options.quietMs ?? DEFAULT_QUIET_MS)}`,
  );
  journal.record("cutover", "stop-writers", `caught up at ${formatEvent(replayer.position)}`);
  await options.onStopWriters?.();

  // Quiet: the source's newest event unchanged for quietMs, and the target at it.
  let newest = await reader.latest();
  let quietSince = now();
  for (;;) {
    await replayer.catchUp(showLag);
    const latest = await reader.latest();
    if (compareEvents(latest.position, newest.position) !== 0) {
      write(`  the source is still written to (now at ${formatEvent(latest.position)}): waiting for it to be quiet`);
      newest = latest;
      quietSince = now();
    } else if (
      now() - quietSince >= (options.quietMs ?? DEFAULT_QUIET_MS) &&
      compareEvents(replayer.position, latest.position) >= 0
    ) {
      break;
    }
    await sleep(options.live?.pollMs ?? DEFAULT_POLL_MS);
  }
  write(`the source has been quiet since ${formatEvent(newest.position)}; the target holds every change up to it`);

  const [sourceFacts, targetFacts] = await Promise.all([
    readGraphFacts(session.source.client, session.source.where),
    readGraphFacts(session.target.client, session.target.where),
  ]);
  const summaryDifferences = compareGraphs(sourceFacts, targetFacts);
  write(`source ${session.source.where.cluster}: ${describeGraph(sourceFacts)}`);
  write(`target ${session.target.where.cluster}: ${describeGraph(targetFacts)}`);
  let elementDifferences: ElementDifference[] | undefined;
  if (options.compareElements) {
    const [sourceElements, targetElements] = await Promise.all([
      readElements(session.source.client),
      readElements(session.target.client),
    ]);
    elementDifferences = compareElements(sourceElements, targetElements);
    write(
      `compared element by element: ${sourceElements.nodes.size} nodes and ${sourceElements.relationships.size} relationships in the source, ${elementDifferences.length} difference${elementDifferences.length === 1 ? "" : "s"}`,
    );
  }
  const listed = [
    ...summaryDifferences.map(describeDifference),
    ...(elementDifferences ?? []).map(describeElementDifference),
  ];
  for (const line of listed.slice(0, DIFFERENCES_SHOWN)) write(`FAIL ${line}`);
  if (listed.length > DIFFERENCES_SHOWN) write(`… and ${listed.length - DIFFERENCES_SHOWN} more difference(s)`);
  if (listed.length > 0) {
    journal.record("cutover", "failed", `${listed.length} difference(s)`);
    throw new MigrateError(
      `the target's graph differs from the source's after the drain in ${listed.length} way${listed.length === 1 ? "" : "s"}: ${listed.slice(0, 3).join("; ")}`,
      "the target is NOT authoritative: keep writing to the source; report the difference (on AWS the summary also lags recent writes until Neptune refreshes its statistics: run cutover again)",
      EXIT.verifyFailed,
    );
  }

  const authoritative = now();
  const pauseStart = Math.max(stopAsked, newest.timestamp ?? stopAsked);
  const pauseMs = Math.max(0, authoritative - pauseStart);
  const authoritativeAt = new Date(authoritative).toISOString();
  journal.updateLive(
    { cutover: { at: authoritativeAt, pauseMs, position: replayer.position } },
    { step: "cutover", event: "done", detail: `authoritative at ${authoritativeAt}, write pause ${seconds(pauseMs)}` },
  );
  write(
    `The target ${session.target.where.cluster} is authoritative as of ${authoritativeAt}: point your writers at it.`,
  );
  write(`Write pause: ${seconds(pauseMs)} (from the source's last write, or the request to stop if later, to now).`);
  return {
    journalPath,
    position: replayer.position,
    authoritativeAt,
    pauseMs,
    alreadyDone: false,
    summaryDifferences,
    ...(elementDifferences ? { elementDifferences } : {}),
  };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
