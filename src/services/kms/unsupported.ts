import { kmsFault } from "../../domain/kms/errors.js";
import type { KmsOperations } from "../../generated/kms.js";
import type { HandlerMap } from "../service.js";

/**
 * Operations for kinds of keys Trident's KMS does not have (RSA, key agreement, multi-Region, custom key stores,
 * imported key material) answer UnsupportedOperationException naming what is missing, instead of NotImplemented:
 * the request is understood, the feature is out of scope.
 */
const OUT_OF_SCOPE: Record<string, string> = {
  GenerateDataKeyPair: "asymmetric data key pairs",
  GenerateDataKeyPairWithoutPlaintext: "asymmetric data key pairs",
  DeriveSharedSecret: "key agreement keys",
  ReplicateKey: "multi-Region keys",
  UpdatePrimaryRegion: "multi-Region keys",
  CreateCustomKeyStore: "custom key stores",
  ConnectCustomKeyStore: "custom key stores",
  DeleteCustomKeyStore: "custom key stores",
  DescribeCustomKeyStores: "custom key stores",
  DisconnectCustomKeyStore: "custom key stores",
  UpdateCustomKeyStore: "custom key stores",
  GetParametersForImport: "imported key material",
  ImportKeyMaterial: "imported key material",
  DeleteImportedKeyMaterial: "imported key material",
};

export const unsupportedHandlers: HandlerMap<KmsOperations> = Object.fromEntries(
  Object.entries(OUT_OF_SCOPE).map(([operation, feature]) => [
    operation,
    () => {
      throw kmsFault(
        "UnsupportedOperationException",
        `Trident's KMS does not support ${operation}: it has symmetric encryption, HMAC and ECC signing keys only, not ${feature}.`,
      );
    },
  ]),
);
