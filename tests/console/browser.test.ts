import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ModifyDBClusterSnapshotAttributeCommand, NeptuneClient } from "@aws-sdk/client-neptune";
import type { Page } from "playwright-core";
import { runDemo, type DemoResult } from "../../src/cli/demo.js";
import { CONSOLE_PATH } from "../../src/console/routes.js";
import { DELAY_PROFILES } from "../../src/state/delays.js";
import { portRange } from "../dataplane/fixture.js";
import { A, ADMIN, B, REGION } from "../helpers/harness.js";
import { launchChromium, SCREENSHOTS, type Browser } from "./chromium.js";

/**
 * The console in a real browser after the demo's run (the seed scenario: the cluster in A, its snapshot shared
 * with B, A's key usable by B, the copy and the restored cluster in B): each view shows that state, the share arrow
 * follows ModifyDBClusterSnapshotAttribute without a reload, and the migration timeline lists every step.
 * Screenshots of each view go to test-artifacts/console/.
 */

const SHARED_SNAPSHOT = "trident-orders-graph-for-222222222222";
/** The steps the demo's plan runs (src/migrate/plan.ts; the seed's cluster is already under a CMK of A). */
const DEMO_STEPS = ["snapshot", "share", "key-policy", "copy", "restore", "instances", "verify", "verify-data"];

