import type { TridentConfig } from "../../src/config/config.js";
import { DEFAULT_CREDENTIALS } from "../../src/config/defaults.js";
import { A, B } from "../helpers/harness.js";

/** Identities beyond the two admins: users with identity policies, for the IAM half of KMS decisions. */
export const USERS = {
  /** A user of A whose IAM policy allows only kms:Describe* and kms:List*. */
  aReader: { accessKeyId: "AKIAAREADER000000001", secretAccessKey: "a-reader-secret" },
  /** A user of A with no IAM permission at all. */
  aNobody: { accessKeyId: "AKIAANOBODY000000001", secretAccessKey: "a-nobody-secret" },
  /** A user of B whose IAM policy allows kms:* but explicitly denies every key of A. */
  bDenied: { accessKeyId: "AKIABDENIED000000001", secretAccessKey: "b-denied-secret" },
  /** A user of B whose IAM policy allows only the six key-use actions on A's keys. */
  bKeyUser: { accessKeyId: "AKIABKEYUSER00000001", secretAccessKey: "b-key-user-secret" },
} as const;

export const KMS_CONFIG: TridentConfig = {
  accounts: {
    [A]: {
      users: [
        { name: "admin", ...DEFAULT_CREDENTIALS[A] },
        {
          name: "reader",
          ...USERS.aReader,
          policy: {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: ["kms:Describe*", "kms:List*"], Resource: "*" }],
          },
        },
        {
          name: "nobody",
          ...USERS.aNobody,
          policy: { Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "s3:*", Resource: "*" }] },
        },
      ],
      roles: [],
    },
    [B]: {
      users: [
        { name: "admin", ...DEFAULT_CREDENTIALS[B] },
        {
          name: "denied",
          ...USERS.bDenied,
          policy: {
            Version: "2012-10-17",
            Statement: [
              { Effect: "Allow", Action: "kms:*", Resource: "*" },
              { Effect: "Deny", Action: "kms:*", Resource: `arn:aws:kms:*:${A}:key/*` },
            ],
          },
        },
        {
          name: "key-user",
          ...USERS.bKeyUser,
          policy: {
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Action: [
                  "kms:Encrypt",
                  "kms:Decrypt",
                  "kms:ReEncrypt*",
                  "kms:GenerateDataKey*",
                  "kms:DescribeKey",
                  "kms:CreateGrant",
                ],
                Resource: `arn:aws:kms:*:${A}:key/*`,
              },
            ],
          },
        },
      ],
      roles: [],
    },
  },
};

/** A's full access (kept, so the lockout check passes: K1). */
export function ownerStatement(account = A) {
  return {
    Sid: "Enable IAM User Permissions",
    Effect: "Allow",
    Principal: { AWS: `arn:aws:iam::${account}:root` },
    Action: "kms:*",
    Resource: "*",
  };
}

/** The statements the seed gives B (R10), with B's account id as given (the seed prints it with 11 digits). */
export function externalStatements(external = B) {
  return [
    {
      Sid: "Allow use of the key",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${external}:root` },
      Action: [
        "kms:CreateGrant",
        "kms:Encrypt",
        "kms:Decrypt",
        "kms:ReEncrypt*",
        "kms:GenerateDataKey*",
        "kms:DescribeKey",
      ],
      Resource: "*",
    },
    {
      Sid: "Allow attachment of persistent resources",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${external}:root` },
      Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
      Resource: "*",
      Condition: { Bool: { "kms:GrantIsForAWSResource": true } },
    },
  ];
}

/** The seed's policy: A keeps kms:*, B gets the six key-use actions and the grant statement. */
export function seedPolicy(external = B): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Id: "key-consolepolicy-3",
    Statement: [ownerStatement(), ...externalStatements(external)],
  });
}

/** The AWS docs' sample, pasted as it is: only the external account's statements. */
export function docsSamplePolicy(): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: externalStatements() });
}

export function policyOf(...statements: object[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}
