/** A growable little-endian byte writer and its reader, for the graph's binary stored form. */
export class ByteWriter {
  #buf: Buffer;
  #at = 0;

  constructor(initial = 1 << 16) {
    this.#buf = Buffer.allocUnsafe(initial);
  }

  #room(bytes: number): void {
    if (this.#at + bytes <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < this.#at + bytes) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.#buf.copy(grown, 0, 0, this.#at);
    this.#buf = grown;
  }

  u8(n: number): void {
    this.#room(1);
    this.#buf[this.#at++] = n;
  }

  /** An unsigned integer below 2^53 in 7-bit groups. */
  varint(n: number): void {
    this.#room(8);
    while (n >= 0x80) {
      this.#buf[this.#at++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.#buf[this.#at++] = n;
  }

  i32(n: number): void {
    this.#room(4);
    this.#at = this.#buf.writeInt32LE(n, this.#at);
  }

  i64(n: bigint): void {
    this.#room(8);
    this.#at = this.#buf.writeBigInt64LE(n, this.#at);
  }

  f64(n: number): void {
    this.#room(8);
    this.#at = this.#buf.writeDoubleLE(n, this.#at);
  }

  string(s: string): void {
    // Ids, labels and keys are mostly short ASCII: copied by hand, without the native call's overhead.
    if (s.length < 128) {
      this.#room(s.length + 1);
      const buf = this.#buf;
      let at = this.#at + 1;
      let i = 0;
      for (; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[at++] = c;
      }
      if (i === s.length) {
        buf[this.#at] = s.length;
        this.#at = at;
        return;
      }
    }
    const length = Buffer.byteLength(s);
    this.varint(length);
    this.#room(length);
    this.#at += this.#buf.write(s, this.#at, "utf8");
  }

  bytes(b: Uint8Array): void {
    this.#room(b.length);
    this.#buf.set(b, this.#at);
    this.#at += b.length;
  }

  /** The bytes written, as a Buffer of their own. */
  finish(): Buffer {
    return Buffer.from(this.#buf.subarray(0, this.#at));
  }
}

export class ByteReader {
  #at = 0;
  constructor(readonly buf: Buffer) {}

  get done(): boolean {
    return this.#at === this.buf.length;
  }

  #need(bytes: number): void {
    if (this.#at + bytes > this.buf.length) throw new CorruptGraphError("unexpected end of data");
  }

  u8(): number {
    this.#need(1);
    return this.buf[this.#at++]!;
  }

  varint(): number {
    let n = 0;
    let scale = 1;
    for (;;) {
      const byte = this.u8();
      n += (byte & 0x7f) * scale;
      if (byte < 0x80) return n;
      scale *= 0x80;
      if (scale > 2 ** 56) throw new CorruptGraphError("varint too long");
    }
  }

  i32(): number {
    this.#need(4);
    const n = this.buf.readInt32LE(this.#at);
    this.#at += 4;
    return n;
  }

  i64(): bigint {
    this.#need(8);
    const n = this.buf.readBigInt64LE(this.#at);
    this.#at += 8;
    return n;
  }

  f64(): number {
    this.#need(8);
    const n = this.buf.readDoubleLE(this.#at);
    this.#at += 8;
    return n;
  }

  string(): string {
    const length = this.varint();
    this.#need(length);
    const s = this.buf.toString("utf8", this.#at, this.#at + length);
    this.#at += length;
    return s;
  }

  bytes(length: number): Buffer {
    this.#need(length);
    const b = this.buf.subarray(this.#at, this.#at + length);
    this.#at += length;
    return b;
  }
}

/** Stored bytes that are not a graph this version wrote (decryption already vouches for their origin). */
export class CorruptGraphError extends Error {}
