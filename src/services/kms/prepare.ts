import { createKeyPairAhead, keyPairAhead } from "../../domain/kms/key-generation.js";
import type { KmsOperations } from "../../generated/kms.js";
import type { PrepareMap } from "../service.js";

/** The RSA key pairs CreateKey and GenerateDataKeyPair(WithoutPlaintext) make before the store's turn. */
export const kmsPrepare: PrepareMap<KmsOperations> = {
  CreateKey: (input) => createKeyPairAhead(input),
  GenerateDataKeyPair: (input) => keyPairAhead(input.KeyPairSpec),
  GenerateDataKeyPairWithoutPlaintext: (input) => keyPairAhead(input.KeyPairSpec),
};
