import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { CreateDBClusterCommand } from "@aws-sdk/client-neptune";
import { migrateMain, type MigrateIo } from "../../src/cli/migrate.js";
import { EXIT } from "../../src/migrate/errors.js";
import { ADMIN } from "../helpers/harness.js";
import { A, B, credentialFlags } from "./fixtures.js";
import { migrateCli, migrationWorlds, mutations, type MigrationWorld } from "./world.js";

const world = migrationWorlds();

/** Runs the command in-process with the world's journal and captures what it prints. */
const cli = (w: MigrationWorld, args: string[], io: Partial<MigrateIo> = {}, credentials = credentialFlags()) =>
  migrateCli(w, [...args, "--journal", w.journalPath], io, credentials);

describe("trident migrate on the command line", () => {
  test("bad options are exit 2 with the reason", async () => {
    const w = await world();
    assert.equal(await migrateMain([], { stdout: () => {}, stderr: () => {} }), EXIT.usage);
    assert.equal((await cli(w, ["plan"])).code, EXIT.usage);
    const both = await cli(w, ["plan", "--source-cluster", "x", "--source-snapshot", "y"]);
    assert.equal(both.code, EXIT.usage);
    assert.match(both.stderr, /give --source-cluster or --source-snapshot, not both/);
    const unknown = await cli(w, ["plan", "--source-cluster", "x", "--frobnicate"]);
    assert.equal(unknown.code, EXIT.usage);
    assert.match(unknown.stderr, /^trident migrate: unknown option '--frobnicate' \(see 'trident migrate --help'\)\n$/);
    let noRegion = "";
    const endpointOnly = ["plan", "--source-cluster", "x", "--endpoint-url", "http://trident.local"];
    const io = { stdout: () => {}, stderr: (text: string) => (noRegion += text), env: {} };
    assert.equal(await migrateMain([...endpointOnly, ...credentialFlags()], io), EXIT.usage);
    assert.match(noRegion, /give --region \(or set AWS_REGION\)/, "an endpoint does not imply a region");
    const help = await migrateMain(["--help"], { stdout: () => {}, stderr: () => {} });
    assert.equal(help, EXIT.ok);
  });

  test("plan prints the steps and exits 0 when apply can proceed; --output json gives the same plan as data", async () => {
    const w = await world();
    const text = await cli(w, ["plan", "--source-cluster", "orders-graph"]);
    assert.equal(text.code, EXIT.ok);
    assert.match(text.stdout, /^Migration 111111111111-to-222222222222-orders-graph \(us-east-1\)/);
    assert.match(text.stdout, /Result: ready: 6 steps to run/);
    const json = await cli(w, ["plan", "--source-cluster", "orders-graph", "--output", "json"]);
    const document = JSON.parse(json.stdout) as {
      command: string;
      plan: { canProceed: boolean; steps: { id: string }[] };
    };
    assert.equal(document.command, "plan");
    assert.equal(document.plan.canProceed, true);
    assert.deepEqual(
      document.plan.steps.map((step) => step.id),
      ["snapshot", "share", "key-policy", "copy", "restore", "instances", "verify"],
    );
    assert.deepEqual(mutations(w.handler.calls), []);
  });

  test("plan exits 3 on a blocker, naming it and its fix", async () => {
    const w = await world();
    await w.b.neptune.send(new CreateDBClusterCommand({ DBClusterIdentifier: "orders-graph", Engine: "neptune" }));
    const result = await cli(w, ["plan", "--source-cluster", "orders-graph"]);
    assert.equal(result.code, EXIT.blocked);
    assert.match(
      result.stdout,
      /Blockers \(fix these first\):\n {2}✗ a cluster named orders-graph already exists in 222222222222/,
    );
    assert.match(result.stdout, /Result: blocked: 1 blocker to fix/);
  });

  test("apply asks before changing live resources: no terminal and no --yes is exit 5, 'n' is exit 5, nothing changed", async () => {
    const w = await world();
    const noTerminal = await cli(w, ["apply", "--source-cluster", "orders-graph"]);
    assert.equal(noTerminal.code, EXIT.declined);
    assert.match(noTerminal.stderr, /re-run with --yes/);
    let asked = "";
    const declined = await cli(w, ["apply", "--source-cluster", "orders-graph"], {
      ask: async (question) => ((asked = question), "n"),
    });
    assert.equal(declined.code, EXIT.declined);
    assert.match(
      asked,
      /apply will change these live resources:\n {2}- source 111111111111: snapshot cluster orders-graph/,
    );
    assert.deepEqual(mutations(w.handler.calls), []);
    const accepted = await cli(w, ["apply", "--source-cluster", "orders-graph"], { ask: async () => "y" });
    assert.equal(accepted.code, EXIT.ok);
    assert.match(accepted.stdout, /Migrated: 111111111111 → 222222222222 cluster orders-graph\./);
  });

  test("apply --yes --output json, then again (nothing to change), then cleanup --yes", async () => {
    const w = await world();
    const applied = await cli(w, ["apply", "--source-cluster", "orders-graph", "--yes", "--output", "json"]);
    assert.equal(applied.code, EXIT.ok, applied.stderr);
    const document = JSON.parse(applied.stdout) as {
      status: string;
      changed: string[];
      verification: { ok: boolean }[];
      events: { event: string }[];
    };
    assert.equal(document.status, "done");
    assert.deepEqual(document.changed, ["snapshot", "share", "key-policy", "copy", "restore", "instances"]);
    assert.ok(document.verification.every((check) => check.ok));
    assert.ok(document.events.some((event) => event.event === "key-policy-diff"));

    const again = await cli(w, ["apply", "--source-cluster", "orders-graph"]);
    assert.equal(again.code, EXIT.ok, "nothing to confirm when nothing changes");
    assert.match(again.stdout, /Nothing to change: the migration was already complete\./);

    const cleaned = await cli(w, ["cleanup", "--source-cluster", "orders-graph", "--yes"]);
    assert.equal(cleaned.code, EXIT.ok, cleaned.stderr);
    assert.match(
      cleaned.stdout,
      /source 111111111111: stop sharing trident-orders-graph-for-222222222222 with 222222222222\n {4}done/,
    );
    assert.match(cleaned.stdout, /restore the original key policy of arn:aws:kms:/);
  });

  test("credentials the target refuses: exit 3, one message naming the fix", async () => {
    const w = await world();
    const result = await cli(w, ["plan", "--source-cluster", "orders-graph"], {}, credentialFlags("wrong"));
    assert.equal(result.code, EXIT.blocked);
    assert.match(result.stderr, /^trident migrate: the target account refused the credentials: SignatureDoesNotMatch/);
    assert.match(result.stderr, /fix: check --target-profile or --target-access-key-id\/--target-secret-access-key/);
    assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack without --debug");
  });

  test("--source-profile / --target-profile: each side's keys from the shared credentials file", async () => {
    const w = await world();
    const credentialsFile = join(dirname(w.journalPath), "credentials");
    writeFileSync(
      credentialsFile,
      [A, B]
        .map(
          (account) =>
            `[acct-${account}]\naws_access_key_id = ${ADMIN[account]!.accessKeyId}\naws_secret_access_key = ${ADMIN[account]!.secretAccessKey}\n`,
        )
        .join("\n"),
    );
    const saved = { credentials: process.env.AWS_SHARED_CREDENTIALS_FILE, config: process.env.AWS_CONFIG_FILE };
    process.env.AWS_SHARED_CREDENTIALS_FILE = credentialsFile;
    process.env.AWS_CONFIG_FILE = join(dirname(w.journalPath), "no-config");
    try {
      const profiles = ["--source-profile", `acct-${A}`, "--target-profile", `acct-${B}`];
      const planned = await cli(w, ["plan", "--source-cluster", "orders-graph"], {}, profiles);
      assert.equal(planned.code, EXIT.ok, planned.stderr);
      for (const account of [A, B])
        assert.ok(w.handler.calls.some((call) => call.account === account && call.operation === "GetCallerIdentity"));
      const missing = await cli(w, ["plan", "--source-cluster", "orders-graph"], {}, [
        "--source-profile",
        `acct-${A}`,
        "--target-profile",
        "nobody",
      ]);
      assert.equal(missing.code, EXIT.blocked);
      assert.match(missing.stderr, /^trident migrate: no credentials for the target account \(profile nobody\): /);
      assert.match(
        missing.stderr,
        /fix: check that the profile nobody is in ~\/\.aws\/credentials or ~\/\.aws\/config/,
      );
    } finally {
      for (const [name, value] of [
        ["AWS_SHARED_CREDENTIALS_FILE", saved.credentials],
        ["AWS_CONFIG_FILE", saved.config],
      ] as const)
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
    }
  });

  test("--stop-after (test hook) stops like a kill; apply resumes", async () => {
    const w = await world();
    const stopped = await cli(w, ["apply", "--source-cluster", "orders-graph", "--yes", "--stop-after", "share"]);
    assert.equal(stopped.code, EXIT.ok);
    assert.match(stopped.stdout, /stopped after share/);
    const resumed = await cli(w, ["apply", "--source-cluster", "orders-graph", "--yes"]);
    assert.equal(resumed.code, EXIT.ok);
    assert.match(
      resumed.stdout,
      /snapshot cluster orders-graph as trident-orders-graph-for-222222222222: already done/,
    );
  });
});
