import { parsePolicyValue } from "../../policy/index.js";
import { viaServiceEndpoint, type KmsEnv, type ViaService } from "./env.js";
import { accountRootArn, aliasArn } from "./identifiers.js";
import { buildKeyRecord } from "./key-factory.js";
import { prettyPolicy } from "./policy-text.js";
import { aliasTable, findKey, saveKey, type KeyRecord } from "./records.js";
import { dictionary } from "../../util/dictionary.js";

/**
 * AWS-managed keys (`KeyManager: AWS`), created in an (account, region) on first use [aws-behaviour §6.1, SEED K4]:
 * when a caller names the predefined alias ("If you specify a predefined AWS alias … KMS associates the alias with
 * an AWS managed key" [M-KMS DescribeKey]) or when a service encrypts a resource without a KmsKeyId.
 */
const AWS_MANAGED: Record<string, { service: ViaService; description: string }> = dictionary({
  "alias/aws/rds": {
    service: "rds",
    description: "Default key that protects my RDS database volumes when no other key is defined",
  },
});

/** AWS rotates its managed keys every year. */
const AWS_MANAGED_ROTATION_DAYS = 365;

/** `alias/aws/…` names are AWS's; customers can't create, update or delete them [M-KMS CreateAlias]. */
export function isReservedAliasName(aliasName: string): boolean {
  return aliasName.startsWith("alias/aws/");
}

export function isPredefinedAwsAlias(aliasName: string): boolean {
  return AWS_MANAGED[aliasName] !== undefined;
}

export function aliasNameFor(service: ViaService): string {
  return `alias/aws/${service}`;
}

/** The (account, region)'s AWS-managed key behind a predefined alias, created now if it does not exist yet. */
export function ensureAwsManagedKey(env: KmsEnv, accountId: string, region: string, aliasName: string): KeyRecord {
  const spec = AWS_MANAGED[aliasName];
  if (!spec) throw new Error(`${aliasName} is not a predefined AWS alias`);
  const aliases = aliasTable(env, accountId, region);
  const existing = aliases.get(aliasName);
  const current = existing && findKey(env, accountId, region, existing.TargetKeyId);
  if (current) return current;

  const now = env.clock.now();
  const document = awsManagedKeyPolicy(spec.service, accountId, region);
  const key = buildKeyRecord({
    accountId,
    region,
    keyManager: "AWS",
    description: spec.description,
    policyText: prettyPolicy(document),
    policy: parsePolicyValue(document),
    now,
    rotation: { Enabled: true, PeriodInDays: AWS_MANAGED_ROTATION_DAYS, EnabledAt: now.getTime() },
  });
  saveKey(env, key);
  aliases.put(aliasName, {
    AliasName: aliasName,
    AliasArn: aliasArn(region, accountId, aliasName),
    TargetKeyId: key.KeyId,
    CreationDate: now.getTime(),
    LastUpdatedDate: now.getTime(),
  });
  return key;
}

/**
 * AWS's real `aws/rds` key policy [aws-behaviour §6.3]: any principal of the owning account, only through RDS in
 * the key's region; direct access to metadata for the account. Nobody may change it (no kms:PutKeyPolicy), disable
 * it or schedule its deletion, and no other account matches kms:CallerAccount.
 */
function awsManagedKeyPolicy(service: ViaService, accountId: string, region: string): object {
  return {
    Version: "2012-10-17",
    Id: `auto-${service}-2`,
    Statement: [
      {
        Sid: "Allow access through RDS for all principals in the account that are authorized to use RDS",
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: [
          "kms:Encrypt",
          "kms:Decrypt",
          "kms:ReEncrypt*",
          "kms:GenerateDataKey*",
          "kms:CreateGrant",
          "kms:ListGrants",
          "kms:DescribeKey",
        ],
        Resource: "*",
        Condition: {
          StringEquals: { "kms:CallerAccount": accountId, "kms:ViaService": viaServiceEndpoint(service, region) },
        },
      },
      {
        Sid: "Allow direct access to key metadata to the account",
        Effect: "Allow",
        Principal: { AWS: accountRootArn(accountId) },
        Action: ["kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant"],
        Resource: "*",
      },
    ],
  };
}
