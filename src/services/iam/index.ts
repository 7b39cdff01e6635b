import type { IamOperations } from "../../generated/iam.js";
import type { HandlerMap } from "../service.js";
import { accountHandlers } from "./account.js";
import { groupHandlers } from "./groups.js";
import { oidcProviderHandlers } from "./oidc-providers.js";
import { policyHandlers } from "./policies.js";
import { roleHandlers } from "./roles.js";
import { samlProviderHandlers } from "./saml-providers.js";
import { simulateHandlers } from "./simulate.js";
import { userHandlers } from "./users.js";

/** IAM's API (awsQuery, signing name `iam`): its state and rules live in src/domain/iam. */
export const iamHandlers: HandlerMap<IamOperations> = {
  ...userHandlers,
  ...groupHandlers,
  ...roleHandlers,
  ...policyHandlers,
  ...accountHandlers,
  ...simulateHandlers,
  ...oidcProviderHandlers,
  ...samlProviderHandlers,
};
