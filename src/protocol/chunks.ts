/**
 * A response body being written: text appended to one string (V8 builds it as a rope), and between runs of text,
 * bytes encoded earlier (a settled value's, cached by the serializer). Joined into one Buffer at the end: one
 * allocation, each part copied (or encoded, for text) once.
 */
export class Chunks {
  /** The text since the last bytes: append to it. */
  text = "";
  readonly #parts: (string | Buffer)[] = [];
  /** At least the bytes of the parts: text is counted at 3 bytes per UTF-16 unit, UTF-8's most, not measured. */
  #room = 0;

  /** Appends bytes encoded earlier. */
  bytes(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.#flush();
    this.#parts.push(bytes);
    this.#room += bytes.length;
  }

  #flush(): void {
    if (this.text === "") return;
    this.#parts.push(this.text);
    this.#room += 3 * this.text.length;
    this.text = "";
  }

  /** Everything written, as UTF-8 bytes of its own (never a cached Buffer handed out as is). */
  toBuffer(): Buffer {
    this.#flush();
    const out = slabs.take(this.#room);
    let at = 0;
    for (const part of this.#parts) {
      if (typeof part === "string") at += out.write(part, at);
      else {
        out.set(part, at);
        at += part.length;
      }
    }
    slabs.giveBack(this.#room - at);
    return out.subarray(0, at);
  }

  /** The same bytes in a Buffer of their exact size: for bytes kept for long (toBuffer's may have room to spare). */
  toKeptBuffer(): Buffer {
    return Buffer.from(this.toBuffer());
  }
}

/**
 * Where response bodies are cut from: slabs of 1 MiB handed out in turn, as Node's Buffer pool does for small
 * buffers, since a fresh ArrayBuffer per response (tens of KiB, outside the V8 heap) costs more than filling it. A
 * body is never written again once handed out; a slab goes when the last body cut from it does.
 */
class Slabs {
  static readonly SIZE = 1 << 20;
  #slab = Buffer.allocUnsafeSlow(Slabs.SIZE);
  #used = 0;
  /** Whether the last `take` came from the slab (a large one has an allocation of its own). */
  #lastFromSlab = false;

  take(size: number): Buffer {
    this.#lastFromSlab = size <= Slabs.SIZE / 8;
    if (!this.#lastFromSlab) return Buffer.allocUnsafeSlow(size);
    if (this.#used + size > Slabs.SIZE) {
      this.#slab = Buffer.allocUnsafeSlow(Slabs.SIZE);
      this.#used = 0;
    }
    const taken = this.#slab.subarray(this.#used, this.#used + size);
    this.#used += size;
    return taken;
  }

  /** The unused end of the last `take`, for the next. */
  giveBack(unused: number): void {
    if (this.#lastFromSlab) this.#used -= unused;
    this.#lastFromSlab = false;
  }
}

const slabs = new Slabs();
