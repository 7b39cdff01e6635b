import type { StsOperations } from "../../generated/sts.js";
import { baseContext } from "../../policy/index.js";
import type { HandlerMap } from "../service.js";
import { issueRoleSession } from "./role-session.js";

export const assumeRoleHandlers: HandlerMap<StsOperations> = {
  AssumeRole: (input, { principal, emulator }) =>
    issueRoleSession({
      emulator,
      input,
      caller: principal,
      action: "sts:AssumeRole",
      context: {
        ...baseContext(principal),
        "sts:ExternalId": input.ExternalId,
        "sts:RoleSessionName": input.RoleSessionName,
      },
    }),
};
