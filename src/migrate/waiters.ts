import cliProgress from "cli-progress";
import { MigrateError } from "./errors.js";

/**
 * Polling until a resource is ready, with a progress display. Intervals are configuration: against real AWS a
 * snapshot is polled every 15 s and a cluster or instance every 30 s (the SDK's own DBInstanceAvailable waiter
 * uses 30 s); the demo polls every 150 ms; tests pass a `sleep` that advances their manual clock.
 */

export type WaitKind = "snapshot" | "cluster" | "instance";

export const DEFAULT_INTERVALS_MS: Record<WaitKind, number> = { snapshot: 15_000, cluster: 30_000, instance: 30_000 };
/** Large snapshot copies take hours; past this a wait gives up (the next run resumes it). */
export const DEFAULT_WAIT_TIMEOUT_MS = 6 * 60 * 60_000;

export interface WaitSettings {
  /** One interval for every kind (the demo's 150 ms); default: DEFAULT_INTERVALS_MS. */
  intervalMs?: number;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface Observation {
  status: string;
  /** 0–100, where AWS reports it (PercentProgress of snapshots and clusters). */
  percent?: number;
  done: boolean;
  /** Set when the resource reached a state it won't recover from. */
  failed?: string;
}

export interface ProgressHandle {
  update(observation: Observation): void;
  stop(): void;
}

export interface Progress {
  start(label: string): ProgressHandle;
}

export const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function waitFor(
  kind: WaitKind,
  label: string,
  poll: () => Promise<Observation>,
  settings: WaitSettings,
  progress: Progress,
): Promise<Observation> {
  const interval = settings.intervalMs ?? DEFAULT_INTERVALS_MS[kind];
  const timeout = settings.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
  const sleep = settings.sleep ?? realSleep;
  const now = settings.now ?? Date.now;
  const started = now();
  const handle = progress.start(label);
  try {
    for (;;) {
      const observation = await poll();
      handle.update(observation);
      if (observation.failed) {
        throw new MigrateError(
          `${label}: ${observation.failed}`,
          "look at the resource in the console; fix or delete it, then run apply again",
        );
      }
      if (observation.done) return observation;
      if (now() - started >= timeout) {
        throw new MigrateError(
          `${label}: still ${observation.status} after ${Math.round(timeout / 1000)} s`,
          "run apply again later: it resumes the wait (or raise --wait-timeout)",
        );
      }
      await sleep(interval);
    }
  } finally {
    handle.stop();
  }
}

export function observe(
  status: string | undefined,
  failedStates: string[],
  percent?: number | string,
  readyStates = ["available"],
): Observation {
  const current = status ?? "unknown";
  const parsed = typeof percent === "string" ? Number.parseInt(percent, 10) : percent;
  return {
    status: current,
    ...(parsed !== undefined && Number.isFinite(parsed) ? { percent: parsed } : {}),
    done: readyStates.includes(current),
    ...(failedStates.includes(current) ? { failed: `it is ${current}` } : {}),
  };
}

// ── Progress displays ────────────────────────────────────────────────────────────────────────────────────

export const silentProgress: Progress = { start: () => ({ update() {}, stop() {} }) };

/** A bar on a terminal, redrawn in place (cli-progress). */
export function barProgress(stream: NodeJS.WriteStream): Progress {
  return {
    start(label) {
      const bar = new cliProgress.SingleBar(
        {
          format: `    ${label} [{bar}] {percentage}% {status}`,
          stream,
          barsize: 24,
          hideCursor: true,
          clearOnComplete: false,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(100, 0, { status: "" });
      return {
        update(observation) {
          bar.update(observation.done ? 100 : (observation.percent ?? 0), { status: observation.status });
        },
        stop() {
          bar.stop();
        },
      };
    },
  };
}

/** Logs and pipes: one line per change of status or percent, nothing redrawn. */
export function lineProgress(write: (line: string) => void): Progress {
  return {
    start(label) {
      let last = "";
      return {
        update(observation) {
          const text = `${observation.status}${observation.percent !== undefined ? ` ${observation.percent}%` : ""}`;
          if (text !== last) write(`    ${label}: ${text}`);
          last = text;
        },
        stop() {},
      };
    },
  };
}

/** Bars on a terminal, lines otherwise. */
export function progressFor(stream: NodeJS.WriteStream): Progress {
  return stream.isTTY ? barProgress(stream) : lineProgress((line) => stream.write(`${line}\n`));
}
