import { idBytes } from "../../util/random.js";
import type {
  CreateGrantRequest,
  CreateGrantResponse,
  GrantListEntry,
  GrantOperation,
  ListGrantsRequest,
  ListGrantsResponse,
  ListRetirableGrantsRequest,
  RetireGrantRequest,
  RevokeGrantRequest,
} from "../../generated/kms.js";
import { accessDeniedMessage, authorizeByIdentity, type AuthorizeResult } from "../../policy/index.js";
import { authorizeIdentityAction, authorizeKeyAction } from "./access.js";
import type { KmsCall, KmsEnv } from "./env.js";
import { accessDeniedException, kmsFault, KmsMessages, validationException } from "./errors.js";
import { SYMMETRIC_GRANT_OPERATIONS } from "./grant-operations.js";
import { accountRootArn, parseKeyArn } from "./identifiers.js";
import { requireEnabled } from "./key-states.js";
import { paginate, PAGE_LIMITS, timeOrderedKey } from "./pagination.js";
import { findKey, grantTable, liveKeys, type GrantRecord, type KeyRecord } from "./records.js";
import { resolveKey } from "./resolve.js";

/**
 * Grants [aws-behaviour §6.7; KMS-GRANTS]: they live with the key (in its owner's account and region), take
 * effect at once (so grant tokens are accepted and need not be waited for) and really authorize the grantee's
 * calls (access.ts reads them).
 */

/** The grant operations a symmetric encryption key supports [KMS-GRANTS]. */
const SYMMETRIC_OPERATIONS: ReadonlySet<GrantOperation> = new Set(SYMMETRIC_GRANT_OPERATIONS);

const PRINCIPAL_ARN =
  /^arn:aws:(?:iam::\d{12}:(?:root|user\/[\w+=,.@/-]+|role\/[\w+=,.@/-]+)|sts::\d{12}:(?:assumed-role|federated-user)\/[\w+=,.@/-]+)$/;
const SERVICE_PRINCIPAL = /^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.amazonaws\.com$/;
const GRANT_ID = /^[0-9a-f]{64}$/;

export function createGrant(call: KmsCall, input: CreateGrantRequest): CreateGrantResponse {
  checkGrantTokens(input.GrantTokens);
  const { key } = resolveKey(call, input.KeyId, "key");
  checkPrincipal("GranteePrincipal", input.GranteePrincipal);
  if (input.RetiringPrincipal !== undefined) checkPrincipal("RetiringPrincipal", input.RetiringPrincipal);
  const unsupported = input.Operations.filter((operation) => !SYMMETRIC_OPERATIONS.has(operation));
  if (unsupported.length > 0) {
    // *Decided* text; KMS answers a ValidationException here [aws-behaviour §6.7].
    throw validationException(
      `Grant operations [${unsupported.join(", ")}] are not valid for a symmetric encryption KMS key.`,
    );
  }
  authorizeKeyAction(call, key, {
    action: "kms:CreateGrant",
    context: {
      "kms:GrantOperations": input.Operations,
      "kms:GranteePrincipal": input.GranteePrincipal,
      "kms:RetiringPrincipal": input.RetiringPrincipal,
      "kms:GrantConstraintType": constraintTypes(input),
    },
    childGrant: { Operations: input.Operations, Constraints: input.Constraints },
  });
  requireEnabled(key);
  if (input.DryRun === true) throw kmsFault("DryRunOperationException", KmsMessages.dryRun);

  const grants = grantTable(call.env, key.AccountId, key.Region);
  // "if the grant already exists, the original GrantId is returned without creating a new grant" [M-KMS Name].
  const existing = input.Name === undefined ? undefined : grants.values().find((grant) => sameGrant(grant, key, input));
  if (existing) return { GrantId: existing.GrantId, GrantToken: grantToken(existing) };

  const grant: GrantRecord = {
    GrantId: idBytes("kms-grant", 32).toString("hex"),
    KeyId: key.KeyId,
    KeyArn: key.Arn,
    Name: input.Name,
    CreationDate: call.env.clock.now().getTime(),
    GranteePrincipal: input.GranteePrincipal,
    RetiringPrincipal: input.RetiringPrincipal,
    IssuingAccount: accountRootArn(call.principal.accountId),
    Operations: [...input.Operations],
    Constraints: input.Constraints,
  };
  grants.put(grant.GrantId, grant);
  return { GrantId: grant.GrantId, GrantToken: grantToken(grant) };
}

