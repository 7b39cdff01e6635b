import { accountRootArn } from "./identifiers.js";

/**
 * Policies that KMS itself writes (the default key policy, AWS-managed key policies) come back from GetKeyPolicy
 * pretty-printed the way AWS prints them: Jackson's default style, `"Key" : value`, two-space indents, arrays on
 * one line as `[ a, b ]` and `[ {` … `} ]` around objects [aws-behaviour §6.2, X-KMS GetKeyPolicy example].
 * Policies that a caller puts are stored as given.
 */
export function prettyPolicy(document: unknown): string {
  return print(document, 0);
}

function print(value: unknown, level: number): string {
  if (Array.isArray(value)) {
    return value.length === 0 ? "[ ]" : `[ ${value.map((item) => print(item, level)).join(", ")} ]`;
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return "{ }";
    const inner = "  ".repeat(level + 1);
    const fields = entries.map(([key, v]) => `\n${inner}${JSON.stringify(key)} : ${print(v, level + 1)}`);
    return `{${fields.join(",")}\n${"  ".repeat(level)}}`;
  }
  return JSON.stringify(value);
}

/**
 * The policy of a key created without one [aws-behaviour §6.2; KMS-DEFPOL]: the account principal may use IAM
 * policies to allow kms:*; it grants no one anything by itself.
 */
export function defaultKeyPolicy(accountId: string): object {
  return {
    Version: "2012-10-17",
    Id: "key-default-1",
    Statement: [
      {
        Sid: "Enable IAM User Permissions",
        Effect: "Allow",
        Principal: { AWS: accountRootArn(accountId) },
        Action: "kms:*",
        Resource: "*",
      },
    ],
  };
}
