import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { projectRoot } from "../../src/util/project-root.js";

const run = promisify(execFile);
const benchDir = join(projectRoot(), "dist", "bench");
/** The benches that take options through bench/lib/options.ts, directly or through load.ts's common ones. */
const benches = readdirSync(benchDir).filter((file) => {
  if (!file.endsWith(".js")) return false;
  const source = readFileSync(join(benchDir, file), "utf8");
  return source.includes("benchOptions(") || source.includes("parseBenchArgs(");
});

test("every bench with options lists them on --help, and refuses an unknown one in a line, before any work", async () => {
  assert.ok(benches.length >= 21, `benches found: ${benches.join(", ")}`);
  await Promise.all(
    benches.map(async (file) => {
      const name = file.replace(/\.js$/, "");
      const help = await run(process.execPath, [join(benchDir, file), "--help"]);
      assert.match(help.stdout, new RegExp(`^usage: node dist/bench/${name}\\.js \\[options\\]\\n  --`), name);
      assert.match(help.stdout, new RegExp(`\\(what each one does: bench/${name}\\.ts\\)\\n$`), name);

      const refused = await run(process.execPath, [join(benchDir, file), "--no-such-option"]).then(
        () => assert.fail(`${name} accepted --no-such-option`),
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
      assert.equal(refused.code, 2, name);
      assert.equal(refused.stdout, "", name);
      assert.match(refused.stderr, /^Unknown option '--no-such-option'/, name);
      assert.doesNotMatch(refused.stderr, /\n\s+at /, `${name}: no stack trace`);
    }),
  );
});

test("--help shows each option's default, and says which ones take a value or repeat", async () => {
  const { stdout } = await run(process.execPath, [join(benchDir, "compare.js"), "--help"]);
  assert.match(stdout, /^ {2}--seconds SECONDS \(default 5\)$/m);
  assert.match(stdout, /^ {2}--other OTHER \(repeatable\)$/m);
  assert.match(stdout, /^ {2}--bare-together$/m);
});
