import { randomBytes, scryptSync } from "node:crypto";
import { decodeRecord, encodeRecord } from "./codec.js";
import { seal, SealError, unseal } from "./sealing.js";
import type { Store, StoredRow } from "./store.js";
import { isKnownTable, isSecretTable } from "./tables.js";

/**
 * The whole emulator state as one versioned JSON document, to share a prepared rehearsal:
 *
 *   { "format": "trident-state", "version": 1, "exportedAt": ISO-8601,
 *     "sealing": { "kdf": "scrypt", "salt", "N", "r", "p", "check" },
 *     "rows": [ { "table", "accountId", "region", "id", "value" | "sealed" } ] }
 *
 * Records are written with the record codec (Buffers and Dates kept). Rows of secret tables (key material, STS
 * secrets) are sealed (AES-256-GCM, bound to the row's place) under a key derived with scrypt from a passphrase
 * and the document's salt; `check` is a sealed known text, so a wrong passphrase is refused even for a document
 * without secrets. Reading validates everything before anything is replaced.
 */

export const STATE_FORMAT = "trident-state";
export const STATE_VERSION = 1;

export interface StateDocument {
  format: typeof STATE_FORMAT;
  version: number;
  exportedAt: string;
  sealing: Sealing;
  rows: DocumentRow[];
}

interface Sealing {
  kdf: "scrypt";
  /** base64 */
  salt: string;
  N: number;
  r: number;
  p: number;
  /** base64 of the sealed CHECK_TEXT. */
  check: string;
}

interface DocumentRow {
  table: string;
  accountId: string;
  region: string;
  id: string;
  /** The record as the codec writes it (plain rows). */
  value?: unknown;
  /** base64 of the sealed codec text (rows of secret tables). */
  sealed?: string;
}

/** A document that can't be read: the message says what is wrong; nothing has been changed. */
export class StateDocumentError extends Error {
  constructor(
    message: string,
    readonly code: "InvalidStateDocument" | "PassphraseRequired" = "InvalidStateDocument",
  ) {
    super(message);
  }
}

const SCRYPT = { N: 2 ** 15, r: 8, p: 1 };
/** Bounds on what a document may ask of scrypt, so a crafted one can't take the server's memory or time. */
const SCRYPT_LIMITS = { N: 2 ** 16, r: 8, p: 2 };
const CHECK_TEXT = "trident-state passphrase check";
const CHECK_PLACE = "trident-state/check";

function deriveKey(passphrase: string, salt: Buffer, params: { N: number; r: number; p: number }): Buffer {
  return scryptSync(passphrase, salt, 32, { ...params, maxmem: 256 * params.N * params.r });
}

/** The place a sealed row is bound to: moving it to another row makes it fail to open. */
function placeOf(row: { table: string; accountId: string; region: string; id: string }): string {
  return JSON.stringify([row.table, row.accountId, row.region, row.id]);
}

export function requirePassphrase(passphrase: string | undefined): string {
  if (!passphrase)
    throw new StateDocumentError(
      "a passphrase is required: secrets (key material, STS secrets) are sealed under it in the document",
      "PassphraseRequired",
    );
  return passphrase;
}

/** The whole state of `store` as a document, secrets sealed under `passphrase`. */
export function exportState(store: Store, passphrase: string | undefined, now: Date): StateDocument {
  const salt = randomBytes(16);
  const key = deriveKey(requirePassphrase(passphrase), salt, SCRYPT);
  const rows: DocumentRow[] = [];
  for (const row of store.rows()) {
    const place = { table: row.table, accountId: row.accountId, region: row.region, id: row.id };
    const text = encodeRecord(row.value);
    rows.push(
      isSecretTable(row.table)
        ? { ...place, sealed: seal(key, placeOf(place), Buffer.from(text, "utf8")).toString("base64") }
        : { ...place, value: JSON.parse(text) as unknown },
    );
  }
  return {
    format: STATE_FORMAT,
    version: STATE_VERSION,
    exportedAt: now.toISOString(),
    sealing: {
      kdf: "scrypt",
      salt: salt.toString("base64"),
      ...SCRYPT,
      check: seal(key, CHECK_PLACE, Buffer.from(CHECK_TEXT)).toString("base64"),
    },
    rows,
  };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function base64(value: unknown, what: string): Buffer {
  if (typeof value !== "string" || value.length % 4 !== 0 || !BASE64.test(value))
    throw new StateDocumentError(`${what} is not base64`);
  return Buffer.from(value, "base64");
}

function readEnvelope(text: string): Record<string, unknown> {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new StateDocumentError(`not a Trident state document: not JSON (${(error as Error).message})`);
  }
  if (!isObject(document) || document.format !== STATE_FORMAT)
    throw new StateDocumentError(`not a Trident state document: "format" is not "${STATE_FORMAT}"`);
  const version = document.version;
  if (!Number.isInteger(version) || (version as number) < 1)
    throw new StateDocumentError(`"version" must be a whole number from 1, not ${JSON.stringify(version)}`);
  if ((version as number) > STATE_VERSION)
    throw new StateDocumentError(
      `the document has format version ${String(version)}, written by a newer Trident; this one reads version ${STATE_VERSION}: upgrade Trident to import it`,
    );
  if (!Array.isArray(document.rows)) throw new StateDocumentError(`"rows" must be a list`);
  return document;
}

