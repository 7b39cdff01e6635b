/**
 * A response body being written: text appended to one string (V8 builds it as a rope), and between runs of text,
 * bytes encoded earlier (a settled value's, cached by the serializer). Joined into one Buffer at the end: one
 * allocation, each part copied (or encoded, for text) once; or, when it is all text and short, left as that text.
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

  /** Everything written, as an answer's body: the text itself when it is all text and short, else its bytes. */
  toBody(): string | Buffer {
    return this.#parts.length === 0 && this.text.length <= SHORT_TEXT_BODY ? this.text : this.toBuffer();
  }

  /** Everything written, as UTF-8 bytes of its own (never a cached Buffer handed out as is). */
  toBuffer(): Buffer {
    this.#flush();
    // Written where the slab has room, then cut to what was written: one Buffer made.
    const { slab, start } = room(this.#room);
    let at = start;
    for (const part of this.#parts) {
      if (typeof part === "string") at += slab.write(part, at);
      else {
        slab.set(part, at);
        at += part.length;
      }
    }
    return taken(slab, start, at);
  }

  /** The same bytes in a Buffer of their exact size: for bytes kept for long (toBuffer's may have room to spare). */
  toKeptBuffer(): Buffer {
    return Buffer.from(this.toBuffer());
  }
}

/**
 * The longest text an answer is sent as, rather than as bytes encoded first: node:http joins a text body to its
 * header text and writes both at once, which costs a small answer less than encoding it here and writing header and
 * bytes apart. Measured under wrk, server CPU per request, text against bytes: 400 bytes, 0.4 to 1.6 µs less; 1.5 KB,
 * the same; 4 KB, less in both runs; 36 KB, 7 to 31 µs more (the text is walked twice, for its length and its
 * bytes), so long answers stay bytes.
 */
export const SHORT_TEXT_BODY = 4096;

/** A text answer's body: kept as text when short (SHORT_TEXT_BODY), else its UTF-8 bytes. */
export function textBody(text: string): string | Buffer {
  return text.length <= SHORT_TEXT_BODY ? text : Buffer.from(text);
}

/**
 * Where response bodies are cut from: slabs handed out in turn, as Node's Buffer pool does for small buffers, since
 * a fresh ArrayBuffer per response (tens of KiB, outside the V8 heap) costs more than filling it. A body is never
 * written again once handed out; a slab goes when the last body cut from it does.
 */
class Slabs {
  slab: Buffer;
  /** Where the next body starts. */
  used = 0;

  constructor(readonly size: number) {
    this.slab = Buffer.allocUnsafeSlow(size);
  }

  /** A slab with `size` bytes of room from `used` on (at most the slab's size). */
  room(size: number): Buffer {
    if (this.used + size > this.size) {
      this.slab = Buffer.allocUnsafeSlow(this.size);
      this.used = 0;
    }
    return this.slab;
  }
}

/**
 * Two sizes of slab. Small answers (GetCallerIdentity's few hundred bytes, an error) come from slabs of 16 KiB:
 * malloc serves those from memory freed before, where 1 MiB ones are fresh pages from the kernel, each zeroed on its
 * first write (measured under load: a GetCallerIdentity answer paid about 0.9 µs of page faults, 3% of its CPU).
 * Large answers (DescribeDBClusters' tens of KiB) come from 1 MiB slabs; larger ones than an eighth of that get an
 * allocation of their own.
 */
const SMALL = new Slabs(16 * 1024);
const LARGE = new Slabs(1 << 20);

/** The slabs `room` gave room from last, or undefined when it made an allocation of its own. */
let lastSlabs: Slabs | undefined;

/** Where up to `size` bytes may be written: from `start` in `slab`. */
function room(size: number): { slab: Buffer; start: number } {
  lastSlabs = size <= SMALL.size / 8 ? SMALL : size <= LARGE.size / 8 ? LARGE : undefined;
  if (lastSlabs === undefined) return { slab: Buffer.allocUnsafeSlow(size), start: 0 };
  return { slab: lastSlabs.room(size), start: lastSlabs.used };
}

/** The bytes written from `start` to `end` of the last `room`, as a Buffer of their own; the rest stays for the next. */
function taken(slab: Buffer, start: number, end: number): Buffer {
  if (lastSlabs !== undefined) lastSlabs.used = end;
  lastSlabs = undefined;
  return slab.subarray(start, end);
}
