import type { KmsOperations } from "../../generated/kms.js";
import type { HandlerMap } from "../service.js";
import { aliasHandlers } from "./aliases.js";
import { cryptoHandlers } from "./crypto.js";
import { customKeyStoreHandlers } from "./custom-key-stores.js";
import { keyMaterialHandlers } from "./key-material.js";
import { keyUsageHandlers, trackingKeyUse } from "./key-usage.js";
import { grantHandlers } from "./grants.js";
import { keyHandlers } from "./keys.js";
import { policyHandlers } from "./policies.js";
import { unsupportedHandlers } from "./unsupported.js";

/** KMS's operations; one absent here answers NotImplemented. The rules live in src/domain/kms/. */
export const kmsHandlers: HandlerMap<KmsOperations> = trackingKeyUse({
  ...keyHandlers,
  ...aliasHandlers,
  ...policyHandlers,
  ...grantHandlers,
  ...cryptoHandlers,
  ...keyMaterialHandlers,
  ...customKeyStoreHandlers,
  ...keyUsageHandlers,
  ...unsupportedHandlers,
});