export function listGrants(call: KmsCall, input: ListGrantsRequest): ListGrantsResponse {
  const { key } = resolveKey(call, input.KeyId, "key");
  authorizeKeyAction(call, key, { action: "kms:ListGrants" });
  const grants = grantsOf(call, key).filter(
    (grant) =>
      (input.GrantId === undefined || grant.GrantId === input.GrantId) &&
      (input.GranteePrincipal === undefined || grant.GranteePrincipal === input.GranteePrincipal),
  );
  const page = paginate(grants, grantSortKey, input, PAGE_LIMITS.ListGrants, key.Arn);
  return { Grants: page.items.map(grantEntry), NextMarker: page.NextMarker, Truncated: page.Truncated };
}

/** The grants of the caller's (account, region) that name this retiring principal [M-KMS ListRetirableGrants]. */
export function listRetirableGrants(call: KmsCall, input: ListRetirableGrantsRequest): ListGrantsResponse {
  authorizeIdentityAction(call, "kms:ListRetirableGrants");
  const { accountId } = call.principal;
  const live = new Set(liveKeys(call.env, accountId, call.region).map((key) => key.KeyId));
  const grants = grantTable(call.env, accountId, call.region)
    .values()
    .filter((grant) => live.has(grant.KeyId) && grant.RetiringPrincipal === input.RetiringPrincipal);
  const page = paginate(grants, grantSortKey, input, PAGE_LIMITS.ListRetirableGrants, `${accountId}:${call.region}`);
  return { Grants: page.items.map(grantEntry), NextMarker: page.NextMarker, Truncated: page.Truncated };
}

/** RevokeGrant: kms:RevokeGrant by the key policy (and IAM); works across accounts by key ARN [KMS-XACCT]. */
export function revokeGrant(call: KmsCall, input: RevokeGrantRequest): void {
  const { key } = resolveKey(call, input.KeyId, "key");
  authorizeKeyAction(call, key, { action: "kms:RevokeGrant" });
  const grant = grantOf(call, key, input.GrantId);
  if (input.DryRun === true) throw kmsFault("DryRunOperationException", KmsMessages.dryRun);
  grantTable(call.env, key.AccountId, key.Region).delete(grant.GrantId);
}

/**
 * RetireGrant, by grant token or by KeyId + GrantId. The grant, not the key policy, decides who may retire it
 * ("The kms:RetireGrant permission is not effective in a key policy") [M-KMS RetireGrant; KMS developer guide,
 * "Retiring and revoking grants"]: its retiring principal, and its grantee when it includes RetireGrant, need no
 * permission; the account that created the grant or owns the key, and an account the grant names that way, can
 * delegate retiring through IAM (kms:RetireGrant in the caller's identity policy).
 */
export function retireGrant(call: KmsCall, input: RetireGrantRequest): void {
  const { key, grantId } = grantTarget(call, input);
  const grant = grantOf(call, key, grantId);
  requireMayRetire(call, key, grant);
  if (input.DryRun === true) throw kmsFault("DryRunOperationException", KmsMessages.dryRun);
  grantTable(call.env, key.AccountId, key.Region).delete(grant.GrantId);
}

function requireMayRetire(call: KmsCall, key: KeyRecord, grant: GrantRecord): void {
  const { principal } = call;
  const retirers = [
    grant.RetiringPrincipal,
    grant.Operations.includes("RetireGrant") ? grant.GranteePrincipal : undefined,
  ];
  const context = { "kms:CallerAccount": principal.accountId };
  const identity = authorizeByIdentity(principal, "kms:RetireGrant", key.Arn, context);
  const refuse = (result: Exclude<AuthorizeResult, { allowed: true }>): never => {
    throw accessDeniedException(accessDeniedMessage(principal, "kms:RetireGrant", key.Arn, result));
  };
  // An explicit Deny in the caller's own policies stops even a principal the grant names.
  if (!identity.allowed && identity.reason === "explicit-deny") refuse(identity);
  if (retirers.some((name) => name !== undefined && (name === principal.arn || name === principal.roleArn))) return;
  const account = accountRootArn(principal.accountId);
  const delegates = [...retirers, grant.IssuingAccount, accountRootArn(key.AccountId)].includes(account);
  if (!delegates) refuse({ allowed: false, reason: "no-resource-policy-allows" });
  if (!identity.allowed) refuse(identity);
}

/** Removes a grant without asking (a service retiring the grant it created for its own work). */
export function deleteGrant(env: KmsEnv, keyArn: string, grantId: string): void {
  const parsed = parseKeyArn(keyArn);
  if (!parsed) return;
  const grants = grantTable(env, parsed.accountId, parsed.region);
  if (grants.get(grantId)?.KeyArn === keyArn) grants.delete(grantId);
}

/**
 * Grant tokens are accepted wherever KMS takes them and need no waiting (grants are consistent at once here), but
 * a token that is not one KMS issued is refused [M-KMS InvalidGrantTokenException].
 */
