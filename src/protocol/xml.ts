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

const NEEDS_ESCAPE = /[&<>"'\r\n]/;

export function escapeXml(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text; // the common case: nothing to replace, no new string
  return text.replace(/[&<>"'\r\n]/g, (c) => ESCAPES[c]!);
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
