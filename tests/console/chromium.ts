import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

/**
 * Debian's chromium driven by playwright-core (no browser download): .ci/run installs the package. A missing
 * browser fails the test with what to do, never skips it.
 */
export const CHROMIUM = process.env.TRIDENT_CHROMIUM ?? "/usr/bin/chromium";

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Where the console's screenshots go (git-ignored; the README names it). */
export const SCREENSHOTS = join(process.cwd(), "test-artifacts", "console");

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A fresh browser with a fresh profile (its own --user-data-dir), removed on close. */
export async function launchChromium(viewport = { width: 1280, height: 800 }): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `chromium is not installed at ${CHROMIUM}: the console's browser tests need it (apt-get install -y chromium, as .ci/run does; or TRIDENT_CHROMIUM=PATH)`,
    );
  const profile = mkdtempSync(join(tmpdir(), "trident-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
