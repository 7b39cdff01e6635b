import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { StateDirError } from "./state-dir-error.js";

/**
 * The master key of a data directory: 32 bytes that seal its secret rows (sealing.ts). Given by the
 * environment (TRIDENT_MASTER_KEY, base64), or kept next to the database in `master.key`, mode 0600.
 */
export const MASTER_KEY_FILE = "master.key";
export const MASTER_KEY_ENV = "TRIDENT_MASTER_KEY";
const KEY_BYTES = 32;

/** The key given by the environment or the directory's file; undefined when neither exists. */
export function findMasterKey(dir: string, fromEnv: string | undefined): Buffer | undefined {
  if (fromEnv !== undefined) return parseKey(Buffer.from(fromEnv, "base64"), `${MASTER_KEY_ENV}`);
  try {
    return parseKey(readFileSync(join(dir, MASTER_KEY_FILE)), join(dir, MASTER_KEY_FILE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** A new random key, written to the directory's file with mode 0600 (never over an existing file). */
export function createMasterKey(dir: string): Buffer {
  const key = randomBytes(KEY_BYTES);
  writeFileSync(join(dir, MASTER_KEY_FILE), key, { mode: 0o600, flag: "wx" });
  return key;
}

function parseKey(bytes: Buffer, source: string): Buffer {
  if (bytes.length !== KEY_BYTES)
    throw new StateDirError(`the master key in ${source} must be ${KEY_BYTES} bytes (base64 in the environment)`);
  return bytes;
}
