/** A minimal XML writer: enough for AWS Query responses, with escaping done in one place. */
const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
  "\r": "&#13;",
  "\n": "&#10;",
};

/**
 * The characters XML 1.0 cannot carry at all, not even as character references (XML 1.0 §2.2 `Char`): C0
 * controls other than tab, LF and CR, U+FFFE, U+FFFF, and unpaired surrogates (with the `u` flag a paired
 * surrogate is one code point, so the class matches only lone halves).
 */
// eslint-disable-next-line no-control-regex -- control characters are what this looks for
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\uD800-\uDFFF]/u;
const FORBIDDEN_ALL = new RegExp(FORBIDDEN.source, "gu");

/** The first character of `text` that XML 1.0 forbids, or undefined. */
export function forbiddenXmlChar(text: string): string | undefined {
  return FORBIDDEN.exec(text)?.[0];
}

/** `U+0001`: how a message names a character without echoing it. */
export function codePointName(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
}

const NEEDS_ESCAPE = /[&<>"'\r\n]/;
/**
 * Anything escapeXml may have to change, in one test: what needs escaping or is forbidden (without the `u` flag a
 * paired surrogate matches too, which only sends that text down the exact path).
 */
// eslint-disable-next-line no-control-regex -- control characters are among what this looks for
const MAY_CHANGE = /[&<>"'\r\n\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\uD800-\uDFFF]/;

/**
 * Text as element content or attribute value. A character XML 1.0 forbids becomes U+FFFD: input that may hold one
 * is refused on the way in, but this is the one place every response passes, so no response can be unparseable.
 */
export function escapeXml(text: string): string {
  if (!MAY_CHANGE.test(text)) return text; // the common case: one scan, no new string
  const clean = FORBIDDEN.test(text) ? text.replace(FORBIDDEN_ALL, "\uFFFD") : text;
  if (!NEEDS_ESCAPE.test(clean)) return clean; // the common case: nothing to replace, no new string
  return clean.replace(/[&<>"'\r\n]/g, (c) => ESCAPES[c]!);
}

/** Appends to one string: V8 builds it as a rope, cheaper than collecting parts and joining them. */
export class XmlWriter {
  #text = "";

  open(name: string, attributes?: Record<string, string>): this {
    let attrs = "";
    for (const [k, v] of Object.entries(attributes ?? {})) attrs += ` ${k}="${escapeXml(v)}"`;
    this.#text += `<${name}${attrs}>`;
    return this;
  }

  close(name: string): this {
    this.#text += `</${name}>`;
    return this;
  }

  element(name: string, text: string): this {
    this.#text += `<${name}>${escapeXml(text)}</${name}>`;
    return this;
  }

  toString(): string {
    return this.#text;
  }
}
