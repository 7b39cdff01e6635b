/**
 * Errors a user can fix become one MigrateError: what went wrong and the fix, printed as two lines with no stack.
 * Anything else is a bug or an outage and keeps its stack (shown with --debug).
 */

export const EXIT = {
  ok: 0,
  /** Unexpected failure (shown with its stack under --debug). */
  failure: 1,
  /** Bad command line. */
  usage: 2,
  /** plan found blockers, or apply/cleanup stopped on an error the user can fix. */
  blocked: 3,
  /** apply finished but the result did not verify. */
  verifyFailed: 4,
  /** The user declined the confirmation. */
  declined: 5,
} as const;

export class MigrateError extends Error {
  override name = "MigrateError";
  constructor(
    message: string,
    readonly fix: string,
    readonly exitCode: number = EXIT.blocked,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The AWS error code of an SDK v3 error (its `name`), or undefined for anything else. */
export function awsErrorCode(error: unknown): string | undefined {
  if (error && typeof error === "object" && "$metadata" in error && "name" in error)
    return String((error as { name: unknown }).name);
  return undefined;
}

/**
 * The text of an AWS error. The data plane's errors (neptunedata) carry it in `detailedMessage`, their body's
 * field, and the SDK leaves `message` at "UnknownError" for them.
 */
export function awsErrorMessage(error: unknown): string {
  const detailed = (error as { detailedMessage?: unknown })?.detailedMessage;
  return typeof detailed === "string" ? detailed : ((error as Error)?.message ?? String(error));
}

/**
 * Whether an error is one of these AWS codes. The JS SDK names a modelled error by its shape, while the wire
 * code may differ (shape DBInstanceNotFoundFault is sent as DBInstanceNotFound): callers list both.
 */
export function isAwsError(error: unknown, ...codes: string[]): boolean {
  const code = awsErrorCode(error);
  return code !== undefined && codes.includes(code);
}

export const NOT_FOUND = {
  cluster: ["DBClusterNotFoundFault"],
  snapshot: ["DBClusterSnapshotNotFoundFault"],
  instance: ["DBInstanceNotFoundFault", "DBInstanceNotFound"],
  key: ["NotFoundException"],
  parameterGroup: [
    "DBParameterGroupNotFoundFault",
    "DBParameterGroupNotFound",
    "DBClusterParameterGroupNotFoundFault",
    "DBClusterParameterGroupNotFound",
  ],
  subnetGroup: ["DBSubnetGroupNotFoundFault"],
};

/** The call's result, or `undefined` when AWS answers that there is no such resource. */
export async function unlessNotFound<T>(notFound: string[], call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (isAwsError(error, ...notFound)) return undefined;
    throw error;
  }
}

export const ALREADY_EXISTS = {
  cluster: ["DBClusterAlreadyExistsFault"],
  snapshot: ["DBClusterSnapshotAlreadyExistsFault"],
  instance: ["DBInstanceAlreadyExistsFault", "DBInstanceAlreadyExists"],
};

/** Codes that mean the call is not available here (an endpoint without it), not that the answer is "no". */
export function isUnsupported(error: unknown): boolean {
  return isAwsError(error, "NotImplemented", "InvalidAction", "UnknownOperationException");
}

/** Temporary credentials past their expiry: STS and Neptune say ExpiredToken, KMS ExpiredTokenException. */
const EXPIRED_CODES = ["ExpiredToken", "ExpiredTokenException"];

const CREDENTIAL_CODES = [
  "InvalidClientTokenId",
  "SignatureDoesNotMatch",
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "IncompleteSignature",
  "MissingAuthenticationToken",
];

/**
 * Quotas a step can meet, by the SDK's name (the shape) and the wire code: the user frees one or asks for more.
 * The shared-snapshot quota (20 accounts) has its own fix.
 */
const QUOTAS: { codes: string[]; what: string }[] = [
  { codes: ["SnapshotQuotaExceededFault", "SnapshotQuotaExceeded"], what: "manual DB cluster snapshots" },
  { codes: ["DBClusterQuotaExceededFault"], what: "DB clusters" },
  { codes: ["InstanceQuotaExceededFault", "InstanceQuotaExceeded"], what: "DB instances" },
];
const SHARED_SNAPSHOT_QUOTA = ["SharedSnapshotQuotaExceededFault", "SharedSnapshotQuotaExceeded"];
/** The way out of the shared-snapshot quota; plan gives it too, before AWS would refuse. */
export const SHARED_SNAPSHOT_QUOTA_FIX =
  "stop sharing it with an account that no longer needs it (ModifyDBClusterSnapshotAttribute ValuesToRemove), or give --source-cluster so that apply shares a snapshot of its own";

/**
 * Turns an error from one side's AWS into a MigrateError when the user can fix it: missing or expired credentials
 * (naming the profile, when one was given), an endpoint that can't be reached, missing permissions, a key the
 * target can't use (R10), a quota. Others are returned unchanged.
 */
export function explainError(
  error: unknown,
  side: "source" | "target",
  where: { endpoint?: string; profile?: string } = {},
): unknown {
  const { endpoint, profile } = where;
  const flag = `--${side}-profile or --${side}-access-key-id/--${side}-secret-access-key`;
  const message = (error as Error)?.message ?? String(error);
  const code = awsErrorCode(error);
  if (error instanceof MigrateError) return error;
  if (
    (error as Error)?.name === "CredentialsProviderError" ||
    /Could not load credentials|profile .* could not be found/i.test(message)
  ) {
    return new MigrateError(
      `no credentials for the ${side} account${profile ? ` (profile ${profile})` : ""}: ${message}`,
      profile
        ? `check that the profile ${profile} is in ~/.aws/credentials or ~/.aws/config (AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE), or give --${side}-access-key-id/--${side}-secret-access-key`
        : `give ${flag}, or set up the default credential chain`,
      EXIT.blocked,
      { cause: error },
    );
  }
  if (code && EXPIRED_CODES.includes(code)) {
    return new MigrateError(
      `the ${side} account's credentials have expired: ${code}: ${message}`,
      `get fresh credentials for ${flag} (for example \`aws sso login\`, or a new session token), then run the same command again: it resumes`,
      EXIT.blocked,
      { cause: error },
    );
  }
  if (code && CREDENTIAL_CODES.includes(code)) {
    return new MigrateError(
      `the ${side} account refused the credentials: ${code}: ${message}`,
      `check ${flag} (and the region${endpoint ? " and --endpoint-url" : ""})`,
      EXIT.blocked,
      { cause: error },
    );
  }
  const network = (error as { code?: string })?.code;
  if (network && ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ECONNRESET", "ETIMEDOUT"].includes(network)) {
    return new MigrateError(
      `can't reach the ${side} endpoint${endpoint ? ` ${endpoint}` : ""} (${network})`,
      endpoint ? "start the local AWS (`trident serve`) or fix --endpoint-url" : "check the network and the region",
      EXIT.blocked,
      { cause: error },
    );
  }
  if (code === "AccessDenied" || code === "AccessDeniedException") {
    return new MigrateError(
      `the ${side} account denied a call: ${message}`,
      "run `trident migrate plan` with the same options: it lists every permission the caller misses and the policy to attach (docs/migrate-permissions.md)",
      EXIT.blocked,
      { cause: error },
    );
  }
  if (code === "KMSKeyNotAccessibleFault") {
    return new MigrateError(
      `${message} (${code})`,
      side === "target"
        ? "the source key's policy must allow the target account (R10) and the target caller's IAM policy must allow the same actions on that key ARN; check --target-kms-key too (R9)"
        : "check that the key is enabled and that its policy lets this caller use it",
      EXIT.blocked,
      { cause: error },
    );
  }
  if (code && SHARED_SNAPSHOT_QUOTA.includes(code)) {
    return new MigrateError(
      `${message} (${code}): a snapshot may be shared with at most 20 accounts`,
      SHARED_SNAPSHOT_QUOTA_FIX,
      EXIT.blocked,
      { cause: error },
    );
  }
  const quota = QUOTAS.find((entry) => code !== undefined && entry.codes.includes(code));
  if (quota) {
    return new MigrateError(
      `the ${side} account is at its quota of ${quota.what}: ${code}: ${message}`,
      `delete ${quota.what} the ${side} account no longer needs, or ask AWS for a higher quota (Service Quotas, Amazon Neptune); then run apply again: it resumes`,
      EXIT.blocked,
      { cause: error },
    );
  }
  return error;
}
