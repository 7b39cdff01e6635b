import type { TridentConfig } from "../../src/config/config.js";
import { A, B } from "../helpers/harness.js";
import { denyKeysOfA, identityPolicy, KEY_USE_ACTIONS, KEYS_OF_A, seedConfig } from "../helpers/seed.js";

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

export const KMS_CONFIG: TridentConfig = seedConfig({
  [A]: [
    {
      name: "reader",
      ...USERS.aReader,
      policy: identityPolicy({ Effect: "Allow", Action: ["kms:Describe*", "kms:List*"], Resource: "*" }),
    },
    { name: "nobody", ...USERS.aNobody, policy: identityPolicy({ Effect: "Deny", Action: "s3:*", Resource: "*" }) },
  ],
  [B]: [
    { name: "denied", ...USERS.bDenied, policy: denyKeysOfA("kms:*") },
    {
      name: "key-user",
      ...USERS.bKeyUser,
      policy: identityPolicy({ Effect: "Allow", Action: KEY_USE_ACTIONS, Resource: KEYS_OF_A }),
    },
  ],
});
