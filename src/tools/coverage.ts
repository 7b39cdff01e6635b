import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { DATA_PLANE_HANDLERS, OUT_OF_SCOPE as DATA_PLANE_OUT_OF_SCOPE } from "../dataplane/operations.js";
import { Emulator } from "../emulator.js";
import { loadModel, type ServiceName } from "../protocol/model.js";
import { projectRoot } from "../util/project-root.js";
import { KEYS_SERVED as KMS_KEYS_SERVED, OUT_OF_SCOPE as KMS_OUT_OF_SCOPE } from "../services/kms/unsupported.js";
import { OUT_OF_SCOPE as NEPTUNE_OUT_OF_SCOPE } from "../services/neptune/out-of-scope.js";
import { NOT_SET_UP } from "../services/sts/not-set-up.js";
import type { ServiceDefinition } from "../services/service.js";

/**
 * docs/coverage.md: every operation of every model with what Trident does with it and which test files call it
 * through a real client. Built from the models, the handler maps the emulator serves, the out-of-scope tables
 * (one per service, next to its handlers) and a text scan of our own test sources.
 */

/** Where a service's operations stand, as the code says. */
interface ServiceSource {
  name: ServiceName;
  title: string;
  /** Operations with a handler. */
  served: ReadonlySet<string>;
  /** Operations refused on purpose, with why, and how they are answered. */
  outOfScope: Readonly<Record<string, string | undefined>>;
  outOfScopeAnswer: string;
  /** How an operation with no handler is answered. */
  unservedAnswer: string;
}

type Status = "implemented" | "out of scope" | "not implemented";

interface OperationRow {
  operation: string;
  status: Status;
  detail: string;
  tests: string[];
}

/** Every service with its handlers (the server loads each on its first request; this tool needs them all). */
const services = await (async () => {
  const entries = Object.entries(new Emulator().services);
  const loaded = await Promise.all(entries.map(async ([name, entry]) => [name, await entry.load()] as const));
  return Object.fromEntries(loaded) as Record<keyof Emulator["services"], ServiceDefinition>;
})();

function serviceSources(): ServiceSource[] {
  const served = (name: keyof typeof services) =>
    new Set(Object.keys(services[name].handlers).filter((op) => services[name].handlers[op]));
  const notImplemented = "NotImplemented (501)";
  const kmsOutOfScope = Object.fromEntries(
    Object.entries(KMS_OUT_OF_SCOPE).map(([op, feature]) => [
      op,
      `Trident's KMS has ${KMS_KEYS_SERVED} only, not ${feature}`,
    ]),
  );
  return [
    {
      name: "neptune",
      title: "Neptune (control plane)",
      served: served("neptune"),
      outOfScope: NEPTUNE_OUT_OF_SCOPE,
      outOfScopeAnswer: "NotImplemented (501), not emulated",
      unservedAnswer: notImplemented,
    },
    {
      name: "neptunedata",
      title: "Neptune data plane (neptunedata)",
      served: new Set(Object.keys(DATA_PLANE_HANDLERS)),
      outOfScope: DATA_PLANE_OUT_OF_SCOPE,
      outOfScopeAnswer: "UnsupportedOperationException (400)",
      unservedAnswer: "UnsupportedOperationException (400)",
    },
    {
      name: "kms",
      title: "KMS",
      served: served("kms"),
      outOfScope: kmsOutOfScope,
      outOfScopeAnswer: "UnsupportedOperationException (400)",
      unservedAnswer: notImplemented,
    },
    {
      name: "sts",
      title: "STS",
      served: served("sts"),
      outOfScope: NOT_SET_UP,
      outOfScopeAnswer: "refused as AWS refuses an account not set up for it",
      unservedAnswer: notImplemented,
    },
    {
      name: "iam",
      title: "IAM",
      served: served("iam"),
      outOfScope: {},
      outOfScopeAnswer: "",
      unservedAnswer: notImplemented,
    },
  ];
}

