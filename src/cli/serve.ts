import { DEFAULT_REGION } from "../config/defaults.js";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { CONSOLE_PATH } from "../console/paths.js";
import { defaultJournalDir } from "../console/service.js";
import { resolveConfig } from "../config/config.js";
import { DEFAULT_ACCOUNT, Emulator } from "../emulator.js";
import type { KmsSeed } from "../domain/kms/seeding.js";
import type { ReadSeeds } from "../domain/kms/seed-file.js";
import { seedIds } from "../util/random.js";
import { DEFAULT_DRAIN_TIMEOUT_SECONDS, DEFAULT_MAX_BODY_BYTES, DEFAULT_PORT, startServer } from "../server/http.js";
import { DELAY_PROFILES, type DelayProfile } from "../state/delays.js";
import { MEMORY_LOCATION } from "../state/store.js";
import { parseFlags, UsageError, type FlagTable } from "./flags.js";
import { resolveDataPlaneAddresses, type DataPlaneAddresses } from "../dataplane/addresses.js";
import { DEFAULT_DATA_PLANE } from "../domain/neptune/data-plane/ports.js";
import { PASSPHRASE_ENV } from "./state.js";
import type { DataPlaneTls } from "../dataplane/tls-files.js";

export const SERVE_USAGE = `Usage: trident serve [--host 127.0.0.1] [--port ${DEFAULT_PORT}] [--config FILE] [--relaxed-auth] [--default-account ID] [--seed FILE|DIR] [--seed-random N] [--delays demo] [--data-dir DIR] [--data-plane-host H] [--data-plane-ports FIRST-LAST] [--data-plane-tls] [--no-data-plane] [--no-console] [--journals DIR] [--quiet]

Starts the local AWS (Neptune control plane, KMS, STS) for any number of accounts.
Without --data-dir, state lives in memory: everything created is lost when the server stops.
Prints "Ready." on a line of its own once it serves (LocalStack's readiness line, which tools wait for).
  --host HOST          address to listen on (default 127.0.0.1)
  --port PORT          0 to 65535; 0 picks a free port (default ${DEFAULT_PORT})
  --config FILE        accounts, IAM users and roles (JSON; see README). Also TRIDENT_CONFIG.
  --relaxed-auth       signatures are not checked; a 12-digit access key id names that account, any other unknown key
                       (test, …) and an unsigned request the default account
  --default-account ID relaxed auth's default account, and a seed file's unless it names one (default ${DEFAULT_ACCOUNT};
                       moto's is 123456789012)
  --seed FILE|DIR      KMS keys and aliases with fixed ids and material, in local-kms's YAML seed format (a directory:
                       each .yaml/.yml file); put in at start and after a reset, never over an existing key (README)
  --seed-random N      ids (key, grant, resource, access key and request ids) from seeded sequences: the same N and
                       the same calls give the same ids
  --delays PROFILE     how long lifecycle transitions take: instant, demo (default; a few hundred ms) or realistic (minutes)
  --data-dir DIR       keep all state in DIR (created if missing), crash-safe; also TRIDENT_DATA_DIR
  --max-body BYTES     largest request body accepted, 1 to 1073741824 (default ${DEFAULT_MAX_BODY_BYTES})
  --import FILE        start from a state document (trident state export); its passphrase in ${PASSPHRASE_ENV}
  --data-plane-host H  address of the clusters' data-plane endpoints (default: --host, or 127.0.0.1 for 0.0.0.0/::)
  --data-plane-ports FIRST-LAST
                       ports for clusters' and instances' endpoints (default ${DEFAULT_DATA_PLANE.firstPort}-${DEFAULT_DATA_PLANE.lastPort})
  --data-plane-tls     endpoints serve HTTPS (as Neptune does) with a certificate from a local CA kept in --data-dir
                       (a fresh one per run without it); the banner says how to trust it
  --no-data-plane      the control plane only: clusters take no port and nothing listens on their endpoints, which
                       show AWS's names and port 8182 (as moto's do), so there may be any number of clusters; their
                       graphs cannot be reached (the console and migrate --verify-data say so)
  --drain-timeout SEC  on SIGTERM/SIGINT, how long requests in flight may take to finish (default ${DEFAULT_DRAIN_TIMEOUT_SECONDS})
  --no-console         no console: /_trident/console and its read API answer 404 (default: served on this port)
  --journals DIR       where the console reads \`trident migrate\` journals (default .trident/migrations under the
                       working directory)
  --quiet              no per-request log lines

SIGTERM or SIGINT: stop accepting connections, finish the requests in flight, exit 0 (1 if some had to be cut
after --drain-timeout); a second signal stops at once.`;

