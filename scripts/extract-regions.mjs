// Writes models/regions.json: the regions of partition `aws` with their descriptions, from the partition data the
// AWS SDK for JavaScript ships in @aws-sdk/core. The server reads this small file instead of loading the SDK's
// client submodule (about 13 MiB and 50 ms at start) to tell whether a region exists.
// Usage: node scripts/extract-regions.mjs [--check]   (--check: exit 1 when models/regions.json is stale)
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const target = join(root, "models", "regions.json");

// The SDK exports partition() but not the table it reads: the table is taken from the package's own files.
const require = createRequire(import.meta.url);
const corePackage = require.resolve("@aws-sdk/core/package.json");
const { version } = JSON.parse(readFileSync(corePackage, "utf8"));
const tableFile = join(dirname(corePackage), "dist-es/submodules/client/util-endpoints/lib/aws/partitions.js");
const { partitionsInfo } = await import(pathToFileURL(tableFile).href);
const aws = partitionsInfo.partitions.find((p) => p.id === "aws");
const regions = Object.fromEntries(
  Object.entries(aws.regions)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, { description }]) => [name, description]),
);
const text = JSON.stringify({ source: `@aws-sdk/core ${version}`, partition: "aws", regions }, null, 2) + "\n";

if (process.argv.includes("--check")) {
  const current = readFileSync(target, "utf8");
  const same = JSON.parse(current).regions;
  if (JSON.stringify(same) !== JSON.stringify(regions)) {
    console.error("models/regions.json is stale: run node scripts/extract-regions.mjs");
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
  console.log(`wrote ${target} (${Object.keys(regions).length} regions)`);
}
