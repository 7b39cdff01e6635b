import type { Principal } from "../../auth/principal.js";
import type { Role, TemporaryCredentials } from "../../auth/identities.js";
import type { Emulator } from "../../emulator.js";
import { authorize, type ConditionContext } from "../../policy/index.js";
import { AwsError } from "../../protocol/errors.js";
import { notAuthorized, packedPolicySize, sessionPolicy, type SessionPolicyInput } from "./shared.js";

/** Role chaining (an assumed role assuming a role) is limited to one hour, whatever the role allows. */
const ROLE_CHAINING_MAX_SECONDS = 3600;
const DEFAULT_DURATION_SECONDS = 3600;

/** What AssumeRole, AssumeRoleWithWebIdentity and AssumeRoleWithSAML have in common. */
export interface RoleSessionRequest extends SessionPolicyInput {
  emulator: Emulator;
  /** Who asks: the signed caller, or the identity provider's subject for the unsigned federation calls. */
  caller: Principal;
  /** `sts:AssumeRole`, `sts:AssumeRoleWithWebIdentity` or `sts:AssumeRoleWithSAML`. */
  action: string;
  roleArn: string;
  sessionName: string;
  durationSeconds?: number;
  /** The request's condition keys beyond the caller's own (`sts:ExternalId`, `<provider>:aud` …). */
  context: ConditionContext;
}

export interface RoleSession {
  session: Principal;
  credentials: TemporaryCredentials;
  packedPolicySize?: number;
}

/**
 * Issues a role session: the role's trust policy (and, for a signed caller, its identity policies) must allow the
 * action, the duration must fit the role's maximum (one hour when chaining), and the session policies narrow it.
 */
export function issueRoleSession(request: RoleSessionRequest): RoleSession {
  const { emulator, caller, action, roleArn } = request;
  const role = emulator.identities.role(roleArn);
  // AWS does not reveal whether the role exists: a missing role is refused like a forbidden one.
  if (!role) throw notAuthorized(caller, action, roleArn);
  const decision = authorize({
    request: { principal: caller, action, resource: role.arn, context: request.context },
    resourceAccountId: role.accountId,
    resourcePolicy: role.trustPolicy,
    statementsWithoutResourceApply: true, // trust policies have no Resource element
  });
  if (!decision.allowed) throw notAuthorized(caller, action, role.arn);
  const duration = sessionDuration(caller, role, request.durationSeconds);
  const session: Principal = {
    accountId: role.accountId,
    arn: `arn:aws:sts::${role.accountId}:assumed-role/${role.name}/${request.sessionName}`,
    userId: `${role.uniqueId}:${request.sessionName}`,
    kind: "assumed-role",
    roleArn: role.arn,
    sessionPolicy: sessionPolicy(emulator, role.accountId, request),
  };
  return {
    session,
    credentials: emulator.identities.issueTemporaryCredentials(session, duration),
    packedPolicySize: packedPolicySize(request),
  };
}

function sessionDuration(caller: Principal, role: Role, requested = DEFAULT_DURATION_SECONDS): number {
  const chaining = caller.kind === "assumed-role";
  const maxSeconds = chaining ? ROLE_CHAINING_MAX_SECONDS : role.maxSessionDuration;
  if (requested > maxSeconds) {
    throw new AwsError(
      "ValidationError",
      `The requested DurationSeconds exceeds the ${chaining ? "1 hour session limit for roles assumed by role chaining" : "MaxSessionDuration set for this role"}.`,
      400,
    );
  }
  return requested;
}
