import type { CreateKeyRequest, DataKeyPairSpec, KeySpec } from "../../generated/kms.js";
import { keyKind } from "./key-specs.js";
import { newRsaPrivateKey, RSA_SPECS } from "./rsa.js";

/**
 * Key pairs whose generation is slow are made before the request's turn of the store, off the event loop: an RSA
 * key takes node:crypto from a fraction of a second (2048 bits) to several seconds (4096 bits), and every
 * control-plane request runs in the store's one serial turn (state/store.ts), so making it inside the turn would
 * hold back every other caller. node:crypto's async generateKeyPair runs in libuv's thread pool; the pipeline awaits
 * it before the turn (ServiceDefinition.prepare) and the handler takes the result from the RequestContext.
 *
 * *Decided*: generation per request rather than a pool of spare keys. A pool would keep private keys in memory
 * that no request asked for, and its background refills would keep a process (a test file) alive until done; a
 * request's own generation ends with the request. A refused request (bad spec, access denied) drops what was made:
 * nothing is kept or persisted. The fast specs (ECC, Ed25519, secret keys) are still made in the turn.
 */

/** The private key of a pair of this spec made ahead of the turn, or undefined for a spec that is fast to make. */
export async function keyPairAhead(spec: KeySpec | DataKeyPairSpec | undefined): Promise<Buffer | undefined> {
  const rsa = spec === undefined ? undefined : RSA_SPECS[spec];
  return rsa ? newRsaPrivateKey(rsa.bits) : undefined;
}

/**
 * CreateKey's key pair, made ahead when its spec and usage are ones KMS accepts (key-specs.ts keyKind): a request
 * keyKind refuses makes nothing, and its turn answers the refusal.
 */
export function createKeyPairAhead(input: CreateKeyRequest): Promise<Buffer | undefined> {
  let spec: KeySpec;
  try {
    spec = keyKind(input).KeySpec;
  } catch {
    return Promise.resolve(undefined);
  }
  return keyPairAhead(spec);
}
