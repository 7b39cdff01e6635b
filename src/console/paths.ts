/**
 * The console's paths (routes.ts serves them): in a module of their own, so the server and the CLI can name them
 * without loading the console's views, which load on the console's first request.
 */
export const CONSOLE_PATH = "/_trident/console";
export const CONSOLE_EVENTS_PATH = `${CONSOLE_PATH}/api/events`;

export function isConsolePath(path: string): boolean {
  return path === CONSOLE_PATH || path.startsWith(`${CONSOLE_PATH}/`);
}
