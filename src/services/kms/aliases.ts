import { createAlias, deleteAlias, listAliases, updateAlias } from "../../domain/kms/aliases.js";
import type { KmsOperations } from "../../generated/kms.js";
import type { HandlerMap } from "../service.js";
import { kmsCall } from "./call.js";

export const aliasHandlers: HandlerMap<KmsOperations> = {
  CreateAlias: (input, ctx) => createAlias(kmsCall(ctx), input),
  UpdateAlias: (input, ctx) => updateAlias(kmsCall(ctx), input),
  DeleteAlias: (input, ctx) => deleteAlias(kmsCall(ctx), input),
  ListAliases: (input, ctx) => listAliases(kmsCall(ctx), input),
};
