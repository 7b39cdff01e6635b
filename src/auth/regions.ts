import { partition } from "@aws-sdk/core/client";

/**
 * The regions Trident serves: those the AWS SDK's own partition data (partitions.json, shipped in
 * `@aws-sdk/core`) lists for partition `aws`, the one partition Trident serves.
 *
 * - A region only *shaped* like an AWS region (`us-fake-1` matches the partition's regionRegex) is not served:
 *   the SDK resolves it to `aws` for endpoint building, but it is not listed, so it does not exist.
 * - The `aws-global` pseudo-region is listed, but it names the global endpoint, not a place: AWS refuses it as a
 *   credential scope ("Credential should be scoped to a valid region, not 'aws-global'",
 *   aws/aws-sdk-java-v2#988).
 * - *Decided*: regions of other partitions (`cn-north-1`, `us-gov-west-1`, …) are refused like unknown ones: a
 *   real `aws` endpoint does not serve them either, and Trident's accounts, keys and ARNs are `aws` ones.
 * - *Decided*: partitions.json says which regions exist, not which services run there. KMS and STS run in every
 *   commercial region; Neptune in most. Every listed `aws` region is served for all three, so a rehearsal never
 *   fails on a region that real AWS would take.
 */
export const SERVED_PARTITION = "aws";
const PSEUDO_REGIONS = new Set(["aws-global"]);

/** Regions already found listed: at most the partition's few dozen, so every request after the first is O(1). */
const known = new Set<string>();

/** Exact, case-sensitive: `US-EAST-1` is not a region. */
export function isServedRegion(region: string): boolean {
  if (known.has(region)) return true;
  if (PSEUDO_REGIONS.has(region)) return false;
  // partition() falls back to `aws` for anything; only a region it lists carries a description.
  const found: { name: string; description?: string } = partition(region);
  const served = found.name === SERVED_PARTITION && found.description !== undefined;
  if (served) known.add(region);
  return served;
}
