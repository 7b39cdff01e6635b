import { getKeyPolicy, listKeyPolicies, putKeyPolicy } from "../../domain/kms/policies.js";
import type { KmsOperations } from "../../generated/kms.js";
import type { HandlerMap } from "../service.js";
import { kmsCall } from "./call.js";

export const policyHandlers: HandlerMap<KmsOperations> = {
  GetKeyPolicy: (input, ctx) => getKeyPolicy(kmsCall(ctx), input),
  PutKeyPolicy: (input, ctx) => putKeyPolicy(kmsCall(ctx), input),
  ListKeyPolicies: (input, ctx) => listKeyPolicies(kmsCall(ctx), input),
};
