import { readFileSync } from "node:fs";
import { parseFlags, UsageError, type FlagTable, type FlagValues } from "./flags.js";

/**
 * The options that belong to one cluster of a migration: given on the command line they apply to every cluster;
 * a manifest (`--manifest FILE`) gives them per cluster, under the same names, and they are checked by the same
 * flag parser, so a manifest accepts exactly what the command line does and refuses it in the same words.
 *
 *   { "clusters": { "orders-graph": { "target-cluster": "orders", "instance-class": "db.r6g.large",
 *                                     "instance-count": 2, "target-kms-key": "alias/neptune" },
 *                   "audit-graph": {} } }
 */
export const CLUSTER_OPTIONS = {
  "target-cluster": { kind: "text" },
  "target-kms-key": { kind: "text" },
  "source-kms-key": { kind: "text" },
  "create-source-key": { kind: "boolean" },
  "subnet-group": { kind: "text" },
  "security-group-ids": { kind: "text", multiple: true },
  "parameter-group": { kind: "text" },
  "instance-class": { kind: "text" },
  "instance-count": { kind: "count" },
  "verify-data": { kind: "boolean" },
} as const satisfies FlagTable;

export type ClusterValues = Partial<FlagValues<typeof CLUSTER_OPTIONS>>;

export interface ManifestEntry {
  sourceCluster: string;
  /** Only what the manifest sets for this cluster; the command line's values fill in the rest. */
  values: ClusterValues;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** One setting as the words of a command line (`--instance-count 2`), so the flag parser checks it. */
function asArgs(name: string, value: unknown): string[] {
  const flag = `--${name}`;
  if (typeof value === "string" || typeof value === "number") return [flag, String(value)];
  if (Array.isArray(value) && value.every((item) => typeof item === "string"))
    return value.flatMap((item) => [flag, item]);
  throw new UsageError(`${flag} takes ${Array.isArray(value) ? "strings" : "a string or a number"}`);
}

function entryValues(settings: Record<string, unknown>): ClusterValues {
  const values: Record<string, unknown> = {};
  const args: string[] = [];
  for (const [name, value] of Object.entries(settings)) {
    const spec = (CLUSTER_OPTIONS as FlagTable)[name];
    if (!spec) throw new UsageError(`unknown setting '${name}' (settings: ${Object.keys(CLUSTER_OPTIONS).join(", ")})`);
    if (spec.kind === "boolean") {
      if (typeof value !== "boolean") throw new UsageError(`--${name} takes true or false`);
      values[name] = value;
    } else args.push(...asArgs(name, value));
  }
  const parsed = parseFlags(args, CLUSTER_OPTIONS).values as Record<string, unknown>;
  for (const [name, value] of Object.entries(parsed)) if (name in settings && !(name in values)) values[name] = value;
  return values as ClusterValues;
}

/** The manifest's clusters, in its order; anything wrong is a UsageError naming the file and the cluster. */
export function readManifest(path: string): ManifestEntry[] {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new UsageError(`--manifest ${path}: ${(error as Error).message}`);
  }
  const clusters = isObject(document) ? document.clusters : undefined;
  if (!isObject(clusters) || Object.keys(clusters).length === 0)
    throw new UsageError(
      `--manifest ${path}: expected {"clusters": {"<source cluster>": {<settings>}, …}} with at least one cluster`,
    );
  return Object.entries(clusters).map(([sourceCluster, settings]) => {
    const where = `--manifest ${path}: cluster ${sourceCluster}`;
    if (sourceCluster.trim() === "") throw new UsageError(`--manifest ${path}: a cluster without a name`);
    if (!isObject(settings)) throw new UsageError(`${where}: expected an object of settings`);
    try {
      return { sourceCluster, values: entryValues(settings) };
    } catch (error) {
      throw new UsageError(`${where}: ${(error as Error).message}`);
    }
  });
}
