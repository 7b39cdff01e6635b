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
    const out = Buffer.allocUnsafe(this.#room);
    let at = 0;
    for (const part of this.#parts) {
      if (typeof part === "string") at += out.write(part, at);
      else {
        out.set(part, at);
        at += part.length;
      }
    }
    return out.subarray(0, at);
  }

  /** The same bytes in a Buffer of their exact size: for bytes kept for long (toBuffer's may have room to spare). */
  toKeptBuffer(): Buffer {
    return Buffer.from(this.toBuffer());
  }
}
