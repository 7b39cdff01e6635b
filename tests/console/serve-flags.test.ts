import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { Journal } from "../../src/migrate/journal.js";
import { A, B, REGION } from "../helpers/harness.js";
import { serve } from "../helpers/serve-process.js";

/** `trident serve` as users start it: the console on its port unless --no-console, journals from --journals DIR. */

const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe("trident serve and its console", () => {
  test("on by default: the banner names its URL, the page and its script are served, journals come from --journals", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trident-journals-"));
    dirs.push(dir);
    Journal.open(join(dir, "orders.json"), {
      migrationId: "orders",
      region: REGION,
      source: { account: A, cluster: "orders-graph" },
      target: { account: B, cluster: "orders-graph" },
    }).save();
    const server = serve(["--quiet", "--journals", dir]);
    const endpoint = await server.ready;
    await server.printed(/Ready\./);
    assert.match(server.output(), new RegExp(`trident: console at ${endpoint}/_trident/console\\n`));
    const page = await fetch(`${endpoint}/_trident/console`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
    assert.match(page.headers.get("content-security-policy") ?? "", /default-src 'none'; script-src 'self'/);
    assert.match(await page.text(), /<script type="module" src="\/_trident\/console\/app\.js"><\/script>/);
    const script = await fetch(`${endpoint}/_trident/console/app.js`);
    assert.equal(script.status, 200);
    assert.match(script.headers.get("content-type") ?? "", /^text\/javascript/);
    assert.ok((await script.text()).length > 100_000, "the bundle holds the page's libraries");
    const migrations = (await (await fetch(`${endpoint}/_trident/console/api/migrations`)).json()) as {
      migrations: { id: string; file: string; source: { account: string } }[];
    };
    assert.deepEqual(
      migrations.migrations.map((m) => [m.id, m.file, m.source.account]),
      [["0.orders", "orders.json", A]],
    );
    server.child.kill("SIGTERM");
    assert.equal(await server.exited, 0);
  });

  test("--no-console: the page and the read API answer 404, and the banner does not name a console", async () => {
    const server = serve(["--quiet", "--no-console"]);
    const endpoint = await server.ready;
    await server.printed(/Ready\./);
    assert.doesNotMatch(server.output(), /console/);
    for (const path of ["/_trident/console", "/_trident/console/app.js", "/_trident/console/api/state"])
      assert.equal((await fetch(`${endpoint}${path}`)).status, 404, path);
    // An event stream is not opened either: the answer is the 404 document, at once.
    const events = await fetch(`${endpoint}/_trident/console/api/events`);
    assert.equal(events.status, 404);
    assert.equal(((await events.json()) as { error: string }).error, "NotFound");
    server.child.kill("SIGTERM");
    assert.equal(await server.exited, 0);
  });
});
