import { randomUUID } from "node:crypto";

/**
 * Fast reset's tokens (ExecuteFastReset, reference §4.4): `initiateDatabaseReset` hands out a UUID that one
 * `performDatabaseReset` on the same cluster consumes. *Decided*: one pending token per cluster (a new one
 * replaces the last), valid for one hour of the emulator's clock (the docs say it expires without saying when),
 * used once. Tokens live in memory: a restart forgets them, as Neptune's instances restart on a reset anyway.
 */
export const FAST_RESET_TOKEN_TTL_MS = 60 * 60 * 1000;

export class FastResetTokens {
  readonly #pending = new Map<string, { token: string; expiresAt: number }>();

  issue(clusterResourceId: string, now: number): string {
    const token = randomUUID();
    this.#pending.set(clusterResourceId, { token, expiresAt: now + FAST_RESET_TOKEN_TTL_MS });
    return token;
  }

  /** Whether `token` is the cluster's pending token, still valid; a valid token is used up. */
  redeem(clusterResourceId: string, token: string, now: number): boolean {
    const pending = this.#pending.get(clusterResourceId);
    if (!pending || pending.token !== token || now >= pending.expiresAt) return false;
    this.#pending.delete(clusterResourceId);
    return true;
  }
}
