import { readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../util/project-root.js";
import { AdminError, AdminReply } from "../server/admin-core.js";

/**
 * The page's files, built from console/ by `npm run build` (scripts/build-console.mjs) into dist/console/ and
 * served from the package: nothing is fetched from elsewhere at run time, so the console works offline. Only the
 * files named here can be asked for.
 */
const ASSETS: Record<string, string> = {
  "index.html": "text/html; charset=utf-8",
  "app.js": "text/javascript; charset=utf-8",
  "app.css": "text/css; charset=utf-8",
};

/** dist/console/, whether this module runs from dist/src/ or from the bundled CLI in dist/cli/. */
const assetDir = () => join(projectRoot(), "dist", "console");

/**
 * The page may run only its own script and style, talk only to its own origin, and be framed by nobody (what a
 * console that shows account state should promise even on loopback).
 */
const PAGE_HEADERS = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  "x-content-type-options": "nosniff",
  "cache-control": "no-cache",
};

const cache = new Map<string, string>();

export function isAsset(name: string): boolean {
  return Object.hasOwn(ASSETS, name);
}

export function asset(name: string): AdminReply {
  let body = cache.get(name);
  if (body === undefined) {
    try {
      body = readFileSync(join(assetDir(), name), "utf8");
    } catch {
      throw new AdminError(
        503,
        "ConsoleNotBuilt",
        `the console's file ${name} is not built: run npm run build (it bundles console/ into dist/console/)`,
      );
    }
    cache.set(name, body);
  }
  return new AdminReply(200, body, ASSETS[name], PAGE_HEADERS);
}
