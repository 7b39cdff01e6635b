// Bundles the console's page (console/) into dist/console/ with esbuild: one script, one stylesheet and the HTML,
// served by trident itself (src/console/assets.ts). Everything the page runs is in these files: no CDN, nothing
// fetched at run time. Run by `npm run build` after tsc; the page's types are checked by tsc -p console.
import { build } from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "dist", "console");
mkdirSync(out, { recursive: true });
await build({
  entryPoints: { app: join(root, "console", "src", "main.tsx") },
  bundle: true,
  format: "esm",
  target: "es2022",
  minify: true,
  jsx: "automatic",
  jsxImportSource: "preact",
  outdir: out,
  logLevel: "warning",
  legalComments: "eof",
});
await build({
  entryPoints: { app: join(root, "console", "styles.css") },
  bundle: true,
  minify: true,
  outdir: out,
  logLevel: "warning",
});
copyFileSync(join(root, "console", "index.html"), join(out, "index.html"));
