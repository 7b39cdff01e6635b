import type { StsOperations } from "../../generated/sts.js";
import { baseContext } from "../../policy/index.js";
import type { HandlerMap } from "../service.js";
import { issueRoleSession } from "./role-session.js";
import { credentialsShape } from "./shared.js";

export const assumeRoleHandlers: HandlerMap<StsOperations> = {
  AssumeRole: (input, { principal, emulator }) => {
    const { session, credentials, packedPolicySize } = issueRoleSession({
      emulator,
      caller: principal,
      action: "sts:AssumeRole",
      roleArn: input.RoleArn,
      sessionName: input.RoleSessionName,
      durationSeconds: input.DurationSeconds,
      Policy: input.Policy,
      PolicyArns: input.PolicyArns,
      context: {
        ...baseContext(principal),
        "sts:ExternalId": input.ExternalId,
        "sts:RoleSessionName": input.RoleSessionName,
      },
    });
    return {
      Credentials: credentialsShape(credentials),
      AssumedRoleUser: { AssumedRoleId: session.userId, Arn: session.arn },
      PackedPolicySize: packedPolicySize,
    };
  },
};
