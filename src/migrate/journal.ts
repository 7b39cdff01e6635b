import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { writeFileAtomically } from "../state/atomic-file.js";
import { MigrateError } from "./errors.js";
import type { EventId } from "./stream-records.js";
import type { StepId } from "./types.js";

/**
 * A JSON file that records what a migration did: which resources it created (so a resumed run knows a cluster
 * with the target's name is its own, not someone else's), what it changed (the key policy before and after, the
 * accounts it shared with), and a timeline of events. apply writes it; plan reads it; cleanup undoes from it.
 *
 * Creations are recorded BEFORE the call that creates (write-ahead): a run killed between the call and the record
 * still finds the resource claimed on resume. A claim whose call was refused because the name was taken is
 * withdrawn at once, so the journal never claims someone else's resource.
 */

export const JOURNAL_VERSION = 1;

export interface JournalEvent {
  at: string;
  step: string;
  event: string;
  detail?: string;
}

/** A live migration's place in the source's Neptune Stream. */
export interface LiveJournal {
  /** The source's newest event read just before its snapshot was requested: the replay starts after it. */
  snapshotPosition?: EventId;
  /** The last event whose transaction the target has applied (written after each applied batch). */
  applied?: EventId;
  /** Records applied so far, over every run. */
  appliedRecords?: number;
  /** The moment the target became authoritative, and the write pause measured then. */
  cutover?: { at: string; pauseMs: number; position: EventId };
}

/** `regionCopy`: across Regions, the target's copy in its own Region (`targetCopy` is then the one in the source's). */
export type Claimable = "sourceManualSnapshot" | "sourceCmkSnapshot" | "targetCopy" | "regionCopy" | "targetCluster";

/** Which migration a journal belongs to: the same accounts, source and target. */
export interface JournalIdentity {
  migrationId: string;
  region: string;
  /** The Region the cluster moves to, when not `region` (--target-region). */
  targetRegion?: string;
  source: { account: string; cluster?: string; snapshot?: string };
  target: { account: string; cluster: string };
}

export interface JournalData extends JournalIdentity {
  version: number;
  createdAt: string;
  updatedAt: string;
  /** Resources this migration created (or asked AWS to create). */
  created: Partial<Record<Claimable, string>> & {
    targetInstances: string[];
    sourceKey?: { arn: string; alias: string };
  };
  /** The share this migration added; `addedByUs` false when the target was already in the restore attribute. */
  share?: { snapshot: string; account: string; addedByUs: boolean };
  /** The key policy before the first change and as this migration last set it. */
  keyPolicy?: { keyArn: string; original: string; applied: string };
  completed: StepId[];
  cleanedUp?: string;
  /** `apply --live` and `cutover`: where the target stands in the source's stream (live-journal.ts). */
  live?: LiveJournal;
  events: JournalEvent[];
}

/**
 * A migration's journal: `<migration id>.json` in `dir`, by default `.trident/migrations` under the working
 * directory (one file per source, target and cluster, so each cluster of a fleet has its own).
 */
export function journalFileFor(dir: string | undefined, migrationId: string, cwd = process.cwd()): string {
  return join(dir ?? join(cwd, ".trident", "migrations"), `${migrationId}.json`);
}

export function readJournal(path: string): JournalData | undefined {
  if (!existsSync(path)) return undefined;
  let data: JournalData;
  try {
    data = JSON.parse(readFileSync(path, "utf8")) as JournalData;
  } catch (error) {
    throw new MigrateError(
      `the journal ${path} is not valid JSON (${(error as Error).message})`,
      "move it aside to start over, or repair it",
    );
  }
  if (data.version !== JOURNAL_VERSION) {
    throw new MigrateError(
      `the journal ${path} has version ${data.version}; this trident writes version ${JOURNAL_VERSION}`,
      "finish or clean up that migration with the trident that started it",
    );
  }
  return data;
}

/** Refuses a journal that belongs to another migration (other accounts, source or target). */
export function checkJournalMatches(data: JournalData, identity: JournalIdentity, path: string): void {
  const same =
    data.source.account === identity.source.account &&
    data.target.account === identity.target.account &&
    data.target.cluster === identity.target.cluster &&
    data.region === identity.region &&
    (data.targetRegion ?? data.region) === (identity.targetRegion ?? identity.region) &&
    (data.source.cluster ?? "") === (identity.source.cluster ?? "") &&
    (data.source.snapshot ?? "") === (identity.source.snapshot ?? "");
  if (!same) {
    throw new MigrateError(
      `the journal ${path} belongs to another migration (${describe(data)})`,
      "pass --journal with another file, or finish and clean up that migration first",
    );
  }
}

function describe(data: JournalData): string {
  const from = data.source.cluster ? `cluster ${data.source.cluster}` : `snapshot ${data.source.snapshot}`;
  const regions = data.targetRegion ? `${data.region} to ${data.targetRegion}` : data.region;
  return `${from} of ${data.source.account} to ${data.target.cluster} in ${data.target.account}, ${regions}`;
}

export class Journal {
  private constructor(
    readonly path: string,
    readonly data: JournalData,
    private readonly now: () => Date,
  ) {}

  /** Opens the journal at `path`, creating it (on the first save) when it does not exist. */
  static open(path: string, identity: JournalIdentity, now: () => Date = () => new Date()): Journal {
    const existing = readJournal(path);
    if (existing) {
      checkJournalMatches(existing, identity, path);
      return new Journal(path, existing, now);
    }
    const at = now().toISOString();
    return new Journal(
      path,
      {
        version: JOURNAL_VERSION,
        ...identity,
        createdAt: at,
        updatedAt: at,
        created: { targetInstances: [] },
        completed: [],
        events: [],
      },
      now,
    );
  }

  /** Written atomically and fsync'd (file and directory): a kill or power cut never leaves half a journal. */
  save(): void {
    this.data.updatedAt = this.now().toISOString();
    mkdirSync(dirname(this.path), { recursive: true });
    writeFileAtomically(this.path, `${JSON.stringify(this.data, null, 2)}\n`);
  }

  record(step: string, event: string, detail?: string): void {
    this.data.events.push({ at: this.now().toISOString(), step, event, ...(detail !== undefined ? { detail } : {}) });
    this.save();
  }

  /** Written before the call that creates `id`, so a run killed after the call still knows the resource is ours. */
  claim(kind: Claimable | "instance", id: string): void {
    if (kind === "instance") {
      if (!this.data.created.targetInstances.includes(id)) this.data.created.targetInstances.push(id);
      this.record("instances", "requested", id);
    } else {
      this.data.created[kind] = id;
      this.record(kind, "requested", id);
    }
  }

  /** The create call was refused (for example the name is taken): the resource is not ours. */
  withdraw(kind: Claimable | "instance", id: string): void {
    if (kind === "instance")
      this.data.created.targetInstances = this.data.created.targetInstances.filter((name) => name !== id);
    else if (this.data.created[kind] === id) delete this.data.created[kind];
    this.record(kind, "withdrawn", id);
  }

  /** Updates the live part and saves (one atomic write: a kill leaves the previous position, never half of one). */
  updateLive(change: Partial<LiveJournal>, event?: { step: string; event: string; detail?: string }): void {
    this.data.live = { ...this.data.live, ...change };
    if (event) this.record(event.step, event.event, event.detail);
    else this.save();
  }

  complete(step: StepId, detail?: string): void {
    if (!this.data.completed.includes(step)) this.data.completed.push(step);
    this.record(step, "done", detail);
  }
}
