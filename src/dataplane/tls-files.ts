import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSecureContext } from "node:tls";
import { writeFileAtomically } from "../state/atomic-file.js";
import { StateDirError } from "../state/state-dir-error.js";
import type { KeyAndCertificate } from "./certificates.js";

/** The X.509 library takes a quarter of a second to load: only a server with --data-plane-tls pays for it. */
const certificates = () => import("./certificates.js");

/**
 * Where the data plane's TLS material lives: `tls/` in the data directory (mode 0700), holding the local CA
 * (`ca.pem`, what clients trust; `ca.key`, mode 0600, never copied anywhere else) and the server certificate the
 * data-plane listeners present (`server.pem`, `server.key`, 0600). The CA is made once; the server certificate is
 * issued again when the hosts it must name change or it nears its end.
 */
export const TLS_DIR = "tls";

export interface DataPlaneTls extends KeyAndCertificate {
  /** The CA certificate's file: what NODE_EXTRA_CA_CERTS and AWS_CA_BUNDLE name. */
  caFile: string;
  /** Whether this start made the CA (clients must be told to trust it) or found it. */
  newAuthority: boolean;
  /** Whether this start issued the server certificate. */
  newCertificate: boolean;
}

/**
 * The names a data-plane certificate carries: its hosts (the host, the reader host, the custom endpoints'
 * addresses), and `localhost` for clients that use the name.
 */
export function certificateHosts(...hosts: string[]): string[] {
  return [...new Set([...hosts, "localhost"])];
}

function readIfThere(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** Writes the certificate first, then the key: a CA whose key never made it to disk is made again at next start. */
function writePair(dir: string, name: string, pair: KeyAndCertificate): void {
  writeFileAtomically(join(dir, `${name}.pem`), pair.cert, { mode: 0o644 });
  writeFileAtomically(join(dir, `${name}.key`), pair.key, { mode: 0o600 });
}

/** The pair `name` in `dir`, when its key is there. */
function readPair(dir: string, name: string): KeyAndCertificate | undefined {
  const key = readIfThere(join(dir, `${name}.key`));
  if (key === undefined) return undefined;
  const cert = readIfThere(join(dir, `${name}.pem`));
  if (cert === undefined)
    throw new StateDirError(`${join(dir, `${name}.pem`)} is missing while its key is there; restore it or remove both`);
  return { key, cert };
}

/** Whether Node's TLS takes this key and certificate (both parse, and the key is the certificate's). */
function opensTls(pair: KeyAndCertificate): boolean {
  try {
    createSecureContext(pair);
    return true;
  } catch {
    return false;
  }
}

/** A server certificate from the kept CA, or a StateDirError when its files cannot sign one that it vouches for. */
async function issueWith(
  authority: KeyAndCertificate,
  hosts: readonly string[],
  now: Date,
  dir: string,
): Promise<KeyAndCertificate> {
  const refuse = (why: string) =>
    new StateDirError(
      `the CA in ${dir} cannot be used (${why}): restore ca.pem and ca.key, or remove both to make a new CA`,
    );
  const { issueServerCertificate, stillServes } = await certificates();
  let server: KeyAndCertificate;
  try {
    server = await issueServerCertificate(authority, hosts, now);
  } catch (error) {
    throw refuse((error as Error).message);
  }
  if (!(await stillServes(server.cert, authority, hosts, now))) throw refuse("ca.key is not the key of ca.pem");
  return server;
}

/**
 * The CA and the server certificate for `hosts`, kept in `<dataDir>/tls` (made when missing). `now` is the real
 * time: clients check a certificate's dates against their own clock, never the emulator's domain clock.
 */
export async function dataPlaneTls(dataDir: string, hosts: readonly string[], now: Date): Promise<DataPlaneTls> {
  const { createAuthority, stillServes } = await certificates();
  const dir = join(dataDir, TLS_DIR);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let authority = readPair(dir, "ca");
  const newAuthority = authority === undefined;
  if (!authority) {
    authority = await createAuthority(now);
    writePair(dir, "ca", authority);
  }
  const kept = newAuthority ? undefined : readPair(dir, "server");
  // A server certificate or key that does not parse, or a key that is not the certificate's, is issued again: it
  // is made from the CA, nothing is lost.
  const keepsServing =
    kept && opensTls(kept) && (await stillServes(kept.cert, authority, hosts, now).catch(() => false));
  const server = keepsServing ? kept : await issueWith(authority, hosts, now, dir);
  if (!keepsServing) writePair(dir, "server", server);
  return { ...server, caFile: join(dir, "ca.pem"), newAuthority, newCertificate: !keepsServing };
}

/**
 * *Decided*: without a data directory a server forgets everything when it stops, and so does its TLS: a fresh CA
 * per run, in a private temporary directory removed at exit (nothing is written to the user's home; clients trust
 * the path printed for this run).
 */
export function temporaryTlsHome(): string {
  const dir = mkdtempSync(join(tmpdir(), "trident-tls-"));
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
