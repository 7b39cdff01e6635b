import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { journalFiles, migrationSummary, migrationView, timeline } from "../../src/console/migrations.js";
import { RunRecordings } from "../../src/console/run-recorder.js";
import { Journal, type JournalEvent } from "../../src/migrate/journal.js";
import type { Reporter } from "../../src/migrate/steps/context.js";
import { ruleText } from "../../src/migrate/rules.js";
import type { Plan, PlannedStep, StepId } from "../../src/migrate/types.js";
import { silentProgress } from "../../src/migrate/waiters.js";

/** The migration view's timeline, from a journal's events and what a watched run recorded. */

const at = (second: number) => new Date(Date.UTC(2026, 10, 29, 12, 0, second)).toISOString();
const event = (second: number, step: string, what: string, detail?: string): JournalEvent => ({
  at: at(second),
  step,
  event: what,
  ...(detail ? { detail } : {}),
});

const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe("the migration timeline", () => {
  test("steps start when the one before ended; claims belong to their step; a second apply is a second run", () => {
    const runs = timeline([
      event(0, "apply", "started"),
      event(1, "sourceManualSnapshot", "requested", "snap"),
      event(3, "snapshot", "done", "created snap"),
      event(4, "share", "done"),
      event(10, "targetCopy", "requested", "copy"),
      event(12, "copy", "failed", "KMSKeyNotAccessibleFault"),
      event(20, "apply", "started"),
      event(25, "copy", "done"),
      event(26, "apply", "finished"),
      event(30, "cleanup", "unshare", "snap"),
    ]);
    assert.deepEqual(
      runs.map((run) => [run.outcome, run.endedAt]),
      [
        ["failed", at(12)],
        ["finished", at(26)],
      ],
    );
    assert.deepEqual(
      runs[0]!.steps.map((s) => [s.id, s.state, s.startedAt, s.endedAt, s.durationMs, s.events.length]),
      [
        ["snapshot", "done", at(0), at(3), 3000, 2],
        ["share", "done", at(3), at(4), 1000, 1],
        ["copy", "failed", at(4), at(12), 8000, 2],
      ],
    );
    assert.deepEqual(
      runs[1]!.steps.map((s) => [s.id, s.state, s.durationMs]),
      [["copy", "done", 5000]],
    );
  });

  test("a watched run adds the plan's titles and rules, the step in progress, and the walls with the step that passed them", () => {
    const recordings = new RunRecordings(() => {});
    const steps: PlannedStep[] = [
      { id: "share", side: "source", title: "share snap with B", details: [], rules: ["R4", "R5"], state: "todo" },
      { id: "copy", side: "target", title: "copy into B", details: [], rules: ["R6", "R7"], state: "todo" },
    ];
    const calls: string[] = [];
    const inner: Reporter = {
      planned: () => calls.push("planned"),
      stepStarted: (s) => calls.push(`started ${s.id}`),
      stepFinished: (s) => calls.push(`finished ${s.id}`),
      stepSkipped: (s) => calls.push(`skipped ${s.id}`),
      note: () => calls.push("note"),
      diff: () => calls.push("diff"),
      wall: (rule) => calls.push(`wall ${rule}`),
      progress: silentProgress,
    };
    let second = 0;
    const reporter = recordings.reporter("/j.json", inner, () => new Date(at(second)));
    reporter.planned({ steps } as Plan);
    second = 1;
    reporter.stepStarted(steps[0]!);
    second = 2;
    reporter.stepFinished(steps[0]!, { changed: true });
    second = 3;
    reporter.wall("R6", "restore directly", { code: "InvalidParameterValue", message: "copy it first", status: 400 });
    second = 4;
    reporter.stepStarted(steps[1]!);
    assert.deepEqual(calls, ["planned", "started share", "finished share", "wall R6", "started copy"]);

    const recording = recordings.get("/j.json")!;
    const runs = timeline([event(0, "apply", "started"), event(2, "share", "done")], recording);
    assert.deepEqual(
      runs[0]!.steps.map((s) => [s.id, s.title, s.state, s.rules.map((r) => r.id)]),
      [
        ["share", "share snap with B", "done", ["R4", "R5"]],
        ["copy", "copy into B", "in-progress", ["R6", "R7"]],
      ],
    );
    assert.match(runs[0]!.steps[0]!.rules[0]!.text, /may be shared with named accounts/);
    assert.deepEqual(recording.walls, [
      {
        rule: "R6",
        attempt: "restore directly",
        code: "InvalidParameterValue",
        message: "copy it first",
        status: 400,
        at: at(3),
        beforeStep: "copy",
      },
    ]);
  });

  test("a journal apply wrote on the command line: each step with the rules the plan gives it for that source", () => {
    const dir = mkdtempSync(join(tmpdir(), "trident-journals-"));
    dirs.push(dir);
    /** A finished apply, as `trident migrate apply` journals it (no console watching). */
    const applied = (name: string, source: { cluster?: string; snapshot?: string }, steps: StepId[]) => {
      const journal = Journal.open(join(dir, `${name}.json`), {
        migrationId: name,
        region: "us-east-1",
        source: { account: "111111111111", ...source },
        target: { account: "222222222222", cluster: "orders-graph" },
      });
      journal.record("apply", "started");
      for (const step of steps) journal.complete(step);
      journal.record("apply", "finished");
    };
    applied("cmk", { cluster: "orders-graph" }, [
      "snapshot",
      "share",
      "key-policy",
      "copy",
      "restore",
      "instances",
      "verify",
    ]);
    applied("plain", { cluster: "orders-graph" }, ["snapshot", "share", "copy", "restore"]);
    applied("automated", { snapshot: "rds:orders-graph-2026-11-29" }, ["copy-to-cmk", "share"]);
    const rules = (id: string) =>
      Object.fromEntries(
        migrationView({ id, path: join(dir, `${id}.json`) }, undefined).runs[0]!.steps.map((step) => [
          step.id,
          step.rules.map((rule) => rule.id).join(" "),
        ]),
      );
    assert.deepEqual(rules("cmk"), {
      snapshot: "",
      share: "R4 R5",
      "key-policy": "R10 K1 K2 K3",
      copy: "R5 R6 R7 R8 R9 R10",
      restore: "R11",
      instances: "R11",
      verify: "",
    });
    assert.deepEqual(rules("plain"), { snapshot: "", share: "R2 R5", copy: "R5 R7 R8", restore: "R11" });
    assert.deepEqual(rules("automated"), { "copy-to-cmk": "R1", share: "R2 R5" });
    const share = migrationView({ id: "cmk", path: join(dir, "cmk.json") }, undefined).runs[0]!.steps[1]!;
    assert.deepEqual(share.rules[0], { id: "R4", text: ruleText("R4") });
    assert.equal(share.title, "share", "titles stay the journal's step ids (the plan's name resources it can't know)");
  });

  test("journal files: only .json files of the directories, each by id; an unreadable one is listed with why", () => {
    const dir = mkdtempSync(join(tmpdir(), "trident-journals-"));
    dirs.push(dir);
    writeFileSync(join(dir, "broken.json"), "{ not json");
    writeFileSync(join(dir, "notes.txt"), "ignored");
    const files = journalFiles([dir, join(dir, "missing")]);
    assert.deepEqual(
      files.map((f) => f.id),
      ["0.broken"],
    );
    const summary = migrationSummary(files[0]!, undefined);
    assert.equal(summary.file, "broken.json");
    assert.match(summary.error ?? "", /is not valid JSON/);
    assert.deepEqual(migrationView(files[0]!, undefined).runs, []);
  });
});
