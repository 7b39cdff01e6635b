/**
 * Every table the emulator keeps, by name. Names are `<service>.<kind>`, so a service owns a prefix (reset clears
 * one service by it) and an imported state document can be checked row by row against what this version knows.
 * A module that adds a table adds its name here; the state round-trip tests fail until it does.
 */
export const STATE_SERVICES = ["kms", "neptune", "sts", "iam"] as const;
export type StateService = (typeof STATE_SERVICES)[number];

/**
 * Each table, and whether its rows are secrets (KMS key material, STS secret keys and session tokens, graphs): those are
 * sealed (sealing.ts) wherever state leaves memory, in the data directory and in an exported state document.
 */
const TABLES: ReadonlyMap<string, { secret: boolean }> = new Map([
  ["kms.keys", { secret: true }],
  ["kms.aliases", { secret: false }],
  ["kms.grants", { secret: false }],
  ["neptune.clusters", { secret: false }],
  ["neptune.instances", { secret: false }],
  ["neptune.clusterSnapshots", { secret: false }],
  ["neptune.clusterParameterGroups", { secret: false }],
  ["neptune.parameterGroups", { secret: false }],
  ["neptune.subnetGroups", { secret: false }],
  ["neptune.events", { secret: false }],
  ["neptune.eventSubscriptions", { secret: false }],
  ["neptune.tags", { secret: false }],
  ["neptune.pendingCopies", { secret: false }],
  ["neptune.copySchedule", { secret: false }],
  ["neptune.snapshotShares", { secret: false }],
  ["neptune.dataPlanePorts", { secret: false }],
  // Clusters' graphs (domain/neptune/data-plane): already sealed with each cluster's data key, and sealed again by
  // the master key so that an unencrypted cluster's values are not in clear either.
  ["neptune.graphs", { secret: true }],
  ["neptune.graphLog", { secret: true }],
  ["neptune.streamHeads", { secret: false }],
  ["neptune.streamLog", { secret: true }],
  ["neptune.graphImages", { secret: true }],
  ["neptune.graphImageRefs", { secret: false }],
  ["sts.temporaryCredentials", { secret: true }],
  // IAM (domain/iam/records.ts): access keys hold secret keys.
  ["iam.users", { secret: false }],
  ["iam.groups", { secret: false }],
  ["iam.roles", { secret: false }],
  ["iam.policies", { secret: false }],
  ["iam.attachments", { secret: false }],
  ["iam.accessKeys", { secret: true }],
  ["iam.seed", { secret: false }],
  ["iam.oidcProviders", { secret: false }],
  ["iam.samlProviders", { secret: false }],
]);

export function isKnownTable(table: string): boolean {
  return TABLES.has(table);
}

/** Whether a table's rows are sealed when they leave memory (an unknown table's are: the safe side). */
export function isSecretTable(table: string): boolean {
  return TABLES.get(table)?.secret ?? true;
}

export function isStateService(name: string): name is StateService {
  return (STATE_SERVICES as readonly string[]).includes(name);
}

/** Whether `table` belongs to `service` (`iam` owns `iam.*`). */
export function belongsTo(table: string, service: StateService): boolean {
  return table.startsWith(`${service}.`);
}
