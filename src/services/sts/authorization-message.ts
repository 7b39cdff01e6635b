import type { StsOperations } from "../../generated/sts.js";
import { accessDeniedMessage, authorizeByIdentity, baseContext } from "../../policy/index.js";
import { CommonErrors, modelError } from "../../protocol/errors.js";
import type { HandlerMap } from "../service.js";
import { stsModel } from "./shared.js";

export const authorizationMessageHandlers: HandlerMap<StsOperations> = {
  DecodeAuthorizationMessage: (input, { principal, emulator }) => {
    // "The user must have permissions through an IAM policy" to sts:DecodeAuthorizationMessage, which has no
    // resource type [STS API Reference: DecodeAuthorizationMessage; Service Authorization Reference: AWS STS].
    const action = "sts:DecodeAuthorizationMessage";
    const decision = authorizeByIdentity(principal, action, "*", baseContext(principal));
    if (!decision.allowed) throw CommonErrors.accessDenied(accessDeniedMessage(principal, action, "*", decision));
    const decoded = emulator.authorizationMessages.decode(principal.accountId, input.EncodedMessage);
    // *Decided* wording: AWS's text for a message that is not one is not documented.
    if (decoded === undefined) {
      throw modelError(
        stsModel,
        "InvalidAuthorizationMessageException",
        "The encoded authorization message is invalid.",
      );
    }
    return { DecodedMessage: decoded };
  },
};
