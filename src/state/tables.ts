/**
 * Every table the emulator keeps, by name. Names are `<service>.<kind>`, so a service owns a prefix (reset clears
 * one service by it) and an imported state document can be checked row by row against what this version knows.
 * A module that adds a table adds its name here; the state round-trip tests fail until it does.
 */
export const STATE_SERVICES = ["kms", "neptune", "sts", "iam"] as const;
export type StateService = (typeof STATE_SERVICES)[number];

const KNOWN_TABLES: ReadonlySet<string> = new Set([
  "kms.keys",
  "kms.aliases",
  "kms.grants",
  "neptune.clusters",
  "neptune.instances",
  "neptune.clusterSnapshots",
  "neptune.clusterParameterGroups",
  "neptune.parameterGroups",
  "neptune.subnetGroups",
  "neptune.events",
  "neptune.tags",
  "neptune.pendingCopies",
  "neptune.copySchedule",
  "neptune.snapshotShares",
  "sts.temporaryCredentials",
]);

export function isKnownTable(table: string): boolean {
  return KNOWN_TABLES.has(table);
}

export function isStateService(name: string): name is StateService {
  return (STATE_SERVICES as readonly string[]).includes(name);
}

/** Whether `table` belongs to `service` (`iam` owns `iam.*`, which the IAM API will fill). */
export function belongsTo(table: string, service: StateService): boolean {
  return table.startsWith(`${service}.`);
}
