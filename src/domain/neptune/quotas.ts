/**
 * Neptune's default quotas per account and region, in one place: the emulator enforces them (snapshots.ts,
 * sharing.ts) and `trident migrate` plans a fleet against the same numbers (src/migrate/fleet-quotas.ts).
 */

/** RDS's default quota of manual DB cluster snapshots per account and region (copies in progress count). */
export const MANUAL_SNAPSHOT_QUOTA = 100;

/** "You can share a manual snapshot with up to 20 other AWS accounts" (NEP-SHARE, RDS-SHARE). */
export const MAX_SHARED_ACCOUNTS = 20;

/**
 * "You can have up to five snapshot copy requests in progress to a single Region per account." (NEP-COPY,
 * aws-behaviour §3.4). Not enforced by the emulator yet; trident migrate queues its copies behind it.
 */
export const MAX_COPIES_IN_PROGRESS = 5;
