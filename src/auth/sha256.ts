import { createHash, createHmac } from "node:crypto";

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
  #hash;

  constructor(secret?: Bytes) {
    this.#hash = secret ? createHmac("sha256", toBytes(secret)) : createHash("sha256");
  }

  update(data: Bytes): void {
    this.#hash.update(toBytes(data));
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest());
  }

  reset(): void {}
}
