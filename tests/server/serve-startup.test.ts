import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DescribeDBClustersCommand, NeptuneClient } from "@aws-sdk/client-neptune";
import { ADMIN, A } from "../helpers/harness.js";
import { MAIN_MODULES, serve } from "../helpers/serve-process.js";

const MODULE_LOG = fileURLToPath(new URL("../helpers/module-log.js", import.meta.url));

/** The project's own modules the process has loaded so far, by path under dist/src (e.g. `domain/neptune/lifecycle.js`). */
const loaded = (log: string) =>
  readFileSync(log, "utf8")
    .split("\n")
    .filter((url) => url.includes("/dist/src/"))
    .map((url) => url.slice(url.indexOf("/dist/src/") + "/dist/src/".length));

test("a fresh trident serve loads Neptune's rules on the first Neptune request, not at start (bench/scale.ts)", async () => {
  const log = join(mkdtempSync(join(tmpdir(), "trident-modules-")), "modules.txt");
  // The unbundled CLI, whose modules have names: the bundle keeps the same dynamic imports as chunks of their own.
  const server = serve([], { NODE_OPTIONS: `--import ${MODULE_LOG}`, TRIDENT_MODULE_LOG: log }, MAIN_MODULES);
  const endpoint = await server.ready;
  await server.printed(/^Ready\.$/m);
  const atStart = loaded(log);
  // The log works: serve itself and the pipeline are in it.
  assert.ok(atStart.includes("cli/serve.js") && atStart.includes("server/pipeline.js"), atStart.join(", "));
  for (const module of [
    "domain/neptune/lifecycle.js",
    "domain/neptune/cluster-endpoints.js",
    "services/neptune/index.js",
  ])
    assert.ok(!atStart.includes(module), `${module} is loaded at start`);
  const neptune = new NeptuneClient({ region: "us-east-1", endpoint, credentials: ADMIN[A]!, maxAttempts: 1 });
  assert.deepEqual((await neptune.send(new DescribeDBClustersCommand({}))).DBClusters, []);
  const afterNeptune = loaded(log);
  for (const module of [
    "domain/neptune/lifecycle.js",
    "domain/neptune/cluster-endpoints.js",
    "services/neptune/index.js",
  ])
    assert.ok(afterNeptune.includes(module), `${module} is not loaded by a Neptune request`);
  server.child.kill("SIGTERM");
  assert.equal(await server.exited, 0);
});
