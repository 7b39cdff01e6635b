import {
  decrypt,
  encrypt,
  generateDataKey,
  generateDataKeyWithoutPlaintext,
  generateRandom,
  reEncrypt,
} from "../../domain/kms/crypto.js";
import { generateDataKeyPair, generateDataKeyPairWithoutPlaintext } from "../../domain/kms/data-key-pairs.js";
import { generateMac, verifyMac } from "../../domain/kms/hmac.js";
import { deriveSharedSecret } from "../../domain/kms/key-agreement.js";
import { getPublicKey, sign, verify } from "../../domain/kms/signing.js";
import type { KmsOperations } from "../../generated/kms.js";
import type { HandlerMap } from "../service.js";
import { kmsCall } from "./call.js";

export const cryptoHandlers: HandlerMap<KmsOperations> = {
  Encrypt: (input, ctx) => encrypt(kmsCall(ctx), input),
  Decrypt: (input, ctx) => decrypt(kmsCall(ctx), input),
  ReEncrypt: (input, ctx) => reEncrypt(kmsCall(ctx), input),
  GenerateDataKey: (input, ctx) => generateDataKey(kmsCall(ctx), input),
  GenerateDataKeyWithoutPlaintext: (input, ctx) => generateDataKeyWithoutPlaintext(kmsCall(ctx), input),
  GenerateDataKeyPair: (input, ctx) => generateDataKeyPair(kmsCall(ctx), input),
  GenerateDataKeyPairWithoutPlaintext: (input, ctx) => generateDataKeyPairWithoutPlaintext(kmsCall(ctx), input),
  GenerateRandom: (input, ctx) => generateRandom(kmsCall(ctx), input),
  GenerateMac: (input, ctx) => generateMac(kmsCall(ctx), input),
  VerifyMac: (input, ctx) => verifyMac(kmsCall(ctx), input),
  Sign: (input, ctx) => sign(kmsCall(ctx), input),
  Verify: (input, ctx) => verify(kmsCall(ctx), input),
  GetPublicKey: (input, ctx) => getPublicKey(kmsCall(ctx), input),
  DeriveSharedSecret: (input, ctx) => deriveSharedSecret(kmsCall(ctx), input),
};
