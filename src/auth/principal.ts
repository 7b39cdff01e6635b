import type { PolicyDocument } from "../policy/types.js";

/**
 * Who is calling, as established by SigV4 (or relaxed auth). Everything below the auth stage reads identity
 * from here and nowhere else.
 */
export interface Principal {
  /** The account the principal belongs to. */
  accountId: string;
  /**
   * `arn:aws:iam::A:user/NAME`, `arn:aws:sts::A:assumed-role/ROLE/SESSION`, `arn:aws:sts::A:federated-user/NAME`
   * or `arn:aws:iam::A:root`.
   */
  arn: string;
  /** `AIDA…` for users, `AROA…:SESSION` for assumed roles, `A:NAME` for federated users, the account id for root. */
  userId: string;
  /** `anonymous`: the caller of an operation that takes no credentials (AssumeRoleWithWebIdentity). */
  kind: "root" | "user" | "assumed-role" | "federated-user" | "anonymous";
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
  /**
   * For a federated user (GetFederationToken): the IAM user, or the account root, that federated it; the session
   * may do what that identity's policies allow, narrowed by its session policy.
   */
  federatedBy?: string;
  /** Signed with temporary (STS) credentials rather than a long-term access key. */
  temporary?: boolean;
  /** The session policies given to AssumeRole… or GetFederationToken; they can only narrow the session's permissions. */
  sessionPolicy?: PolicyDocument;
}
