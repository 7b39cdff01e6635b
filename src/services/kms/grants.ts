import { createGrant, listGrants, listRetirableGrants, retireGrant, revokeGrant } from "../../domain/kms/grants.js";
import type { KmsOperations } from "../../generated/kms.js";
import type { HandlerMap } from "../service.js";
import { kmsCall } from "./call.js";

export const grantHandlers: HandlerMap<KmsOperations> = {
  CreateGrant: (input, ctx) => createGrant(kmsCall(ctx), input),
  ListGrants: (input, ctx) => listGrants(kmsCall(ctx), input),
  ListRetirableGrants: (input, ctx) => listRetirableGrants(kmsCall(ctx), input),
  RevokeGrant: (input, ctx) => revokeGrant(kmsCall(ctx), input),
  RetireGrant: (input, ctx) => retireGrant(kmsCall(ctx), input),
};
