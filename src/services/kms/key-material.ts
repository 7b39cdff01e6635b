import {
  deleteImportedKeyMaterial,
  getParametersForImport,
  importKeyMaterial,
} from "../../domain/kms/imported-material.js";
import type { KmsOperations } from "../../generated/kms.js";
import type { HandlerMap } from "../service.js";
import { kmsCall } from "./call.js";

/** Imported key material. */
export const keyMaterialHandlers: HandlerMap<KmsOperations> = {
  GetParametersForImport: (input, ctx) => getParametersForImport(kmsCall(ctx), input),
  ImportKeyMaterial: (input, ctx) => importKeyMaterial(kmsCall(ctx), input),
  DeleteImportedKeyMaterial: (input, ctx) => deleteImportedKeyMaterial(kmsCall(ctx), input),
};
