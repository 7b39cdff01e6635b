import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let found: string | undefined;

/**
 * The project root: the nearest folder above this module holding models/. Found by looking rather than by a fixed
 * number of `..`: the code runs from dist/src/ (tsc's output, which tests and tools import) and from dist/cli/ (the
 * bundled CLI: scripts/build-cli.mjs), at different depths.
 */
export function projectRoot(): string {
  if (found !== undefined) return found;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "models", "manifest.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("models/ folder not found above " + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return (found = dir);
}
