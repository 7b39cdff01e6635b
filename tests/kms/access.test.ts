import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { IdentityRegistry } from "../../src/auth/identities.js";
import type { Principal } from "../../src/auth/principal.js";
import { defaultConfig } from "../../src/config/defaults.js";
import { decideKeyAction, type KeyAction } from "../../src/domain/kms/access.js";
import type { KmsCall, ViaService } from "../../src/domain/kms/env.js";
import { parsePolicyValue, type AuthorizeResult } from "../../src/policy/index.js";
import { ManualClock } from "../../src/state/clock.js";
import { MemoryStore } from "../../src/state/store.js";

/**
 * Table-driven: the KMS request context (kms:CallerAccount, kms:ViaService, kms:GrantIsForAWSResource,
 * kms:EncryptionContext:*, kms:GrantOperations, aws:PrincipalArn …) evaluated by the policy engine against a key
 * policy, with the caller's IAM policies, the way every KMS call is decided.
 */
const A = "111111111111";
const B = "222222222222";
const REGION = "us-east-1";
const KEY = { KeyId: "1234abcd-12ab-34cd-56ef-1234567890ab", AccountId: A, Region: REGION };
const KEY_ARN = `arn:aws:kms:${REGION}:${A}:key/${KEY.KeyId}`;

const user = (account: string, name: string, identity?: object[]): Principal => ({
  accountId: account,
  arn: `arn:aws:iam::${account}:user/${name}`,
  userId: `AIDA${name}`,
  kind: "user",
  ...(identity ? { identityPolicies: identity.map((p) => parsePolicyValue(p)) } : {}),
});
const session = (account: string, role: string): Principal => ({
  accountId: account,
  arn: `arn:aws:sts::${account}:assumed-role/${role}/s1`,
  userId: `AROA${role}:s1`,
  kind: "assumed-role",
  roleArn: `arn:aws:iam::${account}:role/${role}`,
});

const aAdmin = user(A, "admin");
const bAdmin = user(B, "admin");
const bNoKms = user(B, "nokms", [
  { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] },
]);

const root = (account: string) => `arn:aws:iam::${account}:root`;
const allow = (principal: unknown, action: unknown, condition?: object) => ({
  Effect: "Allow",
  Principal: principal,
  Action: action,
  Resource: "*",
  ...(condition ? { Condition: condition } : {}),
});
const deny = (principal: unknown, action: unknown, condition?: object) => ({
  ...allow(principal, action, condition),
  Effect: "Deny",
});

interface Row {
  name: string;
  statements: object[];
  principal: Principal;
  request: KeyAction;
  via?: ViaService;
  expect: "allow" | (AuthorizeResult & { allowed: false });
}

const NO_RESOURCE = { allowed: false, reason: "no-resource-policy-allows" } as const;
const NO_IDENTITY = { allowed: false, reason: "no-identity-policy-allows" } as const;
const RESOURCE_DENY = { allowed: false, reason: "explicit-deny", denySource: "resource" } as const;

