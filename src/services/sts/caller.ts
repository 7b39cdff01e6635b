import type { StsOperations } from "../../generated/sts.js";
import { CommonErrors } from "../../protocol/errors.js";
import type { HandlerMap } from "../service.js";
import { credentialsShape } from "./shared.js";

/** The calls about the caller's own identity and keys. */
export const callerHandlers: HandlerMap<StsOperations> = {
  // Needs no permission: any valid signature may ask who it is.
  GetCallerIdentity: (_input, { principal }) => ({
    UserId: principal.userId,
    Account: principal.accountId,
    Arn: principal.arn,
  }),

  GetSessionToken: (input, { principal, emulator }) => {
    // AWS: only long-term credentials of an IAM user (or root) can get a session token.
    if (principal.temporary) {
      throw CommonErrors.accessDenied("Cannot call GetSessionToken with session credentials");
    }
    const credentials = emulator.identities.issueTemporaryCredentials(principal, input.DurationSeconds ?? 43200);
    return {
      Credentials: credentialsShape(credentials),
    };
  },

  GetAccessKeyInfo: (input, { emulator }) => {
    const owner = emulator.identities.resolveAccessKey(input.AccessKeyId);
    if (owner) return { Account: owner.principal.accountId };
    if (emulator.relaxedAuth && /^\d{12}$/.test(input.AccessKeyId)) return { Account: input.AccessKeyId };
    throw CommonErrors.invalidParameterValue(`The access key ID ${input.AccessKeyId} is not known to this emulator.`);
  },
};
