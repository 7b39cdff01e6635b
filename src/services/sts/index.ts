import type { StsOperations } from "../../generated/sts.js";
import type { HandlerMap } from "../service.js";
import { assumeRoleHandlers } from "./assume-role.js";
import { authorizationMessageHandlers } from "./authorization-message.js";
import { callerHandlers } from "./caller.js";
import { federationHandlers } from "./federation.js";
import { notSetUpHandlers } from "./not-set-up.js";
import { samlHandlers } from "./saml.js";
import { webIdentityHandlers } from "./web-identity.js";

export const stsHandlers: HandlerMap<StsOperations> = {
  ...callerHandlers,
  ...assumeRoleHandlers,
  ...federationHandlers,
  ...authorizationMessageHandlers,
  ...webIdentityHandlers,
  ...samlHandlers,
  ...notSetUpHandlers,
};
