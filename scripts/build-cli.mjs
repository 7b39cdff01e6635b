// Links the CLI that tsc compiled (dist/src/cli/main.js and what it imports) into dist/cli/ with esbuild: trident.js
// and a few chunks instead of some seventy modules. Node 20 loads each ES module with its own file reads, path
// resolution and linking; in one file the same code starts a fresh `trident serve` about 15 ms sooner (bench/scale.ts).
// Code split off by a dynamic import (each service's, each command's) stays a chunk of its own, loaded when the
// first request or command needs it, as in dist/src/. Packages stay imports of node_modules. Run by `npm run build`
// after tsc; tests and benches import dist/src/, and run the CLI from here.
import { build } from "esbuild";
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "dist", "cli");
rmSync(out, { recursive: true, force: true });
await build({
  entryPoints: { trident: join(root, "dist", "src", "cli", "main.js") },
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  // Linked to the TypeScript sources through tsc's own maps, for `node --enable-source-maps`.
  sourcemap: true,
  outdir: out,
  logLevel: "warning",
});
