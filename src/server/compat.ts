import type { Emulator } from "../emulator.js";
import { AdminReply, resetState, type AdminMethods } from "./admin-core.js";

/**
 * Drop-in surfaces for suites written against LocalStack or moto, beside `/_trident/…`: aliases in their shapes
 * over the same operations (admin-core.ts), so such a suite starts against Trident unchanged.
 *
 *   GET|HEAD /_localstack/health          LocalStack's health: {"services":{"kms":"running",…},"edition","version"}
 *   GET  /_localstack/init[/STAGE]        init-script status: every stage up to READY completed, no scripts
 *   POST /_localstack/state/reset         clears all state; 200 with an empty body, as LocalStack answers
 *   POST /_localstack/state/SVC/reset     clears one service's (kms, neptune, sts, iam; another name is a 400)
 *   POST /moto-api/reset                  clears all state; {"status":"ok"}, as moto answers
 *
 * Sources: LocalStack's `localstack/services/internal.py` (HealthResource, InitScriptsResource), its state-reset
 * endpoints (`StateResetResource`), moto's `moto_api/_internal/urls.py` and responses; ecosystem.md §1.3, §2.1.
 */

/**
 * LocalStack names a service's state `running` once started (`available` before its first use); gnomock and
 * testcontainers accept either [ecosystem.md §1.3]. Every Trident service runs from the start. RDS is listed
 * beside Neptune: Neptune's control plane is RDS's endpoint and signing name.
 */
const RUNNING = "running";
/** Not LocalStack: a client that branches on `edition` ("community", "pro") sees neither. */
const EDITION = "trident";
const VERSION = "0.1.0";

/** LocalStack's init stages; Trident runs no init scripts, so each stage up to READY is complete once it serves. */
const INIT_STAGES = { BOOT: true, START: true, READY: true, SHUTDOWN: false } as const;

function localstackHealth(emulator: Emulator) {
  const services: Record<string, string> = {};
  for (const name of Object.keys(emulator.services)) services[name] = RUNNING;
  if ("neptune" in services) services.rds = RUNNING;
  return { services, edition: EDITION, version: VERSION };
}

/** LocalStack's state-reset endpoints answer 200 with no body. */
const EMPTY = new AdminReply(200, "");

/** The handlers of a LocalStack or moto path, or undefined when it is none of theirs that Trident serves. */
export function compatRoute(path: string): AdminMethods | undefined {
  switch (path) {
    case "/_localstack/health":
      return { GET: localstackHealth, HEAD: () => new AdminReply(200, "ok", "text/plain") };
    case "/_localstack/init":
      return { GET: () => ({ completed: INIT_STAGES, scripts: [] }) };
    case "/_localstack/state/reset":
      return { POST: (emulator) => (resetState(emulator, undefined), EMPTY) };
    case "/moto-api/reset":
      return { POST: (emulator) => (resetState(emulator, undefined), { status: "ok" }) };
  }
  const parts = path.split("/");
  // ["", "_localstack", "init", STAGE]
  if (parts.length === 4 && parts[1] === "_localstack" && parts[2] === "init") {
    const stage = parts[3]!.toUpperCase();
    if (!Object.hasOwn(INIT_STAGES, stage)) return undefined;
    return { GET: () => ({ completed: INIT_STAGES[stage as keyof typeof INIT_STAGES], scripts: [] }) };
  }
  // ["", "_localstack", "state", SERVICE, "reset"]
  if (parts.length === 5 && parts[1] === "_localstack" && parts[2] === "state" && parts[4] === "reset") {
    const service = parts[3]!;
    return { POST: (emulator) => (resetState(emulator, service), EMPTY) };
  }
  return undefined;
}
