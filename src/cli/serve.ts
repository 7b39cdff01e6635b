import { parseArgs } from "node:util";
import { ConfigError, resolveConfig } from "../config/config.js";
import { Emulator } from "../emulator.js";
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_PORT, startServer } from "../server/http.js";
import { DELAY_PROFILES, type DelayProfile } from "../state/delays.js";
import { openDurableStore } from "../state/durable-store.js";

export const SERVE_USAGE = `Usage: trident serve [--host 127.0.0.1] [--port ${DEFAULT_PORT}] [--config FILE] [--relaxed-auth] [--delays demo] [--data-dir DIR] [--quiet]

Starts the local AWS (Neptune control plane, KMS, STS) for any number of accounts.
  --config FILE     accounts, IAM users and roles (JSON; see README). Also TRIDENT_CONFIG.
  --relaxed-auth    a 12-digit access key id names the account; signatures are not checked
  --delays PROFILE  how long lifecycle transitions take: instant, demo (default; a few hundred ms) or realistic (minutes)
  --data-dir DIR    keep all state in DIR (created if missing), crash-safe; also TRIDENT_DATA_DIR. Default: memory
  --max-body BYTES  largest request body accepted (default ${DEFAULT_MAX_BODY_BYTES})
  --quiet           no per-request log lines`;

export async function serveCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: "string", default: "127.0.0.1" },
      port: { type: "string", default: String(DEFAULT_PORT) },
      config: { type: "string" },
      "relaxed-auth": { type: "boolean", default: false },
      "max-body": { type: "string" },
      delays: { type: "string", default: "demo" },
      "data-dir": { type: "string" },
      quiet: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(SERVE_USAGE);
    return;
  }
  if (!(values.delays in DELAY_PROFILES)) {
    throw new ConfigError(`--delays must be one of ${Object.keys(DELAY_PROFILES).join(", ")}; got '${values.delays}'`);
  }
  const config = resolveConfig(values.config);
  const dataDir = values["data-dir"] ?? process.env.TRIDENT_DATA_DIR;
  const emulator = new Emulator({
    config,
    relaxedAuth: values["relaxed-auth"],
    delays: DELAY_PROFILES[values.delays as DelayProfile],
    store: dataDir ? openDurableStore(dataDir) : undefined,
  });
  const running = await startServer(emulator, {
    host: values.host,
    port: Number(values.port),
    maxBodyBytes: values["max-body"] ? Number(values["max-body"]) : undefined,
    log: values.quiet ? undefined : (line) => console.log(line),
  });
  const stop = (signal: string) => {
    console.log(`trident: ${signal}, shutting down`);
    void running.close().then(() => {
      emulator.store.close();
      process.exit(0);
    });
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
  // Announced only once the signals are handled: a supervisor may stop the server as soon as it reads this line.
  console.log(
    `trident: local AWS listening on ${running.endpoint} (state: ${emulator.stateLocation}; accounts: ${emulator.identities.accounts().join(", ")}${emulator.relaxedAuth ? "; relaxed auth" : ""})`,
  );
}
