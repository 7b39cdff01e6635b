import { GraphErrors } from "./errors.js";
import { integer, LONG_MAX, LONG_MIN, type Value } from "./model/values.js";

/**
 * Query parameters from their JSON form (Neptune takes `parameters` as a JSON object serialized in a string,
 * reference §2.1). A JSON number without a fraction or exponent is an integer, read exactly from its digits
 * (64-bit: JSON.parse would round 9007199254740993, and Node 20 has no reviver source text); any other number
 * is a float. Objects become maps, arrays lists. A small character scanner, strict JSON.
 */
export function parseParameters(text: string | undefined): Map<string, Value> {
  if (text === undefined || text.trim() === "") return new Map();
  const reader = new JsonReader(text);
  const value = reader.document();
  if (!(value instanceof Map)) throw invalid();
  return value;
}

/** A JSON value built by a caller (as JSON.parse gives it) as a query value. */
export function fromJson(value: unknown): Value {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return Number.isSafeInteger(value) ? BigInt(value) : value;
  if (typeof value === "bigint" || typeof value === "string" || typeof value === "boolean") return value;
  if (value instanceof Date) return value;
  if (Array.isArray(value)) return value.map(fromJson);
  if (typeof value === "object") return new Map(Object.entries(value).map(([k, v]) => [k, fromJson(v)]));
  throw GraphErrors.invalidParameter(`Unsupported parameter value of type ${typeof value}`);
}

const invalid = () => GraphErrors.invalidParameter("The parameters must be a JSON object");

class JsonReader {
  #i = 0;
  constructor(readonly text: string) {}

  document(): Value {
    const value = this.#value();
    this.#space();
    if (this.#i !== this.text.length) throw invalid();
    return value;
  }

  #space(): void {
    while (this.#i < this.text.length && " \t\n\r".includes(this.text[this.#i]!)) this.#i++;
  }

  #value(): Value {
    this.#space();
    const c = this.text[this.#i];
    if (c === "{") return this.#object();
    if (c === "[") return this.#array();
    if (c === '"') return this.#string();
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return this.#number();
    for (const [word, value] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (this.text.startsWith(word, this.#i)) {
        this.#i += word.length;
        return value;
      }
    }
    throw invalid();
  }

  #object(): Map<string, Value> {
    const out = new Map<string, Value>();
    this.#i++;
    this.#space();
    if (this.text[this.#i] === "}") {
      this.#i++;
      return out;
    }
    for (;;) {
      this.#space();
      if (this.text[this.#i] !== '"') throw invalid();
      const key = this.#string();
      this.#space();
      if (this.text[this.#i++] !== ":") throw invalid();
      out.set(key, this.#value());
      this.#space();
      const c = this.text[this.#i++];
      if (c === "}") return out;
      if (c !== ",") throw invalid();
    }
  }

  #array(): Value[] {
    const out: Value[] = [];
    this.#i++;
    this.#space();
    if (this.text[this.#i] === "]") {
      this.#i++;
      return out;
    }
    for (;;) {
      out.push(this.#value());
      this.#space();
      const c = this.text[this.#i++];
      if (c === "]") return out;
      if (c !== ",") throw invalid();
    }
  }

  #string(): string {
    const start = this.#i;
    const text = this.text;
    let plain = true;
    for (let i = start + 1; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x5c) {
        plain = false;
        i++; // the escaped character cannot end the string
      } else if (c === 0x22) {
        this.#i = i + 1;
        // Without escapes or control characters the text is the string (the common case, and the cheap one).
        if (plain) return text.slice(start + 1, i);
        try {
          // The string's own text, escapes and all, is valid JSON by itself.
          return JSON.parse(text.slice(start, this.#i)) as string;
        } catch {
          throw invalid();
        }
      } else if (c < 0x20) {
        plain = false; // JSON refuses a raw control character: JSON.parse says so
      }
    }
    throw invalid();
  }

  #number(): Value {
    const start = this.#i;
    let whole = true;
    while (this.#i < this.text.length && "+-0123456789.eE".includes(this.text[this.#i]!)) {
      if (".eE".includes(this.text[this.#i]!)) whole = false;
      this.#i++;
    }
    const digits = this.text.slice(start, this.#i);
    const float = Number(digits);
    if (Number.isNaN(float)) throw invalid();
    if (!whole) return float;
    // Up to 15 digits a double is exact (and a small integer is shared); beyond, the digits are read exactly.
    if (digits.length <= 15) return integer(float);
    const n = BigInt(digits);
    return n > LONG_MAX || n < LONG_MIN ? float : n;
  }
}
