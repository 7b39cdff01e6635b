import {
  createCustomKeyStore,
  describeCustomKeyStores,
  unknownCustomKeyStore,
} from "../../domain/kms/custom-key-stores.js";
import type { KmsOperations } from "../../generated/kms.js";
import type { HandlerMap } from "../service.js";
import { kmsCall } from "./call.js";

/** Custom key stores: none can exist here, and each operation answers as KMS does for one that does not. */
export const customKeyStoreHandlers: HandlerMap<KmsOperations> = {
  CreateCustomKeyStore: (input, ctx) => createCustomKeyStore(kmsCall(ctx), input),
  DescribeCustomKeyStores: (input, ctx) => describeCustomKeyStores(kmsCall(ctx), input),
  ConnectCustomKeyStore: (_input, ctx) => unknownCustomKeyStore(kmsCall(ctx), "kms:ConnectCustomKeyStore"),
  DisconnectCustomKeyStore: (_input, ctx) => unknownCustomKeyStore(kmsCall(ctx), "kms:DisconnectCustomKeyStore"),
  DeleteCustomKeyStore: (_input, ctx) => unknownCustomKeyStore(kmsCall(ctx), "kms:DeleteCustomKeyStore"),
  UpdateCustomKeyStore: (_input, ctx) => unknownCustomKeyStore(kmsCall(ctx), "kms:UpdateCustomKeyStore"),
};
