/**
 * KMS identifiers [aws-behaviour §6.1; KMS-CONCEPTS]: key id `1234abcd-…` (or `mrk-…`), key ARN
 * `arn:aws:kms:REGION:ACCOUNT:key/ID`, alias name `alias/NAME`, alias ARN `arn:aws:kms:REGION:ACCOUNT:alias/NAME`.
 */

export function keyArn(region: string, accountId: string, keyId: string): string {
  return `arn:aws:kms:${region}:${accountId}:key/${keyId}`;
}

/** `aliasName` includes its `alias/` prefix, as the API carries it. */
export function aliasArn(region: string, accountId: string, aliasName: string): string {
  return `arn:aws:kms:${region}:${accountId}:${aliasName}`;
}

export function accountRootArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:root`;
}

export type KeyReference =
  | { kind: "key-id"; keyId: string }
  | { kind: "key-arn"; region: string; accountId: string; keyId: string }
  | { kind: "alias-name"; aliasName: string }
  | { kind: "alias-arn"; region: string; accountId: string; aliasName: string }
  /** Starts with `arn:` but is not a KMS key or alias ARN. */
  | { kind: "invalid-arn" }
  /** Neither an ARN, an alias nor a key id. */
  | { kind: "invalid-key-id" };

const KEY_ID = /^(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|mrk-[0-9a-fA-F]{32})$/;
const KMS_ARN = /^arn:aws:kms:([a-z0-9-]+):(\d{12}):(key|alias)\/(.+)$/;

/** What a `KeyId` parameter names, before anything is looked up. */
export function parseKeyReference(value: string): KeyReference {
  if (value.startsWith("arn:")) {
    const match = KMS_ARN.exec(value);
    if (!match) return { kind: "invalid-arn" };
    const [, region, accountId, type, rest] = match as unknown as [string, string, string, string, string];
    if (type === "alias") return { kind: "alias-arn", region, accountId, aliasName: `alias/${rest}` };
    return KEY_ID.test(rest) ? { kind: "key-arn", region, accountId, keyId: rest } : { kind: "invalid-arn" };
  }
  if (value.startsWith("alias/")) return { kind: "alias-name", aliasName: value };
  return KEY_ID.test(value) ? { kind: "key-id", keyId: value } : { kind: "invalid-key-id" };
}

/** The key ARN named by a plain KMS key ARN, else undefined (for the service-access calls that take ARNs). */
export function parseKeyArn(value: string): { region: string; accountId: string; keyId: string } | undefined {
  const reference = parseKeyReference(value);
  return reference.kind === "key-arn" ? reference : undefined;
}
