import { getKeyLastUsage, recordKeyUses, TRACKED_OPERATIONS } from "../../domain/kms/key-last-usage.js";
import type { KmsOperations } from "../../generated/kms.js";
import type { HandlerMap, RequestContext } from "../service.js";
import { kmsCall } from "./call.js";

export const keyUsageHandlers: HandlerMap<KmsOperations> = {
  GetKeyLastUsage: (input, ctx) => getKeyLastUsage(kmsCall(ctx), input),
};

type Handler = (input: never, ctx: RequestContext) => unknown;

/**
 * The tracked cryptographic operations, each recording its successful use of the key(s) its response names
 * (recordKeyUses), in one place rather than in every operation. A failed call records nothing.
 */
export function trackingKeyUse(handlers: HandlerMap<KmsOperations>): HandlerMap<KmsOperations> {
  const wrapped: Record<string, Handler> = { ...(handlers as Record<string, Handler>) };
  for (const [operation, handler] of Object.entries(wrapped)) {
    if (!TRACKED_OPERATIONS.has(operation)) continue;
    wrapped[operation] = (input, ctx) => {
      const record = (output: unknown) => {
        recordKeyUses(ctx.emulator, operation, ctx.requestId, output);
        return output;
      };
      const output = handler(input, ctx);
      return output instanceof Promise ? output.then(record) : record(output);
    };
  }
  return wrapped as HandlerMap<KmsOperations>;
}
