import type { Emulator } from "../emulator.js";
import { exportState, readStateDocument, replaceState, StateDocumentError } from "../state/state-document.js";
import { AdminError, AdminReply, resetState, stateLocation, type AdminMethods } from "./admin-core.js";
import { compatRoute } from "./compat.js";
import { ADMIN_PREFIX, PASSPHRASE_HEADER } from "./admin-paths.js";
import { consoleRoute, isConsolePath } from "../console/routes.js";
import { reply, type RawRequest, type RawResponse } from "./pipeline.js";

/**
 * Trident's own endpoints, under `/_trident/` (no AWS service uses that path), and beside them the drop-in
 * surfaces of LocalStack and moto (compat.ts) over the same operations (admin-core.ts). Not signed: they are for
 * the person or test suite that runs the emulator, on loopback.
 *
 *   GET  /_trident/health                 status, boot id, start time, where state lives
 *   POST /_trident/reset[?service=S]      clears all state, or one service's (kms, neptune, sts, iam)
 *   GET  /_trident/state                  the whole state as a document (secrets sealed under the passphrase)
 *   POST /_trident/state                  replaces the whole state with a document
 *   GET  /_trident/console[/…]            the console and its read API, while it is on (src/console/routes.ts)
 *
 * The passphrase of the state document travels in the PASSPHRASE_HEADER header. Every handler here is plain
 * synchronous Store calls, so the request's unit of work covers it like any AWS request.
 */

export { ADMIN_MAX_BODY_BYTES, ADMIN_PREFIX, isAdminPath, PASSPHRASE_HEADER } from "./admin-paths.js";

const ROUTES: Record<string, AdminMethods> = {
  health: {
    GET: (emulator) => ({
      status: "ok",
      bootId: emulator.bootId,
      startedAt: emulator.startedAt.toISOString(),
      state: stateLocation(emulator),
    }),
  },
  reset: {
    POST: (emulator, _request, query) => ({
      status: "ok",
      reset: resetState(emulator, query.get("service") ?? undefined),
    }),
  },
  state: {
    GET: (emulator, request) => exportState(emulator.store, passphrase(request), emulator.clock.now()),
    POST: (emulator, request) => {
      const rows = readStateDocument(request.body.toString("utf8"), passphrase(request));
      replaceState(emulator.store, rows);
      return { status: "ok", imported: rows.length };
    },
  },
};

function passphrase(request: RawRequest): string | undefined {
  const value = request.headers[PASSPHRASE_HEADER];
  return Array.isArray(value) ? value[0] : value;
}

/** The handlers of a path of Trident's own, or of LocalStack's or moto's surfaces. */
function routeOf(emulator: Emulator, path: string): AdminMethods | undefined {
  if (!path.startsWith(ADMIN_PREFIX)) return compatRoute(path);
  // The console (src/console) exists only while it is on: off, its paths are unknown ones.
  if (isConsolePath(path)) return emulator.console ? consoleRoute(path) : undefined;
  const name = path.slice(ADMIN_PREFIX.length);
  return Object.hasOwn(ROUTES, name) ? ROUTES[name] : undefined;
}

/** The answer to a request for one of the emulator's own endpoints, the name of what it asked for, and an unexpected error if one broke it. */
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
    const methods = routeOf(emulator, path);
    if (!methods) throw new AdminError(404, "NotFound", `Trident has no endpoint ${path}`);
    const handler = Object.hasOwn(methods, request.method) ? methods[request.method] : undefined;
    const allowed = Object.keys(methods).join(", ");
    if (!handler)
      throw new AdminError(405, "MethodNotAllowed", `${path} takes ${allowed}, not ${request.method}`, {
        allow: allowed,
      });
    const result = handler(emulator, request, new URLSearchParams(query));
    if (result instanceof AdminReply) {
      const response = reply(result.status, requestId, result.contentType, result.body);
      return { response: { ...response, headers: { ...response.headers, ...result.headers } }, operation };
    }
    return { response: answer(200, result), operation };
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