const FLAGS = {
  host: { kind: "text" },
  port: { kind: "port" },
  config: { kind: "text" },
  "relaxed-auth": { kind: "boolean" },
  "default-account": { kind: "account-id" },
  seed: { kind: "text", multiple: true },
  "seed-random": { kind: "count" },
  "max-body": { kind: "bytes" },
  delays: { kind: "choice", choices: Object.keys(DELAY_PROFILES) },
  "data-dir": { kind: "text" },
  import: { kind: "text" },
  "drain-timeout": { kind: "seconds" },
  "data-plane-host": { kind: "text" },
  "data-plane-ports": { kind: "port-range" },
  "data-plane-tls": { kind: "boolean" },
  "no-data-plane": { kind: "boolean" },
  "no-console": { kind: "boolean" },
  journals: { kind: "text" },
  quiet: { kind: "boolean" },
  help: { kind: "boolean", short: "h" },
} as const satisfies FlagTable;

/*
 * What only some flags need (a data directory's database, YAML seeds, a state document, TLS certificates) is
 * imported when the flag is given, so a plain `trident serve` starts without loading it (bench/scale.ts).
 */

/** Reads and checks a state document for --import; any problem stops the start with one line. */
async function importedRows(file: string) {
  const { readStateDocument, StateDocumentError } = await import("../state/state-document.js");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(`--import: cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return readStateDocument(text, process.env[PASSPHRASE_ENV]);
  } catch (error) {
    if (error instanceof StateDocumentError) throw new UsageError(`--import ${file}: ${error.message}`);
    throw error;
  }
}

/** Reads every --seed file or directory; any problem stops the start with one line. */
async function kmsSeeds(paths: string[], defaultAccount: string): Promise<ReadSeeds> {
  if (paths.length === 0) return { seeds: [], warnings: [] };
  const { readSeedPaths, SeedFileError } = await import("../domain/kms/seed-file.js");
  try {
    return readSeedPaths(paths, { accountId: defaultAccount, region: SEED_REGION });
  } catch (error) {
    if (error instanceof SeedFileError) throw new UsageError(`--seed ${error.message}`);
    throw error;
  }
}

/** A seed file's region unless it names one (seed-file.ts): the region `trident env` exports. */
const SEED_REGION = DEFAULT_REGION;

function seedBanner(seeds: readonly KmsSeed[], put: { keys: number; aliases: number }): string {
  const keys = seeds.reduce((n, seed) => n + seed.keys.length, 0);
  const places = [...new Set(seeds.map((seed) => `${seed.accountId}/${seed.region}`))].join(", ");
  return `KMS seed: ${keys} keys in ${places} (${put.keys} keys and ${put.aliases} aliases put now; the others existed)`;
}

/** How the data plane's TLS was set up, and how clients trust it. */
function tlsBanner(tls: DataPlaneTls, kept: boolean): string[] {
  const authority = !kept
    ? "a CA made for this run only (no --data-dir)"
    : tls.newAuthority
      ? "a new local CA, kept in the data directory"
      : "the local CA kept in the data directory";
  return [
    `data planes serve HTTPS with a certificate from ${authority}${tls.newCertificate ? " (certificate issued now)" : ""}`,
    `trust it: NODE_EXTRA_CA_CERTS=${tls.caFile} (Node.js, the AWS SDK for JavaScript)`,
    `          AWS_CA_BUNDLE=${tls.caFile} (the AWS CLI, boto3)`,
  ];
}

export async function serveCommand(argv: string[]): Promise<void> {
  const { values } = parseFlags(argv, FLAGS);
  if (values.help) {
    console.log(SERVE_USAGE);
    return;
  }
  const config = resolveConfig(values.config);
  const rows = values.import === undefined ? undefined : await importedRows(values.import);
  const defaultAccount = values["default-account"] ?? DEFAULT_ACCOUNT;
  const seeded = await kmsSeeds(values.seed ?? [], defaultAccount);
  // Before anything makes an id: the emulator's first ids already come from the seeded sequences.
  seedIds(values["seed-random"]);
  const dataDir = values["data-dir"] ?? process.env.TRIDENT_DATA_DIR;
  const host = values.host ?? "127.0.0.1";
  const port = values.port ?? DEFAULT_PORT;
  const dataPlaneOff = values["no-data-plane"] === true;
  // *Decided*: the data plane's own options make no sense without it; refused rather than silently ignored.
  for (const flag of ["data-plane-host", "data-plane-ports", "data-plane-tls"] as const)
    if (dataPlaneOff && values[flag] !== undefined && values[flag] !== false)
      throw new UsageError(`--${flag} cannot be combined with --no-data-plane`);
  // Decided before the emulator exists: DescribeDBClusters names these addresses from the first request on.
  const addresses: DataPlaneAddresses = dataPlaneOff
    ? {
        host: DEFAULT_DATA_PLANE.host,
        readerHost: DEFAULT_DATA_PLANE.readerHost,
        customHosts: [...DEFAULT_DATA_PLANE.customHosts],
      }
    : await resolveDataPlaneAddresses(host, values["data-plane-host"]).catch((error: Error) => {
        throw new UsageError(error.message);
      });
  const [firstPort, lastPort] = values["data-plane-ports"] ?? [
    DEFAULT_DATA_PLANE.firstPort,
    DEFAULT_DATA_PLANE.lastPort,
  ];
  const emulator = new Emulator({
    dataPlane: {
      host: addresses.host,
      readerHost: addresses.readerHost,
      customHosts: addresses.customHosts,
      firstPort,
      lastPort,
      off: dataPlaneOff,
    },
    config,
    relaxedAuth: values["relaxed-auth"],
    defaultAccount,
    kmsSeeds: seeded.seeds,
    delays: DELAY_PROFILES[(values.delays ?? "demo") as DelayProfile],
    store: dataDir ? (await import("../state/durable-store.js")).openDurableStore(dataDir) : undefined,
    ...(values["no-console"]
      ? {}
      : { console: { journalDirs: [values.journals !== undefined ? resolve(values.journals) : defaultJournalDir()] } }),
  });
  const tlsFiles = values["data-plane-tls"] ? await import("../dataplane/tls-files.js") : undefined;
  const tlsHome = tlsFiles && (dataDir ?? tlsFiles.temporaryTlsHome());
  const tlsHosts = tlsFiles?.certificateHosts(addresses.host, addresses.readerHost, ...addresses.customHosts) ?? [];
  // Real time: clients check a certificate's dates against their own clocks.
  const tls = tlsHome === undefined ? undefined : await tlsFiles!.dataPlaneTls(tlsHome, tlsHosts, new Date());
  // One unit of work, like an import through POST /_trident/state: the whole document or nothing.
  if (rows) {
    const { replaceState } = await import("../state/state-document.js");
    await emulator.store.transact(
      async () => replaceState(emulator.store, rows),
      () => true,
    );
  }
  // After an import: a seed never overwrites a key that exists (seeding.ts).
  let seedLine: string | undefined;
  if (emulator.kmsSeeds.length > 0) {
    const { applyKmsSeeds } = await import("../domain/kms/seeding.js");
    const put = await emulator.store.transact(
      async () => applyKmsSeeds(emulator, emulator.kmsSeeds),
      () => true,
    );
    seedLine = seedBanner(emulator.kmsSeeds, put);
  }
  const running = await startServer(emulator, {
    host,
    port,
    maxBodyBytes: values["max-body"],
    dataPlaneTls: tls,
    log: values.quiet ? undefined : (line) => console.log(line),
  }).catch((error: NodeJS.ErrnoException) => {
    // A --host that does not resolve or is not this machine's, a --port in use or reserved: one line, no stack.
    if (error.syscall === "listen" || error.syscall === "getaddrinfo")
      throw new UsageError(`cannot listen on --host ${host} --port ${port}: ${error.code ?? error.message}`);
    throw error;
  });
  // Signals are handled before the banner: whoever waits for it may stop the server at once.
  const drainMs = (values["drain-timeout"] ?? DEFAULT_DRAIN_TIMEOUT_SECONDS) * 1000;
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      console.log(`trident: ${signal} again, stopping now`);
      process.exit(1);
    }
    stopping = true;
    const drained = running.drain(drainMs);
    // Said once the server no longer accepts connections, so whoever reads it can rely on that.
    console.log(`trident: ${signal}, shutting down: finishing requests in flight (up to ${drainMs / 1000}s)`);
    void drained.then((outcome) => {
      if (outcome === "timed-out") console.log("trident: requests still in flight were cut after the drain timeout");
      emulator.store.close();
      process.exit(outcome === "drained" ? 0 : 1);
    });
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  const { location } = emulator.store;
  console.log(
    `trident: local AWS listening on ${running.endpoint} (accounts: ${emulator.identities.accounts().join(", ")}${emulator.relaxedAuth ? `; relaxed auth, default account ${emulator.defaultAccount}` : ""})`,
  );
  console.log(
    location === MEMORY_LOCATION
      ? "trident: state lives in memory and is lost when the server stops"
      : `trident: state lives in ${location}`,
  );
  console.log(
    dataPlaneOff
      ? "trident: no data plane (--no-data-plane): clusters take no port, their endpoints show AWS's names and port 8182, and nothing answers there"
      : `trident: clusters' data planes listen on ${addresses.host} (reader endpoints on ${addresses.readerHost}), ` +
          `ports ${firstPort}-${lastPort}`,
  );
  if (emulator.console) console.log(`trident: console at ${running.endpoint}${CONSOLE_PATH}`);
  if (addresses.fallback) console.log(`trident: ${addresses.fallback}`);
  if (tls) for (const line of tlsBanner(tls, dataDir !== undefined)) console.log(`trident: ${line}`);
  if (tlsHome !== undefined)
    (await import("../dataplane/tls-renewal.js")).renewDaily(tlsHome, tlsHosts, running.dataPlane, (line) =>
      console.log(line),
    );
  if (values.import !== undefined) console.log(`trident: state imported from ${values.import}`);
  for (const warning of seeded.warnings) console.log(`trident: --seed ${warning}`);
  if (seedLine) console.log(`trident: ${seedLine}`);
  if (values["seed-random"] !== undefined)
    console.log(`trident: ids from seeded sequences (--seed-random ${values["seed-random"]})`);
  // LocalStack's readiness line, which tools wait for (testcontainers' log regex `.*Ready\.\n`) [ecosystem.md §4.2].
  console.log("Ready.");
}