/** The AWS CLI's name of an operation (botocore's xform_name with "-"): DescribeDBClusters → describe-db-clusters. */
export function cliName(operation: string): string {
  const plural = /[A-Z]{2,}s$/.exec(operation)?.[0];
  const name = plural ? `${operation.slice(0, -plural.length)}-${plural.toLowerCase()}` : operation;
  return name
    .replace(/(.)([A-Z][a-z]+)/g, "$1-$2")
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .toLowerCase();
}

/** What one test file calls: SDK command classes (`XxxCommand`) and, where it runs the AWS CLI, quoted CLI names. */
interface TestCalls {
  file: string;
  commands: Set<string>;
  cliNames: Set<string>;
}

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return testFiles(path);
      return entry.name.endsWith(".test.ts") ? [path] : [];
    })
    .sort();
}

function scanTests(root: string): TestCalls[] {
  return testFiles(join(root, "tests")).map((path) => {
    const text = readFileSync(path, "utf8");
    const commands = new Set([...text.matchAll(/\b([A-Z][A-Za-z0-9]*)Command\b/g)].map((m) => m[1]!));
    // Only files that run the CLI (tests/helpers/aws-cli.ts), so a quoted word elsewhere is not taken for a call.
    const cliNames = text.includes("awsCli(")
      ? new Set([...text.matchAll(/["'`]([a-z0-9]+(?:-[a-z0-9]+)*)["'`]/g)].map((m) => m[1]!))
      : new Set<string>();
    return { file: relative(root, path).split(sep).join("/"), commands, cliNames };
  });
}

function rows(source: ServiceSource, tests: TestCalls[]): OperationRow[] {
  const operations = Object.keys(loadModel(source.name).operations).sort();
  for (const op of Object.keys(source.outOfScope))
    if (!operations.includes(op)) throw new Error(`${source.name}: out-of-scope operation ${op} is not in the model`);
  return operations.map((operation) => {
    const cli = cliName(operation);
    const files = tests.filter((t) => t.commands.has(operation) || t.cliNames.has(cli)).map((t) => t.file);
    const reason = source.outOfScope[operation];
    if (reason !== undefined)
      return { operation, status: "out of scope", detail: `${source.outOfScopeAnswer}: ${reason}`, tests: files };
    if (source.served.has(operation)) return { operation, status: "implemented", detail: "", tests: files };
    return { operation, status: "not implemented", detail: source.unservedAnswer, tests: files };
  });
}

const count = (list: OperationRow[], status: Status) => list.filter((r) => r.status === status).length;
const cell = (text: string) => text.replace(/\|/g, "\\|");

/** The page, as `npm run coverage` writes it to docs/coverage.md. */
export function coveragePage(root = projectRoot()): string {
  const tests = scanTests(root);
  const services = serviceSources().map((source) => ({ source, rows: rows(source, tests) }));
  const lines = [
    "# Operation coverage",
    "",
    "Generated by `npm run coverage` (src/tools/coverage.ts) from models/\\*.json, the handler maps the emulator " +
      "serves, the out-of-scope tables next to them, and a scan of tests/\\*\\*/\\*.test.ts for SDK command classes " +
      "(`XxxCommand`) and AWS CLI operation names. Do not edit by hand: tests/docs/coverage.test.ts fails when this " +
      "page is stale.",
    "",
    "| Service | Operations | Implemented | Out of scope | Not implemented | Called by a test |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    ...services.map(
      ({ source, rows: list }) =>
        `| ${source.title} | ${list.length} | ${count(list, "implemented")} | ${count(list, "out of scope")} | ` +
        `${count(list, "not implemented")} | ${list.filter((r) => r.tests.length > 0).length} |`,
    ),
    "",
  ];
  for (const { source, rows: list } of services) {
    lines.push(`## ${source.title}`, "", "| Operation | Status | Test files |", "| --- | --- | --- |");
    for (const row of list) {
      const status = row.detail ? `${row.status}: ${cell(row.detail)}` : row.status;
      const files = row.tests.map((f) => `\`${f}\``).join(", ");
      lines.push(`| ${row.operation} | ${status} | ${files} |`);
    }
    lines.push("");
  }
  return lines.join("\n");
}
