import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { partition } from "@aws-sdk/core/client";
import { isServedRegion } from "../../src/auth/regions.js";
import { projectRoot } from "../../src/util/project-root.js";

const regionsFile = () =>
  JSON.parse(readFileSync(join(projectRoot(), "models", "regions.json"), "utf8")) as {
    regions: Record<string, string>;
  };

test("models/regions.json lists what the installed SDK's partition data lists (the extractor's --check)", () => {
  // Exits 1, failing this test, when the SDK's list has changed since the file was written.
  execFileSync(process.execPath, [join(projectRoot(), "scripts", "extract-regions.mjs"), "--check"]);
});

test("every listed region is one the SDK's partition() places in aws, with the same description", () => {
  const { regions } = regionsFile();
  assert.ok(Object.keys(regions).length > 30);
  for (const [region, description] of Object.entries(regions)) {
    const found = partition(region) as { name: string; description?: string };
    assert.equal(found.name, "aws", region);
    assert.equal(found.description, description, region);
  }
});

test("served: listed regions but the aws-global pseudo-region; not: shapes, other partitions, other cases", () => {
  assert.equal(isServedRegion("us-east-1"), true);
  assert.equal(isServedRegion("mx-central-1"), true);
  assert.equal(isServedRegion("aws-global"), false);
  assert.equal(isServedRegion("us-fake-1"), false);
  assert.equal(isServedRegion("cn-north-1"), false);
  assert.equal(isServedRegion("US-EAST-1"), false);
  assert.equal(isServedRegion("constructor"), false);
});
