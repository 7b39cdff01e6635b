import type { DataPlaneListeners } from "./listeners.js";
import { dataPlaneTls } from "./tls-files.js";

/** How often a running server looks at its certificate: far more often than the renewal window is long. */
export const RENEWAL_CHECK_MS = 24 * 60 * 60 * 1000;

/**
 * Issues the data plane's certificate again when it is due (tls-files.ts decides) and hands it to the listeners,
 * so a server that runs for longer than a certificate lasts never presents an expired one. Whether it did.
 */
export async function renewIfDue(
  home: string,
  hosts: readonly string[],
  listeners: Pick<DataPlaneListeners, "useCertificate">,
  now: Date,
  log?: (line: string) => void,
): Promise<boolean> {
  const tls = await dataPlaneTls(home, hosts, now);
  if (!tls.newCertificate) return false;
  listeners.useCertificate(tls);
  log?.("trident: the data plane's certificate was near its end and has been issued again");
  return true;
}

/** Runs renewIfDue once a day with the real time (clients check dates against theirs); never keeps the process up. */
export function renewDaily(
  home: string,
  hosts: readonly string[],
  listeners: Pick<DataPlaneListeners, "useCertificate">,
  log: (line: string) => void,
): void {
  const check = () =>
    renewIfDue(home, hosts, listeners, new Date(), log).catch((error: Error) =>
      log(`trident: the data plane's certificate could not be renewed: ${error.message}`),
    );
  setInterval(() => void check(), RENEWAL_CHECK_MS).unref();
}
