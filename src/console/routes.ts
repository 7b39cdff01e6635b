import type { AdminMethods } from "../server/admin-core.js";
import { AdminError, AdminReply } from "../server/admin-core.js";
import type { Emulator } from "../emulator.js";
import { asset, isAsset } from "./assets.js";
import { frame, RECONNECT_MS } from "./feed.js";
import { journalFiles, migrationSummary, migrationView } from "./migrations.js";
import { relationships } from "./relationships.js";
import type { ConsoleService } from "./service.js";
import { CONSOLE_PATH } from "./paths.js";
import { accountsView } from "./state-view.js";

/**
 * The console's paths under /_trident/console, routed by admin.ts only while the console is on:
 *
 *   GET /_trident/console                     the page (and its app.js, app.css)
 *   GET /_trident/console/api/state           every account that holds state, and the relationship picture
 *   GET /_trident/console/api/migrations      the journals found, and the runs the console watched
 *   GET /_trident/console/api/migrations/ID   one migration's timeline
 *   GET /_trident/console/api/events          server-sent events: what changed (streamed by server/http.ts)
 *
 * GET only: nothing here changes state (any other method is 405). The read API is the console's own, not an AWS
 * operation: it serves documents built from an allow-list of fields (state-view.ts), never records.
 */
export { CONSOLE_EVENTS_PATH, CONSOLE_PATH, isConsolePath } from "./paths.js";

const consoleOf = (emulator: Emulator): ConsoleService => emulator.console!;

const get = (handler: (emulator: Emulator) => unknown): AdminMethods => ({ GET: (emulator) => handler(emulator) });

const API: Record<string, AdminMethods> = {
  state: get((emulator) => {
    const accounts = accountsView(emulator);
    return { generatedAt: emulator.clock.now().toISOString(), accounts, relationships: relationships(accounts) };
  }),
  migrations: get((emulator) => {
    const service = consoleOf(emulator);
    return {
      migrations: journalFiles(service.journalDirs).map((file) =>
        migrationSummary(file, service.recordings.get(file.path)),
      ),
    };
  }),
  // Over a socket the stream stays open (server/http.ts); a request that cannot stream gets the greeting and
  // the end of the stream, after which an EventSource reconnects.
  events: get(
    () => new AdminReply(200, `retry: ${RECONNECT_MS}\n${frame("hello", { sequence: 0 })}`, "text/event-stream"),
  ),
};

function migrationRoute(id: string): AdminMethods {
  return get((emulator) => {
    const service = consoleOf(emulator);
    const file = journalFiles(service.journalDirs).find((f) => f.id === id);
    if (!file) throw new AdminError(404, "NotFound", `the console knows no migration ${id}`);
    return migrationView(file, service.recordings.get(file.path));
  });
}

/** The handlers of a console path (`rest` is what follows /_trident/console), or undefined (404). */
export function consoleRoute(path: string): AdminMethods | undefined {
  const rest = path.slice(CONSOLE_PATH.length).replace(/^\//, "");
  if (rest === "" || rest === "index.html") return get(() => asset("index.html"));
  if (isAsset(rest)) return get(() => asset(rest));
  if (!rest.startsWith("api/")) return undefined;
  const name = rest.slice("api/".length);
  if (Object.hasOwn(API, name)) return API[name];
  if (name.startsWith("migrations/")) {
    const id = decoded(name.slice("migrations/".length));
    return id === undefined ? undefined : migrationRoute(id);
  }
  return undefined;
}

/** A path segment's value; a malformed escape names nothing (404), never a failure. */
function decoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
