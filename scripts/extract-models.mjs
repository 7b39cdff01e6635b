// Extracts the parts of the official botocore service models that Trident needs (operations, shapes,
// constraints, error shapes, paginators) into models/<service>.json, dropping documentation strings.
// Usage: node scripts/extract-models.mjs [BOTOCORE_DATA_DIR]
// Without an argument it asks the local Python for botocore's data folder (a dev-time step only:
// nothing at run time reads Python).
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const SERVICES = [
  { name: "neptune", version: "2014-10-31" },
  { name: "kms", version: "2014-11-01" },
  { name: "sts", version: "2011-06-15" },
  { name: "neptunedata", version: "2023-08-01" },
  { name: "iam", version: "2010-05-08" },
];

const DROPPED_KEYS = new Set(["documentation", "documentationUrl", "examples", "deprecatedMessage"]);

function botocoreDataDir() {
  if (process.argv[2]) return process.argv[2];
  const out = execFileSync("python3", [
    "-c",
    "import botocore,os;print(os.path.dirname(botocore.__file__));print(botocore.__version__)",
  ]);
  const [dir, version] = out.toString().trim().split("\n");
  return { dir: join(dir, "data"), version };
}

function readJson(path) {
  if (existsSync(path)) return JSON.parse(readFileSync(path, "utf8"));
  if (existsSync(path + ".gz")) return JSON.parse(gunzipSync(readFileSync(path + ".gz")).toString("utf8"));
  return undefined;
}

function strip(value) {
  if (Array.isArray(value)) return value.map(strip);
  if (value && typeof value === "object") {
    const out = {};
    for (const [k, v] of Object.entries(value)) if (!DROPPED_KEYS.has(k)) out[k] = strip(v);
    return out;
  }
  return value;
}

const source = botocoreDataDir();
const dataDir = typeof source === "string" ? source : source.dir;
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "models");
const manifest = {
  source: "botocore",
  botocoreVersion: typeof source === "string" ? "unknown" : source.version,
  services: {},
};

for (const { name, version } of SERVICES) {
  const base = join(dataDir, name, version);
  const service = readJson(join(base, "service-2.json"));
  const paginators = readJson(join(base, "paginators-1.json"));
  const model = {
    metadata: strip(service.metadata),
    operations: strip(service.operations),
    shapes: strip(service.shapes),
    paginators: paginators?.pagination ?? {},
  };
  writeFileSync(join(root, `${name}.json`), JSON.stringify(model, null, 1) + "\n");
  manifest.services[name] = {
    apiVersion: version,
    operations: Object.keys(model.operations).length,
    shapes: Object.keys(model.shapes).length,
  };
  console.log(
    `models/${name}.json: ${manifest.services[name].operations} operations, ${manifest.services[name].shapes} shapes`,
  );
}
writeFileSync(join(root, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
