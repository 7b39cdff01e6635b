import type { TridentConfig } from "../config/config.js";
import { recordKeyUse } from "../domain/iam/access-keys.js";
import { parsedPolicy } from "../domain/iam/documents.js";
import { rolePolicies, userPolicies } from "../domain/iam/effective.js";
import { configFingerprint, ensureSeeded } from "../domain/iam/seed.js";
import { IamState, nameKey, parseIamArn } from "../domain/iam/state.js";
import type { PolicyDocument } from "../policy/types.js";
import type { Clock } from "../state/clock.js";
import { MemoryStore, type Store, type Table } from "../state/store.js";
import { DerivedCache } from "./derived-cache.js";
import { ExpiryQueue } from "./expiry-queue.js";
import { randomId, randomSecret } from "./ids.js";
import type { Principal } from "./principal.js";

/** A role as STS needs it to decide AssumeRole: its trust policy is read from IAM's state at that moment. */
export interface Role {
  accountId: string;
  name: string;
  arn: string;
  uniqueId: string;
  trustPolicy: PolicyDocument;
  maxSessionDuration: number;
}

export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

/**
 * STS's temporary credentials are state, not configuration: they live in the store (one global scope, as STS
 * credentials work in every region), so a durable store keeps them across restarts.
 *
 * Expired ones are kept for a while, so that using one answers ExpiredToken rather than InvalidClientTokenId.
 * *Decided*: for 24 hours after expiry (a client that cached credentials overnight is told why they stopped
 * working), and while more than 100,000 are held, expired ones go first, earliest first, so that issuing
 * credentials in a loop cannot grow memory without bound. Unexpired credentials are never dropped. Pruning is
 * amortized: each issue removes what has passed its time, earliest first (expiry-queue.ts); a lookup of one
 * past its time removes it too. Nothing scans all credentials per request.
 */
const TEMPORARY_CREDENTIALS_TABLE = "sts.temporaryCredentials";
const GLOBAL_SCOPE = "aws-global";
export const EXPIRED_CREDENTIALS_KEPT_MS = 24 * 60 * 60 * 1000;
export const MAX_TEMPORARY_CREDENTIALS = 100_000;

interface TemporaryCredentialsRecord {
  accessKeyId: string;
  secretAccessKey: string;
  principal: Principal;
  sessionToken: string;
  expiration: number;
}

/** What an access key id resolves to. */
export interface KeyOwner {
  secretAccessKey: string;
  principal: Principal;
  /** Temporary credentials only: the token the request must carry, and when it stops working. */
  sessionToken?: string;
  expiration?: Date;
}

/**
 * Who owns an access key, and what a principal may do: a view over IAM's state (src/domain/iam), which the IAM API
 * changes and the configuration seeds, plus the temporary credentials that STS hands out. A principal's policies
 * are read at each request, never copied into credentials: a policy changed after a session began applies to the
 * session's next call.
 */
export class IdentityRegistry {
  readonly iam: IamState;
  readonly #configAccounts: Set<string>;
  readonly #temporary: Table<TemporaryCredentialsRecord>;
  /** The temporary credentials by when they are dropped: `expiration` + the retention window. */
  readonly #dropOrder = new ExpiryQueue();
  readonly #config: TridentConfig;
  readonly #fingerprint: string;
  /** The seed marker's table, and its generation when the seed was last found in place (see seeded()). */
  readonly #seedTable: Table<unknown>;
  #seededAt = NaN;
  /**
   * Access keys resolved, by id: a key's owner and policies are read from several tables and parsed documents; they
   * are rebuilt only when one of those tables changed (derived-cache.ts), so a changed policy applies at once.
   */
  readonly #owners = new DerivedCache<ResolvedKey>(RESOLVED_KEYS_KEPT);

