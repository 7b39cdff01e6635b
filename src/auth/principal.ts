import type { PolicyDocument } from "../policy/types.js";

/**
 * Who is calling, as established by SigV4 (or relaxed auth). Everything below the auth stage reads identity
 * from here and nowhere else.
 */
export interface Principal {
  /** The account the principal belongs to. */
  accountId: string;
  /** `arn:aws:iam::A:user/NAME`, `arn:aws:sts::A:assumed-role/ROLE/SESSION` or `arn:aws:iam::A:root`. */
  arn: string;
  /** `AIDA…` for users, `AROA…:SESSION` for assumed roles, the account id for root. */
  userId: string;
  kind: "root" | "user" | "assumed-role";
  /** For an assumed-role session: the role's IAM ARN (`arn:aws:iam::A:role/PATH/NAME`), which policies name. */
  roleArn?: string;
  /**
   * Identity-based policies attached to the user or role. `undefined` means full access (the documented default
   * for configured identities without a policy); an empty list means no permission at all.
   */
  identityPolicies?: PolicyDocument[];
  /**
   * The user's or role's permissions boundary: the most its identity policies can grant [IAM: permissions
   * boundaries]. Read from IAM's state at each request, like `identityPolicies`.
   */
  permissionsBoundary?: PolicyDocument;
  /** Signed with temporary (STS) credentials rather than a long-term access key. */
  temporary?: boolean;
  /** An inline session policy given to AssumeRole; it can only narrow the role's permissions. */
  sessionPolicy?: PolicyDocument;
}
