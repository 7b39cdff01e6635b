import { applyKmsSeeds } from "../domain/kms/seeding.js";
import type { Emulator } from "../emulator.js";
import { MEMORY_LOCATION } from "../state/store.js";
import { belongsTo, isStateService, STATE_SERVICES, type StateService } from "../state/tables.js";
import type { RawRequest } from "./pipeline.js";

/**
 * What the emulator's own endpoints share: their handler and route types, their errors, and the operations that
 * more than one surface offers (Trident's `/_trident/…`, LocalStack's `/_localstack/…` and moto's `/moto-api/…`
 * are different shapes over these).
 */

/** An answer other than 200 with a JSON body: another status, an empty body (LocalStack's reset) or plain text. */
export class AdminReply {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly contentType = "application/json",
    readonly headers: Record<string, string> = {},
  ) {}
}

export type AdminHandler = (emulator: Emulator, request: RawRequest, query: URLSearchParams) => unknown;

/** The handlers of one path, by HTTP method. */
export type AdminMethods = Partial<Record<string, AdminHandler>>;

export class AdminError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Where the emulator's state lives, as health reports it (the store knows: "memory" or its data directory). */
export function stateLocation(emulator: Emulator): { store: "memory" } | { store: "data-dir"; dataDir: string } {
  const { location } = emulator.store;
  return location === MEMORY_LOCATION ? { store: "memory" } : { store: "data-dir", dataDir: location };
}

/**
 * Clears all state, or one service's (`kms`, `neptune`, `sts`, `iam`); an unknown service is a 400 that changes
 * nothing. A KMS seed (--seed) is configuration, like --config's identities: put back at once, as after a start.
 */
export function resetState(emulator: Emulator, service: string | undefined): StateService[] {
  if (service === undefined) {
    emulator.store.clear();
  } else {
    if (!isStateService(service))
      throw new AdminError(
        400,
        "InvalidParameterValue",
        `service must be one of ${STATE_SERVICES.join(", ")}; got '${service}'`,
      );
    emulator.store.clear((table) => belongsTo(table, service));
  }
  if (service === undefined || service === "kms") applyKmsSeeds(emulator, emulator.kmsSeeds);
  return service === undefined ? [...STATE_SERVICES] : [service];
}
