import { randomBytes } from "node:crypto";
import type { Principal } from "../../auth/principal.js";
import type { ConditionContext } from "../../policy/types.js";
import { seal, SealError, unseal } from "../../state/sealing.js";

/**
 * Encoded authorization messages: the details of a refusal, sealed so that only DecodeAuthorizationMessage (and
 * the permission it needs) reveals them [STS API Reference: DecodeAuthorizationMessage].
 *
 * *Decided*: no Trident error carries one. In AWS, EC2 and a few other services put an encoded message in their
 * UnauthorizedOperation errors; Neptune's control plane, KMS, STS and IAM answer AccessDenied with a plain message,
 * and Trident answers as they do. The encoder is here for a service that would, and so a message can be decoded
 * end to end. Messages are sealed (AES-256-GCM) under a key made when the server starts, bound to the account of
 * the refused caller: they decode on the server that made them, until it restarts, and only in that account.
 */
export interface AuthorizationDetails {
  allowed: boolean;
  explicitDeny: boolean;
  principal: Principal;
  action: string;
  resource: string;
  context: ConditionContext;
}

export class AuthorizationMessages {
  readonly #key = randomBytes(32);

  encode(details: AuthorizationDetails): string {
    const { principal } = details;
    // The shape AWS's decoded messages have [STS API Reference: DecodeAuthorizationMessage; real decoded messages].
    const decoded = {
      allowed: details.allowed,
      explicitDeny: details.explicitDeny,
      matchedStatements: { items: [] },
      failures: { items: [] },
      context: {
        principal: { id: principal.userId, name: principalName(principal), arn: principal.arn },
        action: details.action,
        resource: details.resource,
        conditions: {
          items: Object.entries(details.context)
            .filter(([, value]) => value !== undefined)
            .map(([key, value]) => ({
              key,
              values: { items: (Array.isArray(value) ? value : [value]).map((item) => ({ value: String(item) })) },
            })),
        },
      },
    };
    return seal(this.#key, principal.accountId, Buffer.from(JSON.stringify(decoded), "utf8")).toString("base64url");
  }

  /** The JSON an encoded message holds, or undefined when it is not one this server made for `accountId`. */
  decode(accountId: string, encoded: string): string | undefined {
    try {
      return unseal(this.#key, accountId, Buffer.from(encoded, "base64url")).toString("utf8");
    } catch (error) {
      if (error instanceof SealError) return undefined;
      throw error;
    }
  }
}

/** The last part of the principal's ARN (user name, session name, federated user name), or the account for root. */
function principalName(principal: Principal): string {
  return principal.kind === "root" ? principal.accountId : principal.arn.slice(principal.arn.lastIndexOf("/") + 1);
}
