import { after } from "node:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
  type DBCluster,
  type NeptuneClient,
} from "@aws-sdk/client-neptune";
import type { HttpRequest } from "@smithy/types";
import type { EmulatorOptions } from "../../src/emulator.js";
import { InProcessHandler } from "../../src/server/inprocess.js";
import { createMigrationClients, type MigrationClients } from "../../src/migrate/clients.js";
import { buildSeed, type Seed, type SeedOptions } from "../../src/migrate/seed.js";
import type { MigrateInputs } from "../../src/migrate/types.js";
import type { WaitSettings } from "../../src/migrate/waiters.js";
import { A, ADMIN, B, inProcess } from "../helpers/harness.js";
import { migrateMain, type MigrateIo } from "../../src/cli/migrate.js";
import { credentialFlags, seedInputs } from "./fixtures.js";

/** One call as the migration made it: which account, which operation. */
export interface RecordedCall {
  account: string;
  operation: string;
}

/** Wraps the in-process handler to record every operation (Action= or X-Amz-Target) and its caller. */
class RecordingHandler extends InProcessHandler {
  readonly calls: RecordedCall[] = [];
  override async handle(request: HttpRequest) {
    const target = request.headers["x-amz-target"];
    const body =
      typeof request.body === "string"
        ? request.body
        : request.body instanceof Uint8Array
          ? Buffer.from(request.body).toString()
          : "";
    const operation = target ? target.split(".")[1]! : (new URLSearchParams(body).get("Action") ?? "?");
    const keyId = /Credential=([^/]+)\//.exec(request.headers.authorization ?? "")?.[1];
    const account = keyId === ADMIN[A]!.accessKeyId ? A : keyId === ADMIN[B]!.accessKeyId ? B : "?";
    this.calls.push({ account, operation });
    return super.handle(request);
  }
}

const READ_ONLY = /^(Describe|List|Get|Simulate)/;

/** Calls that change something (everything but Describe*, List*, Get*). */
export function mutations(calls: RecordedCall[]): string[] {
  return calls.filter((call) => !READ_ONLY.test(call.operation)).map((call) => `${call.account}:${call.operation}`);
}

/**
 * The emulator in-process with a manual clock, the seed's situation built in A (unless `seed: false`), and
 * everything a migration run needs: inputs for A → B, a request handler, a temporary journal, and waiter
 * settings whose `sleep` advances the manual clock (tests never sleep).
 */
export async function migrationWorld(
  options: { emulator?: EmulatorOptions; seed?: SeedOptions | false; inputs?: Partial<MigrateInputs> } = {},
) {
  const world = inProcess(options.emulator);
  const handler = new RecordingHandler(world.emulator);
  const dir = mkdtempSync(join(tmpdir(), "trident-migrate-test-"));
  const journalPath = join(dir, "journal.json");
  const endpoint = "http://trident.local";
  const inputs = seedInputs({
    source: { ...ADMIN[A]!, endpoint },
    target: { ...ADMIN[B]!, endpoint },
    ...options.inputs,
  });
  const clientOptions = { requestHandler: handler, maxAttempts: 1 };
  const clients: MigrationClients = createMigrationClients(inputs.source, inputs.target, {
    region: inputs.region,
    ...clientOptions,
  });
  const sleep = async (ms: number) => world.clock.advance(ms);
  const wait: WaitSettings = { intervalMs: 1000, sleep, now: () => world.clock.now().getTime() };
  const seed: Seed | undefined =
    options.seed === false ? undefined : await buildSeed(clients.source, A, { sleep, pollMs: 1000, ...options.seed });
  handler.calls.length = 0;
  return {
    ...world,
    handler,
    inputs,
    clients,
    clientOptions,
    journalPath,
    wait,
    seed,
    /** Options for runPlan / runApply / runCleanup. */
    run: (overrides: Partial<MigrateInputs> = {}) => ({
      inputs: { ...inputs, ...overrides },
      clients,
      journalPath,
      wait,
    }),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export type MigrationWorld = Awaited<ReturnType<typeof migrationWorld>>;

/** `migrationWorld` for one test file: every world it makes is disposed of after the file's tests. */
export function migrationWorlds(): typeof migrationWorld {
  const worlds: MigrationWorld[] = [];
  after(() => worlds.forEach((world) => world.dispose()));
  return async (options) => {
    const world = await migrationWorld(options);
    worlds.push(world);
    return world;
  };
}

/** A cluster as the SDK describes it in one account (default: the seed's, whose name the target keeps). */
export async function describeCluster(neptune: NeptuneClient, id = "orders-graph"): Promise<DBCluster> {
  return (await neptune.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters![0]!;
}

/** The ids of one account's manual snapshots. */
export async function manualSnapshotIds(neptune: NeptuneClient): Promise<string[]> {
  const out = await neptune.send(new DescribeDBClusterSnapshotsCommand({ SnapshotType: "manual" }));
  return out.DBClusterSnapshots!.map((snapshot) => snapshot.DBClusterSnapshotIdentifier!);
}

/**
 * Runs `trident migrate …` in-process against the world's emulator (the admins' access keys unless `credentials`
 * says) and captures what it prints.
 */
export async function migrateCli(
  w: MigrationWorld,
  args: string[],
  io: Partial<MigrateIo> = {},
  credentials: string[] = credentialFlags(),
) {
  let stdout = "";
  let stderr = "";
  const code = await migrateMain(
    [...args, "--endpoint-url", "http://trident.local", "--region", "us-east-1", ...credentials],
    {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      requestHandler: w.handler,
      env: {},
      ...io,
    },
  );
  return { code, stdout, stderr };
}
