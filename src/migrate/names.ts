/**
 * The names this migration gives what it creates. They are derived from the inputs only, never random, so that a
 * second run (after a crash, or with the journal lost) finds what the first one made instead of making it again.
 */

/** Cluster, instance and snapshot identifiers: 1–63 letters, digits, hyphens; a letter first; no "--" or trailing "-" [aws-behaviour §2.1]. */
const MAX_IDENTIFIER = 63;

export function identifier(...parts: string[]): string {
  const joined = parts
    .join("-")
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-")
    .replace(/-+/g, "-");
  return joined.slice(0, MAX_IDENTIFIER).replace(/-+$/, "");
}

/** Keeps the identifier's end (its distinguishing suffix) when the base must be shortened. */
function withSuffix(base: string, suffix: string): string {
  const room = MAX_IDENTIFIER - suffix.length - 1;
  return identifier(identifier(base).slice(0, room).replace(/-+$/, ""), suffix);
}

export function sourceManualSnapshotName(targetCluster: string, targetAccount: string): string {
  return withSuffix(`trident-${targetCluster}`, `for-${targetAccount}`);
}

export function sourceCmkSnapshotName(targetCluster: string, targetAccount: string): string {
  return withSuffix(`trident-${targetCluster}`, `for-${targetAccount}-cmk`);
}

export function targetCopyName(targetCluster: string, sourceAccount: string): string {
  return withSuffix(`trident-${targetCluster}`, `from-${sourceAccount}`);
}

export function targetInstanceName(targetCluster: string, index: number): string {
  return withSuffix(targetCluster, `instance-${index + 1}`);
}

/** Alias of a source CMK created by `--create-source-key`. */
export function createdKeyAlias(targetCluster: string, targetAccount: string): string {
  return `alias/trident-${identifier(targetCluster)}-for-${targetAccount}`;
}

export function migrationId(sourceAccount: string, targetAccount: string, targetCluster: string): string {
  return `${sourceAccount}-to-${targetAccount}-${identifier(targetCluster)}`;
}

export function snapshotArn(partition: string, region: string, account: string, id: string): string {
  return `arn:${partition}:rds:${region}:${account}:cluster-snapshot:${id}`;
}

/** `aws`, `aws-cn`, `aws-us-gov`: from any ARN. */
export function partitionOf(arn: string): string {
  return /^arn:([^:]+):/.exec(arn)?.[1] ?? "aws";
}

/** The account an ARN belongs to (`arn:aws:kms:us-east-1:111111111111:key/…` → 111111111111). */
export function accountOfArn(arn: string | undefined): string | undefined {
  return arn ? /^arn:[^:]+:[^:]+:[^:]*:(\d{12}):/.exec(arn)?.[1] : undefined;
}

export function isAwsManagedAlias(keyId: string): boolean {
  return /(^|:)alias\/aws\//.test(keyId);
}
