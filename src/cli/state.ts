import { readFileSync } from "node:fs";
import { DEFAULT_PORT } from "../server/http.js";
import { PASSPHRASE_HEADER } from "../server/admin-paths.js";
import { writeFileAtomically } from "../state/atomic-file.js";
import { parseFlags, UsageError, type FlagTable } from "./flags.js";

/** The environment variable that gives the state document's passphrase to the CLI (never a flag: ps shows flags). */
export const PASSPHRASE_ENV = "TRIDENT_STATE_PASSPHRASE";
const DEFAULT_ENDPOINT = `http://127.0.0.1:${DEFAULT_PORT}`;

export const STATE_USAGE = `Usage: trident state <export|import> FILE [--endpoint-url ${DEFAULT_ENDPOINT}]

Saves or loads the whole state of a running trident serve (every account, key, cluster, snapshot, STS session).
  export FILE          writes the state document to FILE (mode 0600)
  import FILE          replaces the server's whole state with FILE; a bad file changes nothing
  --endpoint-url URL   the server (default ${DEFAULT_ENDPOINT})

The passphrase comes from ${PASSPHRASE_ENV} (required): key material and STS secrets are sealed under it
in the document (scrypt + AES-256-GCM); the rest is readable JSON. Exit codes: 0 done, 1 refused or unreachable,
2 bad options.`;

const FLAGS = {
  "endpoint-url": { kind: "url" },
  help: { kind: "boolean", short: "h" },
} as const satisfies FlagTable;

/** One line for whatever went wrong talking to the server; exit code 1. */
class StateCommandError extends Error {}

async function call(endpoint: string, init: RequestInit): Promise<string> {
  let response: Response;
  try {
    response = await fetch(new URL("/_trident/state", endpoint), init);
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new StateCommandError(`cannot reach trident serve at ${endpoint}: ${cause?.code ?? cause?.message ?? error}`);
  }
  const text = await response.text();
  if (response.ok) return text;
  let message = text;
  try {
    message = (JSON.parse(text) as { message?: string }).message ?? text;
  } catch {
    // not JSON: not a Trident server, show what it said
  }
  throw new StateCommandError(`the server refused (${response.status}): ${message}`);
}

export async function stateCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, FLAGS, 2);
  if (values.help) {
    console.log(STATE_USAGE);
    return 0;
  }
  const [action, file] = positionals;
  if (action !== "export" && action !== "import")
    throw new UsageError(
      action ? `unknown subcommand '${action}' (export or import)` : "give export FILE or import FILE",
    );
  if (!file) throw new UsageError(`give the file to ${action}: trident state ${action} FILE`);
  const passphrase = process.env[PASSPHRASE_ENV];
  if (!passphrase) throw new UsageError(`set ${PASSPHRASE_ENV}: the document's secrets are sealed under it`);
  const endpoint = values["endpoint-url"] ?? DEFAULT_ENDPOINT;
  const headers = { [PASSPHRASE_HEADER]: passphrase };
  try {
    if (action === "export") {
      const document = await call(endpoint, { method: "GET", headers });
      try {
        writeFileAtomically(file, document, { mode: 0o600 });
      } catch (error) {
        throw new StateCommandError(`cannot write ${file}: ${(error as Error).message}`);
      }
      console.log(`trident: state of ${endpoint} exported to ${file}`);
    } else {
      let body: string;
      try {
        body = readFileSync(file, "utf8");
      } catch (error) {
        throw new StateCommandError(`cannot read ${file}: ${(error as Error).message}`);
      }
      const answer = JSON.parse(
        await call(endpoint, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body }),
      ) as { imported: number };
      console.log(`trident: ${file} imported into ${endpoint} (${answer.imported} rows)`);
    }
    return 0;
  } catch (error) {
    if (!(error instanceof StateCommandError)) throw error;
    console.error(`trident state: ${error.message}`);
    return 1;
  }
}
