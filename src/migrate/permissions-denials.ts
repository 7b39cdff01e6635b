import type { Side } from "./types.js";
import type { Need } from "./permissions-table.js";

/**
 * Access denials met while discovering. A denied read is not the end of plan: what depends on it becomes
 * unknown, the denial is recorded with the action it refused (parsed from AWS's message, or known from the call
 * made) and plan goes on, so one run names every missing permission.
 */

/** Codes AWS uses for "your policies don't allow this": RDS/STS AccessDenied, KMS AccessDeniedException, EC2's. */
const DENIAL_CODES = ["AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError"];

export function isDenialCode(code: string | undefined): boolean {
  return code !== undefined && DENIAL_CODES.includes(code);
}

/**
 * A denial the caller's own IAM policy can lift: not one a resource policy decided ("… because no resource-based
 * policy allows …", "… with an explicit deny in a resource-based policy": AWS's and the emulator's words), such
 * as another account's key policy. Those stay the findings of the resource (R9, R10), not the caller's gaps.
 */
export function isCallersDenial(error: { code: string; message: string }): boolean {
  return isDenialCode(error.code) && !/resource-based policy/.test(error.message);
}

/** The SDK v3 error's code (its name) when it is a denial. */
export function isAccessDenied(error: unknown): boolean {
  const metadata = error && typeof error === "object" && "$metadata" in error;
  return metadata === true && isDenialCode((error as { name?: string }).name);
}

/** A denial as the report keeps it: the action and resource refused, and AWS's words. */
export interface Denial extends Need {
  message: string;
}

/**
 * AWS's denial messages name the action and, when it has one, the resource: "User: ARN is not authorized to
 * perform: kms:DescribeKey on resource: ARN because no identity-based policy allows …" (RDS, KMS, STS alike).
 * Not every message does (some services say only "Access Denied"): then the call made tells.
 */
const DENIAL_MESSAGE = /not authorized to perform: ([a-z0-9-]+:[A-Za-z0-9*]+)(?: on resource: ([^\s]+))?/;

export function denialOf(side: Side, error: { message: string }, known: { action: string; resource: string }): Denial {
  const parsed = DENIAL_MESSAGE.exec(error.message);
  return {
    side,
    action: parsed?.[1] ?? known.action,
    resource: parsed?.[2] ?? known.resource,
    message: error.message,
  };
}

/** Runs one read of discovery; a denial is recorded and answered with `unknown`, anything else is thrown. */
export type Tolerate = <T>(
  known: { action: string; resource: string },
  call: () => Promise<T>,
  unknown: T,
) => Promise<T>;

/** For reads outside discovery (apply's steps): a denial stays an error. */
export const intolerant: Tolerate = (_known, call) => call();

export class DenialLog {
  readonly denials: Denial[] = [];

  /** The Tolerate of one side. */
  side(side: Side): Tolerate {
    return async (known, call, unknown) => {
      try {
        return await call();
      } catch (error) {
        if (!isAccessDenied(error)) throw error;
        this.note(side, { code: (error as Error).name, message: (error as Error).message }, known);
        return unknown;
      }
    };
  }

  /** A denial discovery kept as a fact (a key's Error): recorded too. */
  note(side: Side, error: { code: string; message: string } | undefined, known: { action: string; resource: string }) {
    if (error && isCallersDenial(error)) this.denials.push(denialOf(side, error, known));
  }
}
