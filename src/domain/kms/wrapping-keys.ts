import { generateKeyPair } from "node:crypto";
import { promisify } from "node:util";

/**
 * RSA wrapping key pairs for GetParametersForImport. Generating one takes from a second (2048 bits) to several
 * (4096 bits) on a loaded machine, so it is never done on the event loop: node:crypto's asynchronous generation runs
 * on libuv's thread pool, and one spare pair per size is kept ready (made in the background after each use), so
 * only the first request for a size waits for a generation.
 */

export interface WrappingKeyPair {
  /** DER SubjectPublicKeyInfo, as GetParametersForImport returns it. */
  publicKey: Buffer;
  /** DER PKCS#8. */
  privateKey: Buffer;
}

const generate = promisify(generateKeyPair);
const spares = new Map<number, Promise<WrappingKeyPair>>();

function newPair(bits: number): Promise<WrappingKeyPair> {
  return generate("rsa", {
    modulusLength: bits,
    publicKeyEncoding: { type: "spki", format: "der" },
    privateKeyEncoding: { type: "pkcs8", format: "der" },
  });
}

export async function wrappingKeyPair(bits: number): Promise<WrappingKeyPair> {
  const ready = spares.get(bits) ?? newPair(bits);
  const spare = newPair(bits);
  spare.catch(() => spares.delete(bits)); // a failed spare is made again on the next use
  spares.set(bits, spare);
  return ready;
}
