import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";

type Bytes = string | ArrayBuffer | ArrayBufferView;

function toBytes(data: Bytes): string | Uint8Array {
  if (typeof data === "string") return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * SHA-256 (or HMAC-SHA-256 when given a secret) over node:crypto, in the shape @smithy/signature-v4 expects,
 * for code that signs requests itself (tests of the wire, benchmarks that pre-sign).
 */
export class Sha256 {
  readonly #secret: Bytes | undefined;
  #hash: Hash | Hmac;

  constructor(secret?: Bytes) {
    this.#secret = secret;
    this.#hash = this.#fresh();
  }

  #fresh(): Hash | Hmac {
    return this.#secret === undefined ? createHash("sha256") : createHmac("sha256", toBytes(this.#secret));
  }

  update(data: Bytes): void {
    this.#hash.update(toBytes(data));
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest());
  }

  reset(): void {
    this.#hash = this.#fresh();
  }
}
