import { validationException } from "./errors.js";

/**
 * The size bound on an encryption context, checked before the context reaches a key policy's conditions (each
 * pair becomes a `kms:EncryptionContext:KEY` value that StringLike/StringEquals read) or the AAD.
 *
 * *Decided*: KMS documents a bound for grant constraints ("up to 8 encryption context pairs … each value cannot
 * exceed 384 characters", API GrantConstraints) but publishes no total for a request's EncryptionContext; the
 * model gives the map no length either. 8,192 characters of keys and values together, the bound other KMS
 * implementations document for a whole context, is far above any context an AWS service sends, and keeps every
 * policy evaluation of it cheap. A larger one is refused as the model's constraints are: ValidationException, 400.
 */
export const MAX_ENCRYPTION_CONTEXT_CHARS = 8192;

/** `member` is the request member as Coral names it (`encryptionContext`, `sourceEncryptionContext`, …). */
export function checkEncryptionContextSize(context: Record<string, string> | undefined, member: string): void {
  if (context === undefined) return;
  let size = 0;
  for (const [key, value] of Object.entries(context)) size += key.length + value.length;
  if (size > MAX_ENCRYPTION_CONTEXT_CHARS) {
    throw validationException(
      `1 validation error detected: Value at '${member}' failed to satisfy constraint: ` +
        `Map keys and values must have total length less than or equal to ${MAX_ENCRYPTION_CONTEXT_CHARS}`,
    );
  }
}
