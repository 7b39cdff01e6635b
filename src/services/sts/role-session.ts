import type { Principal } from "../../auth/principal.js";
import type { Role } from "../../auth/identities.js";
import type { AssumedRoleUser, Credentials } from "../../generated/sts.js";
import type { Emulator } from "../../emulator.js";
import { parseIamArn } from "../../domain/iam/state.js";
import { authorize, isFederatedPrincipal, type ConditionContext, type FederatedPrincipal } from "../../policy/index.js";
import { AwsError, CommonErrors } from "../../protocol/errors.js";
import { credentialsShape, notAuthorized, packedPolicySize, sessionPolicy, type SessionPolicyInput } from "./shared.js";

/** Role chaining (an assumed role assuming a role) is limited to one hour, whatever the role allows. */
const ROLE_CHAINING_MAX_SECONDS = 3600;
const DEFAULT_DURATION_SECONDS = 3600;

/** What AssumeRole, AssumeRoleWithWebIdentity and AssumeRoleWithSAML have in common. */
/** The members AssumeRole, AssumeRoleWithWebIdentity and AssumeRoleWithSAML share. */
export interface RoleSessionInput extends SessionPolicyInput {
  RoleArn: string;
  RoleSessionName: string;
  DurationSeconds?: number;
}

export interface RoleSessionRequest {
  emulator: Emulator;
  input: RoleSessionInput;
  /** Who asks: the signed caller, or the identity provider's subject for the unsigned federation calls. */
  caller: Principal | FederatedPrincipal;
  /** `sts:AssumeRole`, `sts:AssumeRoleWithWebIdentity` or `sts:AssumeRoleWithSAML`. */
  action: string;
  /** The request's condition keys beyond the caller's own (`sts:ExternalId`, `<provider>:aud` …). */
  context: ConditionContext;
}

/** The part of the three responses that describes the session. */
export interface RoleSessionResult {
  Credentials: Credentials;
  AssumedRoleUser: AssumedRoleUser;
  PackedPolicySize?: number;
}

/**
 * Issues a role session: the role's trust policy (and, for a signed caller, its identity policies) must allow the
 * action, the duration must fit the role's maximum (one hour when chaining), and the session policies narrow it.
 */
export function issueRoleSession(request: RoleSessionRequest): RoleSessionResult {
  const { emulator, caller, action, input } = request;
  const role = emulator.identities.role(input.RoleArn);
  // AWS does not reveal whether the role exists: a missing role is refused like a forbidden one.
  if (!role) throw refusal(request);
  const decision = authorize({
    request: { principal: caller, action, resource: role.arn, context: request.context },
    resourceAccountId: role.accountId,
    resourcePolicy: role.trustPolicy,
    statementsWithoutResourceApply: true, // trust policies have no Resource element
  });
  if (!decision.allowed) throw refusal(request);
  const duration = sessionDuration(caller, role, input.DurationSeconds);
  const session: Principal = {
    accountId: role.accountId,
    arn: `arn:aws:sts::${role.accountId}:assumed-role/${role.name}/${input.RoleSessionName}`,
    userId: `${role.uniqueId}:${input.RoleSessionName}`,
    kind: "assumed-role",
    roleArn: role.arn,
    sessionPolicy: sessionPolicy(emulator, role.accountId, input),
  };
  const credentials = emulator.identities.issueTemporaryCredentials(session, duration);
  return {
    Credentials: credentialsShape(credentials),
    AssumedRoleUser: { AssumedRoleId: session.userId, Arn: session.arn },
    PackedPolicySize: packedPolicySize(input),
  };
}

/**
 * The account of the role an identity provider's user asks for, where its provider must be. An ARN that names no
 * role is refused as a role that does not exist would be, before anything is looked up.
 */
export function federatedRoleAccount(roleArn: string, action: string): string {
  const parsed = parseIamArn(roleArn);
  if (parsed?.kind !== "role") throw federatedRefusal(action);
  return parsed.accountId;
}

/**
 * A signed caller is told who it is and what it may not do; an identity provider's user only "Not authorized to
 * perform sts:AssumeRoleWithWebIdentity" (AWS's wording, widely quoted; AWS names no principal there).
 */
function refusal({ caller, action, input }: RoleSessionRequest): AwsError {
  if (isFederatedPrincipal(caller)) return federatedRefusal(action);
  return notAuthorized(caller, action, input.RoleArn);
}

export function federatedRefusal(action: string): AwsError {
  return CommonErrors.accessDenied(`Not authorized to perform ${action}`);
}

function sessionDuration(
  caller: Principal | FederatedPrincipal,
  role: Role,
  requested = DEFAULT_DURATION_SECONDS,
): number {
  const chaining = !isFederatedPrincipal(caller) && caller.kind === "assumed-role";
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
