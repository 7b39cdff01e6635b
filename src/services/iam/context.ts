import { nameKey, type IamState } from "../../domain/iam/state.js";
import type { EntityKind } from "../../domain/iam/records.js";
import { HOLDERS } from "../../domain/iam/holders.js";
import type { RequestContext } from "../service.js";
import { authorizeIam } from "./authorize.js";

/** What every IAM handler starts with: IAM's state (seeded) and the caller's account. */
export function iamOf(ctx: RequestContext): { iam: IamState; accountId: string } {
  return { iam: ctx.emulator.identities.seeded(), accountId: ctx.principal.accountId };
}

/**
 * Authorizes `iam:<operation>` on a user, group or role of the caller's account: its ARN when it exists (with its
 * path), else the ARN it would have at path `/` (AWS authorizes before it looks the entity up), then hands back
 * IAM's state.
 */
export function authorizeOn(
  ctx: RequestContext,
  operation: string,
  kind: EntityKind,
  name: string,
): { iam: IamState; accountId: string } {
  const { iam, accountId } = iamOf(ctx);
  const existing = HOLDERS[kind].table(iam, accountId).peek(nameKey(name));
  authorizeIam(ctx, operation, existing?.Arn ?? `arn:aws:iam::${accountId}:${kind}/${name}`);
  return { iam, accountId };
}

/** Authorizes `iam:<operation>` on `resource` (an ARN, or `*` for account-wide lists), then hands back IAM's state. */
export function authorizeFor(ctx: RequestContext, operation: string, resource: string) {
  authorizeIam(ctx, operation, resource);
  return iamOf(ctx);
}
