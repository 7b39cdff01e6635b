import type { Principal } from "../../auth/principal.js";
import type { StsOperations } from "../../generated/sts.js";
import { accessDeniedMessage, authorizeByIdentity, baseContext } from "../../policy/index.js";
import { CommonErrors } from "../../protocol/errors.js";
import type { HandlerMap } from "../service.js";
import { credentialsShape, packedPolicySize, sessionPolicy } from "./shared.js";

/**
 * GetFederationToken's durations [STS API Reference: GetFederationToken, DurationSeconds]: 900 to 129,600 seconds
 * (the model enforces the range), 43,200 by default; "Sessions obtained using root user credentials are restricted
 * to a maximum of 3,600 seconds (one hour). If the specified duration is longer than one hour, the session obtained
 * by using root user credentials defaults to one hour": clamped, not refused.
 */
const DEFAULT_DURATION_SECONDS = 43_200;
const ROOT_MAX_SECONDS = 3600;

export const federationHandlers: HandlerMap<StsOperations> = {
  GetFederationToken: (input, { principal, emulator }) => {
    // "You must call the GetFederationToken operation using the long-term security credentials of an IAM user"
    // (or the root user) [STS API Reference: GetFederationToken]; AWS's wording matches GetSessionToken's.
    if (principal.temporary) {
      throw CommonErrors.accessDenied("Cannot call GetFederationToken with session credentials");
    }
    const arn = `arn:aws:sts::${principal.accountId}:federated-user/${input.Name}`;
    const action = "sts:GetFederationToken";
    const decision = authorizeByIdentity(principal, action, arn, baseContext(principal));
    if (!decision.allowed) throw CommonErrors.accessDenied(accessDeniedMessage(principal, action, arn, decision));

    const requested = input.DurationSeconds ?? DEFAULT_DURATION_SECONDS;
    const duration = principal.kind === "root" ? Math.min(requested, ROOT_MAX_SECONDS) : requested;
    const federated: Principal = {
      accountId: principal.accountId,
      arn,
      userId: `${principal.accountId}:${input.Name}`,
      kind: "federated-user",
      federatedBy: principal.arn,
      // "If you do not pass a policy to this operation, then the resulting federated user session has no
      // permissions" [STS API Reference: GetFederationToken, Policy].
      sessionPolicy: sessionPolicy(emulator, principal.accountId, input) ?? { Statement: [] },
    };
    const credentials = emulator.identities.issueTemporaryCredentials(federated, duration);
    return {
      Credentials: credentialsShape(credentials),
      FederatedUser: { FederatedUserId: federated.userId, Arn: federated.arn },
      PackedPolicySize: packedPolicySize(input),
    };
  },
};