const rows: Row[] = [
  {
    name: "account delegation + full IAM",
    statements: [allow({ AWS: root(A) }, "kms:*")],
    principal: aAdmin,
    request: { action: "kms:Decrypt" },
    expect: "allow",
  },
  {
    name: "account delegation, IAM without kms",
    statements: [allow({ AWS: root(B) }, "kms:*")],
    principal: bNoKms,
    request: { action: "kms:Decrypt" },
    expect: NO_IDENTITY,
  },
  {
    name: "account id form ≡ root ARN",
    statements: [allow({ AWS: B }, "kms:Decrypt")],
    principal: bAdmin,
    request: { action: "kms:Decrypt" },
    expect: "allow",
  },
  {
    name: "another account's root only",
    statements: [allow({ AWS: root(A) }, "kms:*")],
    principal: bAdmin,
    request: { action: "kms:Decrypt" },
    expect: NO_RESOURCE,
  },
  {
    name: "wildcard action kms:ReEncrypt*",
    statements: [allow({ AWS: B }, "kms:ReEncrypt*")],
    principal: bAdmin,
    request: { action: "kms:ReEncryptFrom" },
    expect: "allow",
  },
  {
    name: "action names ignore case",
    statements: [allow({ AWS: B }, "KMS:decrypt")],
    principal: bAdmin,
    request: { action: "kms:Decrypt" },
    expect: "allow",
  },
  {
    name: "NotAction",
    statements: [{ Effect: "Allow", Principal: { AWS: B }, NotAction: "kms:Decrypt", Resource: "*" }],
    principal: bAdmin,
    request: { action: "kms:Decrypt" },
    expect: NO_RESOURCE,
  },
  {
    name: "a role session matches its role ARN",
    statements: [allow({ AWS: `arn:aws:iam::${B}:role/mover` }, "kms:Decrypt")],
    principal: session(B, "mover"),
    request: { action: "kms:Decrypt" },
    expect: "allow",
  },
  {
    name: "explicit Deny wins",
    statements: [allow({ AWS: B }, "kms:*"), deny({ AWS: B }, "kms:Decrypt")],
    principal: bAdmin,
    request: { action: "kms:Decrypt" },
    expect: RESOURCE_DENY,
  },
  {
    name: "aws/rds: own account via rds",
    statements: [
      allow({ AWS: "*" }, "kms:Decrypt", {
        StringEquals: { "kms:CallerAccount": A, "kms:ViaService": `rds.${REGION}.amazonaws.com` },
      }),
    ],
    principal: aAdmin,
    via: "rds",
    request: { action: "kms:Decrypt" },
    expect: "allow",
  },
  {
    name: "aws/rds: own account, directly",
    statements: [
      allow({ AWS: "*" }, "kms:Decrypt", {
        StringEquals: { "kms:CallerAccount": A, "kms:ViaService": `rds.${REGION}.amazonaws.com` },
      }),
    ],
    principal: aAdmin,
    request: { action: "kms:Decrypt" },
    expect: NO_RESOURCE,
  },
  {
    name: "aws/rds: another account via rds",
    statements: [
      allow({ AWS: "*" }, "kms:Decrypt", {
        StringEquals: { "kms:CallerAccount": A, "kms:ViaService": `rds.${REGION}.amazonaws.com` },
      }),
    ],
    principal: bAdmin,
    via: "rds",
    request: { action: "kms:Decrypt" },
    expect: NO_RESOURCE,
  },
  {
    name: "GrantIsForAWSResource true via a service",
    statements: [allow({ AWS: B }, "kms:CreateGrant", { Bool: { "kms:GrantIsForAWSResource": true } })],
    principal: bAdmin,
    via: "rds",
    request: { action: "kms:CreateGrant" },
    expect: "allow",
  },
  {
    name: "GrantIsForAWSResource false directly",
    statements: [allow({ AWS: B }, "kms:CreateGrant", { Bool: { "kms:GrantIsForAWSResource": "true" } })],
    principal: bAdmin,
    request: { action: "kms:CreateGrant" },
    expect: NO_RESOURCE,
  },
  {
    name: "ForAllValues:StringEquals on kms:GrantOperations (subset)",
    statements: [
      allow({ AWS: B }, "kms:CreateGrant", {
        "ForAllValues:StringEquals": { "kms:GrantOperations": ["Decrypt", "Encrypt"] },
      }),
    ],
    principal: bAdmin,
    request: { action: "kms:CreateGrant", context: { "kms:GrantOperations": ["Decrypt"] } },
    expect: "allow",
  },
  {
    name: "ForAllValues:StringEquals on kms:GrantOperations (not a subset)",
    statements: [
      allow({ AWS: B }, "kms:CreateGrant", { "ForAllValues:StringEquals": { "kms:GrantOperations": ["Decrypt"] } }),
    ],
    principal: bAdmin,
    request: { action: "kms:CreateGrant", context: { "kms:GrantOperations": ["Decrypt", "ReEncryptFrom"] } },
    expect: NO_RESOURCE,
  },
  {
    name: "kms:EncryptionContext:<key> StringEquals",
    statements: [allow({ AWS: B }, "kms:Decrypt", { StringEquals: { "kms:EncryptionContext:cluster": "graph-1" } })],
    principal: bAdmin,
    request: { action: "kms:Decrypt", encryptionContext: { cluster: "graph-1" } },
    expect: "allow",
  },
  {
    name: "kms:EncryptionContext:<key> absent",
    statements: [allow({ AWS: B }, "kms:Decrypt", { StringEquals: { "kms:EncryptionContext:cluster": "graph-1" } })],
    principal: bAdmin,
    request: { action: "kms:Decrypt", encryptionContext: {} },
    expect: NO_RESOURCE,
  },
  {
    name: "StringEqualsIfExists on an absent key",
    statements: [
      allow({ AWS: B }, "kms:Decrypt", { StringEqualsIfExists: { "kms:ViaService": `rds.${REGION}.amazonaws.com` } }),
    ],
    principal: bAdmin,
    request: { action: "kms:Decrypt" },
    expect: "allow",
  },
  {
    name: "Null: kms:ViaService must be present",
    statements: [allow({ AWS: B }, "kms:Decrypt", { Null: { "kms:ViaService": "false" } })],
    principal: bAdmin,
    request: { action: "kms:Decrypt" },
    expect: NO_RESOURCE,
  },
  {
    name: "ArnLike on aws:PrincipalArn",
    statements: [allow({ AWS: "*" }, "kms:Decrypt", { ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${B}:user/*` } })],
    principal: bAdmin,
    request: { action: "kms:Decrypt" },
    expect: "allow",
  },
  {
    name: "StringNotEquals aws:PrincipalAccount deny",
    statements: [
      allow({ AWS: "*" }, "kms:*"),
      deny({ AWS: "*" }, "kms:*", { StringNotEquals: { "aws:PrincipalAccount": A } }),
    ],
    principal: bAdmin,
    request: { action: "kms:Decrypt" },
    expect: RESOURCE_DENY,
  },
  {
    name: "StringLike on kms:ViaService",
    statements: [allow({ AWS: B }, "kms:Decrypt", { StringLike: { "kms:ViaService": "rds.*.amazonaws.com" } })],
    principal: bAdmin,
    via: "rds",
    request: { action: "kms:Decrypt" },
    expect: "allow",
  },
  {
    name: "NumericLessThanEquals on kms:ScheduleKeyDeletionPendingWindowInDays",
    statements: [
      allow({ AWS: A }, "kms:ScheduleKeyDeletion", {
        NumericGreaterThanEquals: { "kms:ScheduleKeyDeletionPendingWindowInDays": 14 },
      }),
    ],
    principal: aAdmin,
    request: { action: "kms:ScheduleKeyDeletion", context: { "kms:ScheduleKeyDeletionPendingWindowInDays": 7 } },
    expect: NO_RESOURCE,
  },
  {
    name: "management action across accounts",
    statements: [allow({ AWS: "*" }, "kms:*")],
    principal: bAdmin,
    request: { action: "kms:PutKeyPolicy" },
    expect: NO_RESOURCE,
  },
  {
    name: "crypto action across accounts, everyone allowed",
    statements: [allow({ AWS: "*" }, "kms:*")],
    principal: bAdmin,
    request: { action: "kms:Encrypt" },
    expect: "allow",
  },
];

describe("KMS authorization decisions (key policy × IAM × KMS context)", () => {
  for (const row of rows) {
    test(row.name, () => {
      const env = {
        store: new MemoryStore(),
        clock: new ManualClock(),
        identities: new IdentityRegistry(defaultConfig(), new ManualClock()),
      };
      const call: KmsCall = {
        env,
        principal: row.principal,
        region: REGION,
        ...(row.via ? { viaService: row.via } : {}),
      };
      const policy = parsePolicyValue({ Version: "2012-10-17", Statement: row.statements });
      const result = decideKeyAction(call, { ...KEY, Arn: KEY_ARN, Policy: policy }, row.request);
      assert.deepEqual(result, row.expect === "allow" ? { allowed: true } : row.expect);
    });
  }
});