  constructor(
    config: TridentConfig,
    private readonly clock: Clock,
    store: Store = new MemoryStore(),
    /** How many temporary credentials may be held before expired ones go early (tests lower it). */
    private readonly maxTemporaryCredentials = MAX_TEMPORARY_CREDENTIALS,
  ) {
    this.iam = new IamState(store, clock);
    this.#config = config;
    this.#fingerprint = configFingerprint(config);
    this.#configAccounts = new Set(Object.keys(config.accounts));
    this.#temporary = store.table(TEMPORARY_CREDENTIALS_TABLE, GLOBAL_SCOPE, GLOBAL_SCOPE);
    this.#seedTable = this.iam.seedMarker();
    // Once at start: a durable store may hold credentials from a previous run.
    for (const record of this.#temporary.values()) this.#dropOrder.push(record.accessKeyId, dropTime(record));
    this.seeded();
  }

  /** IAM's state, seeded from the configuration if it is not (at start, and after a reset cleared it). */
  seeded(): IamState {
    // Asked at every request: the marker is looked at again only when its table changed (a reset, an import).
    if (this.#seedTable.generation !== this.#seededAt) {
      ensureSeeded(this.iam, this.#config, this.#fingerprint);
      this.#seededAt = this.#seedTable.generation;
    }
    return this.iam;
  }

  accounts(): string[] {
    return [...this.#configAccounts];
  }

  isKnownAccount(accountId: string): boolean {
    return this.#configAccounts.has(accountId) || this.seeded().hasIdentities(accountId);
  }

  /**
   * Whether IAM or STS issued this key, usable or not (an inactive key, expired credentials still held). Relaxed
   * auth maps only keys nobody issued to an account's root: one that was issued and no longer works stays refused.
   */
  wasIssued(accessKeyId: string): boolean {
    return this.seeded().accessKeys().peek(accessKeyId) !== undefined || this.#temporary.get(accessKeyId) !== undefined;
  }

  resolveAccessKey(accessKeyId: string): KeyOwner | undefined {
    const iam = this.seeded();
    const resolved = this.#owners.get(accessKeyId) ?? this.#resolve(iam, accessKeyId);
    if (resolved.owner === undefined) return undefined;
    // Past its retention it is unknown; the row itself goes when credentials are next issued (a lookup is part of
    // a request that is then refused, and a refused request changes nothing).
    if (resolved.dropTime !== undefined && resolved.dropTime <= this.clock.now().getTime()) return undefined;
    return resolved.owner;
  }

  /** What an access key id resolves to now, kept with the tables it was read from. */
  #resolve(iam: IamState, accessKeyId: string): ResolvedKey {
    const keys = iam.accessKeys();
    const key = keys.peek(accessKeyId);
    if (key) {
      const readFrom = [keys, ...this.#policyTables(key.accountId)];
      // An inactive key is refused as an unknown one: InvalidClientTokenId, "The security token included in the
      // request is invalid." [IAM User Guide, managing access keys: "Inactive … cannot be used"].
      if (key.Status !== "Active") return this.#owners.set(accessKeyId, {}, readFrom);
      const user = iam.users(key.accountId).peek(nameKey(key.UserName));
      if (!user) return this.#owners.set(accessKeyId, {}, readFrom);
      const principal: Principal = {
        accountId: key.accountId,
        arn: user.Arn,
        userId: user.UserId,
        kind: "user",
        ...userPolicies(iam, key.accountId, user),
      };
      const owner = { secretAccessKey: key.SecretAccessKey, principal: frozen(principal) };
      return this.#owners.set(accessKeyId, { owner: Object.freeze(owner) }, readFrom);
    }
    const temporary = this.#temporary.peek(accessKeyId);
    if (temporary === undefined) return this.#owners.set(accessKeyId, {}, [keys, this.#temporary]);
    const { secretAccessKey, principal, sessionToken, expiration } = temporary;
    const arn = sessionIdentityArn(principal);
    const parsed = arn === undefined ? undefined : parseIamArn(arn);
    const owner: KeyOwner = {
      secretAccessKey,
      principal: frozen({ ...principal, ...this.#currentPolicies(principal) }),
      sessionToken,
      expiration: new Date(expiration),
    };
    const readFrom = [keys, this.#temporary, ...(parsed ? this.#policyTables(parsed.accountId) : [])];
    return this.#owners.set(accessKeyId, { owner: Object.freeze(owner), dropTime: dropTime(temporary) }, readFrom);
  }

  /** The tables a principal's policies are read from in an account (effective.ts). */
  #policyTables(accountId: string): Table<unknown>[] {
    const iam = this.iam;
    return [iam.users(accountId), iam.groups(accountId), iam.roles(accountId), iam.policies(accountId)];
  }

  /**
   * A session's policies now: its role's (an assumed role), its user's (GetSessionToken) or its federating user's
   * (GetFederationToken). A role or user deleted since leaves the session allowed nothing; root has no policies to
   * read.
   */
  #currentPolicies(principal: Principal): Pick<Principal, "identityPolicies" | "permissionsBoundary"> {
    const iam = this.iam;
    const arn = sessionIdentityArn(principal);
    if (principal.kind === "root" || arn === `arn:aws:iam::${principal.accountId}:root`) return {};
    const parsed = arn === undefined ? undefined : parseIamArn(arn);
    if (parsed?.kind === "role") {
      const role = iam.roles(parsed.accountId).peek(nameKey(parsed.name));
      if (role && role.Arn === arn) return rolePolicies(iam, parsed.accountId, role);
    } else if (parsed?.kind === "user") {
      const user = iam.users(parsed.accountId).peek(nameKey(parsed.name));
      if (user && user.Arn === arn) return userPolicies(iam, parsed.accountId, user);
    }
    return { identityPolicies: [] };
  }

  /** Records a key's successful use (GetAccessKeyLastUsed); temporary keys are not IAM's. */
  recordKeyUse(accessKeyId: string, service: string, region: string, at?: number): void {
    recordKeyUse(this.iam, accessKeyId, service, region, at);
  }

  role(arn: string): Role | undefined {
    const parsed = parseIamArn(arn);
    if (parsed?.kind !== "role") return undefined;
    const role = this.seeded().roles(parsed.accountId).peek(nameKey(parsed.name));
    if (!role || role.Arn !== arn) return undefined;
    return {
      accountId: parsed.accountId,
      name: role.RoleName,
      arn: role.Arn,
      uniqueId: role.RoleId,
      trustPolicy: parsedPolicy(role.trustPolicy),
      maxSessionDuration: role.MaxSessionDuration,
    };
  }

  /**
   * Whether an IAM principal ARN names something that exists. Key policies naming a user or role that does not
   * exist are refused (K2); in accounts the emulator does not know, existence can't be judged, so it is allowed.
   */
  principalExists(arn: string): boolean {
    const match = /^arn:aws:(iam|sts)::(\d{12}):(user|role|assumed-role|root)(.*)$/.exec(arn);
    if (!match) return false;
    const [, , accountId, kind, rest] = match;
    if (!this.isKnownAccount(accountId!)) return true;
    const iam = this.iam;
    switch (kind) {
      case "root":
        return rest === "";
      case "user":
      case "role": {
        const parsed = parseIamArn(arn);
        const table = kind === "user" ? iam.users(accountId!) : iam.roles(accountId!);
        return parsed !== undefined && table.peek(nameKey(parsed.name))?.Arn === arn;
      }
      default: {
        const roleName = rest!.slice(1).split("/")[0]!;
        return iam.roles(accountId!).has(nameKey(roleName));
      }
    }
  }

  /** Issues `ASIA…` credentials for a principal, valid until the clock passes `expiration`. */
  issueTemporaryCredentials(principal: Principal, durationSeconds: number): TemporaryCredentials {
    const now = this.clock.now().getTime();
    this.#pruneTemporary(now);
    const credentials: TemporaryCredentials = {
      accessKeyId: randomId("ASIA", 16),
      secretAccessKey: randomSecret(),
      sessionToken: randomSecret() + randomSecret(),
      expiration: new Date(now + durationSeconds * 1000),
    };
    // Who the session is, without what it may do: that is read from IAM at each request (#currentPolicies).
    const identity: Principal = { ...principal };
    delete identity.identityPolicies;
    delete identity.permissionsBoundary;
    const record: TemporaryCredentialsRecord = {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      principal: { ...identity, temporary: true },
      sessionToken: credentials.sessionToken,
      expiration: credentials.expiration.getTime(),
    };
    this.#temporary.put(record.accessKeyId, record);
    this.#dropOrder.push(record.accessKeyId, dropTime(record));
    return credentials;
  }

  /**
   * Drops what is past its retention, then, while too many are held, expired ones still within it; both
   * earliest first. Cost: O(log n) per credential dropped.
   */
  #pruneTemporary(now: number): void {
    const queue = this.#dropOrder;
    for (let at = queue.peek(); at !== undefined; at = queue.peek()) {
      const pastRetention = at <= now;
      const expiredAndTooMany =
        at - EXPIRED_CREDENTIALS_KEPT_MS <= now && this.#temporary.size >= this.maxTemporaryCredentials;
      if (!pastRetention && !expiredAndTooMany) return;
      this.#temporary.delete(queue.pop()!);
    }
  }
}

/** The IAM identity whose policies a session has: its role, its federating user, or its user. */
function sessionIdentityArn(principal: Principal): string | undefined {
  return principal.kind === "assumed-role" ? principal.roleArn : (principal.federatedBy ?? principal.arn);
}

/**
 * A resolved principal is shared by every request signed with its key until its tables change: frozen, so that no
 * handler can change what the next request sees.
 */
function frozen(principal: Principal): Principal {
  if (principal.identityPolicies) Object.freeze(principal.identityPolicies);
  return Object.freeze(principal);
}

/** An access key id resolved: its owner (none: unknown, inactive, or its user gone), and a session's drop time. */
interface ResolvedKey {
  owner?: KeyOwner;
  dropTime?: number;
}

/** *Decided*: access keys resolved and kept at once; more start the cache again (a key costs a few µs to resolve). */
const RESOLVED_KEYS_KEPT = 10_000;

/** When a temporary credential is dropped: a day after it expires. */
function dropTime(record: TemporaryCredentialsRecord): number {
  return record.expiration + EXPIRED_CREDENTIALS_KEPT_MS;
}

/** The account root as a principal: used by relaxed auth, where a 12-digit access key id names the account. */
export function rootPrincipal(accountId: string): Principal {
  return { accountId, arn: `arn:aws:iam::${accountId}:root`, userId: accountId, kind: "root" };
}