describe("the console in chromium, after the demo", () => {
  let demo: DemoResult;
  let browser: Browser;
  let page: Page;
  let url: string;
  let neptuneA: NeptuneClient;

  before(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
    const lines: string[] = [];
    demo = await runDemo({
      write: (line) => lines.push(line),
      delays: DELAY_PROFILES.instant,
      pollMs: 5,
      keepServing: true,
      dataPlane: await portRange(),
    });
    assert.equal(demo.ok, true, lines.join("\n"));
    url = `${demo.endpoint}${CONSOLE_PATH}`;
    assert.ok(
      lines.some((line) => line.includes(url)),
      "the demo prints the console's URL",
    );
    neptuneA = new NeptuneClient({ region: REGION, endpoint: demo.endpoint, credentials: ADMIN[A]!, maxAttempts: 1 });
    page = await browser.context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    after(() => assert.deepEqual(errors, [], "the page logged no error"));
  });

  after(async () => {
    neptuneA?.destroy();
    await browser?.close();
    await demo?.close();
  });

  const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

  test("accounts side by side: the cluster in both accounts, the share from A, the copy in B", async () => {
    await page.goto(`${url}#/accounts`);
    const cardA = page.locator(`[data-testid=account-card][data-account="${A}"]`);
    const cardB = page.locator(`[data-testid=account-card][data-account="${B}"]`);
    await cardA.getByText("orders-graph", { exact: true }).waitFor();
    assert.match(await cardA.innerText(), new RegExp(`${SHARED_SNAPSHOT} available · shared with ${B}`));
    assert.match(await cardA.innerText(), /alias\/orders-graph Enabled · CUSTOMER · lets other accounts in/);
    assert.match(await cardB.innerText(), /orders-graph available · 1 instance/);
    assert.match(await cardB.innerText(), new RegExp(`copied from cluster-snapshot:${SHARED_SNAPSHOT} \\(${A}\\)`));
    await page.getByTestId("liveness").getByText("live").waitFor();
    await shot("accounts");
  });

  test("an account's view: clusters with instances and key, snapshots shared, the key policy's other account highlighted", async () => {
    await page.goto(`${url}#/account/${A}`);
    const row = page.getByTestId("cluster-row").filter({ hasText: "orders-graph" });
    await row.waitFor();
    assert.match(await row.innerText(), /available/);
    assert.match(await row.innerText(), /\(writer, db\.\w+\.\w+\) available/);
    assert.match(await row.innerText(), /key\//);
    // The seed's graph (the data plane's summary), read through the console.
    assert.equal(await row.getByTestId("graph-nodes").innerText(), "710");
    const snapshot = page.getByTestId("snapshot-row").filter({ hasText: SHARED_SNAPSHOT });
    assert.equal(await snapshot.getByTestId("shared-with").innerText(), B);
    assert.match(await snapshot.innerText(), /manual\s+available\s+100%/);
    const key = page.getByTestId("key").filter({ hasText: "alias/orders-graph" });
    const external = key.getByTestId("external-principal");
    assert.ok((await external.count()) > 0, "a principal of B is highlighted");
    assert.match(await external.first().innerText(), new RegExp(B));
    assert.match(await key.innerText(), /lets another account in/);
    assert.match(await key.getByTestId("grants").innerText(), /Decrypt/);
    assert.match(await page.getByTestId("events").innerText(), /orders-graph/);
    assert.ok((await page.getByTestId("iam-users").locator("li").count()) > 0);
    await shot(`account-${A}`);

    await page.goto(`${url}#/account/${B}`);
    const restored = page.getByTestId("cluster-row").filter({ hasText: "orders-graph" });
    await restored.waitFor();
    assert.match(await restored.innerText(), /available/);
    assert.equal(await restored.getByTestId("graph-nodes").innerText(), "710", "the restored cluster has the graph");
    const copy = page.getByTestId("snapshot-row").filter({ hasText: "trident-orders-graph-from-111111111111" });
    assert.match(await copy.innerText(), new RegExp(`cluster-snapshot:${SHARED_SNAPSHOT}`));
    await shot(`account-${B}`);
  });

  test("the relationship picture: the share and key arrows, following the snapshot's sharing without a reload", async () => {
    await page.goto(`${url}#/relationships`);
    const edges = page.getByTestId("edge");
    const share = page.locator("[data-testid=edge][data-kind=share]");
    await share.waitFor();
    assert.match(await share.innerText(), new RegExp(`snapshot ${SHARED_SNAPSHOT} of ${A} → account ${B}`));
    const keyArrow = page.locator("[data-testid=edge][data-kind=key-policy]");
    assert.match(await keyArrow.innerText(), new RegExp(`key alias/orders-graph of ${A} → account ${B}`));
    assert.equal(await page.locator("[data-testid=edge][data-kind=copy]").count(), 1);
    assert.match((await page.getByTestId("picture").getAttribute("data-edges")) ?? "", /share/);
    assert.ok((await page.locator(".picture canvas").count()) > 0, "Cytoscape drew the picture");
    await shot("relationships");

    // A mark on the window: a reload would lose it.
    await page.evaluate(() => ((window as unknown as { consoleMark: number }).consoleMark = 1));
    await neptuneA.send(
      new ModifyDBClusterSnapshotAttributeCommand({
        DBClusterSnapshotIdentifier: SHARED_SNAPSHOT,
        AttributeName: "restore",
        ValuesToRemove: [B],
      }),
    );
    await share.waitFor({ state: "detached" });
    assert.equal(await page.locator("[data-testid=edge][data-kind=key-policy]").count(), 1);
    assert.match((await page.getByTestId("picture").getAttribute("data-edges")) ?? "", /^(?!.*share)/);
    await shot("relationships-unshared");

    await neptuneA.send(
      new ModifyDBClusterSnapshotAttributeCommand({
        DBClusterSnapshotIdentifier: SHARED_SNAPSHOT,
        AttributeName: "restore",
        ValuesToAdd: [B],
      }),
    );
    await share.waitFor();
    assert.equal(await edges.count(), 3);
    assert.equal(await page.evaluate(() => (window as unknown as { consoleMark?: number }).consoleMark), 1);
  });

  test("the migration timeline: every step of the demo's run, done, with its rules; the walls and how they were passed", async () => {
    await page.goto(`${url}#/migrations`);
    await page.getByTestId("migration-link").first().click();
    const timeline = page.getByTestId("timeline");
    await timeline.waitFor();
    const firstRun = timeline.getByTestId("steps").first();
    const steps = await firstRun
      .getByTestId("step")
      .evaluateAll((items) => items.map((item) => [item.getAttribute("data-step"), item.getAttribute("data-state")]));
    assert.deepEqual(
      steps,
      DEMO_STEPS.map((id) => [id, "done"]),
    );
    const copy = firstRun.locator("[data-step=copy]");
    assert.match(await copy.innerText(), /R6[\s\S]*R7[\s\S]*R8[\s\S]*R9[\s\S]*R10/);
    const walls = await timeline.getByTestId("wall").allInnerTexts();
    assert.equal(walls.length, 3);
    assert.match(
      walls[0]!,
      /^R6[\s\S]*refused: InvalidParameterValue \(HTTP 400\)[\s\S]*passed by copy the shared snapshot/,
    );
    assert.match(walls[1]!, /^R8[\s\S]*InvalidParameterValue/);
    assert.match(walls[2]!, /^R11[\s\S]*PreconditionsFailedException[\s\S]*passed by create 1 instance/);
    await shot("migration");
  });

  test("keyboard and a narrow window: a skip link first, the views reachable by Tab with a visible focus, no sideways scroll", async () => {
    await page.goto("about:blank");
    await page.goto(`${url}#/accounts`);
    await page.getByTestId("account-card").first().waitFor();
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Skip to content");
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("data-testid")), "tab-accounts");
    assert.notEqual(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle), "none");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await page.getByTestId("picture").waitFor();

    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto(`${url}#/accounts`);
    await page.getByTestId("account-card").first().waitFor();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
    await shot("accounts-narrow");
    await page.goto(`${url}#/account/${A}`);
    await page.getByTestId("cluster-row").first().waitFor();
    await shot(`account-${A}-narrow`);
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
