import { join } from "node:path";
import type { Store } from "../state/store.js";
import { ChangeFeed } from "./feed.js";
import { RunRecordings } from "./run-recorder.js";

/**
 * The console's settings and its live parts, held by the Emulator while the console is on (absent when off: then
 * its paths answer 404 like any unknown path of Trident's own).
 */
export interface ConsoleOptions {
  /** Where `trident migrate` journals are read from (default: `.trident/migrations` under the working directory). */
  journalDirs?: string[];
}

/** Where `trident migrate` writes its journals by default (src/migrate/journal.ts), under `cwd`. */
export function defaultJournalDir(cwd = process.cwd()): string {
  return join(cwd, ".trident", "migrations");
}

export class ConsoleService {
  readonly journalDirs: readonly string[];
  /** Runs watched as they happen (the demo's), by journal path: the plan's titles and rules, walls, live steps. */
  readonly recordings: RunRecordings;
  /** What changed, for the page's server-sent events. */
  readonly feed: ChangeFeed;

  constructor(store: Store, options: ConsoleOptions) {
    this.journalDirs = options.journalDirs ?? [defaultJournalDir()];
    this.feed = new ChangeFeed(store);
    this.recordings = new RunRecordings(() => this.feed.announce(["migrations"]));
  }
}
