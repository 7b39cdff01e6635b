import * as crypto from "node:crypto";

/**
 * HMAC-SHA256 under one key for many messages: what SigV4 verification does with a signing key it has cached.
 * `createHmac` sets a new HMAC context up for every message (about a third of a signed request's verification);
 * here the key's two padded blocks are made once, and each message costs two one-shot hashes, per the definition
 * HMAC(K, m) = H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ m)) (RFC 2104 §2). Node releases without the one-shot `crypto.hash`
 * (before 20.12) take `createHmac`.
 */
const BLOCK = 64;
const DIGEST = 32;
/** Room for the messages SigV4 signs (a string to sign is about 150 bytes); a longer one gets a buffer of its own. */
const MESSAGE_ROOM = 448;

export class HmacKey {
  readonly #key: Buffer;
  /** K ⊕ ipad, then room for the message. */
  readonly #inner: Buffer | undefined;
  /** K ⊕ opad, then the inner digest. */
  readonly #outer: Buffer | undefined;
  /** The inner block cut to the last message's length: SigV4's strings to sign under one scope are all as long. */
  #innerView: Buffer | undefined;

  constructor(key: Buffer) {
    this.#key = key;
    if (typeof crypto.hash !== "function" || key.length > BLOCK) return; // a long key would be hashed first: rare
    this.#inner = Buffer.alloc(BLOCK + MESSAGE_ROOM, 0x36);
    this.#outer = Buffer.alloc(BLOCK + DIGEST, 0x5c);
    for (let i = 0; i < key.length; i++) {
      this.#inner[i]! ^= key[i]!;
      this.#outer[i]! ^= key[i]!;
    }
  }

  /** HMAC-SHA256 of `message` (UTF-8), as lower-case hex. */
  hex(message: string): string {
    const inner = this.#inner;
    const outer = this.#outer;
    if (inner === undefined || outer === undefined)
      return crypto.createHmac("sha256", this.#key).update(message).digest("hex");
    // Synchronous from the write to the last hash: the shared buffers are never seen half written.
    const fits = message.length * 3 <= MESSAGE_ROOM; // UTF-8 takes at most 3 bytes per UTF-16 unit
    const block = fits
      ? this.#innerBlock(BLOCK + inner.write(message, BLOCK))
      : Buffer.concat([inner.subarray(0, BLOCK), Buffer.from(message)]);
    // The inner digest as a "binary" (latin1) string, one byte per character, written into place: no Buffer made per message.
    outer.write(crypto.hash("sha256", block, "binary"), BLOCK, "binary");
    return crypto.hash("sha256", outer, "hex");
  }

  /** The first `length` bytes of the inner block. */
  #innerBlock(length: number): Buffer {
    const view = this.#innerView;
    if (view !== undefined && view.length === length) return view;
    return (this.#innerView = this.#inner!.subarray(0, length));
  }
}
