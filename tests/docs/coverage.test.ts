import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { DATA_PLANE_HANDLERS, OUT_OF_SCOPE } from "../../src/dataplane/operations.js";
import { loadModel } from "../../src/protocol/model.js";
import { projectRoot } from "../../src/util/project-root.js";
import { cliName, coveragePage } from "../../src/tools/coverage.js";

test("docs/coverage.md is what the generator writes from the code and tests as they are now", () => {
  const written = readFileSync(join(projectRoot(), "docs", "coverage.md"), "utf8");
  assert.ok(written === coveragePage(), "docs/coverage.md is stale: run `npm run coverage` and commit the page.");
});

test("operations are matched to the AWS CLI's names for them", () => {
  assert.equal(cliName("DescribeDBClusters"), "describe-db-clusters");
  assert.equal(cliName("CreateDBClusterParameterGroup"), "create-db-cluster-parameter-group");
  assert.equal(cliName("GetRDFGraphSummary"), "get-rdf-graph-summary");
  assert.equal(cliName("ListMLEndpoints"), "list-ml-endpoints");
  assert.equal(cliName("ExecuteOpenCypherQuery"), "execute-open-cypher-query");
  assert.equal(cliName("GetCallerIdentity"), "get-caller-identity");
});

test("every data-plane operation of the model is either served or out of scope with a reason, not both", () => {
  const served = new Set(Object.keys(DATA_PLANE_HANDLERS));
  const outOfScope = new Set(Object.keys(OUT_OF_SCOPE));
  for (const operation of Object.keys(loadModel("neptunedata").operations)) {
    assert.ok(
      served.has(operation) !== outOfScope.has(operation),
      `${operation}: served ${served.has(operation)}, out of scope ${outOfScope.has(operation)}`,
    );
  }
});

test("the page's summary counts each service's operations and where they stand", () => {
  const page = coveragePage();
  assert.match(page, /^\| STS \| 11 \| 8 \| 3 \| 0 \| \d+ \|$/m);
  assert.match(page, /^\| GetCallerIdentity \| implemented \| .*`tests\/cli\/sts-cli\.test\.ts`/m);
  // Every KMS operation is served: custom key stores answer as AWS does when none exists.
  assert.match(page, /^\| KMS \| 54 \| 54 \| 0 \| 0 \| \d+ \|$/m);
  assert.match(page, /^\| Sign \| implemented \| `tests\/kms\/asymmetric.test.ts`, .*`tests\/kms\/rsa.test.ts`/m);
  assert.match(page, /^\| DeriveSharedSecret \| implemented \| .*`tests\/kms\/key-agreement.test.ts`/m);
});
