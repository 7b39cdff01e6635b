import type { Emulator } from "../emulator.js";
import { exportState, readStateDocument, replaceState, StateDocumentError } from "../state/state-document.js";
import { MEMORY_LOCATION } from "../state/store.js";
import { belongsTo, isStateService, STATE_SERVICES } from "../state/tables.js";
import { reply, type RawRequest, type RawResponse } from "./pipeline.js";

/**
 * Trident's own endpoints, under `/_trident/` (no AWS service uses that path). Not signed: they are for the
 * person or test suite that runs the emulator, on loopback.
 *
 *   GET  /_trident/health                 status, boot id, start time, where state lives
 *   POST /_trident/reset[?service=S]      clears all state, or one service's (kms, neptune, sts, iam)
 *   GET  /_trident/state                  the whole state as a document (secrets sealed under the passphrase)
 *   POST /_trident/state                  replaces the whole state with a document
 *
 * The passphrase of the state document travels in the PASSPHRASE_HEADER header. Every handler here is plain
 * synchronous Store calls, so the request's unit of work covers it like any AWS request.
 */

export const ADMIN_PREFIX = "/_trident/";
export const PASSPHRASE_HEADER = "x-trident-state-passphrase";
/** A state document may be far larger than an AWS request: imports get this limit instead of --max-body. */
export const ADMIN_MAX_BODY_BYTES = 512 * 1024 * 1024;

export function isAdminPath(url: string): boolean {
  return url.startsWith(ADMIN_PREFIX);
}

/** Where the emulator's state lives, as health reports it (the store knows: "memory" or its data directory). */
export function stateLocation(emulator: Emulator): { store: "memory" } | { store: "data-dir"; dataDir: string } {
  const { location } = emulator.store;
  return location === MEMORY_LOCATION ? { store: "memory" } : { store: "data-dir", dataDir: location };
}

type AdminHandler = (emulator: Emulator, request: RawRequest, query: URLSearchParams) => unknown;

const ROUTES: Record<string, Partial<Record<string, AdminHandler>>> = {
  health: {
    GET: (emulator) => ({
      status: "ok",
      bootId: emulator.bootId,
      startedAt: emulator.startedAt.toISOString(),
      state: stateLocation(emulator),
    }),
  },
  reset: { POST: reset },
  state: {
    GET: (emulator, request) => exportState(emulator.store, passphrase(request), emulator.clock.now()),
    POST: (emulator, request) => {
      const rows = readStateDocument(request.body.toString("utf8"), passphrase(request));
      replaceState(emulator.store, rows);
      return { status: "ok", imported: rows.length };
    },
  },
};

class AdminError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

function passphrase(request: RawRequest): string | undefined {
  const value = request.headers[PASSPHRASE_HEADER];
  return Array.isArray(value) ? value[0] : value;
}

function reset(emulator: Emulator, _request: RawRequest, query: URLSearchParams): unknown {
  const service = query.get("service");
  if (service === null) {
    emulator.store.clear();
    return { status: "ok", reset: [...STATE_SERVICES] };
  }
  if (!isStateService(service))
    throw new AdminError(
      400,
      "InvalidParameterValue",
      `service must be one of ${STATE_SERVICES.join(", ")}; got '${service}'`,
    );
  emulator.store.clear((table) => belongsTo(table, service));
  return { status: "ok", reset: [service] };
}

/** The answer to a request for `/_trident/…`, the name of what it asked for, and an unexpected error if one broke it. */
export function handleAdmin(
  emulator: Emulator,
  request: RawRequest,
  requestId: string,
): { response: RawResponse; operation: string; error?: unknown } {
  const [path = "", query = ""] = request.url.split("?", 2) as [string, string?];
  const operation = `${request.method} ${path}`;
  const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    const response = reply(status, requestId, "application/json", JSON.stringify(body));
    return { ...response, headers: { ...response.headers, ...headers } };
  };
  try {
    const methods = Object.hasOwn(ROUTES, path.slice(ADMIN_PREFIX.length))
      ? ROUTES[path.slice(ADMIN_PREFIX.length)]!
      : undefined;
    if (!methods) throw new AdminError(404, "NotFound", `Trident has no endpoint ${path}`);
    const handler = Object.hasOwn(methods, request.method) ? methods[request.method] : undefined;
    const allowed = Object.keys(methods).join(", ");
    if (!handler)
      throw new AdminError(405, "MethodNotAllowed", `${path} takes ${allowed}, not ${request.method}`, {
        allow: allowed,
      });
    return { response: answer(200, handler(emulator, request, new URLSearchParams(query))), operation };
  } catch (error) {
    if (error instanceof AdminError)
      return {
        response: answer(error.status, { error: error.code, message: error.message }, error.headers),
        operation,
      };
    if (error instanceof StateDocumentError)
      return { response: answer(400, { error: error.code, message: error.message }), operation };
    return {
      response: answer(500, { error: "InternalFailure", message: "Trident failed; see its log." }),
      operation,
      error,
    };
  }
}
