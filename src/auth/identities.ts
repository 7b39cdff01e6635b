import type { AccountConfig, TridentConfig } from "../config/config.js";
import { parsePolicyValue } from "../policy/index.js";
import type { PolicyDocument } from "../policy/types.js";
import type { Clock } from "../state/clock.js";
import { MemoryStore, type Store, type Table } from "../state/store.js";
import { ExpiryQueue } from "./expiry-queue.js";
import { randomId, randomSecret, stableUniqueId } from "./ids.js";
import type { Principal } from "./principal.js";

export interface Role {
  accountId: string;
  name: string;
  arn: string;
  uniqueId: string;
  trustPolicy: PolicyDocument;
  identityPolicies?: PolicyDocument[];
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

function iamPath(path: string | undefined): string {
  if (!path) return "/";
  return path.startsWith("/") && path.endsWith("/") ? path : `/${path.replace(/^\/|\/$/g, "")}/`;
}

/**
 * The IAM side of the emulator: configured users and roles per account, and the temporary credentials that STS
 * hands out. The single source of "who owns this access key".
 */
export class IdentityRegistry {
  readonly #keys = new Map<string, KeyOwner>();
  readonly #roles = new Map<string, Role>();
  readonly #users = new Set<string>();
  readonly #accounts = new Set<string>();
  readonly #temporary: Table<TemporaryCredentialsRecord>;
  /** The temporary credentials by when they are dropped: `expiration` + the retention window. */
  readonly #dropOrder = new ExpiryQueue();

  constructor(
    config: TridentConfig,
    private readonly clock: Clock,
    store: Store = new MemoryStore(),
    /** How many temporary credentials may be held before expired ones go early (tests lower it). */
    private readonly maxTemporaryCredentials = MAX_TEMPORARY_CREDENTIALS,
  ) {
    this.#temporary = store.table(TEMPORARY_CREDENTIALS_TABLE, GLOBAL_SCOPE, GLOBAL_SCOPE);
    // Once at start: a durable store may hold credentials from a previous run.
    for (const record of this.#temporary.values()) this.#dropOrder.push(record.accessKeyId, dropTime(record));
    for (const [accountId, account] of Object.entries(config.accounts)) this.#addAccount(accountId, account);
  }

  #addAccount(accountId: string, account: AccountConfig): void {
    this.#accounts.add(accountId);
    for (const user of account.users ?? []) {
      const arn = `arn:aws:iam::${accountId}:user${iamPath(user.path)}${user.name}`;
      this.#users.add(arn);
      this.#keys.set(user.accessKeyId, {
        secretAccessKey: user.secretAccessKey,
        principal: {
          accountId,
          arn,
          userId: stableUniqueId("AIDA", arn),
          kind: "user",
          identityPolicies: user.policy === undefined ? undefined : [parsePolicyValue(user.policy)],
        },
      });
    }
    for (const role of account.roles ?? []) {
      const arn = `arn:aws:iam::${accountId}:role${iamPath(role.path)}${role.name}`;
      this.#roles.set(arn, {
        accountId,
        name: role.name,
        arn,
        uniqueId: stableUniqueId("AROA", arn),
        trustPolicy: parsePolicyValue(role.trustPolicy),
        identityPolicies: role.policy === undefined ? undefined : [parsePolicyValue(role.policy)],
        maxSessionDuration: role.maxSessionDuration ?? 3600,
      });
    }
  }

  accounts(): string[] {
    return [...this.#accounts];
  }

  isKnownAccount(accountId: string): boolean {
    return this.#accounts.has(accountId);
  }

  resolveAccessKey(accessKeyId: string): KeyOwner | undefined {
    const configured = this.#keys.get(accessKeyId);
    if (configured) return configured;
    const temporary = this.#temporary.get(accessKeyId);
    if (temporary === undefined) return undefined;
    // Past its retention it is unknown; the row itself goes when credentials are next issued (a lookup is part of
    // a request that is then refused, and a refused request changes nothing).
    if (dropTime(temporary) <= this.clock.now().getTime()) return undefined;
    const { secretAccessKey, principal, sessionToken, expiration } = temporary;
    return { secretAccessKey, principal, sessionToken, expiration: new Date(expiration) };
  }

  role(arn: string): Role | undefined {
    return this.#roles.get(arn);
  }

  /**
   * Whether an IAM principal ARN names something that exists. Key policies naming a user or role that does not
   * exist are refused (K2); in accounts the emulator does not know, existence can't be judged, so it is allowed.
   */
  principalExists(arn: string): boolean {
    const match = /^arn:aws:(iam|sts)::(\d{12}):(user|role|assumed-role|root)(.*)$/.exec(arn);
    if (!match) return false;
    const [, , accountId, kind, rest] = match;
    if (!this.#accounts.has(accountId!)) return true;
    switch (kind) {
      case "root":
        return rest === "";
      case "user":
        return this.#users.has(arn);
      case "role":
        return this.#roles.has(arn);
      default: {
        const roleName = rest!.slice(1).split("/")[0];
        return [...this.#roles.values()].some((r) => r.accountId === accountId && r.name === roleName);
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
    const record: TemporaryCredentialsRecord = {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      principal: { ...principal, temporary: true },
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

/** When a temporary credential is dropped: a day after it expires. */
function dropTime(record: TemporaryCredentialsRecord): number {
  return record.expiration + EXPIRED_CREDENTIALS_KEPT_MS;
}

/** The account root as a principal: used by relaxed auth, where a 12-digit access key id names the account. */
export function rootPrincipal(accountId: string): Principal {
  return { accountId, arn: `arn:aws:iam::${accountId}:root`, userId: accountId, kind: "root" };
}
