import { kmsFault } from "../../domain/kms/errors.js";
import type { KmsOperations } from "../../generated/kms.js";
import { refusingHandlers, type HandlerMap } from "../service.js";

/**
 * Operations for kinds of keys Trident's KMS does not have answer UnsupportedOperationException naming what is missing, instead of NotImplemented:
 * the request is understood, the feature is out of scope. docs/coverage.md lists them from this table.
 */
/** The kinds of keys Trident's KMS has (the refusals below and docs/coverage.md say it the same way). */
export const KEYS_SERVED = "symmetric encryption, HMAC, RSA and ECC keys";

export const OUT_OF_SCOPE: Record<string, string> = {};

export const unsupportedHandlers: HandlerMap<KmsOperations> = refusingHandlers(OUT_OF_SCOPE, (operation, feature) =>
  kmsFault(
    "UnsupportedOperationException",
    `Trident's KMS does not support ${operation}: it has ${KEYS_SERVED} only, not ${feature}.`,
  ),
);
