import type { KmsCall } from "../../domain/kms/env.js";
import type { RequestContext } from "../service.js";

/** The caller's own API call, as the KMS domain takes it (no service in between). */
export function kmsCall(ctx: RequestContext): KmsCall {
  const keyPairMadeAhead = Buffer.isBuffer(ctx.prepared) ? ctx.prepared : undefined;
  return { env: ctx.emulator, principal: ctx.principal, region: ctx.region, keyPairMadeAhead };
}
