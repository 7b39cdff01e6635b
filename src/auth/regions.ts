import { readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../util/project-root.js";

/**
 * The regions Trident serves: those the AWS SDK's own partition data (shipped in `@aws-sdk/core`) lists for
 * partition `aws`, the one partition Trident serves. `scripts/extract-regions.mjs` copies that list into
 * models/regions.json (tests/auth/regions-data.test.ts fails when it is stale), so the server does not load the
 * SDK's client code to read it.
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

/** The partition's listed regions, read on first use. */
let listed: ReadonlySet<string> | undefined;

function listedRegions(): ReadonlySet<string> {
  if (!listed) {
    const file = JSON.parse(readFileSync(join(projectRoot(), "models", "regions.json"), "utf8")) as {
      partition: string;
      regions: Record<string, string>;
    };
    listed = new Set(file.partition === SERVED_PARTITION ? Object.keys(file.regions) : []);
  }
  return listed;
}

/** Exact, case-sensitive: `US-EAST-1` is not a region. */
export function isServedRegion(region: string): boolean {
  return !PSEUDO_REGIONS.has(region) && listedRegions().has(region);
}
