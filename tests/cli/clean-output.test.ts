import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { DEFAULT_CREDENTIALS, SOURCE_ACCOUNT, TARGET_ACCOUNT } from "../../src/config/defaults.js";
import { MAIN, serve } from "../helpers/serve-process.js";

/** Runs the real binary, as users do: process warnings only show in a process of its own. */
function trident(args: string[]) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    // Node's own switches that would hide warnings are cleared: the tool must do it itself.
    const env = { ...process.env, NODE_OPTIONS: "", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "" };
    execFile(process.execPath, [MAIN, ...args], { env, maxBuffer: 1 << 24 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
  });
}

/** Lines Node or a dependency prints for a process warning ("(node:123) Warning: …", "…DeprecationWarning…"). */
const WARNING_LINE = /^\(node:\d+\)|Warning:|DeprecationWarning|NodeVersionSupportWarning/m;

/** The SDK warns about its future Node requirement on Node before 22 (@aws-sdk/core emitWarningIfUnsupportedVersion). */
const SDK_WARNS = Number(process.versions.node.split(".")[0]) < 22;

function keys(account: string): string[] {
  const side = account === SOURCE_ACCOUNT ? "source" : "target";
  const { accessKeyId, secretAccessKey } = DEFAULT_CREDENTIALS[account as keyof typeof DEFAULT_CREDENTIALS];
  return [`--${side}-access-key-id`, accessKeyId, `--${side}-secret-access-key`, secretAccessKey];
}

describe("clean output: no process warning reaches a user", () => {
  test("the demo prints its timeline and progress, no warning", async () => {
    const demo = await trident(["demo", "--fast", "--data-plane-ports", "18710-18729"]);
    assert.equal(demo.code, 0, demo.stderr);
    assert.match(demo.stdout, /verdict/i);
    assert.doesNotMatch(demo.stdout, WARNING_LINE);
    assert.doesNotMatch(demo.stderr, WARNING_LINE);
  });

  test("migrate plan prints the plan, no warning; --debug shows the SDK's notice", async () => {
    const server = serve([]);
    const endpoint = await server.ready;
    try {
      const plan = ["migrate", "plan", "--region", "us-east-1", "--endpoint-url", endpoint];
      const args = [...plan, "--source-cluster", "absent", ...keys(SOURCE_ACCOUNT), ...keys(TARGET_ACCOUNT)];
      const quiet = await trident(args);
      assert.equal(quiet.code, 3, quiet.stderr + quiet.stdout);
      assert.match(quiet.stdout + quiet.stderr, /absent/);
      assert.doesNotMatch(quiet.stdout, WARNING_LINE);
      assert.doesNotMatch(quiet.stderr, WARNING_LINE);

      const debug = await trident([...args, "--debug"]);
      assert.equal(debug.code, 3);
      if (SDK_WARNS) assert.match(debug.stderr, /^debug: Warning: NodeVersionSupportWarning: /m);
      assert.doesNotMatch(debug.stderr, /^\(node:\d+\)/m, "Node's own printer stays off");
    } finally {
      server.child.kill();
    }
  });
});
