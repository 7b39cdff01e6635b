import type { Principal } from "../../auth/principal.js";
import type { TemporaryCredentials } from "../../auth/identities.js";
import type { Credentials, StsOperations } from "../../generated/sts.js";
import { authorize, baseContext, parsePolicy, PolicyGrammarError, validateIdentityPolicy } from "../../policy/index.js";
import { AwsError, CommonErrors, modelError } from "../../protocol/errors.js";
import { loadModel } from "../../protocol/model.js";
import type { HandlerMap } from "../service.js";

const model = loadModel("sts");

/** Role chaining (an assumed role assuming a role) is limited to one hour, whatever the role allows. */
const ROLE_CHAINING_MAX_SECONDS = 3600;

/** The wire shape of temporary credentials. */
function credentialsShape(credentials: TemporaryCredentials): Credentials {
  return {
    AccessKeyId: credentials.accessKeyId,
    SecretAccessKey: credentials.secretAccessKey,
    SessionToken: credentials.sessionToken,
    Expiration: credentials.expiration,
  };
}

function notAuthorized(principal: Principal, action: string, resource: string): AwsError {
  return CommonErrors.accessDenied(
    `User: ${principal.arn} is not authorized to perform: ${action} on resource: ${resource}`,
  );
}

export const stsHandlers: HandlerMap<StsOperations> = {
  // Needs no permission: any valid signature may ask who it is.
  GetCallerIdentity: (_input, { principal }) => ({
    UserId: principal.userId,
    Account: principal.accountId,
    Arn: principal.arn,
  }),

  AssumeRole: (input, { principal, emulator }) => {
    const role = emulator.identities.role(input.RoleArn);
    // AWS does not reveal whether the role exists: a missing role is refused like a forbidden one.
    if (!role) throw notAuthorized(principal, "sts:AssumeRole", input.RoleArn);
    const decision = authorize({
      request: {
        principal,
        action: "sts:AssumeRole",
        resource: role.arn,
        context: {
          ...baseContext(principal),
          "sts:ExternalId": input.ExternalId,
          "sts:RoleSessionName": input.RoleSessionName,
        },
      },
      resourceAccountId: role.accountId,
      resourcePolicy: role.trustPolicy,
      statementsWithoutResourceApply: true, // trust policies have no Resource element
    });
    if (!decision.allowed) throw notAuthorized(principal, "sts:AssumeRole", role.arn);

    const maxSeconds = principal.kind === "assumed-role" ? ROLE_CHAINING_MAX_SECONDS : role.maxSessionDuration;
    const duration = input.DurationSeconds ?? 3600;
    if (duration > maxSeconds) {
      throw new AwsError(
        "ValidationError",
        `The requested DurationSeconds exceeds the ${principal.kind === "assumed-role" ? "1 hour session limit for roles assumed by role chaining" : "MaxSessionDuration set for this role"}.`,
        400,
      );
    }
    let sessionPolicy;
    if (input.Policy !== undefined) {
      try {
        sessionPolicy = parsePolicy(input.Policy);
        validateIdentityPolicy(sessionPolicy);
      } catch (error) {
        if (error instanceof PolicyGrammarError)
          throw modelError(model, "MalformedPolicyDocumentException", error.message);
        throw error;
      }
    }
    const session: Principal = {
      accountId: role.accountId,
      arn: `arn:aws:sts::${role.accountId}:assumed-role/${role.name}/${input.RoleSessionName}`,
      userId: `${role.uniqueId}:${input.RoleSessionName}`,
      kind: "assumed-role",
      roleArn: role.arn,
      sessionPolicy,
    };
    const credentials = emulator.identities.issueTemporaryCredentials(session, duration);
    return {
      Credentials: credentialsShape(credentials),
      AssumedRoleUser: { AssumedRoleId: session.userId, Arn: session.arn },
      PackedPolicySize:
        input.Policy === undefined ? undefined : Math.min(100, Math.ceil((input.Policy.length / 2048) * 100)),
    };
  },

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
