import * as crypto from "node:crypto";

/**
 * SHA-256 in hex. Node's one-shot `crypto.hash` (20.12+) makes no Hash object: about half the cost for the short
 * inputs every request hashes (its body, its canonical request). Older Node 20 releases take the Hash object.
 */
export const sha256Hex: (data: string | Buffer) => string =
  typeof crypto.hash === "function"
    ? (data) => crypto.hash("sha256", data, "hex")
    : (data) => crypto.createHash("sha256").update(data).digest("hex");

/** Bodies up to this size are remembered; a longer one is rarely sent twice, and would hold memory. */
const REMEMBERED_BODY_BYTES = 8 * 1024;
/** How many bodies are remembered: enough for a few clients' polls interleaved. */
const REMEMBERED_BODIES = 4;

interface RememberedBody {
  body: Buffer;
  hex: string;
}

/** Most recent first. */
const remembered: RememberedBody[] = [];

/**
 * The SHA-256 (hex) of a request body, the payload hash of its canonical request. Clients send the same body again
 * and again (an SDK waiter polling DescribeDBClusters, GetCallerIdentity as a health check, one data key decrypted in
 * a loop), so the last few bodies are kept with their hash: comparing bytes (memcmp) costs a quarter of hashing
 * them, and in a server each call into OpenSSL costs more than in a loop (its code is no longer in the caches).
 * Keyed by the bytes themselves, never by a header the client sent: the hash is always that of the body received.
 */
export function payloadSha256Hex(body: Buffer): string {
  if (body.length > REMEMBERED_BODY_BYTES) return sha256Hex(body);
  for (let i = 0; i < remembered.length; i++) {
    const entry = remembered[i]!;
    if (entry.body.length === body.length && entry.body.equals(body)) return entry.hex;
  }
  const hex = sha256Hex(body);
  // A copy: the received Buffer may be a view of a larger read buffer, which it would keep alive.
  remembered.unshift({ body: Buffer.from(body), hex });
  if (remembered.length > REMEMBERED_BODIES) remembered.pop();
  return hex;
}