export function checkGrantTokens(tokens: string[] | undefined): void {
  for (const token of tokens ?? []) {
    if (!decodeGrantToken(token)) throw kmsFault("InvalidGrantTokenException", "The grant token is not valid.");
  }
}

// ── helpers ──────────────────────────────────────────────────────────────────────────────────────────────────

/** A principal a grant can name: an account, user, role or role session ARN, or an AWS service principal. */
function checkPrincipal(member: string, value: string): void {
  if (!PRINCIPAL_ARN.test(value) && !SERVICE_PRINCIPAL.test(value)) {
    throw kmsFault("InvalidArnException", `${member} ${value} is not a valid principal ARN or service principal.`);
  }
}

function constraintTypes(input: CreateGrantRequest): string[] | undefined {
  const types = Object.keys(input.Constraints ?? {}).filter((type) => type.startsWith("EncryptionContext"));
  return types.length > 0 ? types : undefined;
}

function sameGrant(grant: GrantRecord, key: KeyRecord, input: CreateGrantRequest): boolean {
  const sorted = (operations: string[]) => [...operations].sort().join(",");
  return (
    grant.Name === input.Name &&
    grant.KeyId === key.KeyId &&
    grant.GranteePrincipal === input.GranteePrincipal &&
    grant.RetiringPrincipal === input.RetiringPrincipal &&
    sorted(grant.Operations) === sorted(input.Operations) &&
    canonical(grant.Constraints) === canonical(input.Constraints)
  );
}

function canonical(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value !== "object") return JSON.stringify(value);
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
}

function grantsOf(call: KmsCall, key: KeyRecord): GrantRecord[] {
  return grantTable(call.env, key.AccountId, key.Region)
    .values()
    .filter((grant) => grant.KeyId === key.KeyId);
}

function grantSortKey(grant: GrantRecord): string {
  return timeOrderedKey(grant.CreationDate, grant.GrantId);
}

/** *Decided* texts: a GrantId that can't be one is InvalidGrantIdException, one that isn't there NotFoundException. */
function grantOf(call: KmsCall, key: KeyRecord, grantId: string): GrantRecord {
  if (!GRANT_ID.test(grantId)) throw kmsFault("InvalidGrantIdException", `Invalid grant ID ${grantId}`);
  const grant = grantTable(call.env, key.AccountId, key.Region).get(grantId);
  if (!grant || grant.KeyId !== key.KeyId)
    throw kmsFault("NotFoundException", `Grant ID ${grantId} not found for key ${key.Arn}`);
  return grant;
}

function grantTarget(call: KmsCall, input: RetireGrantRequest): { key: KeyRecord; grantId: string } {
  if (input.GrantToken !== undefined) {
    const token = decodeGrantToken(input.GrantToken);
    if (!token) throw kmsFault("InvalidGrantTokenException", "The grant token is not valid.");
    const parsed = parseKeyArn(token.keyArn);
    const key = parsed && findKey(call.env, parsed.accountId, parsed.region, parsed.keyId);
    if (!key) throw kmsFault("NotFoundException", KmsMessages.keyNotFound(token.keyArn));
    return { key, grantId: token.grantId };
  }
  if (input.KeyId === undefined || input.GrantId === undefined) {
    throw validationException("RetireGrant needs either GrantToken, or both KeyId and GrantId.");
  }
  return { key: resolveKey(call, input.KeyId, "key").key, grantId: input.GrantId };
}

function grantEntry(grant: GrantRecord): GrantListEntry {
  return {
    KeyId: grant.KeyArn,
    GrantId: grant.GrantId,
    Name: grant.Name,
    CreationDate: new Date(grant.CreationDate),
    GranteePrincipal: grant.GranteePrincipal,
    RetiringPrincipal: grant.RetiringPrincipal,
    IssuingAccount: grant.IssuingAccount,
    Operations: grant.Operations,
    Constraints: grant.Constraints,
  };
}

/** Tokens name their grant (base64 JSON), with a nonce so that every CreateGrant returns a new one, as AWS's do. */
function grantToken(grant: GrantRecord): string {
  const payload = { v: 1, k: grant.KeyArn, g: grant.GrantId, n: idBytes("kms-grant-token", 16).toString("hex") };
  return Buffer.from(JSON.stringify(payload), "utf8").toString("base64");
}

function decodeGrantToken(token: string): { keyArn: string; grantId: string } | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token, "base64").toString("utf8")) as {
      v?: unknown;
      k?: unknown;
      g?: unknown;
    };
    if (payload.v !== 1 || typeof payload.k !== "string" || typeof payload.g !== "string") return undefined;
    return { keyArn: payload.k, grantId: payload.g };
  } catch {
    return undefined;
  }
}