function sealingKey(sealing: unknown, passphrase: string): Buffer {
  if (!isObject(sealing) || sealing.kdf !== "scrypt") throw new StateDocumentError(`"sealing.kdf" must be "scrypt"`);
  const params = { N: sealing.N, r: sealing.r, p: sealing.p } as Record<"N" | "r" | "p", unknown>;
  for (const name of ["N", "r", "p"] as const) {
    const value = params[name];
    if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > SCRYPT_LIMITS[name])
      throw new StateDocumentError(`"sealing.${name}" must be a whole number from 1 to ${SCRYPT_LIMITS[name]}`);
  }
  if (((params.N as number) & ((params.N as number) - 1)) !== 0 || (params.N as number) < 2)
    throw new StateDocumentError(`"sealing.N" must be a power of two`);
  const key = deriveKey(
    passphrase,
    base64(sealing.salt, `"sealing.salt"`),
    params as { N: number; r: number; p: number },
  );
  try {
    unseal(key, CHECK_PLACE, base64(sealing.check, `"sealing.check"`));
  } catch (error) {
    if (error instanceof SealError)
      throw new StateDocumentError("the passphrase does not open this document (wrong passphrase, or it was altered)");
    throw error;
  }
  return key;
}

function readRow(raw: unknown, index: number, key: Buffer): StoredRow {
  const where = `row ${index + 1}`;
  if (!isObject(raw)) throw new StateDocumentError(`${where} is not an object`);
  for (const field of ["table", "accountId", "region", "id"] as const)
    if (typeof raw[field] !== "string" || raw[field] === "")
      throw new StateDocumentError(`${where}: "${field}" must be a non-empty string`);
  const place = { table: raw.table as string, accountId: raw.accountId as string, region: raw.region as string };
  const row = { ...place, id: raw.id as string };
  if (!isKnownTable(row.table)) throw new StateDocumentError(`${where}: unknown table "${row.table}"`);
  const secret = isSecretTable(row.table);
  if (secret !== "sealed" in raw || secret === "value" in raw)
    throw new StateDocumentError(
      `${where} (${row.table}): ${secret ? `must be "sealed" (a secret table), with no "value"` : `must have a "value" and no "sealed"`}`,
    );
  let text: string;
  if (secret) {
    try {
      text = unseal(key, placeOf(row), base64(raw.sealed, `${where}: "sealed"`)).toString("utf8");
    } catch (error) {
      if (error instanceof SealError)
        throw new StateDocumentError(
          `${where} (${row.table} ${row.id}): the sealed record does not open (altered or moved)`,
        );
      throw error;
    }
  } else text = JSON.stringify(raw.value);
  let value: unknown;
  try {
    value = decodeRecord(text);
  } catch {
    throw new StateDocumentError(`${where} (${row.table} ${row.id}): the record does not decode`);
  }
  if (!isObject(value)) throw new StateDocumentError(`${where} (${row.table} ${row.id}): a record must be an object`);
  return { ...row, value };
}

/** Every row of a document, checked (format, version, passphrase, tables, shapes, seals, no duplicates). */
export function readStateDocument(text: string, passphrase: string | undefined): StoredRow[] {
  const document = readEnvelope(text);
  const key = sealingKey(document.sealing, requirePassphrase(passphrase));
  const seen = new Set<string>();
  return (document.rows as unknown[]).map((raw, index) => {
    const row = readRow(raw, index, key);
    const place = placeOf(row);
    if (seen.has(place))
      throw new StateDocumentError(`row ${index + 1}: ${row.table} ${row.id} appears twice in its account and region`);
    seen.add(place);
    return row;
  });
}

/** Replaces the whole state of `store` with `rows` (read and checked by readStateDocument first). */
export function replaceState(store: Store, rows: StoredRow[]): void {
  store.clear();
  for (const row of rows) store.table(row.table, row.accountId, row.region).put(row.id, row.value);
}
