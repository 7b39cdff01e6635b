import { after } from "node:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExecuteOpenCypherQueryCommand } from "@aws-sdk/client-neptunedata";
import { clusterGraph } from "../../src/cli/demo-data.js";
import { migrateMain } from "../../src/cli/migrate.js";
import { Emulator } from "../../src/emulator.js";
import type { DataPlaneConfig } from "../../src/domain/neptune/data-plane/ports.js";
import { createMigrationClients, destroyClients } from "../../src/migrate/clients.js";
import { buildSeed } from "../../src/migrate/seed.js";
import type { MigrateInputs, Side } from "../../src/migrate/types.js";
import { startServer } from "../../src/server/http.js";
import { ManualClock } from "../../src/state/clock.js";
import { DELAY_PROFILES } from "../../src/state/delays.js";
import { portRange } from "../dataplane/fixture.js";
import { ADMIN, A, B } from "../helpers/harness.js";
import { credentialFlags, seedInputs } from "./fixtures.js";

/**
 * The migration with data planes: the local AWS on a socket (clusters' endpoints are real listeners, on a port
 * range of this test process's own, unless `dataPlane` says otherwise), a manual clock and instant lifecycles, the seed built in A, and openCypher on
 * either side's cluster through client-neptunedata. Closed after the suite.
 */
export async function dataWorld(inputs: Partial<MigrateInputs> = {}, dataPlane?: Partial<DataPlaneConfig>) {
  const clock = new ManualClock(Date.now());
  const emulator = new Emulator({
    clock,
    delays: DELAY_PROFILES.instant,
    dataPlane: dataPlane ?? (await portRange()),
  });
  const running = await startServer(emulator, { port: 0 });
  const dir = mkdtempSync(join(tmpdir(), "trident-verify-data-"));
  const all = seedInputs({
    source: { ...ADMIN[A]!, endpoint: running.endpoint },
    target: { ...ADMIN[B]!, endpoint: running.endpoint },
    ...inputs,
  });
  const clients = createMigrationClients(all.source, all.target, { region: all.region, maxAttempts: 1 });
  after(async () => {
    destroyClients(clients);
    await running.close();
    rmSync(dir, { recursive: true, force: true });
  });
  await buildSeed(clients.source, A, { sleep: async (ms) => clock.advance(ms), pollMs: 1000 });

  /** Runs openCypher on a side's cluster (by its endpoint from DescribeDBClusters); the results. */
  const query = async (side: Side, cluster: string, text: string) => {
    const graph = await clusterGraph(clients[side], all[side], cluster, all.region);
    try {
      const answer = await graph.client.send(new ExecuteOpenCypherQueryCommand({ openCypherQuery: text }));
      return answer.results as Record<string, unknown>[];
    } finally {
      graph.client.destroy();
    }
  };
  return { clock, emulator, running, clients, inputs: all, journalPath: join(dir, "journal.json"), query };
}

/** `trident migrate …` in-process against a data world's server and journal; what it printed and its exit code. */
export async function migrateCli(world: Awaited<ReturnType<typeof dataWorld>>, args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await migrateMain(
    [
      ...args,
      "--endpoint-url",
      world.running.endpoint,
      "--region",
      world.inputs.region,
      "--journal",
      world.journalPath,
      ...credentialFlags(),
    ],
    { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), env: {} },
  );
  return { code, stdout, stderr };
}
