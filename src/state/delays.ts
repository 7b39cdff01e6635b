/**
 * How long lifecycle transitions take on the emulator's clock. Records store when a transition started; the
 * state a caller sees is derived from these durations and the clock when asked, never from timers.
 */
export interface Delays {
  /** creating → available for a cluster, and for a cluster restored from a snapshot. */
  clusterCreateMs: number;
  /** creating → available for an instance. */
  instanceCreateMs: number;
  /** modifying/rebooting/starting/stopping/failing-over → the next steady state. */
  clusterModifyMs: number;
  /** deleting → gone. */
  deleteMs: number;
  /** A snapshot or a copy: creating/copying → available (PercentProgress grows linearly in between). */
  snapshotMs: number;
}

export const DELAY_PROFILES = {
  /** Tests: every transition completes at once (a manual clock still orders events). */
  instant: { clusterCreateMs: 0, instanceCreateMs: 0, clusterModifyMs: 0, deleteMs: 0, snapshotMs: 0 },
  /** The demo: visible progress, a few hundred milliseconds each. */
  demo: { clusterCreateMs: 600, instanceCreateMs: 500, clusterModifyMs: 200, deleteMs: 200, snapshotMs: 800 },
  /** Rehearsals: minutes, like AWS. */
  realistic: {
    clusterCreateMs: 8 * 60_000,
    instanceCreateMs: 10 * 60_000,
    clusterModifyMs: 60_000,
    deleteMs: 5 * 60_000,
    snapshotMs: 4 * 60_000,
  },
} satisfies Record<string, Delays>;

export type DelayProfile = keyof typeof DELAY_PROFILES;
