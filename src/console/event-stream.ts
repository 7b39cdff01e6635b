import type { IncomingMessage, ServerResponse } from "node:http";
import type { Emulator } from "../emulator.js";
import { CONSOLE_EVENTS_PATH } from "./paths.js";

/**
 * The console's server-sent events over a socket: a GET of /_trident/console/api/events while the console is on
 * is answered here, before the request pipeline, because the answer stays open (the pipeline answers once, inside
 * a unit of work of the store). Anything else (the console off, another method) goes on to the pipeline, which
 * answers 404 or 405 as for any path of Trident's own. Says whether it took the request.
 */
export function serveConsoleEvents(emulator: Emulator, req: IncomingMessage, res: ServerResponse): boolean {
  const feed = emulator.console?.feed;
  if (!feed || req.method !== "GET" || (req.url ?? "").split("?", 1)[0] !== CONSOLE_EVENTS_PATH) return false;
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  });
  const stop = feed.open({ write: (text) => res.write(text), end: () => res.end() });
  res.on("close", stop);
  req.resume();
  return true;
}
